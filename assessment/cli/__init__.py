"""The `ketenscan` command line: thin click commands over the library, one module per group."""

from __future__ import annotations

import click

from assessment import __version__
from assessment.cli.authoring import init, new_round_command, schema, template
from assessment.cli.collect import collect, invite
from assessment.cli.indicators import indicators
from assessment.cli.interop import export, import_command
from assessment.cli.report import report
from assessment.cli.score import score
from assessment.cli.validate import validate
from assessment.cli.website import build, serve
from assessment.cli.workshop import workshop


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ketenscan")
@click.option("--debug", is_flag=True, help="Toon bij een onverwachte fout de volledige traceback.")
def main(debug: bool) -> None:
    """Ketenscan: meet, bespreek en verbeter de ketensamenwerking in de jeugdzorg.

    \b
    Voorbeeld:
      ketenscan init mijn-regio
      ketenscan validate mijn-regio
    """


for command in (
    init,
    new_round_command,
    template,
    validate,
    schema,
    score,
    indicators,
    export,
    import_command,
    build,
    serve,
    workshop,
    invite,
    collect,
    report,
):
    main.add_command(command)
