"""Servers on 127.0.0.1 for chat tests: Rapport's ASGI application, and a website that embeds the widget."""

from __future__ import annotations


class ChatServer:
    """Rapport's ASGI application served by uvicorn on 127.0.0.1 in a thread of the test process
    (so it shares the test database), HTTP and WebSockets alike."""

    def __init__(self) -> None:
        import threading

        import uvicorn

        from rapport.asgi import application

        self.server = uvicorn.Server(
            uvicorn.Config(
                application, host="127.0.0.1", port=0, log_level="warning", lifespan="off", ws="websockets-sansio"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ChatServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the chat server did not start")
            time.sleep(0.05)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/ws/chat/"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class HostPage:
    """An organisation's website on another origin: one page with the widget's script tag."""

    def __init__(self, rapport_url: str, site_key: str = "website", extra: str = "") -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Energy: contact us</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
            "<header><p>Acme Energy</p></header><main><h1>Contact us</h1><p>Questions about your bill or "
            "your meter? Chat with an adviser.</p></main>"
            f'<script src="{rapport_url}/static/chat/widget.js" data-site="{site_key}" {extra} defer></script>'
            "</body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
