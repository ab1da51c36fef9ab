"""Worker processes: pages are rendered in long-lived workers that keep the chart engine
warm, and every municipality's MkDocs builds run in a fresh process (MkDocs keeps global
state). A municipality is loaded and scored once for all the audiences built.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.analysis import analyse
from assessment.analysis.benchmark import PeerGroup, Summary
from assessment.charts import use_cache
from assessment.errors import Problem, ProblemsError
from assessment.formatting import plain
from assessment.instrument import Questionnaire
from assessment.models import Settings
from assessment.pages import render_pages
from assessment.pages.comparison import COMPARISON_MARKER, ComparisonInput, render_comparison
from assessment.pages.context import site_data
from assessment.pages.page import Page, lift_charts
from assessment.website.publish import publish_sites
from assessment.workspace import load_workspace

INPUT_FAILED = "fouten in de invoer; de vorige site blijft staan"


@dataclass(frozen=True)
class RenderJob:
    """One municipality to load and render in a worker for some audiences (picklable)."""

    root: Path
    slug: str
    audiences: tuple[str, ...]
    settings: Settings
    questionnaire: Questionnaire
    cwd: str
    chart_cache: Path | None = None  # the folder of the shared SVG cache
    # The size classes of the comparison per audience (the public one needs larger
    # groups); None while they are not known (municipalities being rendered may still
    # change them): an opted-in municipality's Overzichten then get a marker that
    # `FinishJob`s fill in.
    groups: dict[str, dict[str, PeerGroup]] | None = None


@dataclass(frozen=True)
class FinishJob:
    """The comparison section of one rendered Overzicht (of one audience), once its size
    class is known."""

    slug: str
    audience: str
    own: Summary
    group: PeerGroup
    questionnaire: Questionnaire
    public: bool


def _failure(error: BaseException) -> str:
    message = str(error).strip() or type(error).__name__
    return f"{type(error).__name__}: {message}"


@dataclass
class Rendered:
    """What a render worker sends back for one municipality."""

    slug: str
    pages: dict[str, list[Page]] = field(default_factory=dict)  # per audience
    seconds: float = 0.0
    error: str = ""
    problems: list[Problem] = field(default_factory=list)  # all, warnings too
    input_problems: list[Problem] = field(default_factory=list)  # why its input failed
    record: dict[str, Any] = field(default_factory=dict)  # for the stamp and the portal
    # The digest of the comparison each audience's Overzicht shows (the "peers" of that
    # audience's stamp); None where it shows none.
    peers: dict[str, str | None] = field(default_factory=dict)
    deferred: bool = False  # its Overzichten wait for the comparison (COMPARISON_MARKER)
    spilled: dict[str, Path] = field(default_factory=dict)  # per audience, meanwhile on disk
    filled: set[str] = field(default_factory=set)  # audiences whose comparison is in

    def stamp(self, audience: str) -> dict[str, Any]:
        """The record as `audience`'s stamp keeps it."""
        return {**self.record, "peers": self.peers.get(audience)}


def _render_job(job: RenderJob) -> Rendered:
    """Load, check, score and render one municipality (in a long-lived worker).

    Every municipality is independent, so its files are read and scored here, in
    parallel with the others, instead of all of them one after another in the main
    process. The worker takes the caller's working directory so that problems show the
    same paths as `ketenscan validate`.
    """
    started = time.perf_counter()
    problems: list[Problem] = []
    use_cache(job.chart_cache)
    try:
        os.chdir(job.cwd)
        workspace = load_workspace(
            job.root, only=job.slug, preloaded=(job.settings, job.questionnaire)
        )
        problems = workspace.problems
        if job.slug not in workspace.municipalities:
            return Rendered(
                job.slug,
                error=INPUT_FAILED,
                problems=problems,
                input_problems=workspace.failed.get(job.slug) or problems,
            )
        analysis = analyse(workspace)
        own = next(s for s in analysis.summaries if s.slug == job.slug)
        comparisons: dict[str, ComparisonInput] = {}
        for audience in job.audiences:
            if not own.benchmark:
                comparisons[audience] = ComparisonInput(False, None)
            elif job.groups is None:
                comparisons[audience] = ComparisonInput(True, None)  # deferred: a marker
            else:
                comparisons[audience] = ComparisonInput(True, job.groups[audience][own.size])
        pages = {
            audience: render_pages(site_data(analysis, job.slug, audience, comparison))
            for audience, comparison in comparisons.items()
        }
    except ProblemsError as error:  # e.g. the folder went away during the build
        return Rendered(
            job.slug, error=INPUT_FAILED, problems=error.problems, input_problems=error.problems
        )
    except Exception as error:  # reported per municipality, never fatal
        # (Ctrl+C and SystemExit are no failure of this municipality: they stop the build.)
        return Rendered(job.slug, error=_failure(error), problems=problems)
    latest = analysis.scores.overall.sort_values("round").tail(1).to_dict("records")
    record = latest[0] if latest else {}
    summary = own.record()
    if not own.benchmark:
        summary["factors"] = {}  # kept only where the municipality opted in
    return Rendered(
        job.slug,
        pages,
        time.perf_counter() - started,
        problems=problems,
        record={
            **summary,
            "level": record.get("level"),
            "respondents": plain(record.get("respondents")),
            "peers": None,  # per audience: `Rendered.peers`, see `Rendered.stamp`
        },
        peers={
            audience: comparison.group.digest() if comparison.group is not None else None
            for audience, comparison in comparisons.items()
        },
        deferred=own.benchmark and job.groups is None,
    )


def _finish_job(job: FinishJob) -> tuple[str, str, str, str]:
    """The comparison section of an Overzicht (in a render worker: its chart engine is
    warm): (slug, audience, the Markdown with its chart inline, an error or '')."""
    try:
        text = render_comparison(
            job.own, ComparisonInput(True, job.group), job.questionnaire, public=job.public
        )
    except Exception as error:  # reported for this municipality, never fatal
        return job.slug, job.audience, "", _failure(error)
    return job.slug, job.audience, text, ""


def fill_comparison(pages: list[Page], section: str, slug: str) -> list[Page]:
    """The pages with the Overzicht's marker replaced by its comparison section."""
    filled = []
    for page in pages:
        if COMPARISON_MARKER in page.content:
            if page.content.count(COMPARISON_MARKER) != 1:
                raise ValueError("de vergelijking staat niet precies één keer op de pagina")
            text, lifted = lift_charts(section, f"{slug}:vergelijking")
            page = dataclasses.replace(
                page,
                content=page.content.replace(COMPARISON_MARKER, text),
                charts=(*page.charts, *lifted),
            )
        filled.append(page)
    return filled


def _publish_job(
    slug: str,
    name: str,
    sites: Mapping[str, tuple[list[Page] | Path, Path]],
    template_cache: Path,
) -> tuple[str, dict[str, tuple[float, str]]]:
    """MkDocs builds and publishing of one municipality's sites (in a fresh process):
    seconds and an error message (empty when published) per audience. An audience's pages
    may be the file they were set aside in while the comparison was not known."""
    try:
        loaded: dict[str, tuple[list[Page], Path]] = {}
        for audience, (pages, out) in sites.items():
            if isinstance(pages, Path):
                with pages.open("rb") as handle:
                    pages = pickle.load(handle)  # noqa: S301 - our own file, this build
                assert isinstance(pages, list)
            loaded[audience] = (pages, out)
        return slug, publish_sites(slug, name, loaded, template_cache)
    except Exception as error:  # reported per municipality, never fatal (Ctrl+C is not)
        return slug, dict.fromkeys(sites, (0.0, _failure(error)))


# Imported once by the fork server, so that no worker imports them again. Importing sets
# up no build state: every worker is forked from a server that never builds a site.
_PRELOAD = [
    "assessment.website.workers",
    "assessment.website.publish",
    "assessment.charts",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "mkdocs.contrib.search",
    "mkdocs.localization",
    "material.plugins.search.plugin",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "markdown.extensions.codehilite",
    "markdown.extensions.fenced_code",
    "babel.support",
    "html.parser",
]


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers that each run one task and exit: MkDocs' global state dies with them."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), max_tasks_per_child=1)


def in_worker(func: Callable[..., None], *args: Any) -> None:
    """Run a MkDocs build in a fresh process, so that its global state stays there."""
    with _pool(1) as pool:
        pool.submit(func, *args).result()


Settle = Callable[[dict[str, Rendered]], tuple[list[FinishJob], list[RenderJob]]]


def run_workers(
    jobs_todo: list[RenderJob],
    outs: dict[str, Path],
    jobs: int | None,
    settle: Settle | None = None,
) -> Iterable[tuple[Rendered, str, float, str]]:
    """Load and render pages in long-lived workers, build each site in a fresh process.

    Yields (rendered, audience, seconds, error) per site: a render that failed once for
    each of its audiences. At most `jobs` tasks run at a time over both pools; a rendered
    municipality is built before the next one is rendered, so finished pages do not pile
    up in memory. A municipality whose Overzichten wait for the comparison
    (`Rendered.deferred`) is set aside on disk, one file per audience, until every render
    has ended; then `settle` gets every render's outcome and returns the comparison
    sections to make (one per audience, in the render workers) and the sites to render
    again because the comparison they show has changed.
    """
    if not jobs_todo:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_todo)))
    queue = list(reversed(jobs_todo))
    rendered: list[Rendered] = []
    aside: dict[str, Rendered] = {}  # waiting for the comparison
    pending: dict[str, set[str]] = {}  # the audiences whose comparison is still to come
    outcomes: dict[str, Rendered] = {}
    finishing: list[FinishJob] = []
    # Each task's kind and what it is about: a render's audiences, the municipality being
    # published (kept with its future, not by slug: a municipality rendered again for
    # another audience by `settle` may be published while its first sites still are).
    running: dict[Future[Any], tuple[str, Any]] = {}
    settled = settle is None
    # The template cache outlives both pools: it is removed only after every worker ended.
    with (
        tempfile.TemporaryDirectory(prefix="ketenscan-templates-") as template_cache,
        ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as render_pool,
        _pool(workers) as publish_pool,
    ):
        while queue or rendered or running or finishing or not settled:
            renders_left = bool(queue) or any(k == "render" for k, _ in running.values())
            if not settled and not renders_left:
                assert settle is not None
                settled = True
                finishing, again = settle(outcomes)
                queue = list(reversed(again)) + queue
                for finish in finishing:
                    if finish.audience not in aside.get(finish.slug, Rendered("")).spilled:
                        raise ValueError(f"geen pagina's om aan te vullen voor {finish.slug}")
                    pending.setdefault(finish.slug, set()).add(finish.audience)
                continue
            while len(running) < workers and (rendered or finishing or queue):
                if rendered:
                    done_render = rendered.pop()
                    sites: dict[str, tuple[list[Page] | Path, Path]] = {
                        audience: (pages, outs[audience])
                        for audience, pages in done_render.pages.items()
                    }
                    sites.update(
                        (audience, (path, outs[audience]))
                        for audience, path in done_render.spilled.items()
                    )
                    publishing = publish_pool.submit(
                        _publish_job,
                        done_render.slug,
                        done_render.record["name"],
                        sites,
                        Path(template_cache),
                    )
                    done_render.pages = {}  # the publish worker has them now
                    running[publishing] = ("publish", done_render)
                elif finishing:
                    finish = finishing.pop()
                    running[render_pool.submit(_finish_job, finish)] = ("finish", None)
                else:
                    job = queue.pop()
                    running[render_pool.submit(_render_job, job)] = ("render", job.audiences)
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind, about = running.pop(future)
                if kind == "render":
                    outcome: Rendered = future.result()
                    outcomes[outcome.slug] = outcome
                    if outcome.error:
                        for audience in about:
                            yield outcome, audience, 0.0, outcome.error
                    elif outcome.deferred and not settled:
                        _set_aside(outcome, Path(template_cache))
                        aside[outcome.slug] = outcome
                    else:
                        rendered.append(outcome)
                elif kind == "finish":
                    slug, audience, section, error = future.result()
                    later = aside[slug]
                    pending[slug].discard(audience)
                    if error:
                        del later.spilled[audience]  # this audience's site is not published
                        yield later, audience, 0.0, error
                    else:
                        _fill_aside(later, audience, section)
                    if not pending[slug]:
                        del aside[slug], pending[slug]
                        later.deferred = False
                        # Audiences that settle made no section for are never published.
                        for audience in sorted(set(later.spilled) - later.filled):
                            del later.spilled[audience]
                            yield later, audience, 0.0, NO_COMPARISON
                        if later.spilled:
                            rendered.append(later)
                else:
                    _, results = future.result()
                    published = about
                    for audience, (seconds, error) in results.items():
                        yield published, audience, seconds + published.seconds, error
        for left in aside.values():  # settle made no section for it: never published
            for audience in sorted(left.spilled):
                yield left, audience, 0.0, NO_COMPARISON


NO_COMPARISON = "de vergelijking kon niet worden gemaakt"


def _set_aside(outcome: Rendered, folder: Path) -> None:
    """Write a rendered municipality's pages to disk, one file per audience, until its
    comparison is known."""
    for audience, pages in outcome.pages.items():
        path = folder / f"pages-{outcome.slug}-{audience}.pickle"
        with path.open("wb") as handle:
            pickle.dump(pages, handle, protocol=pickle.HIGHEST_PROTOCOL)
        outcome.spilled[audience] = path
    outcome.pages = {}


def _fill_aside(outcome: Rendered, audience: str, section: str) -> None:
    """Put the comparison section into an audience's pages set aside on disk."""
    path = outcome.spilled[audience]
    with path.open("rb") as handle:
        pages = pickle.load(handle)  # noqa: S301 - our own file, written this build
    with path.open("wb") as handle:
        pickle.dump(fill_comparison(pages, section, outcome.slug), handle)
    outcome.filled.add(audience)
