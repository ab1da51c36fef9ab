"""The MkDocs side of a site: navigation, configuration, docs folder and the build itself."""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

import markupsafe

from assessment.pages.page import Page
from assessment.paths import default_site_dir
from assessment.website.postprocess import unwanted

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

    With `template_cache`, work that is the same for every site is done once per build
    and kept in that folder: the theme's compiled Jinja templates, and the list of the
    theme's static files, which MkDocs otherwise finds by walking every file of the
    theme, Material's thousands of icons included (each site is built in a fresh process,
    which would otherwise do both again).
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
    # Without a site_url MkDocs' sitemap lists nothing; the site does not need it.
    loaded.theme.static_templates.discard("sitemap.xml")
    if template_cache is not None:
        import jinja2

        new_env = loaded.theme.get_env
        theme = [*loaded.theme.dirs, *sorted(loaded.theme.static_templates)]

        def cached_env() -> jinja2.Environment:
            env = new_env()
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(template_cache))
            env.list_templates = _listed_once(env.list_templates, template_cache, theme)  # type: ignore[method-assign]
            return env

        loaded.theme.get_env = cached_env  # type: ignore[method-assign]
    build(loaded)


def _listed_once(
    list_templates: Callable[..., list[str]], folder: Path, theme: list[str]
) -> Callable[..., list[str]]:
    """`Environment.list_templates`, its filtered result kept in `folder` for all sites.

    MkDocs asks for it once per build (`Files.add_files_from_theme`), always with the same
    filter for the same theme; the answer is kept per theme folders, static templates and
    filter, so any other question is answered afresh. Files the site drops anyway (source
    maps, other search languages; see `postprocess.unwanted`) are left out.
    """

    def listed(
        extensions: Collection[str] | None = None,
        filter_func: Callable[[str], bool] | None = None,
    ) -> list[str]:
        if extensions is not None or filter_func is None:
            return list_templates(extensions, filter_func)
        key = hashlib.sha256(json.dumps([*theme, filter_func.__qualname__]).encode()).hexdigest()
        path = folder / f"theme-files-{key[:16]}.json"
        try:
            names: list[str] = json.loads(path.read_text(encoding="utf-8"))
            return names
        except (OSError, ValueError):
            pass
        # The files the site would drop after the build are not copied into it at all.
        names = [n for n in list_templates(filter_func=filter_func) if not unwanted(n)]
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".theme-files-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(names, file)
        os.replace(temporary, path)  # whole or not at all: other sites read it at once
        return names

    return listed
