"""The chart engine: altair specs built and compiled to Vega once per process, filled
with each figure's rows and rendered by vl-convert to accessible inline SVG.

Rendering cost is almost all text measurement: vl-convert lays out every text mark to
learn its width, about 0.3 ms plus 0.1 ms per character. Two things keep it down:

- Text placeholders. A kind of chart may name the text fields of its datasets whose
  width cannot change the layout (every text lies inside the chart's fixed frame, and
  the chart has no other text). Vega then draws them empty, which it does without
  measuring, and the lines are put into the drawn elements afterwards; the SVG is the
  same as with the real texts, which `render_svg(..., placeholders=False)` draws for
  comparison.
- A content-addressed SVG cache: the compiled spec and its rows, hashed, name the SVG.
  It lives in memory and, when `use_cache` names a folder, on disk, shared by every
  worker process, by both audiences and by later builds (`serve`, a new round). Files
  are written atomically (a temporary file renamed into place), so concurrent workers
  never leave a torn file; `prune_cache` keeps the folder under a size.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import vl_convert

from assessment.charts.figure import Row, Spec
from assessment.charts.style import FORMAT_LOCALE

# Every kind of chart registers the function that builds its altair chart (see `chart_kind`).
BUILDERS: dict[str, Callable[[], Any]] = {}

# Per kind: dataset name -> the fields holding text that may be drawn as placeholders.
TEXT_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {}

# Bump when the SVG made from the same spec and rows changes (e.g. the placeholders).
ENGINE_VERSION = "2"


def chart_kind(
    name: str, texts: Mapping[str, Sequence[str]] | None = None
) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the builder of a kind of chart under `name`.

    `texts` names, per dataset, the text fields whose width never changes the layout,
    the datasets in the order their text marks are drawn: they are drawn as
    placeholders (see the module docstring). A kind with placeholders has no other text.
    """

    def register(builder: Callable[[], Any]) -> Callable[[], Any]:
        BUILDERS[name] = builder
        TEXT_FIELDS[name] = {dataset: tuple(fields) for dataset, fields in (texts or {}).items()}
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


@functools.cache
def _spec_digest(kind: str) -> str:
    """What the SVG of a kind depends on besides its rows, hashed once per process."""
    digest = hashlib.sha256()
    version = str(getattr(vl_convert, "__version__", ""))
    for part in (ENGINE_VERSION, version, FORMAT_LOCALE, kind):
        digest.update(part.encode() + b"\0")
    digest.update(json.dumps(vega_spec(kind), sort_keys=True).encode())
    digest.update(json.dumps(TEXT_FIELDS.get(kind, {}), sort_keys=True).encode())
    return digest.hexdigest()


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


# ------------------------------------------------------------------- placeholders

# Vega measures no empty line of text (it trims each line first), and draws it all the
# same: `<text .../>`, or one `<tspan .../>` per line. So a placeholder is the text with
# every line emptied, and the real lines go back into the drawn elements, which Vega
# writes in the order of the text marks and, within a mark, of their rows.
_TEXT = re.compile(r"<text\b([^>]*?)(?:/>|>(.*?)</text>)", re.S)
_TSPAN = re.compile(r"<tspan\b([^>]*?)(?:/>|>(.*?)</tspan>)", re.S)


def with_placeholders(
    kind: str, datasets: Mapping[str, list[Row]]
) -> tuple[dict[str, list[Row]], list[list[str]]]:
    """The rows with the kind's placeholder texts emptied (each keeps its lines), and the
    lines of each text in drawing order: datasets as registered, then rows."""
    fields = TEXT_FIELDS.get(kind, {})
    swapped = dict(datasets)
    texts: list[list[str]] = []
    for name, wanted in fields.items():
        new_rows = []
        for row in datasets.get(name, []):
            row = dict(row)
            for field in wanted:
                value = row.get(field)
                if isinstance(value, str):
                    lines = value.split("\n")
                    texts.append(lines)
                    row[field] = "\n" * (len(lines) - 1)
            new_rows.append(row)
        swapped[name] = new_rows
    return swapped, texts


def restore_texts(svg: str, texts: Sequence[Sequence[str]]) -> str:
    """Put the real lines into the drawn text elements, trimmed and escaped as Vega does.

    Every text element of the SVG must be a placeholder, in the order of `texts`.
    """
    if not texts:
        return svg
    remaining = iter(texts)

    def fill(tag: str, attributes: str, line: str) -> str:
        content = html.escape(line.strip(), quote=False)
        return f"<{tag}{attributes}>{content}</{tag}>" if content else f"<{tag}{attributes}/>"

    def text(match: re.Match[str]) -> str:
        lines = next(remaining, None)
        if lines is None:
            raise ValueError("meer teksten getekend dan verwacht")
        attributes, inner = match.group(1), match.group(2) or ""
        if len(lines) == 1 and not inner:
            return fill("text", attributes, lines[0])
        spans = list(_TSPAN.finditer(inner))
        if len(spans) != len(lines) or any(span.group(2) for span in spans):
            raise ValueError("een tekst is anders getekend dan verwacht")
        content = "".join(
            fill("tspan", span.group(1), line) for span, line in zip(spans, lines, strict=True)
        )
        return f"<text{attributes}>{content}</text>"

    restored = _TEXT.sub(text, svg)
    if next(remaining, None) is not None:
        raise ValueError("minder teksten getekend dan verwacht")
    return restored


# -------------------------------------------------------------------------- cache

_MEMORY_ENTRIES = 512
_memory: OrderedDict[str, str] = OrderedDict()
_disk: Path | None = None


def use_cache(folder: Path | None) -> None:
    """Keep rendered SVGs in `folder` (shared by processes and builds); None: memory only."""
    global _disk
    _disk = folder


def clear_memory() -> None:
    """Forget the SVGs kept in memory (the disk cache stays)."""
    _memory.clear()


def cache_key(kind: str, datasets: Mapping[str, list[Row]]) -> str:
    """The name of a figure's SVG: a hash of its compiled spec and its rows."""
    digest = hashlib.sha256(_spec_digest(kind).encode())
    # Rows are made by code, always with their keys in the same order: no need to sort.
    digest.update(json.dumps(datasets, separators=(",", ":"), default=repr).encode())
    return digest.hexdigest()


def _cache_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.svg"


def _is_whole(svg: str) -> bool:
    return svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def cached_svg(key: str) -> str | None:
    """The SVG stored under `key`, from memory or disk, or None."""
    svg = _memory.get(key)
    if svg is not None:
        _memory.move_to_end(key)
        return svg
    if _disk is None:
        return None
    path = _cache_path(_disk, key)
    try:
        svg = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not _is_whole(svg):  # never written by us: ignore it, it will be replaced
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    _remember(key, svg)
    return svg


def store_svg(key: str, svg: str) -> None:
    """Keep an SVG under `key`, on disk atomically: a reader sees all of it or nothing."""
    _remember(key, svg)
    if _disk is None:
        return
    path = _cache_path(_disk, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".svg")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(svg)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return  # a cache that cannot be written is no error: the SVG is still returned


def _remember(key: str, svg: str) -> None:
    _memory[key] = svg
    _memory.move_to_end(key)
    while len(_memory) > _MEMORY_ENTRIES:
        _memory.popitem(last=False)


def prune_cache(folder: Path, max_bytes: int) -> int:
    """Remove the least recently used SVGs until the folder holds at most `max_bytes`.

    Leftover temporary files of a crashed writer go too. Returns the files removed.
    """
    entries: list[tuple[float, int, Path]] = []
    removed = 0
    if not folder.is_dir():
        return 0
    for sub in folder.iterdir():
        if not sub.is_dir():
            continue
        for path in sub.iterdir():
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.name.startswith(".tmp-"):
                # Another process may still be writing it; an hour old, it is a leftover.
                if stat.st_mtime < time.time() - 3600:
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed += 1
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
            total -= size
    return removed


# ------------------------------------------------------------------------- render


def render_svg(
    kind: str, datasets: Mapping[str, list[Row]], title: str, *, placeholders: bool = True
) -> str:
    """Fill a cached spec with rows and render it to accessible inline SVG.

    With `placeholders` (the default) the kind's placeholder texts are measured as short
    tokens; the result is the same SVG, drawn faster. The SVG comes from the cache when
    the same spec and rows were drawn before.
    """
    key = cache_key(kind, datasets)
    svg = cached_svg(key) if placeholders else None
    if svg is None:
        swapped, texts = with_placeholders(kind, datasets) if placeholders else (datasets, [])
        drawn = vl_convert.vega_to_svg(
            with_data(vega_spec(kind), swapped), format_locale=FORMAT_LOCALE
        )
        svg = restore_texts(drawn, texts)
        if placeholders:
            store_svg(key, svg)
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
