"""Build the static sites: one MkDocs site per municipality plus a portal, safely and fast.

Each municipality is built in its own worker process (MkDocs keeps global state), into a
temporary folder inside the output folder, and only then swapped in: a published site is
never half-replaced. A municipality whose inputs are unchanged since its last build is
skipped, and so is the portal. Several audiences can be built in one go, each into its
own folder: a municipality is then loaded, scored and charted once for all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessment.errors import Problem, ProblemsError
from assessment.models import Settings
from assessment.paths import MUNICIPALITIES_DIR, SETTINGS_FILE, default_questionnaire_dir
from assessment.website.fingerprint import (
    STAMP_DIR,
    code_fingerprint,
    municipality_fingerprint,
    read_stamp,
    stamp_path,
)
from assessment.workspace import folder_problem, load_settings, unknown_municipality

if TYPE_CHECKING:
    from assessment.website.workers import Rendered, RenderJob

# The workers, the pages, the charts and the questionnaire are imported and loaded only
# when there is something to build: a rebuild with nothing changed only hashes the inputs
# (importing pandas, altair and the page builders alone costs more than that).


def run_workers(
    jobs_todo: list[RenderJob], outs: dict[str, Path], jobs: int | None
) -> Iterable[tuple[Rendered, str, float, str]]:
    """`workers.run_workers`, imported when first needed."""
    if not jobs_todo:
        return ()
    from assessment.website import workers

    return workers.run_workers(jobs_todo, outs, jobs)


def in_worker(func: Callable[..., None], *args: Any) -> None:
    """`workers.in_worker`, imported when first needed."""
    from assessment.website import workers

    workers.in_worker(func, *args)


CACHE_DIR = ".ketenscan-cache"  # in the workspace, git-ignored; KETENSCAN_CACHE_DIR moves it
CHART_CACHE_MB = 512  # KETENSCAN_CACHE_MB changes it


@dataclass
class BuildResult:
    """What happened to one municipality (for one audience)."""

    slug: str
    status: str  # built | skipped | failed
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    audience: str = ""


@dataclass
class BuildReport:
    """The outcome of a whole build (of one audience)."""

    out: Path
    results: list[BuildResult]
    problems: list[Problem]

    @property
    def failed(self) -> list[BuildResult]:
        """Municipalities that could not be built."""
        return [r for r in self.results if r.status == "failed"]


def chart_cache_dir(root: Path) -> Path | None:
    """Where rendered charts are kept between builds: shared by audiences and `serve`.

    `KETENSCAN_CACHE_DIR` names another folder; set empty, no chart is kept on disk.
    """
    folder = os.environ.get("KETENSCAN_CACHE_DIR")
    if folder == "":
        return None
    return (Path(folder) if folder else root / CACHE_DIR).absolute() / "charts"


# ---------------------------------------------------------------- whole build


def build_sites(
    root: Path,
    out: Path,
    *,
    audience: str | None = None,
    jobs: int | None = None,
    only: str | None = None,
    force: bool = False,
    progress: Callable[[BuildResult], None] | None = None,
) -> BuildReport:
    """Build every municipality's site and the portal into `out`."""
    settings = load_settings(root)
    audience = audience or settings.audience
    reports = _build(root, settings, {audience: out}, jobs, only, force, progress)
    return reports[audience]


def build_audiences(
    root: Path,
    outs: Mapping[str, Path],
    *,
    jobs: int | None = None,
    only: str | None = None,
    force: bool = False,
    progress: Callable[[BuildResult], None] | None = None,
) -> dict[str, BuildReport]:
    """Build the sites of several audiences (e.g. internal, then public), each into its
    own folder with its own portal; a municipality is loaded, scored and charted once."""
    return _build(root, load_settings(root), dict(outs), jobs, only, force, progress)


def _build(
    root: Path,
    settings: Settings,
    outs: dict[str, Path],
    jobs: int | None,
    only: str | None,
    force: bool,
    progress: Callable[[BuildResult], None] | None,
) -> dict[str, BuildReport]:
    for out in outs.values():
        out.mkdir(parents=True, exist_ok=True)
    instrument_dir = (
        default_questionnaire_dir()
        if settings.instrument is None
        else (root / settings.instrument).resolve()
    )
    shared = code_fingerprint(instrument_dir)
    settings_path = root / SETTINGS_FILE
    settings_bytes = settings_path.read_bytes() if settings_path.exists() else b""
    folders = (
        sorted(
            p
            for p in (root / MUNICIPALITIES_DIR).iterdir()
            if p.is_dir() and not p.name.startswith(".")
        )
        if (root / MUNICIPALITIES_DIR).is_dir()
        else []
    )
    if only is not None:
        folders = [p for p in folders if p.name == only]
        if not folders:
            raise ProblemsError([unknown_municipality(root / MUNICIPALITIES_DIR, only)])
    fingerprints = {
        (audience, p.name): municipality_fingerprint(p, shared, settings_bytes, audience)
        for audience in outs
        for p in folders
    }
    results: dict[str, list[BuildResult]] = {audience: [] for audience in outs}
    problems: dict[str, list[Problem]] = {audience: [] for audience in outs}

    def report(result: BuildResult) -> None:
        results[result.audience].append(result)
        if progress:
            progress(result)

    stale: dict[str, list[str]] = {}  # slug -> the audiences to build
    for (audience, slug), fingerprint in fingerprints.items():
        out = outs[audience]
        stamp = read_stamp(out, slug)
        fresh = (
            not force
            and stamp is not None
            and stamp.get("fingerprint") == fingerprint
            and (out / slug / "index.html").exists()
        )
        if fresh:
            report(BuildResult(slug, "skipped", message="ongewijzigd", audience=audience))
        else:
            stale.setdefault(slug, []).append(audience)
    # Files among the municipality folders are reported as warnings; they are no
    # municipality, so they never stop a build (`ketenscan validate` calls them errors).
    if (root / MUNICIPALITIES_DIR).is_dir() and only is None:
        for entry in sorted((root / MUNICIPALITIES_DIR).iterdir()):
            if not entry.name.startswith(".") and not entry.is_dir():
                problem = folder_problem(entry)
                if problem is not None:
                    for audience in outs:
                        problems[audience].append(dataclasses.replace(problem, severity="warning"))
    cache = chart_cache_dir(root)
    # A missing questionnaire folder is reported even when nothing is left to build.
    if stale or not (instrument_dir / "instrument.yaml").is_file():
        from assessment.instrument import questionnaire_for
        from assessment.website.workers import INPUT_FAILED, RenderJob

        questionnaire = questionnaire_for(root, settings)
    jobs_todo: list[RenderJob] = []
    for slug in sorted(stale):
        problem = folder_problem(root / MUNICIPALITIES_DIR / slug)
        if problem is not None:  # a folder name that is no slug: failed, exit 1
            for audience in stale[slug]:
                problems[audience].append(problem)
                report(
                    BuildResult(
                        slug, "failed", problems=[problem], message=INPUT_FAILED, audience=audience
                    )
                )
            continue
        jobs_todo.append(
            RenderJob(
                root.absolute(),
                slug,
                tuple(stale[slug]),
                settings,
                questionnaire,
                os.getcwd(),
                cache,
            )
        )
    absolute = {audience: out.absolute() for audience, out in outs.items()}
    for rendered, audience, seconds, error in run_workers(jobs_todo, absolute, jobs):
        # Loading problems are the municipality's, reported with each audience.
        problems[audience].extend(rendered.problems)
        if error:
            result = BuildResult(
                rendered.slug,
                "failed",
                problems=rendered.input_problems,
                message=error,
                audience=audience,
            )
        else:
            result = BuildResult(rendered.slug, "built", seconds, audience=audience)
            path = stamp_path(outs[audience], rendered.slug)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                json.dumps(
                    {"fingerprint": fingerprints[(audience, rendered.slug)], **rendered.record},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        report(result)
    if only is None:
        portals: dict[str, Path] = {}  # what a portal shows -> the folder it was built in
        for out in outs.values():
            _portal(out, settings.title, [p.name for p in folders], shared, portals)
    if cache is not None and jobs_todo:
        from assessment.charts import prune_cache

        megabytes = int(os.environ.get("KETENSCAN_CACHE_MB") or CHART_CACHE_MB)
        prune_cache(cache, megabytes * 1024 * 1024)
    # Sorted: workers finish in any order, the report should not.
    return {
        audience: BuildReport(
            outs[audience],
            sorted(results[audience], key=lambda r: r.slug),
            sorted(problems[audience]),
        )
        for audience in outs
    }


def _portal(out: Path, title: str, slugs: list[str], shared: str, built: dict[str, Path]) -> None:
    """The portal of `out`, rebuilt only when what it shows (or the code) changed, and
    copied when another audience's portal of this build shows the same."""
    rows = []
    for slug in slugs:
        record = read_stamp(out, slug)
        if record is not None and (out / slug / "index.html").exists():
            rows.append({"slug": slug, **record})
    # What the portal shows: not the fingerprints, which differ per audience.
    shown = [{k: v for k, v in row.items() if k != "fingerprint"} for row in rows]
    inputs = json.dumps([shared, title, shown], sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(inputs.encode()).hexdigest()
    stamp = out / STAMP_DIR / "_portal.json"  # no slug has an underscore
    try:
        unchanged = json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == digest
    except (OSError, ValueError, AttributeError):
        unchanged = False
    if unchanged and (out / "index.html").exists():
        return
    from assessment.website.portal import build_portal, copy_portal

    if digest in built:
        copy_portal(built[digest], out)
    else:
        in_worker(build_portal, out, title, rows)
        built[digest] = out
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"fingerprint": digest}), encoding="utf-8")
