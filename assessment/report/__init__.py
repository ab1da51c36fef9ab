"""The printable report (`ketenscan report`): what a municipality sends to its council.

One self-contained HTML document made for paper — cover, table of contents, a summary in
plain Dutch, the radar charts, a page per success factor, wat werkt, the chain, priorities,
development, recommendations, the workshop's agreed levels and action plan, key figures and
the method as an annex — printed to a tagged A4 PDF with an outline by Debian's Chromium
(`assessment.printing`). The figures come from the site's own page builders
(`report.content`), so the report and the site never disagree.

Layers: the report imports the library; nothing imports it but the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from assessment.analysis import analyse
from assessment.errors import ProblemsError, display_path, file_problem
from assessment.pages.context import site_data, up_to
from assessment.paths import MUNICIPALITIES_DIR
from assessment.printing import chromium_path, print_pdf
from assessment.report.content import gather
from assessment.report.document import ReportDocument
from assessment.workspace import load_workspace

AUDIENCES = ("public", "internal")


@dataclass(frozen=True)
class ReportResult:
    """What was printed."""

    path: Path
    pages: int
    round: str
    audience: str
    html: str = field(repr=False)  # the document as printed, its page numbers included


def prepare_report(
    workspace: Path,
    municipality: str,
    round_slug: str | None = None,
    audience: str | None = None,
    made: dt.date | None = None,
) -> ReportDocument:
    """The report of one municipality (its latest round, or `round_slug`), ready to print.

    `audience` defaults to the workspace's setting, as for the site.
    """
    loaded = load_workspace(workspace, only=municipality)
    if municipality in loaded.failed:
        raise ProblemsError([p for p in loaded.failed[municipality] if p.severity == "error"])
    audience = audience or loaded.settings.audience
    data = site_data(analyse(loaded), municipality, audience)
    answered = data.overall["round"].tolist()
    folder = display_path(workspace / MUNICIPALITIES_DIR / municipality)
    if round_slug is not None:
        if round_slug not in answered:
            raise ProblemsError(
                [
                    file_problem(
                        folder if round_slug not in data.rounds else f"{folder}/{round_slug}",
                        "report.unknown-round",
                        f"ronde '{round_slug}' heeft geen antwoorden bij {municipality}"
                        + (f"; kies uit {', '.join(answered)}" if answered else ""),
                    )
                ]
            )
        data = up_to(data, round_slug)
    elif not answered:
        raise ProblemsError(
            [
                file_problem(
                    folder,
                    "report.unknown-round",
                    f"{municipality} heeft nog geen ronde met antwoorden; een rapport gaat over "
                    "de uitkomsten van een ronde",
                )
            ]
        )
    return ReportDocument(gather(data), made)


def write_report(
    workspace: Path,
    municipality: str,
    out: Path,
    round_slug: str | None = None,
    audience: str | None = None,
) -> ReportResult:
    """Print the report of one municipality to `out` (replaced only when complete)."""
    chromium_path()  # a missing browser is said before the figures are worked out
    document = prepare_report(workspace, municipality, round_slug, audience)
    printed = print_pdf(document.render(), out, revise=document.revise)
    latest = document.ctx.latest or ""  # never empty: a round without answers is refused
    html = document.render(document.printed_numbers)
    return ReportResult(printed.path, printed.pages, latest, document.ctx.data.audience, html)
