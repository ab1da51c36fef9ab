"""The municipal report (`ketenscan report`), checked in the printed PDF with pypdf and in
Chromium: every section, the table of contents and its page numbers, the outline, a tagged
A4 PDF with page numbers, nothing cut at a page edge, and no free text in the public
version (the demo's comments and the hostile workspace's payloads).

The demo's Lindeloo (2025-najaar) is printed once per audience per test run; its stories
are in examples/README.md: jeugdbescherming never takes part (story 2), no partner offers
'overname van opvoeding' (story 3), regie and toerusting rose by 1,2 (story 5), a workshop
on 2025-11-26 agreed 6 actions, and of the 4 actions of 2024-najaar the ones for regie and
the spreekuur are done and the jeugdbescherming one is late (story 7).
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Dialog, Page

from assessment.analysis import analyse
from assessment.cli import main
from assessment.pages.markup import user_text
from assessment.report import prepare_report, write_report
from assessment.workspace import load_workspace
from tests.browser.conftest import injection_workspace
from tests.payloads import MUNICIPALITY as HOSTILE
from tests.payloads import PAYLOADS, internal_workshop_texts, public_workshop_texts
from tests.sites import BUILD_ROOT, EXAMPLES

TOWN = "lindeloo"
REPORTS = BUILD_ROOT / "reports"
A4 = (595, 842)  # points
CHAPTERS = [
    "1 Samenvatting", "2 In één beeld", "3 De succesfactoren", "4 Wat werkt", "5 De keten",
    "6 Prioriteiten", "7 Ontwikkeling", "8 Aanbevelingen", "9 Workshop en actieplan",
    "Bijlage: zo rekenen we",
]  # fmt: skip


def squeeze(text: str) -> str:
    """Text with every run of white space as one space (PDF text breaks lines anywhere)."""
    return " ".join(text.split())


@dataclass
class Printed:
    """A printed report: the PDF read back, each page's text, the HTML it was printed from."""

    reader: pypdf.PdfReader
    texts: list[str]
    html: str
    output: str

    @property
    def text(self) -> str:
        """All pages' text in one string."""
        return " ".join(self.texts)


def printed(name: str, audience: str, *, cli: bool = False) -> Printed:
    """Lindeloo's report for `audience`, printed at most once per test run (xdist workers
    share it through a lock, as the built sites do)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    out, saved = REPORTS / f"{name}.pdf", REPORTS / f"{name}.json"
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    with (REPORTS / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            kept = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
            if not (run and kept.get("run") == run and out.exists()):
                if cli:
                    result = CliRunner().invoke(
                        main,
                        ["report", str(EXAMPLES), TOWN, "--audience", audience, "--out", str(out)],
                    )
                    assert result.exit_code == 0, result.output
                    kept = {"run": run, "html": "", "output": result.output}
                else:
                    report = write_report(EXAMPLES, TOWN, out, audience=audience)
                    kept = {"run": run, "html": report.html, "output": ""}
                saved.write_text(json.dumps(kept), encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    reader = pypdf.PdfReader(out)
    texts = [squeeze(page.extract_text()) for page in reader.pages]
    return Printed(reader, texts, kept["html"], kept["output"])


@pytest.fixture(scope="session")
def public() -> Printed:
    """The public report of Lindeloo, printed through the library (its HTML kept)."""
    return printed("lindeloo-public", "public")


@pytest.fixture(scope="session")
def internal() -> Printed:
    """The internal report of Lindeloo, printed through the command line."""
    return printed("lindeloo-internal", "internal", cli=True)


def contents(report: Printed) -> dict[str, int]:
    """The table of contents (page 2) as {heading: page number}."""
    text = report.texts[1]
    found: dict[str, int] = {}
    for heading in CHAPTERS + [f"3.{n}" for n in range(1, 9)]:
        match = re.search(re.escape(heading) + r"(?: [^\d]+?)? (\d+)(?= |$)", text)
        assert match, f"{heading} not in the contents: {text}"
        found[heading] = int(match.group(1))
    return found


# ------------------------------------------------------------------ pages and contents


def test_the_report_has_its_pages_on_a4_numbered(public: Printed) -> None:
    pages = len(public.reader.pages)
    # At least: cover, contents, summary, 2 radars, the factors' overview and 8 factor
    # pages, wat werkt, keten, 2 priority charts, 2 trend charts, recommendations, the
    # workshop and 2 pages of method = 24; more than 50 would no longer be a report.
    assert 24 <= pages <= 50
    assert all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4
        for p in public.reader.pages
    )
    assert "Pagina" not in public.texts[0]  # the cover has no number
    for number, text in enumerate(public.texts[1:], start=2):
        assert f"Pagina {number} van {pages}" in text


def test_the_contents_lead_to_each_chapter(public: Printed) -> None:
    found = contents(public)
    numbers = [found[h] for h in CHAPTERS]
    assert numbers == sorted(numbers)
    assert numbers[0] == 3
    for heading, page in found.items():
        text = public.texts[page - 1]
        assert heading in text, f"{heading} is not on page {page}"
    # Each success factor starts a page of its own, at its top, after the chapter's overview.
    starts = [found["3 De succesfactoren"]] + [found[f"3.{n}"] for n in range(1, 9)]
    assert all(a < b for a, b in itertools.pairwise(starts))
    for n in range(1, 9):
        top = public.texts[found[f"3.{n}"] - 1]
        assert re.search(rf"Pagina \d+ van \d+ 3\.{n} ", top), "the factor is not at the top"


def test_the_pdf_is_tagged_with_an_outline(public: Printed) -> None:
    root: Any = public.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "nl"
    assert public.reader.metadata is not None
    assert public.reader.metadata.title == "Ketenscan jeugd Lindeloo: rapport ronde 2025-najaar"

    def titles(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            found += titles(item) if isinstance(item, list) else [squeeze(str(item.title))]
        return found

    outline = titles(public.reader.outline)
    assert outline[0] == "Samenwerking in de jeugdzorg in Lindeloo"
    for heading in [*CHAPTERS, "3.4 Regie op alle niveaus", "Inhoud"]:
        assert heading in outline


def test_every_section_says_what_it_should(public: Printed) -> None:
    found = contents(public)

    def chapter(heading: str) -> str:
        start = found[heading] - 1
        later = [p for p in found.values() if p > found[heading]]
        return " ".join(public.texts[start : (min(later) - 1) if later else None])

    summary = chapter("1 Samenvatting")
    assert "7 partnerorganisaties" in summary
    assert "Niet meegedaan, wel verwacht: jeugdbescherming" in summary
    assert "Geen enkele partner biedt hulp op het niveau 'overname van opvoeding'" in summary
    assert "Regie op alle niveaus (+1,2)" in summary  # 2,22 -> 3,42
    assert "Toerusting eerstelijn (+1,2)" in summary  # 2,28 -> 3,50
    assert "In de workshop van 26 november 2025" in summary
    assert "Zij spraken 6 acties af" in summary
    assert "Van de 4 acties uit 2024-najaar zijn er 2 klaar; 1 is te laat." in summary
    assert "Wat als eerste kan helpen" in summary
    radars = chapter("2 In één beeld")
    assert "Succesfactoren: score per factor" in radars
    assert "Wat werkt: score per voorwaarde" in radars
    regie = chapter("3.4")
    assert "Het niveau nu en de volgende stap" in regie
    assert "Stelling 5:" in regie
    assert "Samen vastgesteld" in chapter("4 Wat werkt")
    keten = chapter("5 De keten")
    assert "Jeugdbescherming" in keten
    assert "gat in de keten" in keten
    assert "Ambitiekloof" in chapter("6 Prioriteiten")
    assert "Totaalindex per ronde" in chapter("7 Ontwikkeling")
    recommendations = chapter("8 Aanbevelingen")
    assert "Snel resultaat" in recommendations
    assert "Structureel" in recommendations
    workshop = chapter("9 Workshop en actieplan")
    assert "Samen vastgestelde niveaus" in workshop
    assert "Actieplan ronde 2025-najaar" in workshop
    assert "Acties uit ronde 2024-najaar: hoe staan ze nu?" in workshop
    method = chapter("Bijlage: zo rekenen we")
    assert "Eensgezindheid (consensus)" in method
    assert "Tastle en Wierman" in method


# ------------------------------------------------------------------ nothing cut


def test_no_chart_or_table_is_cut_at_a_page_edge(public: Printed, browser: Browser) -> None:
    page: Page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(public.html)
        page.emulate_media(media="print")
        parts = page.evaluate(
            """() => [...document.querySelectorAll("figure, table")].map((el) => ({
                kind: el.localName,
                keep: el.closest("[data-keep]") !== null,
                avoid: getComputedStyle(el).breakInside,
                rows: [...el.querySelectorAll("tbody tr")].every(
                    (tr) => getComputedStyle(tr).breakInside === "avoid"),
                head: el.querySelector("thead") !== null,
                height: el.getBoundingClientRect().height / (96 / 25.4),
                caption: (el.querySelector("caption, figcaption strong") || {}).textContent,
                last: [...el.querySelectorAll("svg text:not(:has(tspan)), tbody tr:last-child th")]
                    .map((t) => t.textContent.trim()).filter((t) => t).pop(),
            }))"""
        )
    finally:
        page.close()
    charts = [p for p in parts if p["kind"] == "figure"]
    assert len(charts) >= 14  # 2 radars, 8 answer charts, coverage, 2 priorities, 2 trends
    for part in parts:
        if part["kind"] == "figure" or part["keep"]:
            # Kept whole: never split, and small enough for the 264 mm of a page.
            assert part["keep"], part["caption"]
            assert part["avoid"] == "avoid", part["caption"]
            assert part["height"] <= 264, part["caption"]
        else:
            # A long table may continue on the next page, between rows, its header repeated.
            assert part["rows"], part["caption"]
            assert part["head"], part["caption"]
    # In the PDF: a kept part's caption and its last label or row stand on one page.
    checked = 0
    for part in parts:
        if not (part["keep"] and part["caption"] and part["last"]):
            continue
        caption, last = squeeze(part["caption"]), squeeze(part["last"])[:40]
        pages = [i for i, text in enumerate(public.texts) if caption in text]
        assert pages, caption
        assert any(last in public.texts[i] for i in pages), f"{caption} is split from {last}"
        checked += 1
    assert checked >= 20


# ------------------------------------------------------------------ free text


def free_texts() -> dict[str, list[str]]:
    """Every text the demo's partners wrote for Lindeloo, by kind."""
    analysis = analyse(load_workspace(EXAMPLES, only=TOWN))
    workshop = analysis.workshop
    actions = workshop.actions
    return {
        "comments": analysis.comments["text"].tolist(),
        "organisations": analysis.respondents["organisation"].tolist(),
        "rationales": workshop.agreed["rationale"].dropna().tolist(),
        "notes": workshop.notes["text"].tolist(),
        "actions": actions["title"].tolist() + actions["measure"].dropna().tolist(),
    }


def test_the_public_report_holds_no_text_partners_wrote(public: Printed, internal: Printed) -> None:
    texts = free_texts()
    assert all(len(found) > 0 for found in texts.values()), texts.keys()
    for kind, found in texts.items():
        for text in found:
            start = squeeze(text)[:45]
            assert start not in public.text, f"{kind}: {start}"
    # The internal report is where they belong (so the check above can fail); the
    # latest round's comments and the workshop's texts are in it.
    assert "Rapport (interne versie, ronde 2025-najaar) geschreven naar" in internal.output
    assert any(squeeze(t)[:45] in internal.text for t in texts["comments"])
    for kind in ("rationales", "actions"):
        assert any(squeeze(t)[:45] in internal.text for t in texts[kind]), kind
    assert "Interne versie" in internal.texts[0]
    assert "Openbare versie" in public.texts[0]


def hostile(audience: str) -> str:
    """The report of the hostile workspace as the HTML it prints."""
    return prepare_report(injection_workspace(), HOSTILE, audience=audience).render()


@pytest.fixture(scope="session")
def hostile_public() -> str:
    """The hostile workspace's public report (HTML)."""
    return hostile("public")


@pytest.fixture(scope="session")
def hostile_internal() -> str:
    """The hostile workspace's internal report (HTML)."""
    return hostile("internal")


def test_no_payload_reaches_the_public_report(hostile_public: str) -> None:
    html = hostile_public
    for text in PAYLOADS + public_workshop_texts() + internal_workshop_texts():
        # Neither as written nor as the entities user_text makes of it.
        assert text not in html, text
        assert str(user_text(text)) not in html, text
    for label in ("Onderbouwing 1 ", "Notitie 1 ", "Meetpunt 1 ", "Org 1 "):
        assert label not in html
    assert "Samen vastgestelde niveaus" in html  # the workshop part is there, its texts not


def test_payloads_in_the_internal_report_stay_text(hostile_internal: str, browser: Browser) -> None:
    page = browser.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(hostile_internal)
        text = page.evaluate("() => document.body.innerText")
        injected = page.evaluate(
            """() => document.querySelectorAll(
                "body script, img, a[href^='javascript'], [onerror], [onload], "
                + "body svg:not([role='img'])"
            ).length"""
        )
    finally:
        page.close()
    assert dialogs == []
    assert injected == 0
    for payload in ["<script>alert(1)</script>", "{{ config }}", "[x](javascript:alert(1))"]:
        assert payload in text
    assert "Let op [U+202E]esrever[U+202C] tekst" in text
    for label in ("Onderbouwing 1 ", "Actie 1 ", "Meetpunt 1 "):
        assert label in text
