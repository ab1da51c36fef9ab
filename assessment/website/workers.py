"""Worker processes: pages are rendered in long-lived workers that keep the chart engine
warm, and every municipality's MkDocs builds run in a fresh process (MkDocs keeps global
state). A municipality is loaded and scored once for all the audiences built.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.analysis import analyse
from assessment.charts import use_cache
from assessment.errors import Problem, ProblemsError
from assessment.formatting import plain
from assessment.instrument import Questionnaire
from assessment.models import Settings
from assessment.pages import render_pages
from assessment.pages.context import site_data
from assessment.pages.page import Page
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
        pages = {
            audience: render_pages(site_data(analysis, job.slug, audience))
            for audience in job.audiences
        }
    except ProblemsError as error:  # e.g. the folder went away during the build
        return Rendered(
            job.slug, error=INPUT_FAILED, problems=error.problems, input_problems=error.problems
        )
    except Exception as error:  # reported per municipality, never fatal
        # (Ctrl+C and SystemExit are no failure of this municipality: they stop the build.)
        return Rendered(job.slug, error=_failure(error), problems=problems)
    info = workspace.municipalities[job.slug].info
    latest = analysis.scores.overall.sort_values("round").tail(1).to_dict("records")
    record = latest[0] if latest else {}
    return Rendered(
        job.slug,
        pages,
        time.perf_counter() - started,
        problems=problems,
        record={
            "name": info.name,
            "size": info.size,
            "round": record.get("round"),
            "index": plain(record.get("index")),
            "level": record.get("level"),
            "respondents": plain(record.get("respondents")),
        },
    )


def _publish_job(
    slug: str,
    name: str,
    sites: dict[str, tuple[list[Page], Path]],
    template_cache: Path,
) -> tuple[str, dict[str, tuple[float, str]]]:
    """MkDocs builds and publishing of one municipality's sites (in a fresh process):
    seconds and an error message (empty when published) per audience."""
    try:
        return slug, publish_sites(slug, name, sites, template_cache)
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


def run_workers(
    jobs_todo: list[RenderJob], outs: dict[str, Path], jobs: int | None
) -> Iterable[tuple[Rendered, str, float, str]]:
    """Load and render pages in long-lived workers, build each site in a fresh process.

    Yields (rendered, audience, seconds, error) per site: a render that failed once for
    each of its audiences. At most `jobs` tasks run at a time over both pools; a rendered
    municipality is built before the next one is rendered, so finished pages do not pile
    up in memory.
    """
    if not jobs_todo:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_todo)))
    queue = list(reversed(jobs_todo))
    rendered: list[Rendered] = []
    waiting: dict[str, Rendered] = {}
    running: dict[Future[Any], str] = {}
    # The template cache outlives both pools: it is removed only after every worker ended.
    with (
        tempfile.TemporaryDirectory(prefix="ketenscan-templates-") as template_cache,
        ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as render_pool,
        _pool(workers) as publish_pool,
    ):
        while queue or rendered or running:
            while len(running) < workers and (rendered or queue):
                if rendered:
                    done_render = rendered.pop()
                    waiting[done_render.slug] = done_render
                    sites = {
                        audience: (pages, outs[audience])
                        for audience, pages in done_render.pages.items()
                    }
                    publishing = publish_pool.submit(
                        _publish_job,
                        done_render.slug,
                        done_render.record["name"],
                        sites,
                        Path(template_cache),
                    )
                    done_render.pages = {}  # the publish worker has them now
                    running[publishing] = "publish"
                else:
                    job = queue.pop()
                    running[render_pool.submit(_render_job, job)] = "render"
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind = running.pop(future)
                if kind == "render":
                    outcome: Rendered = future.result()
                    if outcome.error:
                        for audience in _audiences_of(jobs_todo, outcome.slug):
                            yield outcome, audience, 0.0, outcome.error
                    else:
                        rendered.append(outcome)
                else:
                    slug, results = future.result()
                    published = waiting.pop(slug)
                    for audience, (seconds, error) in results.items():
                        yield published, audience, seconds + published.seconds, error


def _audiences_of(jobs_todo: list[RenderJob], slug: str) -> tuple[str, ...]:
    return next(job.audiences for job in jobs_todo if job.slug == slug)
