"""The collection server as an ASGI app: `create_app(config)`.

It serves the API under `/api/v1/`, the admin page under `/beheer` and the built sites at
`/`, so that the Vragenlijst page and the API share one origin. Starting it opens the
database, repairs the workspace's answer files from it (`files.reconcile`) and starts the
writer thread; stopping it stores what is queued, writes the waiting files and closes.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from assessment import __version__
from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire
from assessment.limits import AUTH_FAILURES_PER_ADDRESS
from assessment.messages import load_model
from assessment.models import Municipality, Settings
from assessment.paths import MUNICIPALITIES_DIR, MUNICIPALITY_FILE
from assessment.server import store
from assessment.server.files import FileWriter, reconcile
from assessment.server.problems import problem_response
from assessment.server.ratelimit import RateLimiter
from assessment.server.rebuild import SiteRebuilder
from assessment.server.security import SecurityHeaders
from assessment.server.writer import Job, SubmissionWriter

log = logging.getLogger("ketenscan.collect")


@dataclass
class ServerConfig:
    """Everything the server needs to know, resolved by the command line."""

    workspace: Path
    db_path: Path
    settings: Settings
    questionnaire: Questionnaire
    admin_token: str
    site_url: str
    out: Path | None = None  # built sites to serve at '/'
    rebuild: bool = False  # rebuild a municipality's site after it got answers
    rebuild_delay: float = 2.0
    file_threads: int = 4


@dataclass
class Collector:
    """The running server's state, shared by the routes (`request.app.state.collector`)."""

    config: ServerConfig
    read: sqlite3.Connection
    writer: SubmissionWriter
    files: FileWriter
    per_token: RateLimiter
    per_address: RateLimiter
    auth_failures: RateLimiter
    openapi: dict[str, Any]
    in_flight: set[tuple[int, str]] = field(default_factory=set)
    rebuilder: Any = None
    _names: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def questionnaire(self) -> Questionnaire:
        """The instrument the workspace uses."""
        return self.config.questionnaire

    def municipality_file(self, slug: str) -> Path:
        """`gemeenten/<slug>/gemeente.yaml`."""
        return self.config.workspace / MUNICIPALITIES_DIR / slug / MUNICIPALITY_FILE

    def municipality(self, slug: str) -> Municipality | None:
        """The municipality's `gemeente.yaml`, or None when it cannot be read."""
        problems: list[Problem] = []
        path = self.municipality_file(slug)
        if not path.is_file():
            return None
        info, _ = load_model(Municipality, path, problems)
        return info

    def municipality_name(self, slug: str) -> str:
        """The municipality's name (re-read when gemeente.yaml changed)."""
        path = self.municipality_file(slug)
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return slug
        cached = self._names.get(slug)
        if cached and cached[0] == stamp:
            return cached[1]
        info = self.municipality(slug)
        name = info.name if info else slug
        self._names[slug] = (stamp, name)
        return name


def _stored(files: FileWriter) -> Any:
    def on_stored(job: Job, submission: store.Submission) -> None:
        files.submit(
            job.municipality, job.round, job.respondent, submission.version, job.answer_file
        )
        log.info(
            "ontvangen: %s/%s/%s versie %d (%s)",
            job.municipality,
            job.round,
            job.respondent,
            submission.version,
            submission.receipt,
        )

    return on_stored


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(config: ServerConfig) -> CollectApp:
    """The ASGI app of the collection server."""
    from assessment.server import admin, api
    from assessment.server.openapi import openapi_document

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        conn = store.open_database(config.db_path)
        repaired = reconcile(
            config.workspace,
            store.latest_files(conn),
            lambda m, r, p: store.version_texts(conn, m, r, p),
        )
        for path in repaired.written:
            log.warning("hersteld uit de database: %s", path)
        for path in repaired.kept:
            log.warning(
                "met de hand gewijzigd na de laatste inzending, niet overschreven: %s", path
            )
        for path in repaired.skipped:
            log.warning("rondemap ontbreekt, antwoord niet teruggezet: %s", path)
        limits = config.settings.collect.rate_limits
        rebuilder = None
        if config.rebuild and config.out is not None:
            rebuilder = SiteRebuilder(config.workspace, config.out, config.rebuild_delay)

        def written(municipality: str, round_slug: str, respondent: str, version: int) -> None:
            if rebuilder is not None:
                rebuilder.request(municipality)

        files = FileWriter(config.workspace, config.file_threads, on_written=written)
        collector = Collector(
            config,
            conn,
            SubmissionWriter(config.db_path, _stored(files)),
            files,
            RateLimiter(limits.per_token),
            RateLimiter(limits.per_address),
            RateLimiter(AUTH_FAILURES_PER_ADDRESS),
            openapi_document(config.questionnaire),
            rebuilder=rebuilder,
        )
        app.state.collector = collector
        try:
            yield
        finally:
            collector.writer.close()
            collector.files.close()
            if rebuilder is not None:
                rebuilder.close()
            conn.close()

    app = FastAPI(
        title="Ketenscan verzamelserver",
        version=__version__,
        openapi_url=None,  # served by the API router from openapi.openapi_document
        docs_url=None,  # the interactive docs load scripts from other hosts
        redoc_url=None,
        lifespan=lifespan,
    )
    app.include_router(api.router)
    app.include_router(admin.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 405:
            code, detail = "collect.method-not-allowed", "dit adres neemt deze methode niet aan"
        elif error.status_code == 404:
            code, detail = "collect.not-found", "op dit adres is niets te vinden"
        elif error.status_code == 401:
            code, detail = "collect.not-authorised", str(error.detail)
        elif error.status_code == 403:
            code, detail = "collect.forbidden", str(error.detail)
        else:
            code, detail = "collect.bad-request", str(error.detail)
        headers = dict(error.headers or {})
        if _is_api(request):
            return problem_response(code, detail, status=error.status_code, headers=headers)
        return admin.error_page(error.status_code, detail, headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        return problem_response("collect.bad-request", "het verzoek klopt niet")

    @app.exception_handler(ProblemsError)
    async def problems(request: Request, error: ProblemsError) -> Response:
        return problem_response("collect.bad-request", error.problems[0].message, error.problems)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        log.exception("onverwachte fout bij %s %s", request.method, request.url.path)
        detail = "er ging iets mis in de server; er is niets opgeslagen"
        if _is_api(request):
            return problem_response("collect.server-error", detail)
        return HTMLResponse("<h1>Fout in de server</h1>", status_code=500)

    sites = None
    if config.out is not None:
        config.out.mkdir(parents=True, exist_ok=True)
        sites = StaticFiles(directory=config.out, html=True)

    api_url = config.settings.collect.api_url
    connect = ""
    if api_url:
        parts = urlsplit(api_url)
        connect = f"{parts.scheme}://{parts.netloc}"
    wrapped: Any = SecurityHeaders(_Dispatch(app, sites), site_connect=connect)
    origins = config.settings.collect.allowed_origins
    if origins:
        wrapped = CORSMiddleware(
            wrapped,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=["Location", "Retry-After", "Idempotent-Replayed"],
            allow_credentials=False,
            max_age=600,
        )
    # Outside FastAPI's own stack, so that even its 500 page gets the headers.
    return CollectApp(app, wrapped)


class _Dispatch:
    """The API and the admin page go to FastAPI, everything else to the built sites."""

    def __init__(self, app: FastAPI, sites: StaticFiles | None) -> None:
        self.app = app
        self.sites = sites

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        ours = path == "/api" or path.startswith(("/api/", "/beheer"))
        if scope["type"] != "http" or self.sites is None or ours:
            await self.app(scope, receive, send)
            return
        try:
            await self.sites(scope, receive, send)
        except StarletteHTTPException as error:  # no 404.html, or a POST to a page
            response = PlainTextResponse(
                "Niet gevonden" if error.status_code == 404 else "Niet toegestaan",
                status_code=error.status_code,
                headers=dict(error.headers or {}),
            )
            await response(scope, receive, send)


class CollectApp:
    """The ASGI app: FastAPI inside the security headers (and CORS when configured)."""

    def __init__(self, fastapi: FastAPI, asgi: Any) -> None:
        self.fastapi = fastapi
        self._asgi = asgi

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Handle one ASGI event (HTTP request or lifespan)."""
        await self._asgi(scope, receive, send)
