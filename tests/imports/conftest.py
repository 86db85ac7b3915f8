"""Shared fixtures for the importers: the export fixtures' folder, and a real HTTP server on
127.0.0.1 serving attachments by path (the importer's configurable base; no internet here)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PHOTO = (FIXTURES / "zendesk_remote_photo.png").read_bytes()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


class _Files(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {
        "/attachments/token/photo/": PHOTO,
        "/attachments/token/inl1/": PHOTO,
    }
    asked: list[str] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        body = self.files.get(self.path.split("?", 1)[0])
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def file_server() -> Iterator[tuple[str, list[str]]]:
    """(base URL, the paths asked for)."""
    _Files.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Files.asked
    finally:
        server.shutdown()
        server.server_close()
