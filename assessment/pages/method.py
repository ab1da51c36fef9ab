"""The method text (Dutch): every formula, with this workspace's thresholds filled in."""

from __future__ import annotations

import jinja2

from assessment.formatting import number
from assessment.instrument import Questionnaire
from assessment.models import Thresholds
from assessment.paths import default_site_dir


def render_method(
    questionnaire: Questionnaire, thresholds: Thresholds, audience: str = "internal"
) -> str:
    """The Methode page as Markdown."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(default_site_dir() / "templates"),
        autoescape=False,  # noqa: S701 - Markdown from our own template and numbers only
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = environment.get_template("methode.md.j2")
    instrument = questionnaire.instrument
    min_group = (
        thresholds.min_group_size if audience == "internal" else max(thresholds.min_group_size, 5)
    )
    return template.render(
        instrument_title=instrument.title,
        instrument_version=instrument.version,
        scale=instrument.scale,
        dont_know_label=instrument.dont_know_label,
        thresholds=thresholds,
        min_group_size=min_group,
        audience=audience,
        number=number,
    )
