"""HTML to PDF through Debian's Chromium (driven by Playwright): tagged, with an outline
from the headings, and checked first for anything a page edge would cut.

Shared by everything Ketenscan prints (the facilitator pack and the municipal report).
A printable document is one self-contained HTML text (inline CSS and SVG): the browser
is not allowed to fetch anything, from any host.

The cut check relies on the document's own structure, set up by `print.css`: every page
kind is a `section.ks-sheet` whose `data-page-height` and `data-page-width` give the
printable area in millimetres, and every part that must stay whole (a card, a table row,
a chart) carries `data-keep`. Such a part is never split by the browser as long as it fits
on one page, so the check is: every `data-keep` part fits in its sheet's printable area,
and nothing in a sheet is wider than the paper.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.paths import default_site_dir

CHROMIUM_ENV = "KETENSCAN_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MM = 96 / 25.4  # CSS pixels per millimetre
# A document that prints its own page numbers (a table of contents) is printed again until
# they stand still; the second print normally settles it.
MAX_PASSES = 3
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

# Every part that must stay whole, and whether it fits its sheet (sizes in CSS pixels).
_CUT_CHECK = """(mm) => {
    const found = [];
    for (const sheet of document.querySelectorAll("section.ks-sheet")) {
        const height = parseFloat(sheet.dataset.pageHeight) * mm;
        const width = parseFloat(sheet.dataset.pageWidth) * mm;
        const left = sheet.getBoundingClientRect().left;
        const name = (element) => (element.dataset.keep || element.localName)
            + ": " + element.textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
        for (const part of sheet.querySelectorAll("[data-keep]")) {
            const box = part.getBoundingClientRect();
            if (box.height > height + 0.5) {
                found.push(`${name(part)} (${Math.round(box.height / mm)} mm hoog, `
                    + `de pagina ${Math.round(height / mm)} mm)`);
            }
        }
        for (const element of sheet.querySelectorAll("*")) {
            const box = element.getBoundingClientRect();
            if (box.width > 0 && box.right - left > width + 0.5) {
                found.push(`${name(element)} (${Math.round((box.right - left) / mm)} mm breed, `
                    + `de pagina ${Math.round(width / mm)} mm)`);
                break;
            }
        }
    }
    return found;
}"""


@dataclass(frozen=True)
class PrintedPdf:
    """A PDF that was written, and how many pages it has."""

    path: Path
    pages: int


def print_css() -> str:
    """The shared print style sheet: page sizes, page numbers, black-and-white legibility."""
    return (default_site_dir() / "print" / "print.css").read_text(encoding="utf-8")


def chromium_path() -> str:
    """Debian's Chromium (or the one `KETENSCAN_CHROMIUM` names); a problem when absent."""
    wanted = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(wanted).is_file():
        raise ProblemsError(
            [
                file_problem(
                    wanted,
                    "print.no-browser",
                    "Chromium is niet gevonden; installeer het (Debian: 'apt-get install "
                    f"chromium') of geef het pad in de omgevingsvariabele {CHROMIUM_ENV}",
                )
            ]
        )
    return wanted


def count_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF written by Chromium."""
    return len(_PAGE.findall(pdf))


@dataclass(frozen=True)
class OutlineEntry:
    """A heading as the PDF's outline (bookmarks) holds it: level 1 at the top."""

    level: int
    title: str
    page: int  # 1-based


def outline_entries(pdf: bytes) -> list[OutlineEntry]:
    """Every entry of a PDF's outline in document order, with the page it leads to."""
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[OutlineEntry] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, pypdf.generic.Destination):
                page = reader.get_destination_page_number(item)
                if page is not None:
                    title = " ".join(str(item.title).split())
                    found.append(OutlineEntry(level, title, page + 1))

    walk(list(reader.outline), 1)
    return found


# Given the PDF just printed: the document to print instead, or None when it is final.
Revision = Callable[[bytes], str | None]


def print_pdf(html: str, out: Path, revise: Revision | None = None) -> PrintedPdf:
    """Print one self-contained HTML document to `out` (replaced only when complete).

    `revise` lets a document refer to its own pages (a table of contents): it gets each
    printed PDF and returns the document to print again, or None when the PDF is final.
    Raises ProblemsError when Chromium is missing or fails, or when a part of the document
    would be cut at a page edge (nothing is written then).
    """
    from playwright.sync_api import Error as PlaywrightError

    shown = display_path(out)
    executable = chromium_path()
    # Playwright's sync API refuses to run where an asyncio loop runs (a server, a
    # notebook, another Playwright session): a thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            cut, pdf = pool.submit(_render, html, executable, revise, shown).result()
        except PlaywrightError as error:
            message = str(error).strip()
            first = message.splitlines()[0] if message else type(error).__name__
            raise ProblemsError(
                [file_problem(shown, "print.failed", f"Chromium kon de PDF niet maken: {first}")]
            ) from None
    if cut:
        raise ProblemsError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "print.cut-off",
                    f"dit deel past niet op één pagina en zou worden afgesneden: {part}",
                )
                for part in cut
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(pdf)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return PrintedPdf(out, count_pages(pdf))


def _render(
    html: str, executable: str, revise: Revision | None, shown: str
) -> tuple[list[str], bytes]:
    """In Chromium: the parts that would be cut, or (when none) the PDF."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Nothing leaves the machine: the document carries everything it shows.
            page.route("**/*", lambda route: route.abort())
            page.emulate_media(media="print")
            document = html
            for _ in range(MAX_PASSES):
                page.set_content(document, wait_until="load")
                cut: list[str] = page.evaluate(_CUT_CHECK, MM)
                if cut:
                    return cut, b""
                pdf = page.pdf(
                    prefer_css_page_size=True, print_background=True, tagged=True, outline=True
                )
                revised = revise(pdf) if revise is not None else None
                if revised is None:
                    return [], pdf
                document = revised
            raise ProblemsError(
                [
                    file_problem(
                        shown,
                        "print.failed",
                        f"de paginanummers kwamen na {MAX_PASSES} keer afdrukken niet vast "
                        "te liggen",
                    )
                ]
            )
        finally:
            browser.close()
