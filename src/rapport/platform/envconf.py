"""Small typed readers for settings taken from the environment."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, "") or default


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise RuntimeError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated CIDR ranges (``192.0.2.0/24``, ``2001:db8::/32``, or a single address)."""
    networks = []
    for part in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise RuntimeError(f"{name} must list CIDR ranges such as 192.0.2.0/24, not {part!r}") from None
    return tuple(networks)


def env_required_list(name: str, what: str) -> list[str]:
    """A comma-separated list that must be given: a one-line error naming it otherwise."""
    values = env_list(name, [])
    if not values:
        raise RuntimeError(f"{name} must be set in production: {what}")
    return values


SECRET_BYTES = 48  # 64 URL-safe characters, above Django's 50-character minimum


def secret_from_file(path: Path) -> str:
    """The secret kept in ``path``, made on first use: random, readable by its owner only (0600).

    The file appears whole or not at all (written aside, then linked into place), so processes
    starting together all read the same secret."""
    if not path.exists():
        aside = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(SECRET_BYTES) + "\n")
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            aside.unlink()
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # copied or restored with looser rights: the key is a password
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 50:
        raise RuntimeError(f"{path} does not hold a usable secret key: delete it and a new one is made")
    return secret
