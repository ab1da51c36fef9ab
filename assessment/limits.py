"""One source for every limit: slug pattern, text lengths, file size, scale and group sizes."""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

SLUG = re.compile(SLUG_PATTERN)


def is_slug(text: str) -> bool:
    """True when `text` is a valid slug (SPEC §3)."""
    return len(text) <= 64 and SLUG.fullmatch(text) is not None
