"""Live preview: build, serve on 127.0.0.1 and rebuild when an input file changes."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assessment.errors import ProblemsError
from assessment.paths import default_questionnaire_dir, default_site_dir
from assessment.website.build import build_sites, chart_cache_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def _snapshot(folders: list[Path], skip: list[Path]) -> dict[Path, float]:
    """Modification times of the files in `folders`, except those in `skip` (the output
    and the chart cache, which a build writes itself)."""
    state: dict[Path, float] = {}
    skipped = [folder.resolve() for folder in skip]
    for folder in folders:
        if folder.exists():
            for path in folder.rglob("*"):
                resolved = path.resolve()
                if path.is_file() and not any(resolved.is_relative_to(s) for s in skipped):
                    state[path] = path.stat().st_mtime
    return state


def serve_workspace(
    root: Path,
    out: Path,
    *,
    port: int = 8000,
    municipality: str | None = None,
    audience: str | None = None,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    interval: float = 1.0,
) -> None:
    """Build, then serve `out` on 127.0.0.1:`port` until interrupted, rebuilding on change."""

    def rebuild() -> None:
        try:
            report = build_sites(root, out, audience=audience)
        except ProblemsError as error:
            for problem in error.problems:
                say(problem.format())
            return
        for result in report.failed:
            for problem in result.problems:
                say(problem.format())
            if not result.problems:
                say(f"{result.slug}: bouwen mislukt: {result.message}")
        built = [r.slug for r in report.results if r.status == "built"]
        if built:
            say(f"Opnieuw gebouwd: {', '.join(built)}")

    watched = [root, default_questionnaire_dir(), default_site_dir()]
    cache = chart_cache_dir(root)
    skip = [out] if cache is None else [out, cache]
    state = _snapshot(watched, skip)  # before the first build: a save during it is seen
    rebuild()
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    say(
        f"Ketenscan draait op {address}{municipality + '/index.html' if municipality else ''}"
        " (stoppen: Ctrl+C)"
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    try:
        while not stop.is_set():
            stop.wait(interval)
            current = _snapshot(watched, skip)
            if current != state:
                time.sleep(0.2)  # let an editor finish writing
                # Taken before the build, so that a file saved during it triggers the next one.
                state = _snapshot(watched, skip)
                rebuild()
    except KeyboardInterrupt:
        say("Gestopt.")
    finally:
        server.shutdown()
        server.server_close()
