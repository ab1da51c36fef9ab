"""What a municipality's pages are made from: the slice of every table its site shows
(`SiteData`, picklable for a worker) and the figures every page builder shares
(`PageContext`, made once per site)."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from assessment import charts
from assessment.analysis.benchmark import Summary
from assessment.analysis.scoring import role_scores
from assessment.formatting import percentage, plain, signed
from assessment.instrument import Questionnaire
from assessment.limits import min_group_size
from assessment.models import Factor, Municipality, Section, Settings
from assessment.pages.comparison import ComparisonInput
from assessment.pages.markup import attr, num, user_text
from assessment.pages.page import Page, lift_charts
from assessment.paths import default_site_dir

if TYPE_CHECKING:
    from assessment.analysis import Analysis

Record = dict[str, Any]


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
    # The workshop (SPEC §9): agreed levels (rationale internal only), notes (internal
    # only), actions over the rounds, discussion points and partners per level.
    agreed: pd.DataFrame
    notes: pd.DataFrame
    actions: pd.DataFrame
    sessions: pd.DataFrame
    carried: pd.DataFrame
    review: pd.DataFrame
    points: pd.DataFrame
    bands: pd.DataFrame
    indicators: pd.DataFrame  # key figures of every round, with their change
    own: Summary  # the latest scores, as the comparison with other municipalities uses them
    comparison: ComparisonInput  # its size class (or None until the build knows it)
    # Period, source and notes of each round's key figures: (period, source) by round.
    indicator_meta: dict[str, tuple[str | None, str | None]] = dataclasses.field(
        default_factory=dict
    )

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

    @property
    def min_group(self) -> int:
        """The smallest group of partners this audience may see apart."""
        return min_group_size(self.settings.thresholds.min_group_size, self.audience)


def site_data(
    analysis: Analysis, slug: str, audience: str, comparison: ComparisonInput | None = None
) -> SiteData:
    """The slice of every table that one municipality's site shows.

    The comparison with other municipalities comes from the analysis when it holds the
    whole workspace; a site build passes it (or its absence while it is unknown) instead.
    """
    workspace = analysis.workspace
    scores = analysis.scores
    municipality = workspace.municipalities[slug]
    min_group = min_group_size(workspace.settings.thresholds.min_group_size, audience)

    def only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["municipality"] == slug].reset_index(drop=True)

    respondents, comments = only(analysis.respondents), only(analysis.comments)
    indicators = only(analysis.indicators)
    workshop = analysis.workshop
    agreed, notes = only(workshop.agreed), only(workshop.notes)
    if audience == "public":  # no organisation names, no free text
        respondents = respondents.iloc[0:0]
        comments = comments.iloc[0:0]
        indicators = indicators.assign(note=None)
        # The agreed levels and the actions are the group's decisions and public; the
        # reasoning behind them and the notes of the discussion stay with the partners.
        agreed = agreed.assign(rationale=None)
        notes = notes.iloc[0:0]
    own = next(s for s in analysis.summaries if s.slug == slug)
    if comparison is None:
        group = analysis.peer_groups(audience)[own.size]
        comparison = ComparisonInput(own.benchmark, group.rounded() if own.benchmark else None)
    meta = {
        r.slug: (r.indicators.period, r.indicators.source)
        for r in municipality.rounds
        if r.indicators is not None
    }
    return SiteData(
        slug=slug,
        info=municipality.info,
        settings=workspace.settings,
        audience=audience,
        questionnaire=workspace.questionnaire,
        rounds=[r.slug for r in municipality.rounds],
        factor_scores=only(scores.factor_scores),
        statement_scores=only(scores.statement_scores),
        overall=only(scores.overall),
        role_scores=role_scores(only(scores.respondent_factors), min_group),
        coverage=only(scores.coverage),
        coverage_roles=only(scores.coverage_roles),
        missing_partners=only(scores.missing_partners),
        participation=only(scores.participation),
        recommendations=only(analysis.recommendations),
        respondents=respondents,
        comments=comments,
        agreed=agreed,
        notes=notes,
        actions=only(workshop.actions),
        sessions=only(workshop.sessions),
        carried=only(workshop.carried),
        review=only(workshop.review),
        points=only(workshop.points),
        bands=only(workshop.bands),
        indicators=indicators,
        own=own,
        comparison=comparison,
        indicator_meta=meta,
    )


def up_to(data: SiteData, round_slug: str) -> SiteData:
    """The same site data as if `round_slug` were the latest round (later rounds left out)."""
    changes: dict[str, Any] = {
        name: frame[frame["round"] <= round_slug].reset_index(drop=True)
        for name, frame in vars(data).items()
        if isinstance(frame, pd.DataFrame) and "round" in frame.columns
    }
    changes["rounds"] = [r for r in data.rounds if r <= round_slug]
    return dataclasses.replace(data, **changes)


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the page templates in `site/templates/`."""
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
    environment.filters["pct"] = percentage
    environment.filters["signed"] = signed
    environment.filters["attr"] = attr
    return environment


def records(frame: pd.DataFrame) -> list[Record]:
    """The rows of a table as dicts of plain values (a missing value is None)."""
    # Through one object array, not to_dict("records"), which boxes every cell one by one.
    columns = [str(key) for key in frame.columns]
    return [
        {key: plain(value) for key, value in zip(columns, values, strict=True)}
        for values in frame.to_numpy(dtype=object).tolist()
    ]


def one_round(frame: pd.DataFrame, round_slug: str | None) -> pd.DataFrame:
    """The rows of one round (none when there is no such round)."""
    if round_slug is None or frame.empty:
        return frame.iloc[0:0]
    return frame[frame["round"] == round_slug]


class PageContext:
    """One municipality's site while its pages are rendered: the figures of the latest
    round that several pages show, computed once, and `page()` to render a template."""

    def __init__(self, data: SiteData) -> None:
        self.data = data
        self.questionnaire = data.questionnaire
        self.instrument = data.questionnaire.instrument
        self.roles = data.questionnaire.roles
        self.thresholds = data.settings.thresholds
        self.latest, self.previous = data.latest, data.previous
        self.public = data.audience == "public"
        self.min_group = data.min_group
        self.success: Section = self.instrument.sections[0]
        self.conditions: Section = self.instrument.sections[-1]
        self.pages: list[Page] = []
        self._nonce = secrets.token_hex(8)

    # ------------------------------------------------------------ the latest round

    @cached_property
    def factors_now(self) -> pd.DataFrame:
        """Factor scores of the latest round, indexed by factor id."""
        return one_round(self.data.factor_scores, self.latest).set_index("factor")

    @cached_property
    def factors_before(self) -> pd.DataFrame:
        """Factor scores of the round before, indexed by factor id."""
        return one_round(self.data.factor_scores, self.previous).set_index("factor")

    def rows_of(self, section: Section) -> list[Record]:
        """The latest factor scores of one section, in questionnaire order."""
        if self.latest is None:
            return []
        scored = self.factors_now.reset_index()
        return records(scored[scored["section"] == section.id])

    @cached_property
    def recommendations(self) -> list[Record]:
        """The ranked recommendations of the latest round."""
        return records(one_round(self.data.recommendations, self.latest))

    @cached_property
    def participation(self) -> list[Record]:
        """Respondents per role in the latest round."""
        return records(one_round(self.data.participation, self.latest))

    @cached_property
    def missing(self) -> list[Record]:
        """Expected roles without a respondent in the latest round."""
        return records(one_round(self.data.missing_partners, self.latest))

    @cached_property
    def comments(self) -> pd.DataFrame:
        """Free texts of the latest round (empty on the public site)."""
        return one_round(self.data.comments, self.latest)

    def comments_on(self, *questions: str) -> list[Record]:
        """The free texts given to some factors or open questions (none when public)."""
        if self.public:
            return []
        return records(self.comments[self.comments["question"].isin(questions)])

    @cached_property
    def organisations(self) -> list[Record]:
        """Who answered in the latest round (internal site only)."""
        return [] if self.public else records(one_round(self.data.respondents, self.latest))

    @cached_property
    def role_scores(self) -> pd.DataFrame:
        """Scores per role of the latest round, groups already suppressed where needed."""
        return one_round(self.data.role_scores, self.latest)

    # ------------------------------------------------------------ the workshop

    @cached_property
    def session_now(self) -> Record | None:
        """The workshop of the latest round (date, participants), or None before it is held."""
        rows = records(one_round(self.data.sessions, self.latest))
        return rows[0] if rows else None

    @cached_property
    def agreed_now(self) -> dict[str, Record]:
        """The levels the latest round's workshop agreed on, beside the mean, by factor id."""
        return {
            str(row["factor"]): row for row in records(one_round(self.data.agreed, self.latest))
        }

    @cached_property
    def agreed_levels(self) -> dict[str, float | None]:
        """Agreed level per factor id of the latest round (None where none was agreed)."""
        return {
            f.id: (float(self.agreed_now[f.id]["score"]) if f.id in self.agreed_now else None)
            for f in self.instrument.factors()
        }

    @cached_property
    def plan_round(self) -> str | None:
        """The latest round with a workshop: its actions are the current action plan."""
        held = [r for r in self.data.sessions["round"].tolist() if self.latest and r <= self.latest]
        return max(held) if held else None

    @cached_property
    def adopted(self) -> dict[str, list[Record]]:
        """Rule id -> the actions (latest version of each) that adopted that recommendation."""
        actions = self.data.actions
        if actions.empty:
            return {}
        latest = actions.sort_values("round").groupby("action", sort=False).tail(1)
        found: dict[str, list[Record]] = {}
        for row in records(latest.sort_values(["round", "order"])):
            if row["recommendation"]:
                found.setdefault(str(row["recommendation"]), []).append(row)
        return found

    # ------------------------------------------------------------ figures

    def values(self, frame: pd.DataFrame, column: str) -> dict[str, float | None]:
        """One column of a factor-indexed table as {factor id: value or None}."""
        if frame.empty:
            return {}
        return {str(k): plain(v) for k, v in frame[column].items()}

    def radar(self, section: Section, fig_id: str, title: str, noun: str) -> charts.Figure | None:
        """This round, the previous one and the ambition of a section's factors."""
        if self.latest is None:
            return None
        return charts.radar_figure(
            fig_id,
            title,
            [(f.id, f.title) for f in section.factors],
            self.values(self.factors_now, "mean"),
            self.latest,
            self.values(self.factors_before, "mean") if self.previous else None,
            self.previous,
            self.values(self.factors_now, "ambition"),
            noun=noun,
            consensus=self.agreed_levels if self.session_now is not None else None,
        )

    def role_heatmap(self, factors: list[Factor], fig_id: str) -> charts.Figure | None:
        """Role comparison of some factors, only for groups this audience may see."""
        role_scores = self.role_scores
        if role_scores.empty:
            return None
        wanted = {f.id for f in factors}
        allowed = role_scores[
            role_scores["shown"]
            & (role_scores["n"] >= self.min_group)
            & role_scores["factor"].isin(wanted)
        ]
        if allowed.empty:
            return None
        values = {
            (str(r["factor"]), str(r["role"])): (int(r["n"]), float(r["mean"]))
            for r in records(allowed)
        }
        return charts.role_heatmap_figure(
            fig_id,
            "Score per soort partner",
            [(f.id, f.title) for f in factors if f.id in set(allowed["factor"])],
            [(rid, role.label) for rid, role in self.roles.items() if rid in set(allowed["role"])],
            values,
        )

    # ------------------------------------------------------------ rendering

    @cached_property
    def common(self) -> dict[str, Any]:
        """What every page template may use."""
        overall = records(one_round(self.data.overall, self.latest))
        return {
            # The name comes from gemeente.yaml: user text, like everything from a workspace.
            "municipality": self.data.info.model_copy(
                update={"name": user_text(self.data.info.name)}
            ),
            "slug": self.data.slug,
            "latest": self.latest,
            "previous": self.previous,
            "public": self.public,
            "min_group": self.min_group,
            "thresholds": self.thresholds,
            "instrument": self.instrument,
            "roles": self.roles,
            "rounds": self.data.rounds,
            "answered_rounds": self.data.overall["round"].tolist(),
            "overall": overall[0] if overall else None,
            "factor_titles": {f.id: f.title for f in self.instrument.factors()},
        }

    def page(
        self, path: str, title: str, template: str, section: str | None = None, **extra: Any
    ) -> Page:
        """Render a page template; its charts are lifted out until the HTML is built."""
        content = (
            environment().get_template(template).render(**self.common, page_title=title, **extra)
        )
        content, lifted = lift_charts(content, f"{self._nonce}:{len(self.pages)}")
        return self.add(Page(path, title, content, section, lifted))

    def add(self, page: Page) -> Page:
        """Add a page that was made without a template."""
        self.pages.append(page)
        return page
