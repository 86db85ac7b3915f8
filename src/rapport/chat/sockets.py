"""The WebSocket paths of live chat, mounted by ``rapport.asgi``."""

from __future__ import annotations

from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from rapport.chat.consumers import AgentConsumer, CustomerConsumer

websocket_urlpatterns = [
    # The widget's origin is checked against its site's allowed origins once it says which chat.
    path("ws/chat/", CustomerConsumer.as_asgi()),
    # The console is only ever opened from Rapport's own pages.
    path("ws/chat/agent/", AllowedHostsOriginValidator(AgentConsumer.as_asgi())),
]
