"""Build one site into a temporary folder and swap it in only when it is complete."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from assessment.limits import is_slug
from assessment.pages.page import Page
from assessment.website.mkdocs_site import mkdocs_config, nav_of, run_mkdocs, write_docs
from assessment.website.postprocess import insert_charts, sanitize_site


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
    slug: str, name: str, pages: list[Page], out: Path, template_cache: Path | None = None
) -> float:
    """Build the MkDocs site of rendered pages, clean it and swap it in; returns seconds."""
    started = time.perf_counter()
    target = safe_target(out, slug)
    work = out / f".tmp-{slug}-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        docs, site = work / "docs", work / "site"
        write_docs(pages, docs)
        config = mkdocs_config(f"Ketenscan {name}", docs, site, nav_of(pages))
        run_mkdocs(config, work, template_cache)
        insert_charts(site, pages)
        sanitize_site(site)
        publish(site, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return time.perf_counter() - started
