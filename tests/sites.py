"""Built demo sites shared by the site and browser tests, built once per test run.

Several pytest-xdist workers may ask for the same site at once; a file lock makes one of
them build while the others wait, and the build's own skip of unchanged inputs makes the
later requests cheap.
"""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

from assessment.site import build_sites

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
BUILD_ROOT = REPO / "build" / "test-sites"


def built_site(name: str, workspace: Path = EXAMPLES, audience: str = "internal") -> Path:
    """The output folder of `workspace` built for `audience` (built at most once per change)."""
    out = BUILD_ROOT / name
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    with (BUILD_ROOT / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            report = build_sites(workspace, out, audience=audience, jobs=2)
            if report.failed:
                shutil.rmtree(out, ignore_errors=True)
                raise RuntimeError(f"demo build failed: {[r.message for r in report.failed]}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out
