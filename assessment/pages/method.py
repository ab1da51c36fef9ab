"""The method text (Dutch): every formula, with this workspace's thresholds filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2

from assessment.formatting import number
from assessment.instrument import Questionnaire
from assessment.limits import SCALE_MAX, SCALE_MIN, level_bands, min_group_size
from assessment.models import Thresholds
from assessment.pages.page import Page
from assessment.paths import default_site_dir

if TYPE_CHECKING:
    from assessment.pages.context import PageContext


def render_method(
    questionnaire: Questionnaire,
    thresholds: Thresholds,
    audience: str = "internal",
    medium: str = "site",
) -> str:
    """The Methode page as Markdown (`medium` "report": worded as the report's annex)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(default_site_dir() / "templates"),
        autoescape=False,  # noqa: S701 - Markdown from our own template and numbers only
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = environment.get_template("methode.md.j2")
    instrument = questionnaire.instrument
    return template.render(
        instrument_title=instrument.title,
        instrument_version=instrument.version,
        scale=instrument.scale,
        dont_know_label=instrument.dont_know_label,
        thresholds=thresholds,
        min_group_size=min_group_size(thresholds.min_group_size, audience),
        level_bands=level_bands(),
        scale_min=SCALE_MIN,
        scale_max=SCALE_MAX,
        scale_width=SCALE_MAX - SCALE_MIN,
        audience=audience,
        medium=medium,
        number=number,
    )


def build_methode(ctx: PageContext) -> None:
    """The Methode page: every formula with this workspace's thresholds."""
    text = render_method(ctx.questionnaire, ctx.thresholds, ctx.data.audience)
    ctx.add(Page("methode.md", "Methode", text))
