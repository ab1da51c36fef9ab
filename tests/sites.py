"""Built demo sites shared by the site and browser tests, built once per test run.

Several pytest-xdist workers may ask for the same site at once; a file lock makes one of
them build while the others wait, and the build's own skip of unchanged inputs makes the
later requests cheap.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from assessment.website.build import build_sites

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
BUILD_ROOT = REPO / "build" / "test-sites"


def built_site(name: str, workspace: Path = EXAMPLES, audience: str = "internal") -> Path:
    """The output folder of `workspace` built for `audience` (built at most once per change).

    Under pytest-xdist it is built at most once per test run as well: even a build that
    skips every municipality rewrites the portal and its assets, which would pull the
    files from under a browser test that another worker runs on the same site.
    """
    out = BUILD_ROOT / name
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    stamp = BUILD_ROOT / f"{name}.run"
    with (BUILD_ROOT / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if run and stamp.exists() and stamp.read_text(encoding="utf-8") == run:
                return out
            stamp.unlink(missing_ok=True)
            report = build_sites(workspace, out, audience=audience, jobs=2)
            if report.failed:
                shutil.rmtree(out, ignore_errors=True)
                raise RuntimeError(f"demo build failed: {[r.message for r in report.failed]}")
            if run:
                stamp.write_text(run, encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out
