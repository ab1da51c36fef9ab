"""The portal: one page listing every municipality with its overall index and a link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from assessment.pages.page import Page
from assessment.website.mkdocs_site import mkdocs_config, run_mkdocs, write_docs
from assessment.website.postprocess import sanitize_site

# ---------------------------------------------------------------- portal


def build_portal(out: Path, title: str, rows: list[dict[str, Any]]) -> None:
    """`out/index.html`: every municipality with overall index, level, latest round, link."""
    from assessment.pages.context import environment
    from assessment.pages.markup import user_text

    # The title comes from ketenscan.yaml: neutral in Markdown, escaped as a nav title
    # (Material writes nav titles into the HTML as they are).
    content = environment().get_template("portaal.md.j2").render(title=user_text(title), rows=rows)
    work = out / f".tmp-portal-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        docs, site = work / "docs", work / "site"
        write_docs([Page("index.md", title, content)], docs)
        # The portal links to the sibling sites, which MkDocs cannot see: not strict. Its
        # one nav entry is not named after the site: the nav's heading already is.
        config = mkdocs_config(
            title, docs, site, [{"Overzicht": "index.md"}], search=False, strict=False
        )
        config["validation"] = {"links": {"not_found": "ignore", "unrecognized_links": "ignore"}}
        config["extra"]["portal"] = True  # its 404 page serves the whole output folder
        run_mkdocs(config, work)
        sanitize_site(site)
        for name in ("index.html", "404.html"):
            if (site / name).exists():
                os.replace(site / name, out / name)
        assets = out / "assets"
        if assets.exists():
            shutil.rmtree(assets)
        shutil.move(str(site / "assets"), assets)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def copy_portal(source: Path, out: Path) -> None:
    """The portal of `source` into `out` as well (the same portal, built once)."""
    for name in ("index.html", "404.html"):
        if (source / name).exists():
            temporary = out / f".tmp-{name}-{os.getpid()}"
            shutil.copyfile(source / name, temporary)
            os.replace(temporary, out / name)
    work = out / f".tmp-portal-assets-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source / "assets", work)
    if (out / "assets").exists():
        shutil.rmtree(out / "assets")
    work.rename(out / "assets")
