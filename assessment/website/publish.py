"""Build one site into a temporary folder and swap it in only when it is complete.

A municipality's sites for several audiences are built one after the other in the same
process, and a later site reuses the earlier one's pages that are the same in both (the
form, the priorities, ...): MkDocs gets a short stand-in for such a page, and the
finished page and its search entries are taken from the earlier site. A stand-in keeps
the page in the navigation, so every other page comes out as it would anyway.

When the two navigations differ (the internal site has a Workshop page the public one
lacks), a whole page cannot be taken over: its menu and its links to the previous and
next page differ. Then the stand-in keeps the page's headings, so that MkDocs writes the
same table of contents, and only the page's article is taken from the earlier site.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from assessment.limits import is_slug
from assessment.pages.page import Page
from assessment.website.mkdocs_site import mkdocs_config, nav_of, run_mkdocs, write_docs
from assessment.website.postprocess import insert_charts, sanitize_site

SEARCH_INDEX = Path("search") / "search_index.json"
NOT_FOUND = "404.html"
# A Markdown heading line (ATX style, the only style the pages write).
_HEADING = re.compile(r"^#{1,6}[ \t].*$", re.MULTILINE)
_ARTICLE_START = '<article class="md-content__inner'
_TOC_START = '<nav class="md-nav md-nav--secondary"'


def publish(built: Path, target: Path) -> None:
    """Swap a complete new site into place; the old one stays until the new one is there."""
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        built.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def safe_target(out: Path, slug: str) -> Path:
    if not is_slug(slug):
        raise ValueError(f"not a slug: {slug!r}")
    target = (out / slug).resolve()
    if not target.is_relative_to(out.resolve()):
        raise ValueError(f"output outside {out}: {slug!r}")
    return target


def publish_pages(
    slug: str,
    name: str,
    pages: list[Page],
    out: Path,
    template_cache: Path | None = None,
    *,
    reuse: tuple[list[Page], Path] | None = None,
) -> float:
    """Build the MkDocs site of rendered pages, clean it and swap it in; returns seconds.

    With `reuse` (the pages of a published site of the same municipality, and that site),
    pages that are the same in both are taken from it instead of being built again.
    """
    started = time.perf_counter()
    target = safe_target(out, slug)
    work = out / f".tmp-{slug}-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    same = _same_pages(pages, reuse[0]) if reuse is not None else set()
    same_nav = reuse is not None and nav_of(pages) == nav_of(reuse[0])
    try:
        docs, site = work / "docs", work / "site"
        # A stand-in for a page the earlier site has as it is: its title, or with another
        # navigation its headings (for the table of contents).
        write_docs(
            [
                dataclasses.replace(page, content=_stand_in(page, same_nav), charts=())
                if page.path in same
                else page
                for page in pages
            ],
            docs,
        )
        config = mkdocs_config(f"Ketenscan {name}", docs, site, nav_of(pages))
        run_mkdocs(config, work, template_cache)
        built = [page for page in pages if page.path not in same]
        insert_charts(site, built)
        if reuse is None:
            sanitize_site(site)
        else:
            # Everything but the pages built here is as in the earlier site, cleaned. The
            # 404 page shows the navigation: it is the earlier one only with the same nav.
            own = {page.html_path for page in built}
            spliced = set() if same_nav else {p.html_path for p in pages if p.path in same}
            if not same_nav:
                own.add(NOT_FOUND)
            _take_files(site, reuse[1], own, own | spliced)
            cleaned = sorted(own | spliced)
            sanitize_site(site, [site / path for path in cleaned] + [site / SEARCH_INDEX])
            if not _splice_articles(site, reuse[1], spliced):
                # A heading MkDocs read differently in the stand-in: build it all instead.
                shutil.rmtree(work, ignore_errors=True)
                return publish_pages(slug, name, pages, out, template_cache)
        publish(site, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return time.perf_counter() - started


def _stand_in(page: Page, same_nav: bool) -> str:
    """The Markdown MkDocs gets for a page whose finished HTML comes from the earlier site."""
    if same_nav:
        return f"# {page.title}\n"
    return "\n\n".join(match.group() for match in _HEADING.finditer(page.content)) + "\n"


def _elements(text: str, start_tag: str) -> list[str]:
    """Every element of the page's HTML that opens with `start_tag` (e.g. '<nav class="x"'),
    up to its own closing tag: elements of the same name inside it are counted."""
    name = start_tag[1:].split()[0]
    tags = re.compile(rf"<{name}[\s>]|</{name}>")
    found: list[str] = []
    start = text.find(start_tag)
    while start >= 0:
        depth = 0
        for tag in tags.finditer(text, start):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                found.append(text[start : tag.end()])
                break
        else:
            return [*found, text[start:]]
        start = text.find(start_tag, start + len(found[-1]))
    return found


def _splice_articles(site: Path, earlier: Path, paths: set[str]) -> bool:
    """Put the earlier site's article into each stand-in page of `paths`.

    False (and nothing trusted) when a stand-in's table of contents is not the earlier
    page's: its headings did not come out the same, so the page must be built in full.
    """
    for relative in sorted(paths):
        path, source = site / relative, earlier / relative
        text, old = path.read_text(encoding="utf-8"), source.read_text(encoding="utf-8")
        article, old_article = _elements(text, _ARTICLE_START), _elements(old, _ARTICLE_START)
        if (
            len(article) != 1
            or len(old_article) != 1
            or _elements(text, _TOC_START) != _elements(old, _TOC_START)
        ):
            return False
        path.write_text(text.replace(article[0], old_article[0], 1), encoding="utf-8")
    return True


def publish_sites(
    slug: str,
    name: str,
    sites: Mapping[str, tuple[list[Page], Path]],
    template_cache: Path | None = None,
) -> dict[str, tuple[float, str]]:
    """Build and publish one municipality's site for each audience (audience -> pages and
    output folder), in order; later sites reuse the first published one's equal pages.

    Returns seconds and an error message (empty when published) per audience: one site
    that fails never stops the next.
    """
    results: dict[str, tuple[float, str]] = {}
    earlier: tuple[list[Page], Path] | None = None
    for audience, (pages, out) in sites.items():
        try:
            seconds = publish_pages(slug, name, pages, out, template_cache, reuse=earlier)
        except Exception as error:  # reported per site, never fatal
            message = str(error).strip() or type(error).__name__
            results[audience] = (0.0, f"{type(error).__name__}: {message}")
            continue
        results[audience] = (seconds, "")
        if earlier is None:
            earlier = (pages, safe_target(out, slug))
    return results


def _same_pages(pages: list[Page], earlier: list[Page]) -> set[str]:
    """Paths of the pages that come out the same as in the earlier site.

    A page's article depends only on its own title, section, text and charts (its menu
    and its links to the pages beside it on the navigation, see `publish_pages`).
    """
    before = {page.path: page for page in earlier}
    return {
        page.path
        for page in pages
        if (old := before.get(page.path)) is not None
        and (old.title, old.section, old.inline) == (page.title, page.section, page.inline)
    }


def _take_files(site: Path, earlier: Path, built: set[str], kept: set[str]) -> None:
    """Put the earlier site's files in place of this site's, except the files `kept` and
    the search index, whose entries of the pages not `built` here come from the earlier
    site.

    The theme's and our own assets, the stand-ins' pages and (with the same navigation) the
    404 page are the same in both sites; the earlier ones are finished (charts in, cleaned).
    """
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative in kept or relative == SEARCH_INDEX.as_posix():
            continue
        source = earlier / relative
        if source.is_file():
            shutil.copyfile(source, path)
    index, earlier_index = site / SEARCH_INDEX, earlier / SEARCH_INDEX
    if not index.exists() or not earlier_index.exists():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    entries: dict[str, list[object]] = {}
    for entry in json.loads(earlier_index.read_text(encoding="utf-8"))["docs"]:
        entries.setdefault(entry["location"].split("#")[0], []).append(entry)
    docs: list[object] = []
    taken: set[str] = set()
    for entry in data["docs"]:
        location = entry["location"].split("#")[0]
        if location in built or location not in entries:
            docs.append(entry)
        elif location not in taken:
            # Where the stand-in's entries were: all of the earlier page's entries.
            docs += entries[location]
            taken.add(location)
    data["docs"] = docs
    # As Material writes it (compact, one line), so the file is as a full build makes it.
    index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
