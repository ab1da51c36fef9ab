"""The portal: every municipality with a link to its site, and the municipalities that opted
in side by side (SPEC §10): a heatmap of factor × municipality (internal audience only) and
per size class the median and middle half of their scores.

A municipality that did not opt in (`benchmark: true`) is listed with a link, never with a
score; the public audience sees only the figures of size classes, never of one
municipality.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from assessment import charts
from assessment.analysis.benchmark import INDEX, PeerGroup, Summary, peer_groups
from assessment.formatting import number
from assessment.instrument import Questionnaire
from assessment.limits import SIZE_CLASSES
from assessment.pages.comparison import SIZE_WORDS
from assessment.pages.page import Page, lift_charts
from assessment.website.mkdocs_site import mkdocs_config, run_mkdocs, write_docs
from assessment.website.postprocess import insert_charts, sanitize_site
from assessment.website.publish import publish

SIZE_TITLES = {"klein": "Kleine gemeenten", "middelgroot": "Middelgrote gemeenten",
               "groot": "Grote gemeenten"}  # fmt: skip


def comparison_figures(
    rows: list[dict[str, Any]], audience: str, min_group: int, questionnaire: Questionnaire
) -> tuple[list[dict[str, Any]], dict[str, PeerGroup]]:
    """Per size class: its heatmap (internal), its spread and what to say about it."""
    summaries = [Summary.from_record(row) for row in rows]
    factors = [(f.id, f.short, f.title) for f in questionnaire.instrument.sections[0].factors]
    groups = {
        size: group.rounded()
        for size, group in peer_groups(summaries, [f for f, _, _ in factors], min_group).items()
    }
    columns = [*factors, (INDEX, "Totaalindex", "Totaalindex")]
    headings = [(key, short) for key, short, _ in columns]
    classes = []
    for size in SIZE_CLASSES:
        group = groups[size]
        members = sorted(
            (s for s in summaries if s.benchmark and s.scored and s.size == size),
            key=lambda s: (s.name.casefold(), s.slug),
        )
        heatmap = None
        if audience != "public" and members:
            scored = [(s.name, {**s.factors, INDEX: s.index}) for s in members]
            best = max(members, key=lambda s: s.index or 0.0)
            worst = min(members, key=lambda s: s.index or 0.0)
            heatmap = charts.benchmark_heatmap_figure(
                f"naast-elkaar-{size}",
                f"{SIZE_TITLES[size]}: score per succesfactor",
                headings,
                scored,
                summary=(
                    f"Hoogste totaalindex: {best.name} ({number(best.index)}); "
                    f"laagste: {worst.name} ({number(worst.index)})."
                    if len(members) > 1
                    else f"Alleen {members[0].name} doet mee in deze grootteklasse."
                ),
            )
        spread = None
        if group.shown:
            spread_rows = [
                charts.SpreadRow(
                    key,
                    title,
                    short,
                    found.n if (found := group.spreads.get(key)) else None,
                    found.median if found else None,
                    found.q1 if found else None,
                    found.q3 if found else None,
                )
                for key, short, title in columns
            ]
            index = group.spreads.get(INDEX)
            spread = charts.spread_figure(
                f"spreiding-{size}",
                f"{SIZE_TITLES[size]}: mediaan en middelste helft",
                spread_rows,
                summary=(
                    f"{group.members} {SIZE_WORDS[size]} gemeenten; mediaan van de totaalindex "
                    f"{number(index.median)}, middelste helft {number(index.q1)} "
                    f"tot {number(index.q3)}."
                    if index
                    else f"{group.members} {SIZE_WORDS[size]} gemeenten."
                ),
            )
        classes.append(
            {
                "size": size,
                "title": SIZE_TITLES[size],
                "words": SIZE_WORDS[size],
                "group": group,
                "heatmap": heatmap,
                "spread": spread,
            }
        )
    return classes, groups


def build_portal(
    out: Path,
    title: str,
    rows: list[dict[str, Any]],
    audience: str = "internal",
    min_group: int = 5,
    questionnaire: Questionnaire | None = None,
) -> None:
    """`out/index.html`: every municipality with a link, and the comparison of those that
    opted in."""
    from assessment.instrument import load_questionnaire
    from assessment.pages.context import environment
    from assessment.pages.markup import user_text

    questionnaire = questionnaire or load_questionnaire()
    classes, _ = comparison_figures(rows, audience, min_group, questionnaire)
    listed = [
        {
            **row,
            "name": user_text(row.get("name", row["slug"])),
            # Scores only of municipalities that opted in, and never on the public portal.
            "shared": bool(row.get("benchmark")) and audience != "public",
        }
        for row in rows
    ]
    # The title comes from ketenscan.yaml: neutral in Markdown (the nav names no site).
    content = (
        environment()
        .get_template("portaal.md.j2")
        .render(
            title=user_text(title),
            rows=listed,
            classes=classes,
            public=audience == "public",
            min_group=min_group,
            any_opted_in=any(row.get("benchmark") for row in rows),
        )
    )
    content, lifted = lift_charts(content, "portaal")
    page = Page("index.md", title, content, None, lifted)
    work = out / f".tmp-portal-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        docs, site = work / "docs", work / "site"
        write_docs([page], docs)
        # The portal links to the sibling sites, which MkDocs cannot see: not strict. Its
        # one nav entry is not named after the site: the nav's heading already is.
        config = mkdocs_config(
            title, docs, site, [{"Overzicht": "index.md"}], search=False, strict=False
        )
        config["validation"] = {"links": {"not_found": "ignore", "unrecognized_links": "ignore"}}
        config["extra"]["portal"] = True  # its 404 page serves the whole output folder
        run_mkdocs(config, work)
        insert_charts(site, [page])
        sanitize_site(site)
        for name in ("index.html", "404.html"):
            if (site / name).exists():
                os.replace(site / name, out / name)
        publish(site / "assets", out / "assets")  # the old assets stay until the new are in
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
    publish(work, out / "assets")
