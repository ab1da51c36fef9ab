"""Invitations: a random token bound to a municipality, a round and a respondent.

The token (192 random bits) is shown once, in the CSV for the mail merge, and stored only as
its SHA-256 hash: a copy of the database cannot send answers. The link carries it in the
URL fragment (`.../vragenlijst.html#t=...`), which a browser never sends to a server, so it
reaches no access log and no Referer header. An invitation ends when it is revoked (a new
one may be issued for the same respondent) or when its round closes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import segno

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.instrument import Questionnaire
from assessment.limits import (
    FILE_MAX_BYTES,
    FILE_MAX_TEXT,
    SHORT_TEXT_MAX,
    SLUG_MAX,
    TOKEN_BYTES,
    is_slug,
)
from assessment.messages import suggest
from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR
from assessment.server import store
from assessment.yamlio import decode_yaml_bytes

CSV_COLUMNS = [
    "municipality",
    "round",
    "respondent",
    "organisation",
    "role",
    "role_label",
    "closes",
    "token",
    "link",
    "qr",
]

ZONE = ZoneInfo("Europe/Amsterdam")


def closing_moment(day: dt.date) -> dt.datetime:
    """When a round whose last day to answer is `day` closes: midnight after it, Dutch time."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), ZONE)


def new_token() -> str:
    """A fresh random token (URL-safe, 32 characters for 192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token. Tokens are random, so a plain hash cannot be reversed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def form_link(site_url: str, municipality: str, token: str) -> str:
    """The invitation link: the municipality's Vragenlijst page with the token after '#'."""
    return f"{site_url.rstrip('/')}/{municipality}/vragenlijst.html#t={token}"


def slugify(text: str) -> str:
    """An id made from a name, as the online form makes one (`slugify` in vragenlijst.js)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not 0x300 <= ord(c) <= 0x36F).lower()
    out: list[str] = []
    for char in plain:
        if "a" <= char <= "z" or "0" <= char <= "9":
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:SLUG_MAX].rstrip("-")


@dataclass(frozen=True)
class Planned:
    """An invitation to make: for whom, and which row of a CSV asked for it."""

    respondent: str
    organisation: str | None
    role: str
    line: int = 0


@dataclass(frozen=True)
class Issued:
    """A new invitation with its token: the only moment the token exists in full."""

    municipality: str
    round: str
    respondent: str
    organisation: str | None
    role: str
    token: str
    link: str


def plan_for_roles(roles: list[str]) -> list[Planned]:
    """One invitation per role; the respondent id is the role id."""
    return [Planned(role, None, role) for role in roles]


def read_organisations(path: Path, questionnaire: Questionnaire) -> list[Planned]:
    """The rows `organisation,role[,respondent]` of a CSV (comma, semicolon or tab)."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ProblemsError(
            [file_problem(shown, "file.unreadable", f"bestand kan niet worden gelezen: {error}")]
        ) from None
    if len(data) > FILE_MAX_BYTES:
        raise ProblemsError(
            [file_problem(shown, "file.too-large", f"het bestand is groter dan {FILE_MAX_TEXT}")]
        )
    text = decode_yaml_bytes(data, shown)  # UTF-8 only, a BOM allowed, line ends made LF
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ProblemsError([file_problem(shown, "file.empty", "het bestand is leeg")])
    header = [name.strip().lower() for name in rows[0]]
    if "organisation" not in header or "role" not in header:
        raise ProblemsError(
            [
                file_problem(
                    shown,
                    "invite.csv-columns",
                    "de eerste regel moet de kolomnamen 'organisation' en 'role' bevatten "
                    f"(gevonden: {', '.join(header) or 'niets'}); 'respondent' mag erbij",
                )
            ]
        )
    columns = ("organisation", "role", "respondent")
    where: dict[str, int] = {name: header.index(name) for name in columns if name in header}
    problems: list[Problem] = []
    planned: list[Planned] = []
    taken: dict[str, int] = {}
    names: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue

        def value(name: str, row: list[str] = row) -> str:
            index = where.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        def problem(name: str, code: str, message: str, line: int = number) -> None:
            problems.append(Problem(shown, line, where.get(name, 0) + 1, code, message))

        organisation, role, respondent = value("organisation"), value("role"), value("respondent")
        if not organisation:
            problem("organisation", "field.empty", "de naam van de organisatie ontbreekt")
        elif len(organisation) > SHORT_TEXT_MAX:
            problem(
                "organisation",
                "field.too-long",
                f"de naam is te lang: hooguit {SHORT_TEXT_MAX} tekens",
            )
        if role not in questionnaire.roles:
            problem(
                "role",
                "invite.unknown-role",
                f"onbekende rol '{role}'.{suggest(role, questionnaire.roles)} "
                f"Kies uit: {', '.join(questionnaire.roles)}",
            )
        if respondent and not is_slug(respondent):
            problem(
                "respondent",
                "field.invalid-id",
                f"'{respondent}' is geen geldige id; gebruik alleen kleine letters, cijfers en "
                "streepjes",
            )
        name_key = " ".join(organisation.casefold().split())
        if organisation and name_key in names:
            problem(
                "organisation",
                "invite.duplicate-respondent",
                f"'{organisation}' staat ook op regel {names[name_key]}; elke organisatie krijgt "
                "één uitnodiging",
            )
            continue
        names[name_key] = number
        if respondent:
            if respondent in taken:
                problem(
                    "respondent",
                    "invite.duplicate-respondent",
                    f"de id '{respondent}' staat ook op regel {taken[respondent]}",
                )
                continue
        else:
            base = slugify(organisation) or role or "partner"
            respondent, suffix = base, 2
            while respondent in taken:
                tail = f"-{suffix}"
                respondent = base[: SLUG_MAX - len(tail)].rstrip("-") + tail
                suffix += 1
        taken[respondent] = number
        planned.append(Planned(respondent, organisation or None, role, number))
    if problems:
        raise ProblemsError(problems)
    return planned


def issue_invitations(
    conn: sqlite3.Connection,
    workspace: Path,
    municipality: str,
    round_slug: str,
    planned: list[Planned],
    site_url: str,
    *,
    closes_at: dt.datetime | None = None,
) -> tuple[list[Issued], list[Problem]]:
    """Create the planned invitations in one transaction; warnings for those skipped.

    A respondent with an open invitation is skipped (`reissue_invitations` makes a new link).
    """
    issued: list[Issued] = []
    warnings: list[Problem] = []
    answers = workspace / MUNICIPALITIES_DIR / municipality / round_slug / ANSWERS_DIR
    with store.transaction(conn):
        store.ensure_round(conn, municipality, round_slug, closes_at)
        for plan in planned:
            if store.open_invitation(conn, municipality, round_slug, plan.respondent):
                warnings.append(
                    file_problem(
                        f"{municipality}/{round_slug}/{plan.respondent}",
                        "invite.already-invited",
                        "heeft al een uitnodiging en is overgeslagen; maak een nieuwe link "
                        f"met --reissue {plan.respondent}",
                        "warning",
                    )
                )
                continue
            if (answers / f"{plan.respondent}.yaml").exists():
                warnings.append(
                    file_problem(
                        display_path(answers / f"{plan.respondent}.yaml"),
                        "invite.file-exists",
                        "er staat al een antwoordbestand voor deze partner; een inzending via de "
                        "uitnodiging vervangt het",
                        "warning",
                    )
                )
            issued.append(
                _issue(conn, municipality, round_slug, plan.respondent, plan.organisation,
                       plan.role, site_url)
            )  # fmt: skip
    return issued, warnings


def _issue(
    conn: sqlite3.Connection,
    municipality: str,
    round_slug: str,
    respondent: str,
    organisation: str | None,
    role: str,
    site_url: str,
) -> Issued:
    token = new_token()
    store.insert_invitation(
        conn, hash_token(token), municipality, round_slug, respondent, organisation, role
    )
    link = form_link(site_url, municipality, token)
    return Issued(municipality, round_slug, respondent, organisation, role, token, link)


def reissue_invitations(
    conn: sqlite3.Connection,
    municipality: str,
    round_slug: str,
    respondents: list[str],
    site_url: str,
) -> tuple[list[Issued], list[Problem]]:
    """A new link for each respondent: the old token stops working, its answers stay."""
    issued: list[Issued] = []
    problems: list[Problem] = []
    with store.transaction(conn):
        every = store.round_invitations(conn, municipality, round_slug)
        for respondent in respondents:
            own = [i for i in every if i.respondent == respondent]
            if not own:
                problems.append(_unknown(municipality, round_slug, respondent, every))
                continue
            last = own[-1]
            if last.revoked_at is None:
                store.revoke_invitation(conn, last.id, "reissued")
            issued.append(
                _issue(conn, municipality, round_slug, respondent, last.organisation, last.role,
                       site_url)
            )  # fmt: skip
    if problems:
        raise ProblemsError(problems)
    return issued, []


def _unknown(
    municipality: str, round_slug: str, respondent: str, every: list[store.Invitation]
) -> Problem:
    known = sorted({i.respondent for i in every})
    return file_problem(
        f"{municipality}/{round_slug}/{respondent}",
        "invite.unknown-respondent",
        f"geen uitnodiging voor '{respondent}' in deze ronde.{suggest(respondent, known)}",
    )


def revoke_invitations(
    conn: sqlite3.Connection, municipality: str, round_slug: str, respondents: list[str]
) -> int:
    """Revoke the open invitations of these respondents; returns how many were open."""
    revoked = 0
    problems: list[Problem] = []
    with store.transaction(conn):
        every = store.round_invitations(conn, municipality, round_slug)
        for respondent in respondents:
            current = store.open_invitation(conn, municipality, round_slug, respondent)
            if current is None:
                if not any(i.respondent == respondent for i in every):
                    problems.append(_unknown(municipality, round_slug, respondent, every))
                continue  # revoked before: nothing to do
            store.revoke_invitation(conn, current.id)
            revoked += 1
        if problems:
            raise ProblemsError(problems)
    return revoked


def qr_svg(link: str, title: str) -> str:
    """An SVG QR code of a link, with a title for screen readers."""
    out = io.BytesIO()
    segno.make(link, error="m").save(
        out, kind="svg", scale=4, border=4, title=title, xmldecl=False, svgns=True
    )
    return out.getvalue().decode("utf-8")


def write_invitations(
    issued: list[Issued],
    path: Path,
    role_labels: dict[str, str],
    closes: dt.date | None = None,
) -> list[Path]:
    """The CSV for the mail merge and an SVG QR code per link in `<name>-qr/` beside it."""
    from assessment.interop.tables import neutralise  # pandas: only when writing the CSV

    def cell(value: str) -> str:
        return str(neutralise(value))

    path.parent.mkdir(parents=True, exist_ok=True)
    qr_dir = path.with_name(f"{path.stem}-qr")
    written = [path]
    if issued:
        qr_dir.mkdir(exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in issued:
        qr = qr_dir / f"{item.municipality}-{item.round}-{item.respondent}.svg"
        name = item.organisation or role_labels.get(item.role, item.role)
        qr.write_text(qr_svg(item.link, f"Uitnodiging voor {name}"), encoding="utf-8")
        written.append(qr)
        writer.writerow(
            [
                item.municipality,
                item.round,
                item.respondent,
                cell(item.organisation or ""),
                item.role,
                cell(role_labels.get(item.role, item.role)),
                closes.isoformat() if closes else "",
                item.token,
                item.link,
                qr.relative_to(path.parent).as_posix(),
            ]
        )
    # With a BOM, Excel reads the names as UTF-8; tokens are only in this file: not for others.
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    path.chmod(0o600)
    return written
