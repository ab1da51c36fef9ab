"""The Workshop and Actieplan pages, and the agreed levels on the other pages, rendered
without MkDocs from the workspace of tests/workshop_helpers.py (numbers worked out there
and below); what each audience may see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.analysis import analyse
from assessment.pages import render_pages
from assessment.pages.context import site_data
from assessment.pages.markup import user_text
from assessment.pages.page import Page
from assessment.workspace import load_workspace
from tests.payloads import MUNICIPALITY as INJECTED
from tests.payloads import (
    internal_workshop_texts,
    public_workshop_texts,
    write_injection_workspace,
)
from tests.workshop_helpers import LATER, NOTE_2025, RATIONALE_2025, TOWN, write_workshop_town

# a4 adopts a recommendation that fires in 2025-najaar (regie: consensus 0,29 < 0,6).
ADOPTING = "    owner: gemeente\n    due: 2026-03-01\n"


def pages_of(root: Path, audience: str) -> dict[str, Page]:
    """The rendered pages of the town for an audience."""
    workspace = load_workspace(root)
    assert workspace.errors == []
    data = site_data(analyse(workspace), TOWN, audience)
    return {page.path: page for page in render_pages(data)}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace, with a4 adopting 'regie-verdeeld'."""
    root = write_workshop_town(tmp_path_factory.mktemp("pages") / "ws")
    path = root / "gemeenten" / TOWN / LATER / "workshop.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(ADOPTING) == 1
    path.write_text(
        text.replace(ADOPTING, f"    recommendation: regie-verdeeld\n{ADOPTING}"),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def internal(town: Path) -> dict[str, Page]:
    """Pages for the partners."""
    return pages_of(town, "internal")


@pytest.fixture(scope="module")
def public(town: Path) -> dict[str, Page]:
    """Pages for everyone."""
    return pages_of(town, "public")


def squeeze(text: str) -> str:
    """Text with every run of white space as one space."""
    return " ".join(text.split())


# ------------------------------------------------------------------------ Workshop page


def test_workshop_page_only_on_the_internal_site(
    internal: dict[str, Page], public: dict[str, Page]
) -> None:
    assert "workshop.md" in internal
    assert "workshop.md" not in public
    titles = [page.title for page in internal.values()]
    assert titles.index("Workshop") == titles.index("Actieplan") + 1


def test_workshop_page_agenda_and_discussion_points(internal: dict[str, Page]) -> None:
    text = squeeze(internal["workshop.md"].content)
    assert "Gehouden op 2025-11-20</strong> met 4 soorten partners" in text
    # Six points (regie and its five statements): 45 / 6 = 7,5 -> about 8 minutes.
    assert "| 0:20–1:05 | Gesprekspunten | 45 | 6 gesprekspunten, ongeveer 8 minuten" in text
    assert text.count("Openingsvraag:") == 6
    # The factor card first (all consensus 0,29; the factor comes first in the
    # questionnaire): partners 1, 1, 0, 1, 1 over the five levels, mean 3,0, n = 4.
    first = text.index("### 1. Regie op alle niveaus")
    card = text[first : text.index("### 2.")]
    assert "Factor · eensgezindheid 0,29 · gemiddeld 3,0 · n = 4" in card
    assert "| Partners | 1 | 1 | 0 | 1 | 1 |" in card
    assert "**Laag (1 of 2):** 2 · **hoog (4 of 5):** 2 — twee kampen" in card
    assert "Wie op niveau 1 uitkomt, ziet mogelijk:** Vaak is niet duidelijk" in card
    assert str(user_text(NOTE_2025)) in card
    # A statement card: answers 1, 2, 4, 5 and none 'weet niet'.
    assert "| Aantal | 1 | 1 | 0 | 1 | 1 | 0 |" in text
    assert "2 partners geven 1 of 2, 2 geven 4 of 5." in text


def test_workshop_page_agreement_sheets(internal: dict[str, Page]) -> None:
    text = squeeze(internal["workshop.md"].content)
    # regie: partner scores 1, 2, 4, 5: mean 3,0 'functionerend'; sample standard
    # deviation √((4 + 1 + 1 + 4) / 3) = √3,33 = 1,83.
    assert (
        "#### Regie op alle niveaus (gesprekspunt) Gemiddelde van de partners: **3,0** "
        "(functionerend), standaardafwijking 1,83, van 1,0 tot 5,0, n = 4." in text
    )
    assert f"**Samen vastgesteld: 4 (geborgd)** — {user_text(RATIONALE_2025)}" in text
    assert text.count('<table class="ks-data ks-sheet">') == 16
    # Every other factor: all four partners at 3, so 0, 0, 4, 0, 0 per level.
    assert text.count("<td>0</td><td>0</td><td>4</td><td>0</td><td>0</td>") == 15


def test_workshop_page_lists_priorities_gaps_and_candidates(internal: dict[str, Page]) -> None:
    text = squeeze(internal["workshop.md"].content)
    # regie: (ambition 4 − 3,0) × importance 5 = 5,00; ambition gap 4 − 3 = 1,0.
    assert "| Regie op alle niveaus | 3,0 | 4,0 | 5,0 | 5,00 |" in text
    assert "| Regie op alle niveaus | 3,0 | 4,0 | 1,0 |" in text
    assert "Alle verwachte soorten partners deden mee." in text
    assert "id `regie-verdeeld`" in text
    assert "**overgenomen als actie:** Jeugdbescherming uitnodigen (gepland)" in text


# ------------------------------------------------------------------------ Actieplan


def test_actieplan_groups_by_factor_and_marks_late_actions(internal: dict[str, Page]) -> None:
    text = squeeze(internal["actieplan.md"].content)
    assert "streefdatum vóór 2025-11-20 ligt" in text
    plan = text[text.index("## Actieplan ronde 2025-najaar") : text.index("## Acties uit ronde")]
    assert "3 acties." in plan
    # a1 klaar, a2 loopt (due 2025-06-01, late), a4 gepland: one of each, one late.
    kpis = re.findall(r'ks-kpi__label">([^<]+)</span> <span class="ks-kpi__value">(\d+)', plan)
    assert kpis == [("Gepland", "1"), ("Loopt", "1"), ("Klaar", "1"), ("Gestopt", "0"),
                    ("Te laat", "1")]  # fmt: skip
    # Grouped under every factor it names, in questionnaire order: juiste-partners (a4),
    # regie (a1, a2; a2 also evaluatie), evaluatie (a2).
    headings = re.findall(r"### ([^<]+?) <div", plan)
    assert headings == [
        "De juiste partners",
        "Regie op alle niveaus",
        "Systematische evaluatie en kwaliteitsverbetering",
    ]
    assert plan.count("ks-actions--late") == 2  # a2 under regie and under evaluatie
    assert plan.count(">te laat</strong>") == 2


def test_actieplan_reviews_the_previous_rounds_actions(internal: dict[str, Page]) -> None:
    text = squeeze(internal["actieplan.md"].content)
    review = text[text.index("## Acties uit ronde 2024-najaar") :]
    assert (
        "| Regie op alle niveaus | 2 | 1 | +1,0 | "
        "1 van 2 acties klaar; Regie op alle niveaus +1,0 |" in review
    )
    assert "0 van 2 acties klaar; Systematische evaluatie en kwaliteitsverbetering 0,0" in review
    # Status then -> now: a1 gepland -> klaar.
    assert 'gepland → <span class="ks-status ks-status--klaar">klaar</span>' in review


def test_actieplan_before_any_workshop(tmp_path: Path) -> None:
    root = write_workshop_town(tmp_path / "ws", with_workshops=False)
    text = squeeze(pages_of(root, "internal")["actieplan.md"].content)
    assert "Er is nog geen workshop gehouden" in text


# ------------------------------------------------------------------------ other pages


def test_agreed_levels_stand_beside_the_mean_on_other_pages(internal: dict[str, Page]) -> None:
    overview = squeeze(internal["index.md"].inline)
    # Two factors agreed: regie and juiste-partners (evaluatie left empty).
    assert "stelden de partners samen voor 2 factoren en voorwaarden een niveau vast" in overview
    assert "Actieplan ronde 2025-najaar: 3 acties, waarvan 1 klaar en 1 te laat." in overview
    assert "- 1 van 2 acties klaar; Regie op alle niveaus +1,0" in internal["index.md"].content
    assert "Samen vastgesteld (workshop)" in overview  # the radar's series and column
    factor = squeeze(internal["factoren/regie.md"].content)
    assert 'Samen vastgesteld</span> <span class="ks-kpi__value">4</span>' in factor
    assert 'Score</span> <span class="ks-kpi__value">3,0</span>' in factor
    assert str(user_text(RATIONALE_2025)) in factor
    conditions = internal["wat-werkt.md"].content
    assert "| Ambitie | Samen vastgesteld (workshop) |" in conditions
    recommendations = squeeze(internal["aanbevelingen.md"].content)
    assert (
        "Overgenomen als actie:</strong> Jeugdbescherming uitnodigen (ronde 2025-najaar, gepland)"
        in recommendations
    )


def test_public_site_shows_decisions_but_no_reasons_or_notes(
    internal: dict[str, Page], public: dict[str, Page]
) -> None:
    everything = "\n".join(page.inline for page in public.values())
    for text in (RATIONALE_2025, NOTE_2025, "Na een verwijzing is de regie weg."):
        assert str(user_text(text)) not in everything
        assert text not in everything
    # The agreed level and the actions are the group's decisions: shown.
    assert (
        'Samen vastgesteld</span> <span class="ks-kpi__value">4</span>'
        in public["factoren/regie.md"].content
    )
    assert "Jeugdbescherming uitnodigen" in public["actieplan.md"].content
    assert "Doet mee in 2026" in public["actieplan.md"].content
    assert str(user_text(RATIONALE_2025)) in internal["factoren/regie.md"].content


def test_hostile_workshop_texts_reach_the_markdown_only_as_entities(tmp_path: Path) -> None:
    root = write_injection_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    assert workspace.errors == []
    analysis = analyse(workspace)
    internal = "\n".join(
        p.inline for p in render_pages(site_data(analysis, INJECTED, "internal"))
        if p.path != "vragenlijst.md"
    )  # fmt: skip
    public = "\n".join(
        p.inline for p in render_pages(site_data(analysis, INJECTED, "public"))
        if p.path != "vragenlijst.md"
    )  # fmt: skip
    for text in [*internal_workshop_texts(), *public_workshop_texts()]:
        assert str(user_text(text)) in internal, text
    for text in internal_workshop_texts():
        assert str(user_text(text)) not in public, text
    for text in public_workshop_texts():
        assert str(user_text(text)) in public, text
    for raw in ("<script", "<img", "<svg onload", "javascript:", "{{ config }}", "{% raw %}"):
        assert raw not in internal
        assert raw not in public


def test_ontwikkeling_lists_the_agreed_levels_per_round(
    internal: dict[str, Page], public: dict[str, Page]
) -> None:
    # 2024: regie 2; 2025: regie 4 and juiste-partners 3 (evaluatie left open: no row).
    # Factors in questionnaire order: juiste-partners comes before regie.
    for pages in (internal, public):
        text = squeeze(pages["ontwikkeling.md"].content)
        assert "## Afgesproken niveaus per ronde" in text
        assert "| Factor | 2024-najaar | 2025-najaar |" in text
        juiste = text.index("| De juiste partners | – | 3 |")
        assert juiste < text.index("| Regie op alle niveaus | 2 | 4 |")
        assert "Systematische evaluatie en kwaliteitsverbetering | –" not in text


def test_ontwikkeling_has_no_agreed_levels_without_a_workshop(tmp_path: Path) -> None:
    root = write_workshop_town(tmp_path / "ws", with_workshops=False)
    assert "Afgesproken niveaus" not in pages_of(root, "internal")["ontwikkeling.md"].content
