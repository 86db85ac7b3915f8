"""Where a webhook may point: https (plain http only where a setting allows it, in development and
tests), and never at this server's own network. The host is resolved and every address it gives
is checked: a name that leads to a private, loopback, link-local (cloud metadata at 169.254.169.254)
or reserved address is refused, so a webhook cannot be used to reach inside the network (server-side
request forgery). 127.0.0.1 and ::1 are allowed only when ``WEBHOOKS_ALLOW_LOOPBACK`` is set (the
tests' receiver). Checked when a URL is saved and again before each attempt (a name can be
re-pointed after it was saved)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from django.conf import settings

from rapport.platform.errors import FieldError

Resolver = Callable[[str, int], Sequence[str]]

NOT_HTTPS = "Use an https:// address."
NO_HOST = "Enter an address with a host name, e.g. https://crm.example.co.uk/hooks/rapport."
UNRESOLVED = "The host name could not be found."
INTERNAL = "This address leads to a private or internal network address ({address}), which is not allowed."
CREDENTIALS = "Do not put a user name or password in the address."


def resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


def check(url: str, *, resolver: Resolver | None = None) -> None:
    """Raise ``FieldError(url=...)`` unless a webhook may be sent to ``url``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FieldError(url=NO_HOST) from None
    allowed = ("https", "http") if getattr(settings, "WEBHOOKS_ALLOW_HTTP", False) else ("https",)
    if parts.scheme not in allowed:
        raise FieldError(url=NOT_HTTPS)
    if parts.username or parts.password:
        raise FieldError(url=CREDENTIALS)
    host = parts.hostname
    if not host:
        raise FieldError(url=NO_HOST)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FieldError(url=NO_HOST) from None
    try:
        addresses = (resolver or resolve)(host, port)
    except (OSError, UnicodeError):
        raise FieldError(url=UNRESOLVED) from None
    if not addresses:
        raise FieldError(url=UNRESOLVED)
    loopback_ok = getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback and loopback_ok:
            continue
        if not ip.is_global or ip.is_multicast:
            raise FieldError(url=INTERNAL.format(address=address))
