"""What a site depends on, as hashes: a municipality whose inputs are unchanged is skipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from assessment import __version__
from assessment.paths import PACKAGE_DIR, default_site_dir

STAMP_DIR = ".ketenscan"


# ---------------------------------------------------------------- fingerprints


def _hash_tree(digest: Any, folder: Path, base: Path) -> None:
    if not folder.exists():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


def code_fingerprint(questionnaire_dir: Path) -> str:
    """Hash of everything a site depends on besides its municipality folder."""
    digest = hashlib.sha256(__version__.encode())
    _hash_tree(digest, PACKAGE_DIR, PACKAGE_DIR.parent)
    _hash_tree(digest, default_site_dir(), default_site_dir().parent)
    _hash_tree(digest, questionnaire_dir, questionnaire_dir.parent)
    return digest.hexdigest()


def municipality_fingerprint(
    folder: Path, shared: str, settings_bytes: bytes, audience: str
) -> str:
    """Hash of one municipality's inputs plus everything shared."""
    digest = hashlib.sha256(shared.encode())
    digest.update(settings_bytes)
    digest.update(audience.encode())
    _hash_tree(digest, folder, folder.parent)
    return digest.hexdigest()


def portal_fingerprint(shared: str, title: str, audience: str, rows: list[dict[str, Any]]) -> str:
    """Hash of everything the portal shows: the code, its title and every site's record."""
    digest = hashlib.sha256(shared.encode())
    digest.update(json.dumps([title, audience, rows], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def stamp_path(out: Path, slug: str) -> Path:
    return out / STAMP_DIR / f"{slug}.json"


def read_stamp(out: Path, slug: str) -> dict[str, Any] | None:
    try:
        data = json.loads(stamp_path(out, slug).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
