"""Who may use the admin pages: the admin token (HTTP Basic) and the check value of every form."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from fastapi import HTTPException, Request

if TYPE_CHECKING:
    from assessment.server.app import Collector

REALM = 'Basic realm="Ketenscan beheer", charset="UTF-8"'


def form_check(token: str) -> str:
    """The check value every admin form carries: only someone with the token can make it."""
    return hmac.new(token.encode("utf-8"), b"ketenscan-beheer", hashlib.sha256).hexdigest()


def _collector(request: Request) -> Collector:
    state: Collector = request.app.state.collector
    return state


def require_admin(request: Request) -> Collector:
    """The server state when the request carries the admin token; 401 otherwise."""
    state = _collector(request)
    address = request.client.host if request.client else "?"
    wait = state.auth_failures.peek(address)
    if wait:
        raise HTTPException(
            429, "te veel mislukte pogingen; wacht even", headers={"Retry-After": str(wait)}
        )
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    password = ""
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        password = decoded.partition(":")[2]
    expected = state.config.admin_token
    if not password or not hmac.compare_digest(password.encode(), expected.encode()):
        if password:
            state.auth_failures.take(address)
        raise HTTPException(
            401,
            "log in met het beheerwachtwoord (de beheertoken)",
            headers={"WWW-Authenticate": REALM},
        )
    return state


async def require_form_pairs(
    request: Request, max_fields: int = 20
) -> tuple[Collector, list[tuple[str, str]]]:
    """An admin POST from this server's own page, with a valid check value; its fields in
    order (a name may come more than once)."""
    state = require_admin(request)
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    # 'null' is what a browser sends when it keeps the origin to itself (privacy settings).
    if origin not in (None, "null") and urlsplit(origin).netloc != host:
        raise HTTPException(403, "dit formulier komt niet van deze beheerpagina")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "dit formulier komt niet van deze beheerpagina")
    raw = await request.body()
    if len(raw) > 10_000:
        raise HTTPException(400, "het formulier is te groot")
    try:
        pairs = parse_qsl(raw.decode("utf-8", errors="replace"), max_num_fields=max_fields)
    except ValueError:
        raise HTTPException(400, "het formulier heeft te veel velden") from None
    fields = dict(pairs)
    if not hmac.compare_digest(fields.get("check", ""), form_check(state.config.admin_token)):
        raise HTTPException(403, "het formulier is verlopen of niet van deze pagina; laad de "
                            "pagina opnieuw")  # fmt: skip
    return state, pairs


async def require_form(request: Request) -> tuple[Collector, Mapping[str, str]]:
    """An admin POST from this server's own page, with a valid check value."""
    state, pairs = await require_form_pairs(request)
    return state, dict(pairs)
