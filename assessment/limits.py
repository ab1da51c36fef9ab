"""One source for every limit and band: ids, text lengths, file size, the answer scale,
the maturity levels and the smallest group that may be shown.

The models, the JSON Schemas, the online form (and its script, through the data the page
embeds), the method page and the exports all read these values; none of them spells a
number of its own.
"""

from __future__ import annotations

import re
from typing import Final, Literal

Audience = Literal["internal", "public"]

# Ids (slugs) of municipalities, rounds, respondents, statements, factors, roles, ...
SLUG_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX: Final = 64
SLUG: Final = re.compile(SLUG_PATTERN)
# `instrument: ketenscan-jeugd@1` — ASCII digits, few enough that int() cannot fail.
INSTRUMENT_REF_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*@[0-9]{1,9}$"
INSTRUMENT_REF: Final = re.compile(INSTRUMENT_REF_PATTERN)

# Texts
TEXT_MAX: Final = 4000  # comments, open answers, explanations
SHORT_TEXT_MAX: Final = 200  # names, titles, labels
SHORT_TITLE_MAX: Final = 24  # a factor's short title in a chart's rows and columns

# Files
FILE_MAX_BYTES: Final = 1024 * 1024
FILE_MAX_TEXT: Final = (
    f"{FILE_MAX_BYTES // 2**20} MiB"
    if FILE_MAX_BYTES % 2**20 == 0
    else f"{FILE_MAX_BYTES // 1024} KiB"
)
YAML_MAX_DEPTH: Final = 12
# A CSV of key figures holds a row per municipality, round and key figure: a whole country
# over many rounds, so more than one YAML file may hold.
CSV_MAX_BYTES: Final = 16 * 1024 * 1024
JSON_MAX_DEPTH: Final = YAML_MAX_DEPTH  # request bodies of the collection server

# The collection server: a request body is at most as large as an answer file may be;
# an invitation token carries 192 random bits; rates are requests per minute.
BODY_MAX_BYTES: Final = FILE_MAX_BYTES
TOKEN_BYTES: Final = 24
TOKEN_PATTERN: Final = r"^[A-Za-z0-9_-]{32,64}$"  # noqa: S105 - a pattern, not a secret
IDEMPOTENCY_KEY_PATTERN: Final = (
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
RATE_PER_TOKEN: Final = 20
RATE_PER_ADDRESS: Final = 600
AUTH_FAILURES_PER_ADDRESS: Final = 30  # unknown tokens per minute before an address waits
# The live workshop (assessment/server/live).
LIVE_CODE_ALPHABET: Final = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G
LIVE_CODE_LENGTH: Final = 6
LIVE_SESSION_HOURS: Final = 12  # a session no one ended stops taking votes after this
LIVE_JOINS_PER_ADDRESS: Final = 120  # joins per minute from one address (a room behind NAT)
LIVE_DOTS: Final = 3  # dots each participant may put on the candidate actions
LIVE_PARTICIPANTS_MAX: Final = 2000  # participants of one session
URL_PATTERN: Final = r"^https?://[^\s/?#]+(/[^\s?#]*)?$"
ORIGIN_PATTERN: Final = r"^https?://[^\s/?#]+$"

# Spreadsheets to import (CSV or XLSX). One round of one municipality has a few dozen
# partners; a file far beyond these limits is the wrong file or an attack. An XLSX file is
# a ZIP archive: its parts are counted and their unpacked sizes added up before anything
# unpacks them (Python's zipfile never inflates a part beyond its declared size).
SHEET_MAX_BYTES: Final = 20 * 1024 * 1024
SHEET_MAX_TEXT: Final = f"{SHEET_MAX_BYTES // 2**20} MiB"
XLSX_MAX_UNPACKED_BYTES: Final = 64 * 1024 * 1024
XLSX_MAX_UNPACKED_TEXT: Final = f"{XLSX_MAX_UNPACKED_BYTES // 2**20} MiB"
XLSX_MAX_PARTS: Final = 1000
IMPORT_MAX_ROWS: Final = 1000  # rows with data below the header row
IMPORT_MAX_COLUMNS: Final = 2000
IMPORT_MAX_HEADER_ROW: Final = 50

# The answer scale of statements, importance and ambition; empty means "weet niet".
SCALE_MIN: Final = 1
SCALE_MAX: Final = 5
SCALE: Final = tuple(range(SCALE_MIN, SCALE_MAX + 1))

# Maturity levels (SPEC §4): a score from LEVEL_EDGES[i-1] up to (not including)
# LEVEL_EDGES[i] has level i; a score on an edge belongs to the higher level.
LEVEL_NAMES: Final = ("startend", "in ontwikkeling", "functionerend", "geborgd", "voorbeeldig")
LEVEL_EDGES: Final = (1.8, 2.6, 3.4, 4.2)

# Smallest group of partners whose scores may be shown apart (SPEC §4): a workspace may
# lower the default to the internal floor for its internal site; the public site never
# shows a group below the public floor. The comparison of municipalities (SPEC §10) uses
# the same rule: a size class is compared only when at least this many municipalities that
# opted in (`benchmark: true`) have scores.
MIN_GROUP_DEFAULT: Final = 5
MIN_GROUP_INTERNAL_FLOOR: Final = 3
MIN_GROUP_PUBLIC_FLOOR: Final = 5


# Key figures (SPEC §10): value = numerator ÷ denominator × the unit's multiplier. A share
# ("procent", "per-1000") counts a part of its denominator, so it can never pass the unit's
# maximum; an average ("gemiddelde") has the maximum its definition names, if any.
INDICATOR_UNITS: Final = ("procent", "per-1000", "gemiddelde")
INDICATOR_MULTIPLIER: Final = {"procent": 100.0, "per-1000": 1000.0, "gemiddelde": 1.0}
INDICATOR_MAXIMUM: Final = {"procent": 100.0, "per-1000": 1000.0}
# Size classes of municipalities (gemeente.yaml), in the order every comparison shows them.
SIZE_CLASSES: Final = ("klein", "middelgroot", "groot")


# Names a municipality's id cannot have: the output folder and the collection server use
# them for the portal's assets, the search index, the API, the admin and the live pages.
RESERVED_SLUGS: Final = frozenset({"api", "assets", "beheer", "live", "search"})


def is_slug(text: str) -> bool:
    """True when `text` is a valid id (SPEC §3)."""
    return len(text) <= SLUG_MAX and SLUG.fullmatch(text) is not None


def min_group_size(configured: int, audience: Audience | str) -> int:
    """The smallest group an audience may see, given the workspace's setting."""
    floor = MIN_GROUP_PUBLIC_FLOOR if audience == "public" else MIN_GROUP_INTERNAL_FLOOR
    return max(configured, floor)


def level_bands() -> list[tuple[float, float, str]]:
    """(from, to, name) of every maturity level, for the method page and the exports."""
    edges = (float(SCALE_MIN), *LEVEL_EDGES, float(SCALE_MAX))
    return [(edges[i], edges[i + 1], name) for i, name in enumerate(LEVEL_NAMES)]


def form_limits() -> dict[str, object]:
    """The limits the online form's script checks, embedded in the page as data."""
    return {
        "slugPattern": SLUG_PATTERN,
        "id": SLUG_MAX,
        "organisation": SHORT_TEXT_MAX,
        "text": TEXT_MAX,
        "fileBytes": FILE_MAX_BYTES,
        "fileText": FILE_MAX_TEXT,
        "scaleMin": SCALE_MIN,
        "scaleMax": SCALE_MAX,
        "tokenPattern": TOKEN_PATTERN,
    }
