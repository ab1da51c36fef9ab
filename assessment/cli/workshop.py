"""`ketenscan workshop ...`: the facilitator's commands around the workshop of a round.

One group, so that later commands (a live session: `workshop start`) join the same place;
each command is a thin layer over the library.
"""

from __future__ import annotations

from pathlib import Path

import click

from assessment.cli.common import handles_problems
from assessment.errors import display_path


@click.group()
def workshop() -> None:
    """De workshop: verslagsjabloon en facilitatorpakket.

    \b
    Voorbeeld:
      ketenscan workshop template mijn-regio voorbeeldstad 2025-najaar
      ketenscan workshop pack mijn-regio voorbeeldstad --out pakket.pdf
    """


def _check_ids(**values: str | None) -> None:
    from assessment.limits import is_slug

    bad = [(name, value) for name, value in values.items() if value and not is_slug(value)]
    if bad:
        raise click.UsageError(
            "; ".join(
                f"{name} '{value}' is geen geldige id (kleine letters, cijfers, streepjes)"
                for name, value in bad
            )
        )


@workshop.command("template")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.argument("round_slug", metavar="ROUND")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Schrijf naar dit bestand ('-' = scherm); standaard workshop.yaml in de rondemap.",
)
@handles_problems
def template_command(
    workspace: Path, municipality: str, round_slug: str, output: Path | None
) -> None:
    """Schrijf het workshopverslag (workshop.yaml) om in te vullen.

    Met de id's van alle factoren, de gesprekspunten en de aanbevelingen van de ronde als
    uitleg, en de open acties van de vorige workshop met hun id. Een bestaand verslag wordt
    nooit overschreven.

    \b
    Voorbeeld:
      ketenscan workshop template mijn-regio voorbeeldstad 2025-najaar
    """
    from assessment.workshop_template import (
        refuse_existing,
        workshop_path,
        workshop_template_for,
    )

    _check_ids(gemeente=municipality, ronde=round_slug)
    text = workshop_template_for(workspace, municipality, round_slug)
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
        return
    target = output or workshop_path(workspace, municipality, round_slug)
    refuse_existing(target)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Sjabloon geschreven naar {display_path(target)}.")
    click.echo(f"Vul het in tijdens de workshop en controleer: ketenscan validate {workspace}")


@workshop.command("pack")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("municipality")
@click.option(
    "--round",
    "round_slug",
    "-r",
    default=None,
    help="Ronde (id); standaard de laatste ronde met antwoorden.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Het PDF-bestand om te schrijven.",
)
@handles_problems
def pack_command(workspace: Path, municipality: str, round_slug: str | None, out: Path) -> None:
    """Print het facilitatorpakket als PDF.

    Agenda, één A4-kaart per gesprekspunt, de vellen om per factor samen een niveau vast te
    stellen, een A3-poster van de radar en een leeg actieplan. Gedrukt met Chromium.

    \b
    Voorbeeld:
      ketenscan workshop pack mijn-regio voorbeeldstad --out pakket.pdf
    """
    from assessment.pack import write_pack

    _check_ids(gemeente=municipality, ronde=round_slug)
    report = write_pack(workspace, municipality, round_slug, out)
    click.echo(
        f"Facilitatorpakket geschreven naar {display_path(out)} ({report.pages} pagina's, "
        f"{report.points} gesprekspunten)."
    )
