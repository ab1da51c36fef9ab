"""Markdown pages of one municipality's site, from the Jinja templates in `site/templates/`.

Every text that came from an answer file passes through `user_text`, which turns each
character that HTML, Markdown or a template engine could act on into a numeric entity.
"""

from __future__ import annotations

import html
import math
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import markupsafe
import pandas as pd

from assessment import charts
from assessment.form import render_form
from assessment.formatting import number, percentage
from assessment.method import render_method
from assessment.models import Municipality, Settings
from assessment.scoring import LEVEL_EDGES
from assessment.workspace import Questionnaire, default_site_dir

# Characters with a meaning in HTML, Markdown (inline or block) or Jinja/MkDocs syntax.
_SPECIAL = re.compile(r"[&<>\"'`*_\[\]()#|!{}~\\=+\-:.$%^@]")
# Bidi controls and other invisible format characters: shown as their code point so that
# they can neither reorder the page nor hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def user_text(value: object) -> markupsafe.Markup:
    """Text from an answer file, safe in Markdown, raw HTML blocks and table cells."""
    text = "" if value is None else str(value)
    text = _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    text = _BLANK_LINES.sub("\n", text)
    # Every special character is an entity by now, so the text is safe as markup.
    return markupsafe.Markup(text.replace("\n", "<br>"))  # noqa: S704


def attr(value: object) -> str:
    """A value for an HTML attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def num(value: Any, digits: int = 1) -> str:
    """Template filter: number with a decimal comma, '–' when missing."""
    if value is None or value is pd.NA:
        return "–"
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return "–"
    return number(None if math.isnan(as_float) else as_float, digits)


@dataclass(frozen=True)
class Page:
    """One Markdown file of the site and its place in the navigation.

    Charts are not in `content` but in `charts`: (marker, SVG) pairs whose marker stands
    where the SVG belongs. MkDocs then never parses the large SVGs (its Markdown and its
    search index would only spend time on them); `insert_charts` puts them into the built
    HTML. `inline` is the page as one Markdown text, charts included.
    """

    path: str
    title: str
    content: str
    section: str | None = None
    charts: tuple[tuple[str, str], ...] = ()

    @property
    def inline(self) -> str:
        """The Markdown with every chart in its place."""
        content = self.content
        for marker, svg in self.charts:
            content = content.replace(marker, svg, 1)
        return content

    @property
    def html_path(self) -> str:
        """Where MkDocs writes this page (`use_directory_urls: false`)."""
        return self.path.removesuffix(".md") + ".html"


# A chart in a rendered page. Answer-file text cannot produce it: it is entity-escaped.
_CHART_SVG = re.compile(r'(?<=<div class="ks-figure__chart">)<svg\b.*?</svg>(?=</div>)', re.S)


def lift_charts(content: str, prefix: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace every chart SVG by a unique marker; returns the text and (marker, SVG)."""
    lifted: list[tuple[str, str]] = []

    def marker(match: re.Match[str]) -> str:
        token = f"<!--ks-chart:{prefix}:{len(lifted)}-->"
        lifted.append((token, match.group(0)))
        return token

    return _CHART_SVG.sub(marker, content), tuple(lifted)


@dataclass
class SiteData:
    """Everything one municipality's site shows: picklable for a worker process."""

    slug: str
    info: Municipality
    settings: Settings
    audience: str
    questionnaire: Questionnaire
    rounds: list[str]
    factor_scores: pd.DataFrame
    statement_scores: pd.DataFrame
    overall: pd.DataFrame
    role_scores: pd.DataFrame
    coverage: pd.DataFrame
    coverage_roles: pd.DataFrame
    missing_partners: pd.DataFrame
    participation: pd.DataFrame
    recommendations: pd.DataFrame
    respondents: pd.DataFrame  # round, respondent, role, organisation (internal only)
    comments: pd.DataFrame  # round, respondent, role, question, text (internal only)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def latest(self) -> str | None:
        """The newest round with answers."""
        rounds = self.overall["round"].tolist()
        return max(rounds) if rounds else None

    @property
    def previous(self) -> str | None:
        """The round before the newest one with answers."""
        latest = self.latest
        earlier = [r for r in self.overall["round"].tolist() if latest and r < latest]
        return max(earlier) if earlier else None


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(default_site_dir() / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["ut"] = user_text
    environment.filters["num"] = num
    environment.filters["pct"] = lambda v: percentage(None if v is None else float(v))
    environment.filters["attr"] = attr
    return environment


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {str(key): value for key, value in row.items()} for row in frame.to_dict("records")
    ]
    for row in records:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return records


def _one_round(frame: pd.DataFrame, round_slug: str | None) -> pd.DataFrame:
    if round_slug is None or frame.empty:
        return frame.iloc[0:0]
    return frame[frame["round"] == round_slug]


def render_pages(data: SiteData) -> list[Page]:
    """Every Markdown page of one municipality's site."""
    q = data.questionnaire
    instrument = q.instrument
    env = _environment()
    latest, previous = data.latest, data.previous
    public = data.audience == "public"
    min_group = max(data.settings.thresholds.min_group_size, 5 if public else 3)
    sections = {s.id: s for s in instrument.sections}
    success, conditions = instrument.sections[0], instrument.sections[-1]
    factors_now = _one_round(data.factor_scores, latest).set_index("factor")
    factors_before = _one_round(data.factor_scores, previous).set_index("factor")
    overall_now = _records(_one_round(data.overall, latest))
    recs = _records(_one_round(data.recommendations, latest))
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
    success_rows = _records(scored[scored["section"] == success.id]) if latest else []
    ranked = sorted(
        (row for row in success_rows if row["mean"] is not None), key=lambda r: -r["mean"]
    )
    participation = _records(_one_round(data.participation, latest))
    missing = _records(_one_round(data.missing_partners, latest))
    coverage_now = _records(_one_round(data.coverage, latest))
    comments_now = _one_round(data.comments, latest)
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
        organisations=_records(_one_round(data.respondents, latest)) if not public else [],
        goes_well=_records(comments_now[comments_now["question"] == "goes_well"]),
        change_first=_records(comments_now[comments_now["question"] == "change_first"]),
    )
    statement_scores = _one_round(data.statement_scores, latest)
    role_now = _one_round(data.role_scores, latest)
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
    condition_rows = _records(scored[scored["section"] == conditions.id]) if latest else []
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
        else _records(
            comments_now[comments_now["question"].isin([f.id for f in conditions.factors])]
        ),
        recommendations=[r for r in recs if r["factor"] in {f.id for f in conditions.factors}],
    )
    providers = {
        (str(r["role"]), str(r["level"])): int(r["providers"])
        for r in _records(_one_round(data.coverage_roles, latest))
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
        organisations=_records(_one_round(data.respondents, latest)) if not public else [],
    )
    titles_frame = pd.DataFrame(
        [(f.id, f.title) for f in instrument.factors()], columns=["factor", "title"]
    )
    figures = []
    for section in instrument.sections:
        points = [
            (r["factor"], r["title"], r["mean"], r["importance"], r["quadrant"] or "")
            for r in _records(scored.merge(titles_frame, on="factor"))
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
        (str(r["factor"]), str(r["round"])): r["mean"] for r in _records(data.factor_scores)
    }
    trend_rows = _records(_one_round(data.factor_scores, latest))
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
        overall_rows=_records(data.overall),
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
        for r in _records(allowed)
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
        for r in _records(stmts)
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
    level_index = None
    if row is not None and row["level"] is not None and not pd.isna(row["mean"]):
        level_index = charts_level_index(float(row["mean"]))
    heat = _heatmap(role_scores, [factor], roles, f"rollen-{factor.id}", min_group)
    return {
        "factor": factor,
        "row": None if row is None else {k: (None if _missing(v) else v) for k, v in row.items()},
        "level_index": level_index,
        "statements": _records(stmts),
        "statement_texts": {s.id: s.text for s in factor.statements},
        "figure": figure,
        "heatmap": heat,
        "comments": [] if public else _records(comments[comments["question"] == factor.id]),
        "recommendations": [r for r in recommendations if r["factor"] == factor.id],
    }


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def charts_level_index(score: float) -> int:
    """0-based maturity level of a score (the bands of scoring.level_name)."""
    return sum(1 for edge in LEVEL_EDGES if round(score, 6) >= edge)
