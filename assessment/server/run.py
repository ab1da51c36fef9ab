"""Running the collection server: uvicorn on a socket we bind ourselves, one process.

One process on purpose: the writer thread is the single writer of the database, and the
bursts it is built for (about 200 submissions per second) are far below what one process
serves. Binding the socket first lets `--port 0` pick a free port and still print it.
Ctrl+C (SIGINT) or SIGTERM stop it cleanly: requests under way finish, queued submissions
are stored and waiting answer files are written.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn

from assessment.server.app import ServerConfig, create_app
from assessment.server.store import private_folder

SWITCH_INTERVAL = float(os.environ.get("KETENSCAN_SWITCH_INTERVAL", "0.001"))
ADMIN_TOKEN_ENV = "KETENSCAN_ADMIN_TOKEN"  # noqa: S105 - the name of a variable


def read_admin_token(env: dict[str, str], file: Path) -> tuple[str, str]:
    """The admin token from the environment, else from `file` (made on first use).

    Returns the token and where it came from, for the start-up message.
    """
    value = env.get(ADMIN_TOKEN_ENV, "").strip()
    if value:
        return value, f"omgevingsvariabele {ADMIN_TOKEN_ENV}"
    if file.is_file():
        value = file.read_text(encoding="utf-8").strip()
        if value:
            return value, str(file)
    private_folder(file.parent)
    value = secrets.token_urlsafe(24)
    file.touch(mode=0o600)
    file.chmod(0o600)
    file.write_text(value + "\n", encoding="utf-8")
    return value, str(file)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.set_inheritable(True)
    except BaseException:
        # A taken port: close now, not whenever the garbage collector finds it.
        sock.close()
        raise
    return sock


def configure_logging(verbose: bool) -> None:
    """Log lines on stderr: time, level, message (never a body or a header)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("ketenscan")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    access = logging.getLogger("ketenscan.collect.access")
    access.setLevel(logging.DEBUG if verbose else logging.INFO)


def serve(
    config: ServerConfig,
    sock: socket.socket,
    *,
    trusted_proxies: list[str] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    app = create_app(config)
    uv_config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,  # our own access log leaves out addresses and queries
        server_header=False,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or [],
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        lifespan="on",
        h11_max_incomplete_event_size=32 * 1024,
    )
    # The event loop waits for the database and the network, and gets the interpreter lock
    # back only when the thread holding it lets go: a shorter interval than the default
    # 5 ms keeps latency down while the writer and file threads are busy.
    sys.setswitchinterval(SWITCH_INTERVAL)
    server = uvicorn.Server(uv_config)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets: list[socket.socket] | None = None) -> None:
            await original(sockets)
            if server.started:
                on_ready()

        server.startup = startup  # type: ignore[method-assign]
    # uvicorn stops on SIGINT and SIGTERM and then raises the signal again for the handler
    # it found: with these quiet ones, a stop ends here and the command says so and exits 0
    # (no "Aborted!", no death by signal).
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, _quiet) for stop in stops}
    try:
        server.run(sockets=[sock])
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _quiet(signum: int, frame: object) -> None:
    """Take a stop signal that uvicorn has already acted on."""
