"""Security headers on every response, and an access log that holds no secrets.

Pure ASGI middleware (no per-request task or body buffering). Every response gets headers
against sniffing, framing and referrers; the API and the admin page get a strict Content
Security Policy and `Cache-Control: no-store`, the sites a policy that lets their own
scripts run and talk to this server only. No cookie is ever set. The access log has the
method, the path without its query, the status and the time taken: no addresses, no
headers, no bodies, so no token and no answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("ketenscan.collect.access")

COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
ADMIN_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def site_policy(extra_connect: str = "") -> str:
    """The policy of the built sites: their own scripts (MkDocs puts some inline) only."""
    connect = f"'self' {extra_connect}".strip()
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        f"connect-src {connect}; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'"
    )


class SecurityHeaders:
    """Adds the headers, drops any Set-Cookie, and writes the access log line."""

    def __init__(self, app: ASGIApp, *, site_connect: str = "") -> None:
        self.app = app
        self.site = site_policy(site_connect).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with the headers added to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        private = path.startswith(("/api/", "/beheer"))
        admin = path.startswith("/beheer")
        if path.startswith("/api/"):
            policy = API_POLICY.encode()
        elif path.startswith("/beheer"):
            policy = ADMIN_POLICY.encode()
        else:
            policy = self.site
        https = scope.get("scheme") == "https"
        start = time.perf_counter()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in (b"set-cookie", b"server")
                ]
                names = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in COMMON if n not in names]
                if admin:  # its forms need their Origin; its URLs hold nothing secret
                    headers = [
                        (n, b"same-origin" if n == b"referrer-policy" else v) for n, v in headers
                    ]
                headers.append((b"content-security-policy", policy))
                if private and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            # Pages and assets of the sites only when asked for (--verbose): they are many.
            access_log.log(
                logging.INFO if private else logging.DEBUG,
                "%s %s %d %.1f ms",
                scope.get("method", "?"),
                path,
                status,
                (time.perf_counter() - start) * 1000,
            )
