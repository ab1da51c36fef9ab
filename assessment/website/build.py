"""Build the static sites: one MkDocs site per municipality plus a portal, safely and fast.

Each municipality is built in its own worker process (MkDocs keeps global state), into a
temporary folder inside the output folder, and only then swapped in: a published site is
never half-replaced. A municipality whose inputs are unchanged since its last build is
skipped.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.analysis.benchmark import PeerGroup, Summary, peer_groups
from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire, questionnaire_for
from assessment.limits import min_group_size
from assessment.models import Settings
from assessment.paths import MUNICIPALITIES_DIR, SETTINGS_FILE
from assessment.website.fingerprint import (
    code_fingerprint,
    municipality_fingerprint,
    portal_fingerprint,
    read_stamp,
    stamp_path,
)
from assessment.website.portal import build_portal
from assessment.website.workers import (
    INPUT_FAILED,
    FinishJob,
    Rendered,
    RenderJob,
    in_worker,
    run_workers,
)
from assessment.workspace import folder_problem, load_settings, unknown_municipality


@dataclass
class BuildResult:
    """What happened to one municipality."""

    slug: str
    status: str  # built | skipped | failed
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    message: str = ""


@dataclass
class BuildReport:
    """The outcome of a whole build."""

    out: Path
    results: list[BuildResult]
    problems: list[Problem]

    @property
    def failed(self) -> list[BuildResult]:
        """Municipalities that could not be built."""
        return [r for r in self.results if r.status == "failed"]


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
    out.mkdir(parents=True, exist_ok=True)
    settings = load_settings(root)
    audience = audience or settings.audience
    questionnaire = questionnaire_for(root, settings)
    shared = code_fingerprint(questionnaire.folder)
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
        p.name: municipality_fingerprint(p, shared, settings_bytes, audience) for p in folders
    }
    results: list[BuildResult] = []
    stale: set[str] = set()
    fresh: dict[str, dict[str, Any]] = {}  # unchanged municipalities and their stamps
    for slug, fingerprint in fingerprints.items():
        stamp = read_stamp(out, slug)
        if (
            not force
            and stamp is not None
            and stamp.get("fingerprint") == fingerprint
            and (out / slug / "index.html").exists()
        ):
            fresh[slug] = stamp
        else:
            stale.add(slug)
    problems: list[Problem] = []
    # Files among the municipality folders are reported as warnings; they are no
    # municipality, so they never stop a build (`ketenscan validate` calls them errors).
    if (root / MUNICIPALITIES_DIR).is_dir() and only is None:
        for entry in sorted((root / MUNICIPALITIES_DIR).iterdir()):
            if not entry.name.startswith(".") and not entry.is_dir():
                problem = folder_problem(entry)
                if problem is not None:
                    problems.append(dataclasses.replace(problem, severity="warning"))
    jobs_todo: list[RenderJob] = []
    for slug in sorted(stale):
        problem = folder_problem(root / MUNICIPALITIES_DIR / slug)
        if problem is not None:  # a folder name that is no slug: failed, exit 1
            problems.append(problem)
            failed = BuildResult(slug, "failed", problems=[problem], message=INPUT_FAILED)
            _report(results, progress, failed)
            continue
        jobs_todo.append(
            RenderJob(root.absolute(), slug, audience, settings, questionnaire, os.getcwd())
        )
    comparison = _Comparison(
        root.absolute(),
        out,
        [p.name for p in folders],
        fresh,
        settings,
        questionnaire,
        audience,
        only,
    )
    for rendered, seconds, error in run_workers(jobs_todo, out.absolute(), jobs, comparison.settle):
        problems.extend(rendered.problems)
        if error:
            result = BuildResult(
                rendered.slug, "failed", problems=rendered.input_problems, message=error
            )
        else:
            result = BuildResult(rendered.slug, "built", seconds)
            stamp_path(out, rendered.slug).parent.mkdir(parents=True, exist_ok=True)
            stamp_path(out, rendered.slug).write_text(
                json.dumps(
                    {"fingerprint": fingerprints[rendered.slug], **rendered.record},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        _report(results, progress, result)
    for slug in sorted(set(fresh) - comparison.again):
        _report(results, progress, BuildResult(slug, "skipped", message="ongewijzigd"))
    rows = []
    for slug in sorted(p.name for p in folders) if only is None else []:
        stamp = read_stamp(out, slug)
        if stamp is not None and (out / slug / "index.html").exists():
            # What the portal shows; the fingerprint would only make it rebuild in vain.
            rows.append({**{k: v for k, v in stamp.items() if k != "fingerprint"}, "slug": slug})
    if only is None:
        wanted = portal_fingerprint(shared, settings.title, audience, rows)
        portal_stamp = read_stamp(out, PORTAL_STAMP)
        if (
            force
            or portal_stamp is None
            or portal_stamp.get("fingerprint") != wanted
            or not (out / "index.html").exists()
        ):
            in_worker(
                build_portal,
                out,
                settings.title,
                rows,
                audience,
                min_group_size(settings.thresholds.min_group_size, audience),
                questionnaire,
            )
            stamp_path(out, PORTAL_STAMP).parent.mkdir(parents=True, exist_ok=True)
            stamp_path(out, PORTAL_STAMP).write_text(
                json.dumps({"fingerprint": wanted}), encoding="utf-8"
            )
    # Sorted: workers finish in any order, the report should not.
    return BuildReport(out, sorted(results, key=lambda r: r.slug), sorted(problems))


# The portal's stamp: not a slug (a municipality folder can never be called this).
PORTAL_STAMP = "_portaal"


@dataclass
class _Comparison:
    """Settles the comparison of municipalities once every changed one is rendered.

    The size classes are made from the new records of the municipalities rendered now and
    the stamps of the others (whose published sites stay). An unchanged municipality that
    opted in is rendered again when the comparison its Overzicht shows has changed.
    """

    root: Path
    out: Path
    slugs: list[str]
    fresh: dict[str, dict[str, Any]]
    settings: Settings
    questionnaire: Questionnaire
    audience: str
    only: str | None
    again: set[str] = field(default_factory=set)

    def groups(self, outcomes: dict[str, Rendered]) -> dict[str, PeerGroup]:
        """The size classes as this build publishes them, rounded to floating-point noise."""
        summaries: dict[str, Summary] = {}
        for slug in self.slugs:
            stamp = read_stamp(self.out, slug)
            if stamp is not None and (self.out / slug / "index.html").exists():
                summaries[slug] = Summary.from_record({**stamp, "slug": slug})
        for slug, outcome in outcomes.items():
            if not outcome.error:
                summaries[slug] = Summary.from_record({**outcome.record, "slug": slug})
        factors = [f.id for f in self.questionnaire.instrument.sections[0].factors]
        minimum = min_group_size(self.settings.thresholds.min_group_size, self.audience)
        groups = peer_groups(summaries.values(), factors, minimum)
        return {size: group.rounded() for size, group in groups.items()}

    def settle(self, outcomes: dict[str, Rendered]) -> tuple[list[FinishJob], list[RenderJob]]:
        """Comparison sections for the sites set aside; unchanged sites to render again."""
        groups = self.groups(outcomes)
        public = self.audience == "public"
        finish = []
        for slug, outcome in outcomes.items():
            if outcome.error or not outcome.deferred:
                continue
            own = Summary.from_record({**outcome.record, "slug": slug})
            group = groups[own.size]
            outcome.record["peers"] = group.digest()
            finish.append(FinishJob(slug, own, group, self.questionnaire, public))
        again = []
        if self.only is None:
            for slug, stamp in sorted(self.fresh.items()):
                own = Summary.from_record({**stamp, "slug": slug})
                if own.benchmark and stamp.get("peers") != groups[own.size].digest():
                    self.again.add(slug)
                    again.append(
                        RenderJob(
                            self.root,
                            slug,
                            self.audience,
                            self.settings,
                            self.questionnaire,
                            os.getcwd(),
                            groups,
                        )
                    )
        return finish, again


def _report(
    results: list[BuildResult],
    progress: Callable[[BuildResult], None] | None,
    result: BuildResult,
) -> None:
    results.append(result)
    if progress:
        progress(result)
