"""`ketenscan report`: the printable report of one municipality, a thin layer over
`assessment.report`."""

from __future__ import annotations

from pathlib import Path

import click

from assessment.cli.common import WORKSPACE, handles_problems
from assessment.errors import display_path


@click.command("report")
@click.argument("workspace", type=WORKSPACE)
@click.argument("municipality")
@click.option(
    "--round",
    "round_slug",
    "-r",
    default=None,
    help="Ronde (id); standaard de laatste ronde met antwoorden.",
)
@click.option(
    "--audience",
    type=click.Choice(["public", "internal"]),
    default=None,
    help="public: alleen totalen, geen tekst van partners (voor de gemeenteraad); internal: "
    "met toelichtingen, voor de partners. Standaard de instelling van de werkruimte.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Het PDF-bestand om te schrijven.",
)
@handles_problems
def report(
    workspace: Path, municipality: str, round_slug: str | None, audience: str | None, out: Path
) -> None:
    """Print het rapport van een gemeente als PDF (voor de gemeenteraad).

    Voorblad, inhoudsopgave, samenvatting in gewone taal, de radars, elke succesfactor op
    een eigen pagina, wat werkt, de keten, prioriteiten, ontwikkeling, aanbevelingen, het
    actieplan en de samen vastgestelde niveaus (na een workshop) en de methode als bijlage.
    Een toegankelijke PDF op A4, leesbaar in zwart-wit, gedrukt met Chromium.

    \b
    Voorbeeld:
      ketenscan report mijn-regio voorbeeldstad --audience public --out rapport.pdf
    """
    from assessment.limits import is_slug
    from assessment.report import write_report

    bad = [(n, v) for n, v in (("gemeente", municipality), ("ronde", round_slug)) if v]
    bad = [(n, v) for n, v in bad if not is_slug(v)]
    if bad:
        raise click.UsageError(
            "; ".join(
                f"{name} '{value}' is geen geldige id (kleine letters, cijfers, streepjes)"
                for name, value in bad
            )
        )
    result = write_report(workspace, municipality, out, round_slug, audience)
    version = "openbare" if result.audience == "public" else "interne"
    click.echo(
        f"Rapport ({version} versie, ronde {result.round}) geschreven naar "
        f"{display_path(result.path)} ({result.pages} pagina's)."
    )
