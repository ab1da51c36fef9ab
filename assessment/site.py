"""Build the static sites: one MkDocs site per municipality plus a portal, safely and fast.

Each municipality is built in its own worker process (MkDocs keeps global state), into a
temporary folder inside the output folder, and only then swapped in: a published site is
never half-replaced. A municipality whose inputs are unchanged since its last build is
skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markupsafe
import pandas as pd

from assessment import __version__
from assessment.errors import Problem, ProblemsError, display_path
from assessment.export import respondent_tables
from assessment.models import Settings
from assessment.pages import Page, SiteData, render_pages
from assessment.recommend import recommend
from assessment.scoring import Scores, role_scores, score_workspace
from assessment.workspace import (
    MUNICIPALITIES_DIR,
    PACKAGE_DIR,
    SETTINGS_FILE,
    Questionnaire,
    Workspace,
    default_site_dir,
    folder_problem,
    is_slug,
    load_settings,
    load_workspace,
    questionnaire_for,
)

STAMP_DIR = ".ketenscan"
INPUT_FAILED = "fouten in de invoer; de vorige site blijft staan"
PUBLIC_MIN_GROUP = 5
# Lunr files the Dutch search needs; the other languages are dropped from every site.
_LUNR_KEEP = {"lunr.nl.min.js", "lunr.stemmer.support.min.js", "lunr.multi.min.js"}
_EXTERNAL_URL = re.compile(r"https?://(?!www\.w3\.org/)(?!127\.0\.0\.1)(?!localhost)")
_TAG = re.compile(r"<[^>]*>")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/")


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


@dataclass(frozen=True)
class RenderJob:
    """One municipality to load and render in a worker (picklable)."""

    root: Path
    slug: str
    audience: str
    settings: Settings
    questionnaire: Questionnaire
    cwd: str


# ---------------------------------------------------------------- fingerprints


def _hash_tree(digest: Any, folder: Path, base: Path) -> None:
    if not folder.exists():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


def code_fingerprint(questionnaire_dir: Path) -> str:
    """Hash of everything a site depends on besides its municipality folder."""
    digest = hashlib.sha256(__version__.encode())
    _hash_tree(digest, PACKAGE_DIR, PACKAGE_DIR.parent)
    _hash_tree(digest, default_site_dir(), default_site_dir().parent)
    _hash_tree(digest, questionnaire_dir, questionnaire_dir.parent)
    return digest.hexdigest()


def municipality_fingerprint(
    folder: Path, shared: str, settings_bytes: bytes, audience: str
) -> str:
    """Hash of one municipality's inputs plus everything shared."""
    digest = hashlib.sha256(shared.encode())
    digest.update(settings_bytes)
    digest.update(audience.encode())
    _hash_tree(digest, folder, folder.parent)
    return digest.hexdigest()


def _stamp_path(out: Path, slug: str) -> Path:
    return out / STAMP_DIR / f"{slug}.json"


def _read_stamp(out: Path, slug: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_stamp_path(out, slug).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ---------------------------------------------------------------- site data


def site_data(
    workspace: Workspace, scores: Scores, recs: pd.DataFrame, slug: str, audience: str
) -> SiteData:
    """The slice of every table that one municipality's site shows."""
    municipality = workspace.municipalities[slug]
    thresholds = workspace.settings.thresholds
    min_group = (
        max(thresholds.min_group_size, PUBLIC_MIN_GROUP)
        if audience == "public"
        else thresholds.min_group_size
    )

    def only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["municipality"] == slug].reset_index(drop=True)

    respondents, comments = respondent_tables(workspace, only=slug)
    if audience == "public":
        respondents = respondents.iloc[0:0]
        comments = comments.iloc[0:0]
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
        recommendations=only(recs),
        respondents=respondents,
        comments=comments,
    )


# ---------------------------------------------------------------- one site (worker)


def nav_of(pages: list[Page]) -> list[Any]:
    """MkDocs navigation from the pages' order and sections, titles escaped.

    Material writes nav titles into the HTML as they are, and a workspace's own
    questionnaire names the factor pages and their section.
    """
    nav: list[Any] = []
    groups: dict[str, list[Any]] = {}
    for page in pages:
        entry = {html.escape(page.title): page.path}
        if page.section is None:
            nav.append(entry)
        elif page.section in groups:
            groups[page.section].append(entry)
        else:
            groups[page.section] = [entry]
            nav.append({html.escape(page.section): groups[page.section]})
    return nav


def mkdocs_config(
    site_name: str,
    docs: Path,
    site_dir: Path,
    nav: list[Any],
    *,
    search: bool = True,
    strict: bool = True,
) -> dict[str, Any]:
    """The MkDocs configuration of a generated site (no request to any other host)."""
    return {
        "site_name": html.escape(site_name),
        # Absolute: MkDocs resolves relative paths against the config file's folder.
        "docs_dir": str(docs.absolute()),
        "site_dir": str(site_dir.absolute()),
        "use_directory_urls": False,
        "strict": strict,
        "nav": nav,
        "copyright": html.escape(f"{site_name} · gemaakt met Ketenscan"),
        "theme": {
            "name": "material",
            "language": "nl",
            "font": False,
            "custom_dir": str(default_site_dir() / "overrides"),
            "features": ["navigation.top", "navigation.indexes", "content.tooltips"],
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "extra": {"generator": False},
        "extra_css": ["assets/ketenscan.css"],
        "extra_javascript": ["assets/ketenscan.js"],
        "markdown_extensions": ["tables", "admonition", "attr_list", {"toc": {"permalink": False}}],
        "plugins": [{"search": {"lang": "nl"}}] if search else [],
    }


def write_docs(pages: Iterable[Page], docs: Path) -> None:
    """Write the Markdown pages and the site's own assets into a docs folder."""
    for page in pages:
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    shutil.copytree(default_site_dir() / "assets", docs / "assets", dirs_exist_ok=True)


def run_mkdocs(config: dict[str, Any], folder: Path, template_cache: Path | None = None) -> None:
    """Build one MkDocs site from a config dict (in this process).

    With `template_cache`, the theme's compiled Jinja templates are kept in that folder,
    so that every site after the first skips compiling Material's templates (each site is
    built in a fresh process, which would otherwise compile them again).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_path = folder / "mkdocs.yml"
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    loaded = load_config(str(config_path))
    # The name is escaped already (it may come from gemeente.yaml); as Markup, Material's
    # `| e` in title attributes keeps it as it is instead of escaping it a second time.
    loaded["site_name"] = markupsafe.Markup(loaded["site_name"])  # noqa: S704 (escaped)
    if template_cache is not None:
        import jinja2

        new_env = loaded.theme.get_env

        def cached_env() -> jinja2.Environment:
            env = new_env()
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(template_cache))
            return env

        loaded.theme.get_env = cached_env  # type: ignore[method-assign]
    build(loaded)


def insert_charts(site: Path, pages: Iterable[Page]) -> None:
    """Put each page's chart SVGs into its built HTML, where MkDocs kept the markers."""
    for page in pages:
        if not page.charts:
            continue
        path = site / page.html_path
        text = path.read_text(encoding="utf-8")
        for marker, svg in page.charts:
            if text.count(marker) != 1:
                raise ValueError(f"grafiek niet gevonden in {page.html_path}")
            text = text.replace(marker, svg)
        path.write_text(text, encoding="utf-8")


def sanitize_site(site: Path) -> None:
    """Remove what the site does not need and every reference to another host."""
    for path in list(site.rglob("*.map")):
        path.unlink()
    lunr = site / "assets" / "javascripts" / "lunr"
    if lunr.is_dir():
        for path in lunr.rglob("*.js"):
            if path.name not in _LUNR_KEEP:
                path.unlink()
    for path in site.rglob("*"):
        if (
            path.suffix not in (".js", ".css", ".html", ".json", ".xml", ".txt")
            or not path.is_file()
        ):
            continue
        if path.name.startswith("sitemap.xml"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "search_index.json":
            cleaned = _sanitize_search_index(text)
        else:
            cleaned = _EXTERNAL_URL.sub("about:invalid#", _SOURCE_MAP.sub("", text))
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
    # Without a site_url MkDocs' sitemap lists nothing; it only adds a foreign namespace.
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if (site / name).exists():
            (site / name).unlink()


def _sanitize_search_index(text: str) -> str:
    """The search index with every address made harmless, except in the text of its texts.

    Titles and texts are HTML fragments whose text Material's search plugin escaped: an
    address there is text (a comment that quotes it, shown as the page shows it), never a
    request. Only a tag could make one: addresses in tags and elsewhere are rewritten.
    """

    def unlink(value: str) -> str:
        return _EXTERNAL_URL.sub("about:invalid#", value)

    index = json.loads(text)
    docs = index.pop("docs", [])
    for doc in docs:
        for key, value in doc.items():
            if key in ("title", "text"):
                doc[key] = _TAG.sub(lambda tag: unlink(tag.group()), value)
            else:
                doc[key] = json.loads(unlink(json.dumps(value)))
    cleaned = json.loads(unlink(json.dumps(index)))
    cleaned["docs"] = docs
    return json.dumps(cleaned, separators=(",", ":"))


def publish(built: Path, target: Path) -> None:
    """Swap a complete new site into place; the old one stays until the new one is there."""
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        built.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def _safe_target(out: Path, slug: str) -> Path:
    if not is_slug(slug):
        raise ValueError(f"not a slug: {slug!r}")
    target = (out / slug).resolve()
    if not target.is_relative_to(out.resolve()):
        raise ValueError(f"output outside {out}: {slug!r}")
    return target


def publish_pages(
    slug: str, name: str, pages: list[Page], out: Path, template_cache: Path | None = None
) -> float:
    """Build the MkDocs site of rendered pages, clean it and swap it in; returns seconds."""
    started = time.perf_counter()
    target = _safe_target(out, slug)
    work = out / f".tmp-{slug}-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        docs, site = work / "docs", work / "site"
        write_docs(pages, docs)
        config = mkdocs_config(f"Ketenscan {name}", docs, site, nav_of(pages))
        run_mkdocs(config, work, template_cache)
        insert_charts(site, pages)
        sanitize_site(site)
        publish(site, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return time.perf_counter() - started


def build_municipality(data: SiteData, out: Path) -> float:
    """Render, build, clean and publish one municipality's site in this process."""
    started = time.perf_counter()
    publish_pages(data.slug, data.info.name, render_pages(data), out)
    return time.perf_counter() - started


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
        scores = score_workspace(workspace)
        recs = recommend(scores, workspace.questionnaire, workspace.settings.thresholds)
        data = site_data(workspace, scores, recs, job.slug, job.audience)
        pages = render_pages(data)
    except ProblemsError as error:  # e.g. the folder went away during the build
        return Rendered(
            job.slug, error=INPUT_FAILED, problems=error.problems, input_problems=error.problems
        )
    except BaseException as error:  # reported per municipality, never fatal
        return Rendered(job.slug, error=_failure(error), problems=problems)
    info = workspace.municipalities[job.slug].info
    latest = scores.overall.sort_values("round").tail(1).to_dict("records")
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
            "index": _plain(record.get("index")),
            "level": record.get("level"),
            "respondents": _plain(record.get("respondents")),
        },
    )


def _publish_job(
    slug: str, name: str, pages: list[Page], out: Path, template_cache: Path
) -> tuple[str, float, str]:
    """MkDocs build and publish of one site (runs in a fresh process per site)."""
    try:
        return slug, publish_pages(slug, name, pages, out, template_cache), ""
    except BaseException as error:  # reported per municipality, never fatal
        return slug, 0.0, _failure(error)


# ---------------------------------------------------------------- portal


def build_portal(out: Path, title: str, rows: list[dict[str, Any]]) -> None:
    """`out/index.html`: every municipality with overall index, level, latest round, link."""
    from assessment.pages import _environment, user_text

    # The title comes from ketenscan.yaml: neutral in Markdown, escaped as a nav title
    # (Material writes nav titles into the HTML as they are).
    content = _environment().get_template("portaal.md.j2").render(title=user_text(title), rows=rows)
    work = out / f".tmp-portal-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    try:
        docs, site = work / "docs", work / "site"
        write_docs([Page("index.md", title, content)], docs)
        # The portal links to the sibling sites, which MkDocs cannot see: not strict. Its
        # one nav entry is not named after the site: the nav's heading already is.
        config = mkdocs_config(
            title, docs, site, [{"Overzicht": "index.md"}], search=False, strict=False
        )
        config["validation"] = {"links": {"not_found": "ignore", "unrecognized_links": "ignore"}}
        config["extra"]["portal"] = True  # its 404 page serves the whole output folder
        run_mkdocs(config, work)
        sanitize_site(site)
        for name in ("index.html", "404.html"):
            if (site / name).exists():
                os.replace(site / name, out / name)
        assets = out / "assets"
        if assets.exists():
            shutil.rmtree(assets)
        shutil.move(str(site / "assets"), assets)
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
        stamp = _read_stamp(out, slug)
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
    for rendered, seconds, error in _run_workers(jobs_todo, out.absolute(), jobs):
        problems.extend(rendered.problems)
        if error:
            result = BuildResult(
                rendered.slug, "failed", problems=rendered.input_problems, message=error
            )
        else:
            result = BuildResult(rendered.slug, "built", seconds)
            _stamp_path(out, rendered.slug).parent.mkdir(parents=True, exist_ok=True)
            _stamp_path(out, rendered.slug).write_text(
                json.dumps(
                    {"fingerprint": fingerprints[rendered.slug], **rendered.record},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        _report(results, progress, result)
    rows = []
    for slug in sorted(p.name for p in folders) if only is None else []:
        stamp = _read_stamp(out, slug)
        if stamp is not None and (out / slug / "index.html").exists():
            rows.append({"slug": slug, **stamp})
    if only is None:
        _in_worker(build_portal, out, settings.title, rows)
    # Sorted: workers finish in any order, the report should not.
    return BuildReport(out, sorted(results, key=lambda r: r.slug), sorted(problems))


def _report(
    results: list[BuildResult],
    progress: Callable[[BuildResult], None] | None,
    result: BuildResult,
) -> None:
    results.append(result)
    if progress:
        progress(result)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


# Imported once by the fork server, so that no worker imports them again. Importing sets
# up no build state: every worker is forked from a server that never builds a site.
_PRELOAD = [
    "assessment.site",
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


def _in_worker(func: Callable[..., None], *args: Any) -> None:
    """Run a MkDocs build in a fresh process, so that its global state stays there."""
    with _pool(1) as pool:
        pool.submit(func, *args).result()


def _run_workers(
    jobs_todo: list[RenderJob], out: Path, jobs: int | None
) -> Iterable[tuple[Rendered, float, str]]:
    """Load and render pages in long-lived workers, build each site in a fresh process.

    At most `jobs` tasks run at a time over both pools; a rendered site is built before
    the next one is rendered, so finished pages do not pile up in memory.
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
                    publishing = publish_pool.submit(
                        _publish_job,
                        done_render.slug,
                        done_render.record["name"],
                        done_render.pages,
                        out,
                        Path(template_cache),
                    )
                    done_render.pages = []  # the publish worker has them now
                    running[publishing] = "publish"
                else:
                    running[render_pool.submit(_render_job, queue.pop())] = "render"
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind = running.pop(future)
                if kind == "render":
                    outcome: Rendered = future.result()
                    if outcome.error:
                        yield outcome, 0.0, outcome.error
                    else:
                        rendered.append(outcome)
                else:
                    slug, seconds, error = future.result()
                    published = waiting.pop(slug)
                    yield published, seconds + published.seconds, error
