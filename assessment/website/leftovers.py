"""What a build that was killed halfway leaves in its output folder, cleared by the next.

Kept apart from `publish` so that a build with nothing to do imports nothing heavy.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_LEFTOVER = re.compile(r"\.(tmp|old)-(.+)-(\d+)")


def _running(pid: int) -> bool:
    """Whether a process with this id is alive (then its work folders are its own)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(out: Path) -> list[str]:
    """Clear what a build that was killed halfway left in `out`; returns what it did.

    A work folder (`.tmp-…-PID`) of a process that is gone is removed. A site moved
    aside (`.old-SLUG-PID`) goes back in place when the kill came before the new site
    was; otherwise the new site is there and the old one is removed.
    """
    done: list[str] = []
    if not out.is_dir():
        return done
    for path in sorted(out.iterdir()):
        found = _LEFTOVER.fullmatch(path.name)
        if found is None or _running(int(found.group(3))):
            continue
        kind, name = found.group(1), found.group(2)
        if kind == "old" and not (out / name).exists():
            path.rename(out / name)
            done.append(f"{path.name} -> {name}")
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        done.append(f"{path.name} verwijderd")
    return done
