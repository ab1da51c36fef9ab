"""The facilitator pack (`ketenscan workshop pack`): the Workshop page's material as a
document made for paper — an agenda, one A4 card per discussion point, an A4 sheet per
factor to agree on a level, an A3 poster of each radar, the candidate actions and an empty
action plan — printed to a tagged PDF through Chromium (`assessment.printing`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessment.analysis import analyse
from assessment.errors import ProblemsError, display_path, file_problem
from assessment.pages.context import PageContext, environment, site_data, up_to
from assessment.pages.workshop import workshop_material
from assessment.paths import MUNICIPALITIES_DIR
from assessment.printing import print_css, print_pdf
from assessment.workspace import load_workspace

# Blank lines of the action plan to fill in by hand: the sheet (A4 landscape) holds about
# seven rows beside its heading; open actions carried over take their place first.
PLAN_ROWS = 7
MIN_EMPTY_ROWS = 2


@dataclass(frozen=True)
class PackReport:
    """What was printed."""

    path: Path
    pages: int
    points: int


def render_pack(ctx: PageContext) -> tuple[str, int]:
    """The pack as one self-contained HTML document, and its number of discussion points."""
    material = workshop_material(ctx)
    posters = [
        figure
        for figure in (
            ctx.radar(ctx.success, "poster-succesfactoren", f"{ctx.success.title}", "factor"),
            ctx.radar(ctx.conditions, "poster-wat-werkt", f"{ctx.conditions.title}", "voorwaarde"),
        )
        if figure is not None
    ]
    context: dict[str, Any] = {
        **ctx.common,
        **material,
        "css": print_css(),
        "posters": posters,
        "empty_rows": max(MIN_EMPTY_ROWS, PLAN_ROWS - len(material["open_actions"])),
    }
    html = environment().get_template("print/pakket.html.j2").render(**context)
    return html, len(material["cards"])


def write_pack(workspace: Path, municipality: str, round_slug: str | None, out: Path) -> PackReport:
    """Print the facilitator pack of one municipality (its latest round, or `round_slug`)."""
    loaded = load_workspace(workspace, only=municipality)
    if municipality in loaded.failed:
        raise ProblemsError([p for p in loaded.failed[municipality] if p.severity == "error"])
    data = site_data(analyse(loaded), municipality, "internal")
    answered = data.overall["round"].tolist()
    if round_slug is not None:
        if round_slug not in answered:
            raise ProblemsError(
                [
                    file_problem(
                        display_path(workspace / MUNICIPALITIES_DIR / municipality / round_slug),
                        "workshop.unknown-round",
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
                    display_path(workspace / MUNICIPALITIES_DIR / municipality),
                    "workshop.unknown-round",
                    f"{municipality} heeft nog geen ronde met antwoorden; een pakket gaat over "
                    "de uitkomsten van een ronde",
                )
            ]
        )
    html, points = render_pack(PageContext(data))
    printed = print_pdf(html, out)
    return PackReport(printed.path, printed.pages, points)
