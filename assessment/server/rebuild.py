"""Rebuilding the sites after answers came in, so that a new partner is counted.

Submissions arrive in bursts; the rebuilder waits until none came for `delay` seconds and
then runs one ordinary build (unchanged municipalities are skipped, the portal follows).
One build at a time, in a background thread; the build's own workers do the work in
other processes.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from assessment.errors import ProblemsError

log = logging.getLogger("ketenscan.collect")


class SiteRebuilder:
    """Debounced rebuilds of the sites in `out` from the workspace."""

    def __init__(self, workspace: Path, out: Path, delay: float = 2.0) -> None:
        self.workspace = workspace
        self.out = out
        self.delay = delay
        self.builds = 0
        self._wanted: set[str] = set()
        self._requests = 0
        self._changed = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="ketenscan-rebuild", daemon=True)
        self._thread.start()

    def request(self, municipality: str) -> None:
        """Ask for a rebuild of a municipality's site (after a quiet moment)."""
        with self._changed:
            self._wanted.add(municipality)
            self._requests += 1
            self._changed.notify_all()

    def close(self) -> None:
        """Stop (a build under way finishes first)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()

    def _loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted or self._stopping)
                if self._stopping:
                    return
                # Wait for a quiet moment: every new request restarts the delay, but a
                # steady stream of answers still gets a build now and then.
                deadline = time.monotonic() + max(30.0, 10 * self.delay)
                while time.monotonic() < deadline:
                    seen = self._requests
                    self._changed.wait(self.delay)
                    if self._stopping:
                        return
                    if self._requests == seen:
                        break
                wanted = sorted(self._wanted)
                self._wanted.clear()
            self._build(wanted)

    def _build(self, wanted: list[str]) -> None:
        from assessment.website.build import build_sites

        try:
            report = build_sites(self.workspace, self.out)
        except ProblemsError as error:
            for problem in error.problems:
                log.error("%s", problem.format())
            return
        except Exception:
            log.exception("sites bouwen mislukt")
            return
        self.builds += 1
        built = [r.slug for r in report.results if r.status == "built"]
        for result in report.failed:
            log.error("%s: bouwen mislukt: %s", result.slug, result.message)
        if built:
            log.info("site opnieuw gebouwd: %s", ", ".join(built))
        elif wanted:
            log.info("sites bijgewerkt (geen wijziging in %s)", ", ".join(wanted))
