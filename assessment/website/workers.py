"""Worker processes: pages are rendered in long-lived workers that keep the chart engine
warm, and every MkDocs build runs in a fresh process (MkDocs keeps global state).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.analysis import analyse
from assessment.analysis.benchmark import PeerGroup, Summary
from assessment.errors import Problem, ProblemsError
from assessment.formatting import plain
from assessment.instrument import Questionnaire
from assessment.models import Settings
from assessment.pages import render_pages
from assessment.pages.comparison import COMPARISON_MARKER, ComparisonInput, render_comparison
from assessment.pages.context import site_data
from assessment.pages.page import Page, lift_charts
from assessment.website.publish import publish_pages
from assessment.workspace import load_workspace

INPUT_FAILED = "fouten in de invoer; de vorige site blijft staan"


@dataclass(frozen=True)
class RenderJob:
    """One municipality to load and render in a worker (picklable)."""

    root: Path
    slug: str
    audience: str
    settings: Settings
    questionnaire: Questionnaire
    cwd: str
    # The size classes of the comparison; None while they are not known (municipalities
    # being rendered may still change them): an opted-in municipality's Overzicht then
    # gets a marker that `FinishJob` fills in.
    groups: dict[str, PeerGroup] | None = None


@dataclass(frozen=True)
class FinishJob:
    """The comparison section of one rendered Overzicht, once its size class is known."""

    slug: str
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
    pages: list[Page] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    problems: list[Problem] = field(default_factory=list)  # all, warnings too
    input_problems: list[Problem] = field(default_factory=list)  # why its input failed
    record: dict[str, Any] = field(default_factory=dict)  # for the stamp and the portal
    deferred: bool = False  # its Overzicht waits for the comparison (COMPARISON_MARKER)
    spilled: Path | None = None  # where its pages wait on disk meanwhile


def _render_job(job: RenderJob) -> Rendered:
    """Load, check, score and render one municipality (in a long-lived worker).

    Every municipality is independent, so its files are read and scored here, in
    parallel with the others, instead of all of them one after another in the main
    process. The worker takes the caller's working directory so that problems show the
    same paths as `ketenscan validate`.
    """
    started = time.perf_counter()
    problems: list[Problem] = []
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
        if not own.benchmark:
            comparison = ComparisonInput(False, None)
        elif job.groups is None:
            comparison = ComparisonInput(True, None)  # deferred: a marker for now
        else:
            comparison = ComparisonInput(True, job.groups[own.size])
        pages = render_pages(site_data(analysis, job.slug, job.audience, comparison))
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
            "peers": comparison.group.digest() if comparison.group is not None else None,
        },
        deferred=comparison.opted_in and comparison.group is None,
    )


def _finish_job(job: FinishJob) -> tuple[str, str, str]:
    """The comparison section of an Overzicht (in a render worker: its chart engine is
    warm): (slug, the Markdown with its chart inline, an error or '')."""
    try:
        text = render_comparison(
            job.own, ComparisonInput(True, job.group), job.questionnaire, public=job.public
        )
    except Exception as error:  # reported for this municipality, never fatal
        return job.slug, "", _failure(error)
    return job.slug, text, ""


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
    slug: str, name: str, pages: list[Page] | Path, out: Path, template_cache: Path
) -> tuple[str, float, str]:
    """MkDocs build and publish of one site (runs in a fresh process per site); `pages`
    may be the file they were set aside in while the comparison was not known."""
    try:
        if isinstance(pages, Path):
            with pages.open("rb") as handle:
                pages = pickle.load(handle)  # noqa: S301 - our own file, written this build
            assert isinstance(pages, list)
        return slug, publish_pages(slug, name, pages, out, template_cache), ""
    except Exception as error:  # reported per municipality, never fatal (Ctrl+C is not)
        return slug, 0.0, _failure(error)


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
    out: Path,
    jobs: int | None,
    settle: Settle | None = None,
) -> Iterable[tuple[Rendered, float, str]]:
    """Load and render pages in long-lived workers, build each site in a fresh process.

    At most `jobs` tasks run at a time over both pools; a rendered site is built before
    the next one is rendered, so finished pages do not pile up in memory. A site whose
    Overzicht waits for the comparison (`Rendered.deferred`) is set aside on disk until
    every render has ended; then `settle` gets every render's outcome and returns the
    comparison sections to make (in the render workers) and the sites to render again
    because the comparison they show has changed.
    """
    if not jobs_todo:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_todo)))
    queue = list(reversed(jobs_todo))
    rendered: list[Rendered] = []
    waiting: dict[str, Rendered] = {}  # being published
    aside: dict[str, Rendered] = {}  # waiting for the comparison
    outcomes: dict[str, Rendered] = {}
    finishing: list[FinishJob] = []
    running: dict[Future[Any], str] = {}
    settled = settle is None
    # The template cache outlives both pools: it is removed only after every worker ended.
    with (
        tempfile.TemporaryDirectory(prefix="ketenscan-templates-") as template_cache,
        ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as render_pool,
        _pool(workers) as publish_pool,
    ):
        while queue or rendered or running or finishing or not settled:
            renders_left = bool(queue) or "render" in running.values()
            if not settled and not renders_left:
                assert settle is not None
                settled = True
                finishing, again = settle(outcomes)
                queue = list(reversed(again)) + queue
                for job in finishing:
                    if job.slug not in aside:
                        raise ValueError(f"geen pagina's om aan te vullen voor {job.slug}")
                continue
            while len(running) < workers and (rendered or finishing or queue):
                if rendered:
                    done_render = rendered.pop()
                    waiting[done_render.slug] = done_render
                    pages: list[Page] | Path = done_render.spilled or done_render.pages
                    publishing = publish_pool.submit(
                        _publish_job,
                        done_render.slug,
                        done_render.record["name"],
                        pages,
                        out,
                        Path(template_cache),
                    )
                    done_render.pages = []  # the publish worker has them now
                    running[publishing] = "publish"
                elif finishing:
                    running[render_pool.submit(_finish_job, finishing.pop())] = "finish"
                else:
                    running[render_pool.submit(_render_job, queue.pop())] = "render"
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind = running.pop(future)
                if kind == "render":
                    outcome: Rendered = future.result()
                    outcomes[outcome.slug] = outcome
                    if outcome.error:
                        yield outcome, 0.0, outcome.error
                    elif outcome.deferred and not settled:
                        outcome.spilled = _set_aside(outcome, Path(template_cache))
                        aside[outcome.slug] = outcome
                    else:
                        rendered.append(outcome)
                elif kind == "finish":
                    slug, section, error = future.result()
                    later = aside.pop(slug)
                    if error:
                        yield later, 0.0, error
                    else:
                        _fill_aside(later, section)
                        rendered.append(later)
                else:
                    slug, seconds, error = future.result()
                    published = waiting.pop(slug)
                    yield published, seconds + published.seconds, error
        for left in aside.values():  # settle made no section for it: never published
            yield left, 0.0, "de vergelijking kon niet worden gemaakt"


def _set_aside(outcome: Rendered, folder: Path) -> Path:
    """Write a rendered site's pages to disk until its comparison is known."""
    path = folder / f"pages-{outcome.slug}.pickle"
    with path.open("wb") as handle:
        pickle.dump(outcome.pages, handle, protocol=pickle.HIGHEST_PROTOCOL)
    outcome.pages = []
    return path


def _fill_aside(outcome: Rendered, section: str) -> None:
    """Put the comparison section into the pages set aside on disk."""
    assert outcome.spilled is not None
    with outcome.spilled.open("rb") as handle:
        pages = pickle.load(handle)  # noqa: S301 - our own file, written this build
    with outcome.spilled.open("wb") as handle:
        pickle.dump(fill_comparison(pages, section, outcome.slug), handle)
    outcome.deferred = False
