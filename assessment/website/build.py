"""Build the static sites: one MkDocs site per municipality plus a portal, safely and fast.

Each municipality is built in its own worker process (MkDocs keeps global state), into a
temporary folder inside the output folder, and only then swapped in: a published site is
never half-replaced. A municipality whose inputs are unchanged since its last build is
skipped, and so is the portal. Several audiences can be built in one go, each into its
own folder: a municipality is then loaded, scored and charted once for all of them.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessment.errors import Problem, ProblemsError
from assessment.limits import min_group_size
from assessment.models import Settings
from assessment.paths import MUNICIPALITIES_DIR, SETTINGS_FILE, default_questionnaire_dir
from assessment.website.fingerprint import (
    code_fingerprint,
    municipality_fingerprint,
    portal_fingerprint,
    read_stamp,
    stamp_path,
)
from assessment.website.leftovers import remove_leftovers
from assessment.workspace import folder_problem, load_settings, unknown_municipality

if TYPE_CHECKING:
    from assessment.analysis.benchmark import PeerGroup
    from assessment.instrument import Questionnaire
    from assessment.website.workers import FinishJob, Rendered, RenderJob, Settle

# The workers, the pages, the charts and the questionnaire are imported and loaded only
# when there is something to build: a rebuild with nothing changed only hashes the inputs
# (importing pandas, altair and the page builders alone costs more than that).


def run_workers(
    jobs_todo: list[RenderJob],
    outs: dict[str, Path],
    jobs: int | None,
    settle: Settle | None = None,
) -> Iterable[tuple[Rendered, str, float, str]]:
    """`workers.run_workers`, imported when first needed."""
    if not jobs_todo:
        return ()
    from assessment.website import workers

    return workers.run_workers(jobs_todo, outs, jobs, settle)


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
        remove_leftovers(out)  # of a build that was killed halfway
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
    # Per audience: the unchanged municipalities and their stamps (reported as skipped
    # after the build, unless the comparison makes them render again).
    fresh: dict[str, dict[str, dict[str, Any]]] = {audience: {} for audience in outs}
    for (audience, slug), fingerprint in fingerprints.items():
        out = outs[audience]
        stamp = read_stamp(out, slug)
        if (
            not force
            and stamp is not None
            and stamp.get("fingerprint") == fingerprint
            and (out / slug / "index.html").exists()
        ):
            fresh[audience][slug] = stamp
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
    questionnaire: Questionnaire | None = None
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
                questionnaire,  # type: ignore[arg-type]  # loaded above: `stale` is not empty
                os.getcwd(),
                cache,
            )
        )
    absolute = {audience: out.absolute() for audience, out in outs.items()}
    comparison = _Comparison(
        root.absolute(), absolute, [p.name for p in folders], fresh, settings, only, cache
    )
    comparison.questionnaire = questionnaire
    running = run_workers(jobs_todo, absolute, jobs, comparison.settle)
    for rendered, audience, seconds, error in running:
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
                    {
                        "fingerprint": fingerprints[(audience, rendered.slug)],
                        **rendered.stamp(audience),
                    },
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        report(result)
    for audience, unchanged in fresh.items():
        for slug in sorted(set(unchanged) - comparison.again.get(audience, set())):
            report(BuildResult(slug, "skipped", message="ongewijzigd", audience=audience))
    if only is None:
        portals: dict[str, Path] = {}  # what a portal shows -> the folder it was built in
        for audience, out in outs.items():
            _portal(root, settings, audience, out, [p.name for p in folders], shared, portals)
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


# The portal's stamp: not a slug (a municipality folder can never be called this).
PORTAL_STAMP = "_portaal"


def _portal(
    root: Path,
    settings: Settings,
    audience: str,
    out: Path,
    slugs: list[str],
    shared: str,
    built: dict[str, Path],
) -> None:
    """The portal of `out`, rebuilt only when what it shows (or the code) changed, and
    copied when another portal of this build shows the same (the audience is part of
    what it shows: the public portal shows only size classes, with larger groups)."""
    rows = []
    for slug in slugs:
        stamp = read_stamp(out, slug)
        if stamp is not None and (out / slug / "index.html").exists():
            # What the portal shows; the fingerprint would only make it rebuild in vain.
            rows.append({**{k: v for k, v in stamp.items() if k != "fingerprint"}, "slug": slug})
    minimum = min_group_size(settings.thresholds.min_group_size, audience)
    wanted = portal_fingerprint(shared, settings.title, f"{audience}:{minimum}", rows)
    stamp = read_stamp(out, PORTAL_STAMP)
    if stamp is not None and stamp.get("fingerprint") == wanted and (out / "index.html").exists():
        return
    from assessment.instrument import questionnaire_for
    from assessment.website.portal import build_portal, copy_portal

    if wanted in built:
        copy_portal(built[wanted], out)
    else:
        questionnaire = questionnaire_for(root, settings)
        in_worker(build_portal, out, settings.title, rows, audience, minimum, questionnaire)
        built[wanted] = out
    stamp_path(out, PORTAL_STAMP).parent.mkdir(parents=True, exist_ok=True)
    stamp_path(out, PORTAL_STAMP).write_text(json.dumps({"fingerprint": wanted}), encoding="utf-8")


@dataclass
class _Comparison:
    """Settles the comparison of municipalities, per audience, once every changed one is
    rendered.

    The size classes of an audience are made from the new records of the municipalities
    rendered now and the stamps of the others in its folder (whose published sites stay),
    with the audience's minimum group (larger for the public). An unchanged municipality
    that opted in is rendered again for the audiences whose comparison has changed.
    """

    root: Path
    outs: dict[str, Path]
    slugs: list[str]
    fresh: dict[str, dict[str, dict[str, Any]]]  # audience -> slug -> stamp
    settings: Settings
    only: str | None
    cache: Path | None
    questionnaire: Questionnaire | None = None
    again: dict[str, set[str]] = field(default_factory=dict)  # audience -> slugs

    def groups(self, audience: str, outcomes: dict[str, Rendered]) -> dict[str, PeerGroup]:
        """The size classes as this build publishes them for `audience`, rounded to
        floating-point noise."""
        from assessment.analysis.benchmark import Summary, peer_groups

        assert self.questionnaire is not None
        out = self.outs[audience]
        summaries: dict[str, Summary] = {}
        for slug in self.slugs:
            stamp = read_stamp(out, slug)
            if stamp is not None and (out / slug / "index.html").exists():
                summaries[slug] = Summary.from_record({**stamp, "slug": slug})
        for slug, outcome in outcomes.items():
            if not outcome.error:
                summaries[slug] = Summary.from_record({**outcome.record, "slug": slug})
        factors = [f.id for f in self.questionnaire.instrument.sections[0].factors]
        minimum = min_group_size(self.settings.thresholds.min_group_size, audience)
        groups = peer_groups(summaries.values(), factors, minimum)
        return {size: group.rounded() for size, group in groups.items()}

    def settle(self, outcomes: dict[str, Rendered]) -> tuple[list[FinishJob], list[RenderJob]]:
        """Comparison sections for the sites set aside; unchanged sites to render again."""
        from assessment.analysis.benchmark import Summary
        from assessment.website.workers import FinishJob, RenderJob

        assert self.questionnaire is not None
        groups = {audience: self.groups(audience, outcomes) for audience in self.outs}
        finish = []
        for slug, outcome in outcomes.items():
            if outcome.error or not outcome.deferred:
                continue
            own = Summary.from_record({**outcome.record, "slug": slug})
            for audience in outcome.spilled:
                group = groups[audience][own.size]
                outcome.peers[audience] = group.digest()
                finish.append(
                    FinishJob(slug, audience, own, group, self.questionnaire, audience == "public")
                )
        again: dict[str, list[str]] = {}  # slug -> the audiences to render again
        if self.only is None:
            for audience, unchanged in self.fresh.items():
                for slug, stamp in sorted(unchanged.items()):
                    own = Summary.from_record({**stamp, "slug": slug})
                    if own.benchmark and stamp.get("peers") != groups[audience][own.size].digest():
                        self.again.setdefault(audience, set()).add(slug)
                        again.setdefault(slug, []).append(audience)
        jobs = [
            RenderJob(
                self.root,
                slug,
                tuple(audiences),
                self.settings,
                self.questionnaire,
                os.getcwd(),
                self.cache,
                groups,
            )
            for slug, audiences in sorted(again.items())
        ]
        return finish, jobs
