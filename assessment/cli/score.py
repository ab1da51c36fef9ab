"""`ketenscan score`: the scored tables and the method text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assessment.cli.common import handles_problems, print_problems
from assessment.errors import display_path, summarise


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("scores"),
    show_default=True,
    help="Map voor de tabellen.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["csv", "json", "xlsx"]),
    multiple=True,
    default=["csv"],
    show_default=True,
    help="Formaat; herhaal de optie voor meer formaten.",
)
@handles_problems
def score(workspace: Path, out: Path, formats: tuple[str, ...]) -> None:
    """Bereken alle scores en aanbevelingen en schrijf ze als tabellen.

    Schrijft answers, factor_scores, statement_scores, recommendations, respondents,
    comments, agreed en actions (wat de workshops afspraken), indicators (kengetallen),
    indicator_references en comparison (de vergelijking van gemeenten die meedoen, per
    grootteklasse), plus methode.md met alle formules. Een gemeente met fouten wordt gemeld
    en overgeslagen; de andere worden wel berekend (exit-code 1).

    \b
    Voorbeeld:
      ketenscan score examples --out scores --format csv --format xlsx
    """
    from assessment.analysis import analyse
    from assessment.interop.tables import export_tables, write_tables
    from assessment.pages.method import render_method
    from assessment.workspace import load_workspace

    ws = load_workspace(workspace)
    print_problems(ws.problems)
    analysis = analyse(ws)
    written = write_tables(export_tables(analysis), out, list(formats))
    method = out / "methode.md"
    method.write_text(render_method(ws.questionnaire, ws.settings.thresholds), encoding="utf-8")
    written.append(method)
    click.echo(
        f"{len(written)} bestanden geschreven naar {display_path(out)} "
        f"({len(ws.municipalities)} gemeenten, {len(analysis.recommendations)} aanbevelingen)."
    )
    if ws.errors:
        click.echo(
            summarise(ws.problems)
            + "; deze gemeenten zijn overgeslagen: "
            + ", ".join(sorted(ws.failed)),
            err=True,
        )
        sys.exit(1)
