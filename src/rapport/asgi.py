"""The ASGI application: live chat's WebSockets (Django Channels) and, for a server that serves both
from one process (the demo, the browser tests), the same HTTP pages as ``rapport.wsgi``.

Production runs the WSGI server (gunicorn) for pages and ``rapport chat-server`` (uvicorn) for
``/ws/``, both behind one nginx (docs/chat.md); the Redis channel layer joins their processes.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

http = get_asgi_application()

from rapport.chat.sockets import websocket_urlpatterns  # noqa: E402 - needs the apps loaded

application = ProtocolTypeRouter({"http": http, "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns))})
