"""Toegankelijkheid: the accessibility statement."""

from __future__ import annotations

from assessment.pages.context import PageContext


def build_toegankelijkheid(ctx: PageContext) -> None:
    """The accessibility statement page."""
    ctx.page("toegankelijkheid.md", "Toegankelijkheid", "toegankelijkheid.md.j2")
