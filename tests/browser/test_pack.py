"""The facilitator pack (`ketenscan workshop pack`) and the shared print machinery
(assessment/printing.py), checked in the PDF itself with pypdf: the pages and their paper
sizes, page numbers, a tagged PDF with an outline, every discussion point whole on its own
page, and a document that would be cut at a page edge refused before anything is written.

The demo's Rivierstede is printed once per test run (its 2025-najaar round): 6 discussion
points (regie and its five statements, examples/README.md story 1), 16 factors and
conditions, 2 radar posters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from playwright.sync_api import Playwright

from assessment.analysis import analyse
from assessment.cli import main
from assessment.errors import ProblemsError
from assessment.printing import CHROMIUM_ENV, print_css, print_pdf
from assessment.workspace import load_workspace
from tests.sites import BUILD_ROOT, EXAMPLES

TOWN = "rivierstede"
ROUND = "2025-najaar"
# Points in PostScript units (1/72 inch): A4 is 595 × 842, A3 842 × 1191.
A4, A4_LANDSCAPE, A3_LANDSCAPE = (595, 842), (842, 595), (1191, 842)


def squeeze(text: str) -> str:
    """Text with every run of white space as one space (PDF text breaks lines anywhere)."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pack() -> pypdf.PdfReader:
    """The demo's pack for Rivierstede, printed through the command line."""
    out = BUILD_ROOT / "pack" / f"{TOWN}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["workshop", "pack", str(EXAMPLES), TOWN, "--out", str(out)])
    assert result.exit_code == 0, result.output
    # 1 agenda + 6 cards + 16 sheets + 2 posters + 1 candidates + 1 action plan = 27.
    assert "(27 pagina's, 6 gesprekspunten)" in result.output
    return pypdf.PdfReader(out)


@pytest.fixture(scope="session")
def texts(pack: pypdf.PdfReader) -> list[str]:
    """The text of every page, squeezed."""
    return [squeeze(page.extract_text()) for page in pack.pages]


def size(page: Any) -> tuple[int, int]:
    """A page's size in points, rounded."""
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def test_pack_has_every_part_on_its_paper(pack: pypdf.PdfReader, texts: list[str]) -> None:
    assert len(pack.pages) == 27
    sizes = [size(page) for page in pack.pages]
    assert sizes == [A4] + [A4] * 6 + [A4_LANDSCAPE] * 16 + [A3_LANDSCAPE] * 2 + [A4, A4_LANDSCAPE]
    assert "Agenda" in texts[0]
    assert "0:20–1:05" in texts[0]
    for number in range(1, 7):
        assert f"Gesprekspunt {number} van 6" in texts[number]
    for number in range(1, 17):
        assert f"vel {number} van 16" in texts[6 + number]
    assert texts[23].startswith("Pagina 24 van 27 Poster: Succesfactoren") or (
        "Poster: Succesfactoren" in texts[23]
    )
    assert "Poster: Wat werkt" in texts[24]
    assert "Kandidaat-acties" in texts[25]
    assert "Actieplan ronde 2025-najaar" in texts[26]


def test_every_page_is_numbered(texts: list[str]) -> None:
    for number, text in enumerate(texts, start=1):
        assert f"Pagina {number} van 27" in text


def test_pack_is_tagged_with_an_outline(pack: pypdf.PdfReader) -> None:
    root: Any = pack.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True

    def titles(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            found += titles(item) if isinstance(item, list) else [str(item.title)]
        return found

    outline = titles(pack.outline)
    assert outline[0] == "Facilitatorpakket workshop Rivierstede"
    assert "Agenda" in outline
    assert sum(1 for t in outline if t.startswith("Gesprekspunt ")) == 6
    assert "Niveau vaststellen: Regie op alle niveaus" in outline
    assert "Poster: Succesfactoren" in outline
    assert "Actieplan ronde 2025-najaar" in outline


def test_every_discussion_point_is_whole_on_its_own_page(texts: list[str]) -> None:
    analysis = analyse(load_workspace(EXAMPLES, only=TOWN))
    points = analysis.workshop.points
    points = points[(points["municipality"] == TOWN) & (points["round"] == ROUND)]
    instrument = analysis.workspace.questionnaire.instrument
    names = {s.id: s.text for s in instrument.statements()} | {
        f.id: f.title for f in instrument.factors()
    }
    assert len(points) == 6
    cards = texts[1:7]
    for number, point in enumerate(points.to_dict("records"), start=1):
        page = cards[number - 1]
        # Title at the top and the notes box at the bottom on the same page: not cut.
        assert f"Gesprekspunt {number}: {squeeze(names[str(point['point'])])}" in page
        assert page.rstrip().endswith("Notities") or "Notities" in page
        assert "Openingsvraag" in page
        consensus = f"{point['consensus']:.2f}".replace(".", ",")
        assert f"Eensgezindheid {consensus}" in page


def test_agreement_sheet_shows_partners_per_level(texts: list[str]) -> None:
    # Rivierstede 2025, regie (vel 4): the camps put 5 partners at level 1, 1 at 2 and
    # 6 at 5 (examples/README.md: six low, six high); n = 12.
    sheet = texts[10]
    assert "Niveau vaststellen: Regie op alle niveaus" in sheet
    assert "Partners op dit niveau 5 1 0 0 6" in sheet
    assert "n = 12" in sheet


# ------------------------------------------------------------------------ the machinery


def document(body: str) -> str:
    """A one-sheet printable document around `body`."""
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title>'
        f"<style>{print_css()}</style></head><body>"
        '<section class="ks-sheet ks-sheet--a4" data-page-height="264" data-page-width="180">'
        f"<h1>Proef</h1>{body}</section></body></html>"
    )


def test_a_part_taller_than_its_page_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "te-lang.pdf"
    with pytest.raises(ProblemsError) as caught:
        print_pdf(document('<div data-keep="kaart" style="height: 300mm">lang</div>'), out)
    [problem] = caught.value.problems
    assert problem.code == "print.cut-off"
    # 300 mm against the 264 mm of an A4 page between its margins.
    assert "kaart: lang (300 mm hoog, de pagina 264 mm)" in problem.message
    assert not out.exists()


def test_a_part_wider_than_the_paper_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        print_pdf(document('<table style="width: 250mm"><tr><td>breed</td></tr></table>'),
                  tmp_path / "te-breed.pdf")  # fmt: skip
    assert {p.code for p in caught.value.problems} == {"print.cut-off"}
    assert "mm breed, de pagina 180 mm" in caught.value.problems[0].message


def test_a_fitting_document_prints_and_fetches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "goed.pdf"
    # The image may not be fetched: the print has no network.
    printed = print_pdf(
        document('<div data-keep="kaart" style="height: 200mm">past</div>'
                 '<img src="http://example.invalid/x.png" alt="">'),
        out,
    )  # fmt: skip
    assert printed.pages == 1
    reader = pypdf.PdfReader(out)
    assert size(reader.pages[0]) == A4
    assert "Pagina 1 van 1" in reader.pages[0].extract_text()


def test_printing_works_while_a_browser_session_runs(
    playwright: Playwright, tmp_path: Path
) -> None:
    # The session's Playwright runs an asyncio loop in this thread, as a server or a
    # notebook would; printing must not mind.
    printed = print_pdf(document("<p>naast een andere sessie</p>"), tmp_path / "naast.pdf")
    assert printed.pages == 1


def test_missing_chromium_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "geen-chromium"))
    result = CliRunner().invoke(
        main, ["workshop", "pack", str(EXAMPLES), TOWN, "--out", str(tmp_path / "p.pdf")]
    )
    assert result.exit_code == 1
    assert "Chromium is niet gevonden" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "p.pdf").exists()


def test_pack_of_a_round_without_answers_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["workshop", "pack", str(EXAMPLES), TOWN, "--round", "2030-voorjaar", "--out",
         str(tmp_path / "p.pdf")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "ronde '2030-voorjaar' heeft geen antwoorden bij rivierstede" in result.output
