"""Markdown pages of one municipality's site, from the Jinja templates in `site/templates/`.

Every text that came from an answer file passes through `user_text`, which turns each
character that HTML, Markdown or a template engine could act on into a numeric entity.
"""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd

from assessment import charts
from assessment.analysis.levels import level_index
from assessment.pages.context import SiteData, environment, is_missing, one_round, records
from assessment.pages.form import render_form
from assessment.pages.markup import user_text
from assessment.pages.method import render_method
from assessment.pages.page import Page, lift_charts


def render_pages(data: SiteData) -> list[Page]:
    """Every Markdown page of one municipality's site."""
    q = data.questionnaire
    instrument = q.instrument
    env = environment()
    latest, previous = data.latest, data.previous
    public = data.audience == "public"
    min_group = max(data.settings.thresholds.min_group_size, 5 if public else 3)
    sections = {s.id: s for s in instrument.sections}
    success, conditions = instrument.sections[0], instrument.sections[-1]
    factors_now = one_round(data.factor_scores, latest).set_index("factor")
    factors_before = one_round(data.factor_scores, previous).set_index("factor")
    overall_now = records(one_round(data.overall, latest))
    recs = records(one_round(data.recommendations, latest))
    roles = q.roles
    levels = [(lvl.id, lvl.title) for lvl in instrument.intervention_levels]

    def values(frame: pd.DataFrame, column: str) -> dict[str, float | None]:
        if frame.empty:
            return {}
        return {str(k): (None if pd.isna(v) else float(v)) for k, v in frame[column].items()}

    def radar(section_id: str, fig_id: str, title: str, noun: str) -> charts.Figure:
        section = sections[section_id]
        axes = [(f.id, f.title) for f in section.factors]
        return charts.radar_figure(
            fig_id,
            title,
            axes,
            values(factors_now, "mean"),
            latest or "",
            values(factors_before, "mean") if previous else None,
            previous,
            values(factors_now, "ambition"),
            noun=noun,
        )

    common: dict[str, Any] = {
        # The name comes from gemeente.yaml: user text, like everything from the workspace.
        "municipality": data.info.model_copy(update={"name": user_text(data.info.name)}),
        "slug": data.slug,
        "latest": latest,
        "previous": previous,
        "public": public,
        "min_group": min_group,
        "thresholds": data.settings.thresholds,
        "instrument": instrument,
        "roles": roles,
        "rounds": data.rounds,
        "answered_rounds": data.overall["round"].tolist(),
        "overall": overall_now[0] if overall_now else None,
        "factor_titles": {f.id: f.title for f in instrument.factors()},
    }
    pages: list[Page] = []
    nonce = secrets.token_hex(8)

    def add(path: str, title: str, template: str, section: str | None = None, **extra: Any) -> None:
        content = env.get_template(template).render(**common, page_title=title, **extra)
        content, lifted = lift_charts(content, f"{nonce}:{len(pages)}")
        pages.append(Page(path, title, content, section, lifted))

    scored = factors_now.reset_index()
    success_rows = records(scored[scored["section"] == success.id]) if latest else []
    ranked = sorted(
        (row for row in success_rows if row["mean"] is not None), key=lambda r: -r["mean"]
    )
    participation = records(one_round(data.participation, latest))
    missing = records(one_round(data.missing_partners, latest))
    coverage_now = records(one_round(data.coverage, latest))
    comments_now = one_round(data.comments, latest)
    add(
        "index.md",
        "Overzicht",
        "overzicht.md.j2",
        radar=radar(
            success.id, "radar-succesfactoren", f"{success.title}: score per factor", "factor"
        )
        if latest
        else None,
        strengths=ranked[:3],
        weaknesses=list(reversed(ranked[-3:])) if ranked else [],
        participation=participation,
        missing=missing,
        recommendations=recs[:5],
        organisations=records(one_round(data.respondents, latest)) if not public else [],
        goes_well=records(comments_now[comments_now["question"] == "goes_well"]),
        change_first=records(comments_now[comments_now["question"] == "change_first"]),
    )
    statement_scores = one_round(data.statement_scores, latest)
    role_now = one_round(data.role_scores, latest)
    for factor in success.factors:
        row = factors_now.loc[factor.id] if factor.id in factors_now.index else None
        assert row is None or isinstance(row, pd.Series)
        add(
            f"factoren/{factor.id}.md",
            factor.title,
            "factor.md.j2",
            section=success.title,
            **_factor_context(
                factor,
                row,
                statement_scores,
                role_now,
                comments_now,
                recs,
                roles,
                min_group,
                public,
            ),
        )
    condition_rows = records(scored[scored["section"] == conditions.id]) if latest else []
    add(
        "wat-werkt.md",
        "Wat werkt",
        "wat-werkt.md.j2",
        radar=radar(
            conditions.id,
            "radar-wat-werkt",
            f"{conditions.title}: score per voorwaarde",
            "voorwaarde",
        )
        if latest
        else None,
        section_info=conditions,
        rows=condition_rows,
        comments=[]
        if public
        else records(
            comments_now[comments_now["question"].isin([f.id for f in conditions.factors])]
        ),
        recommendations=[r for r in recs if r["factor"] in {f.id for f in conditions.factors}],
    )
    providers = {
        (str(r["role"]), str(r["level"])): int(r["providers"])
        for r in records(one_round(data.coverage_roles, latest))
    }
    present_roles = [rid for rid in roles if any(key[0] == rid for key in providers)]
    add(
        "de-keten.md",
        "De keten",
        "keten.md.j2",
        participation=participation,
        missing=missing,
        coverage=coverage_now,
        level_titles=dict(levels),
        coverage_figure=charts.coverage_figure(
            "dekking",
            "Welke partners bieden welk interventieniveau?",
            levels,
            [(rid, roles[rid].label) for rid in present_roles],
            providers,
        )
        if latest
        else None,
        heatmap=_heatmap(role_now, instrument.factors(), roles, "rollen", min_group),
        organisations=records(one_round(data.respondents, latest)) if not public else [],
    )
    titles_frame = pd.DataFrame(
        [(f.id, f.title) for f in instrument.factors()], columns=["factor", "title"]
    )
    figures = []
    for section in instrument.sections:
        points = [
            (r["factor"], r["title"], r["mean"], r["importance"], r["quadrant"] or "")
            for r in records(scored.merge(titles_frame, on="factor"))
            if r["section"] == section.id and r["mean"] is not None and r["importance"] is not None
        ]
        if points:
            figures.append(
                charts.importance_figure(
                    f"belang-prestatie-{section.id}",
                    f"{section.title}: belang en score",
                    points,
                    data.settings.thresholds.score_split,
                    data.settings.thresholds.importance_split,
                )
            )
    gaps = sorted(
        (r for r in success_rows + condition_rows if r["ambition_gap"] is not None),
        key=lambda r: -r["ambition_gap"],
    )
    add(
        "prioriteiten.md",
        "Prioriteiten",
        "prioriteiten.md.j2",
        figures=figures,
        gaps=gaps,
    )
    answered = data.overall["round"].tolist()
    trend_scores = {
        (str(r["factor"]), str(r["round"])): r["mean"] for r in records(data.factor_scores)
    }
    trend_rows = records(one_round(data.factor_scores, latest))
    add(
        "ontwikkeling.md",
        "Ontwikkeling",
        "ontwikkeling.md.j2",
        figures=[
            charts.trend_figure(
                f"trend-{section.id}",
                f"{section.title} per ronde",
                [(f.id, f.title) for f in section.factors],
                answered,
                trend_scores,
            )
            for section in instrument.sections
        ]
        if len(answered) > 1
        else [],
        trend_rows=trend_rows,
        overall_rows=records(data.overall),
    )
    add(
        "aanbevelingen.md",
        "Aanbevelingen",
        "aanbevelingen.md.j2",
        quick=[r for r in recs if r["horizon"] == "snel"],
        structural=[r for r in recs if r["horizon"] == "structureel"],
    )
    form_round = data.rounds[-1] if data.rounds else None
    collection_url = data.settings.collection_url
    add(
        "vragenlijst.md",
        "Vragenlijst",
        "vragenlijst.md.j2",
        form_round=form_round,
        collection=collection_url is not None,
        form=render_form(q, data.slug, form_round, collection_url) if form_round else "",
    )
    pages.append(
        Page(
            "methode.md",
            "Methode",
            render_method(q, data.settings.thresholds, data.audience),
        )
    )
    add("toegankelijkheid.md", "Toegankelijkheid", "toegankelijkheid.md.j2")
    return pages


def _heatmap(
    role_scores: pd.DataFrame,
    factor_list: list[Any],
    roles: dict[str, Any],
    fig_id: str,
    min_group: int,
) -> charts.Figure | None:
    """Role comparison of the given factors, only for groups the audience may see."""
    if role_scores.empty:
        return None
    wanted = {f.id for f in factor_list}
    allowed = role_scores[
        role_scores["shown"] & (role_scores["n"] >= min_group) & role_scores["factor"].isin(wanted)
    ]
    if allowed.empty:
        return None
    factors = [(f.id, f.title) for f in factor_list if f.id in set(allowed["factor"])]
    role_ids = [rid for rid in roles if rid in set(allowed["role"])]
    values = {
        (str(r["factor"]), str(r["role"])): (int(r["n"]), float(r["mean"]))
        for r in records(allowed)
    }
    return charts.role_heatmap_figure(
        fig_id,
        "Score per soort partner",
        factors,
        [(rid, roles[rid].label) for rid in role_ids],
        values,
    )


def _factor_context(
    factor: Any,
    row: pd.Series | None,
    statement_scores: pd.DataFrame,
    role_scores: pd.DataFrame,
    comments: pd.DataFrame,
    recommendations: list[dict[str, Any]],
    roles: dict[str, Any],
    min_group: int,
    public: bool,
) -> dict[str, Any]:
    stmts = statement_scores[statement_scores["factor"] == factor.id]
    counts = {
        str(r["statement"]): (
            int(r["count_1"]), int(r["count_2"]), int(r["count_3"]), int(r["count_4"]),
            int(r["count_5"]), int(r["dont_know"]),
        )
        for r in records(stmts)
    }  # fmt: skip
    figure = (
        charts.distribution_figure(
            f"verdeling-{factor.id}",
            "Antwoorden per stelling",
            [(s.id, s.text) for s in factor.statements],
            counts,
        )
        if counts
        else None
    )
    level = None
    if row is not None and row["level"] is not None and not pd.isna(row["mean"]):
        level = level_index(float(row["mean"]))
    heat = _heatmap(role_scores, [factor], roles, f"rollen-{factor.id}", min_group)
    return {
        "factor": factor,
        "row": None if row is None else {k: (None if is_missing(v) else v) for k, v in row.items()},
        "level_index": level,
        "statements": records(stmts),
        "statement_texts": {s.id: s.text for s in factor.statements},
        "figure": figure,
        "heatmap": heat,
        "comments": [] if public else records(comments[comments["question"] == factor.id]),
        "recommendations": [r for r in recommendations if r["factor"] == factor.id],
    }
