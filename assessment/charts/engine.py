"""The chart engine: altair specs built and compiled to Vega once per process, filled
with each figure's rows and rendered by vl-convert to accessible inline SVG.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

import vl_convert

from assessment.charts.figure import Row, Spec
from assessment.charts.style import FORMAT_LOCALE

# Every kind of chart registers the function that builds its altair chart (see `chart_kind`).
BUILDERS: dict[str, Callable[[], Any]] = {}


def chart_kind(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the builder of a kind of chart under `name`."""

    def register(builder: Callable[[], Any]) -> Callable[[], Any]:
        BUILDERS[name] = builder
        return builder

    return register


@functools.cache
def vega_lite_spec(kind: str) -> Spec:
    """The Vega-Lite dict of a kind of chart, without data; built once per process.

    The dict is shared by every caller: copy it before changing anything.
    """
    spec: Spec = BUILDERS[kind]().to_dict()
    return spec


@functools.cache
def vega_spec(kind: str) -> Spec:
    """The same chart compiled to Vega once, so that a figure skips the compile step."""
    spec: Spec = vl_convert.vegalite_to_vega(vega_lite_spec(kind))
    return spec


def with_data(spec: Spec, datasets: Mapping[str, list[Row]]) -> Spec:
    """A compiled Vega spec with `values` filled into its named data sources.

    Only the top level and the `data` list are copied; the cached spec is not touched.
    """
    names = {entry["name"] for entry in spec["data"]}
    unknown = set(datasets) - names
    if unknown:
        raise KeyError(f"unknown datasets {sorted(unknown)}")
    data = [
        {**entry, "values": datasets[entry["name"]]} if entry["name"] in datasets else entry
        for entry in spec["data"]
    ]
    return {**spec, "data": data}


def render_svg(kind: str, datasets: Mapping[str, list[Row]], title: str) -> str:
    """Fill a cached spec with rows and render it to accessible inline SVG."""
    svg: str = vl_convert.vega_to_svg(
        with_data(vega_spec(kind), datasets), format_locale=FORMAT_LOCALE
    )
    return accessible_svg(svg, title)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_TAG = re.compile(r"<[^>]*>")  # text content has its '>' escaped by Vega
_INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_SIZE = re.compile(r'\s(width|height)="([0-9.]+)"')


def accessible_svg(svg: str, title: str) -> str:
    """An SVG as one image with a name: role="img", aria-label, <title>; scales down.

    Newlines become spaces (the same to SVG): a blank line would end the raw HTML block
    of the Markdown page the figure is written into.
    """
    svg = _XML_DECLARATION.sub("", svg).replace("\r", " ").replace("\n", " ")
    # role="img" makes the children presentational; Vega's own roles and English
    # descriptions would only be noise (and are off through `aria: false` anyway).
    svg = _TAG.sub(lambda tag: _INNER_ARIA.sub("", tag.group(0)), svg)
    match = re.match(r"<svg\b([^>]*)>", svg)
    if match is None:
        raise ValueError("vl-convert gaf geen SVG terug")
    attributes = match.group(1)
    sizes = dict(_SIZE.findall(attributes))
    attributes = _SIZE.sub("", attributes)
    name = html.escape(" ".join(title.split()), quote=True)
    width = sizes.get("width", "")
    # Never below 70% of its size, so that its labels stay legible on a phone: a narrower
    # screen scrolls the chart sideways instead (its numbers are in the table below it).
    style = (
        f"width:100%;height:auto;max-width:{width}px;min-width:{round(float(width) * 0.7)}px"
        if width
        else "width:100%;height:auto"
    )
    root = f'<svg{attributes} role="img" aria-label="{name}" style="{style}"><title>{name}</title>'
    return root + svg[match.end() :]
