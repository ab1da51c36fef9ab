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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assessment.errors import Problem, ProblemsError, display_path
from assessment.instrument import questionnaire_for
from assessment.paths import MUNICIPALITIES_DIR, SETTINGS_FILE
from assessment.website.fingerprint import (
    code_fingerprint,
    municipality_fingerprint,
    read_stamp,
    stamp_path,
)
from assessment.website.portal import build_portal
from assessment.website.workers import INPUT_FAILED, RenderJob, in_worker, run_workers
from assessment.workspace import folder_problem, load_settings


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
            raise ProblemsError(
                [
                    Problem(
                        display_path(root / MUNICIPALITIES_DIR),
                        1,
                        1,
                        f"gemeente '{only}' niet gevonden",
                    )
                ]
            )
    fingerprints = {
        p.name: municipality_fingerprint(p, shared, settings_bytes, audience) for p in folders
    }
    results: list[BuildResult] = []
    stale: set[str] = set()
    for slug, fingerprint in fingerprints.items():
        stamp = read_stamp(out, slug)
        fresh = (
            not force
            and stamp is not None
            and stamp.get("fingerprint") == fingerprint
            and (out / slug / "index.html").exists()
        )
        if fresh:
            _report(results, progress, BuildResult(slug, "skipped", message="ongewijzigd"))
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
    for rendered, seconds, error in run_workers(jobs_todo, out.absolute(), jobs):
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
    rows = []
    for slug in sorted(p.name for p in folders) if only is None else []:
        stamp = read_stamp(out, slug)
        if stamp is not None and (out / slug / "index.html").exists():
            rows.append({"slug": slug, **stamp})
    if only is None:
        in_worker(build_portal, out, settings.title, rows)
    # Sorted: workers finish in any order, the report should not.
    return BuildReport(out, sorted(results, key=lambda r: r.slug), sorted(problems))


def build_audiences(
    root: Path,
    outs: Mapping[str, Path],
    *,
    jobs: int | None = None,
    only: str | None = None,
    force: bool = False,
    progress: Callable[[BuildResult], None] | None = None,
) -> dict[str, BuildReport]:
    """Build the sites of several audiences (e.g. internal, then public), each into its folder."""
    return {
        audience: build_sites(
            root, out, audience=audience, jobs=jobs, only=only, force=force, progress=progress
        )
        for audience, out in outs.items()
    }


def _report(
    results: list[BuildResult],
    progress: Callable[[BuildResult], None] | None,
    result: BuildResult,
) -> None:
    results.append(result)
    if progress:
        progress(result)
