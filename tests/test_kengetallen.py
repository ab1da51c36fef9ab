"""The Kengetallen page and the comparison on the Overzicht (SPEC §10), rendered without
MkDocs from small workspaces whose figures are worked out by hand."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from assessment.analysis import Analysis, analyse
from assessment.instrument import load_questionnaire
from assessment.pages import PageBuilder
from assessment.pages.aanbevelingen import build_aanbevelingen
from assessment.pages.context import PageContext, site_data
from assessment.pages.kengetallen import build_kengetallen
from assessment.pages.markup import user_text
from assessment.pages.overzicht import build_overzicht
from assessment.pages.page import Page
from assessment.workspace import load_workspace
from assessment.yamlio import dump_yaml
from tests.payloads import PAYLOADS
from tests.test_pages import ROUND, answer_document, answer_path, write_town

EARLIER = "2024-najaar"
NOTE = PAYLOADS[0]


def values_file(
    root: Path, town: str, round_slug: str, values: dict[str, object], **extra: str
) -> None:
    path = root / "gemeenten" / town / round_slug / "indicatoren.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        dump_yaml({"municipality": town, "round": round_slug, **extra, "values": values}),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A town with key figures in two rounds (the earlier round has no answers)."""
    root = write_town(tmp_path_factory.mktemp("kengetallen") / "ws")
    values_file(
        root,
        "voorbeeldstad",
        EARLIER,
        {
            "huisbezoek-binnen-drie-dagen": {"numerator": 45, "denominator": 78},  # 57.69...%
            "voortijdig-beeindigd": {"numerator": 5, "denominator": 78},  # 6.41...%
        },
    )
    values_file(
        root,
        "voorbeeldstad",
        ROUND,
        {
            "huisbezoek-binnen-drie-dagen": {
                "numerator": 51,
                "denominator": 80,
                "note": NOTE,
            },  # 63.75%
            "voortijdig-beeindigd": {"numerator": 4, "denominator": 80},  # 5.0%
            "jeugdigen-in-zorg-per-1000": {"numerator": 1045, "denominator": 10_000},  # 104.5
        },
        period="2025",
        source="registratie <b>wijkteam</b>",
    )
    return root


@functools.cache
def analysed(root: Path) -> Analysis:
    """The analysis of a test workspace, once (the workspaces are written once)."""
    return analyse(load_workspace(root))


def pages(
    root: Path,
    audience: str = "internal",
    town: str = "voorbeeldstad",
    builders: tuple[PageBuilder, ...] = (build_overzicht, build_kengetallen),
) -> dict[str, Page]:
    """The pages of some builders only: a whole site's charts would make these tests slow."""
    ctx = PageContext(site_data(analysed(root), town, audience))
    for build in builders:
        build(ctx)
    return {p.path: p for p in ctx.pages}


@pytest.fixture(scope="module")
def internal(figures: Path) -> dict[str, Page]:
    return pages(figures, builders=(build_overzicht, build_kengetallen, build_aanbevelingen))


def test_overview_table_with_hand_worked_figures(internal: dict[str, Page]) -> None:
    text = internal["kengetallen.md"].content
    # Groups in questionnaire order: continuiteit and evaluatie (success factors) before
    # preventie (a condition); within a group, the order of indicatoren.yaml.
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert rows == [
        # 4 of 80 = 5.0%: exactly the aim of at most 5% (reached); from 5 ÷ 78 × 100 =
        # 6.41 the change is 5.0 - 6.41 = -1.41, shown as -1,4.
        "| [Trajecten tegen advies gestopt](#kengetal-voortijdig-beeindigd) | 2025-najaar | "
        "5,0% | Streefwaarde Buurtzorg Jong (hooguit 5%): 5,0% | ja | −1,4 procentpunt |",
        # 1045 × 1000 ÷ 10000 = 104.5; no reference value, no earlier round.
        "| [Jeugdigen met jeugdhulp per 1.000](#kengetal-jeugdigen-in-zorg-per-1000) | "
        "2025-najaar | 104,5 per 1.000 jeugdigen | – | – | – |",
        # 51 × 100 ÷ 80 = 63.75 -> 63,8% (half up); 45 × 100 ÷ 78 = 57.69; +6.06 -> +6,1.
        "| [Huisbezoek binnen drie werkdagen](#kengetal-huisbezoek-binnen-drie-dagen) | "
        "2025-najaar | 63,8% | Streefwaarde Buurtzorg Jong: 80,0% | nee | +6,1 procentpunt |",
    ]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## In het kort",
        "## Goede samenwerkingsafspraken",
        "## Continuïteit in complexe zorgtrajecten",
        "## Systematische evaluatie en kwaliteitsverbetering",
        "## Toerusting eerstelijn",
        "## Preventie",
    ]


def test_each_key_figure_has_its_charts_references_and_sources(
    internal: dict[str, Page],
) -> None:
    page = internal["kengetallen.md"]
    text = page.inline
    # Two rounds: a bullet chart and a small trend chart; one round: only the bullet.
    for figure_id in (
        "kengetal-huisbezoek-binnen-drie-dagen-waarde",
        "kengetal-huisbezoek-binnen-drie-dagen-verloop",
        "kengetal-voortijdig-beeindigd-verloop",
        "kengetal-jeugdigen-in-zorg-per-1000-waarde",
    ):
        assert f'id="{figure_id}"' in text
    assert 'id="kengetal-jeugdigen-in-zorg-per-1000-verloop"' not in text
    assert len(page.charts) == 5  # three bullets, two trends
    assert (
        "In 2025-najaar: 63,8% (51 van 80); hoger is beter. Niet gehaald: Streefwaarde Buurtzorg "
        "Jong. Sinds 2024-najaar: +6,1 procentpunt."
    ) in text
    assert (
        "- **Streefwaarde Buurtzorg Jong: 80,0%** — niet gehaald (−16,3 procentpunt). "
        "Buurtzorg Jong wilde in de pilot in Putten (2013)"
    ) in text  # 63.75 - 80 = -16.25 -> -16,3 (half up)
    # Key figures without a value in any round are listed, with what they count.
    assert "### Uithuisplaatsingen per 1.000 jeugdigen" in text
    assert text.count("Voor Voorbeeldstad is nog geen cijfer opgegeven.") == 5
    # Where the figures come from: escaped, never markup.
    assert "2025-najaar: periode 2025, bron registratie &#60;b&#62;wijkteam&#60;/b&#62;." in text
    assert "<b>wijkteam</b>" not in text


def test_notes_are_escaped_and_only_for_the_partners(
    figures: Path, internal: dict[str, Page]
) -> None:
    text = internal["kengetallen.md"].content
    assert f"*Bij dit cijfer:* {user_text(NOTE)}" in text
    assert NOTE not in text  # "<script>alert(1)</script>" only as entities
    public = pages(figures, "public", builders=(build_kengetallen,))["kengetallen.md"].content
    assert "Bij dit cijfer" not in public
    assert "ketenscan indicators" not in public


def test_a_fired_indicator_rule_links_to_its_recommendation(internal: dict[str, Page]) -> None:
    text = internal["kengetallen.md"].content
    recommendations = internal["aanbevelingen.md"].content
    assert "Ga bij een nieuwe hulpvraag sneller op huisbezoek" in recommendations
    assert (
        "**Aanbeveling:** [Ga bij een nieuwe hulpvraag sneller op huisbezoek](aanbevelingen.md#rec-"
        in text
    )


def test_overzicht_counts_the_references_reached(internal: dict[str, Page]) -> None:
    text = internal["index.md"].content
    # Three key figures have values; two have references: drop-out reaches its aim of 5%,
    # the home visits (63.75% against 80%) do not.
    assert "Voor Voorbeeldstad zijn 3 kengetallen bekend." in text
    assert "Van de 2 kengetallen met een referentiewaarde\nhaalt er 1 de eerste" in text


def test_without_key_figures_the_page_says_how_to_add_them(tmp_path: Path) -> None:
    root = write_town(tmp_path / "ws")
    found = pages(root)
    text = found["kengetallen.md"].content
    assert "Er zijn nog geen kengetallen voor Voorbeeldstad." in text
    assert "ketenscan indicators import" in text
    assert "## Kengetallen" not in found["index.md"].content


# ---------------------------------------------------------------- the comparison


def town_with(
    root: Path, slug: str, low: int, *, benchmark: bool = True, size: str = "klein"
) -> None:
    """A town whose 'regie' statements score `low` (4 elsewhere): regie = low, index =
    (7 × 4 + low) ÷ 8."""
    questionnaire = load_questionnaire()
    folder = root / "gemeenten" / slug
    (folder / ROUND / "antwoorden").mkdir(parents=True)
    (folder / "gemeente.yaml").write_text(
        dump_yaml({"name": slug.title(), "size": size, "benchmark": benchmark}),
        encoding="utf-8",
    )
    for number in (1, 2, 3):
        document = answer_document(
            questionnaire, slug, number, organisation=f"Team {number}", low=low
        )
        answer_path(root, slug, number).write_text(dump_yaml(document), encoding="utf-8")


@pytest.fixture(scope="module")
def towns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three opted-in small towns (regie 1, 2, 3), one that did not opt in (regie 5) and one
    large town; the workspace lowers the smallest group to 3 for its internal site."""
    root = tmp_path_factory.mktemp("vergelijking") / "ws"
    write_town(root, "anker", name="Anker")  # the base town, not opted in
    for slug, low in (("beek", 1), ("dorp", 2), ("eik", 3)):
        town_with(root, slug, low)
    town_with(root, "fort", 5, benchmark=False)
    town_with(root, "groot", 3, size="groot")
    return root


def overzicht(root: Path, town: str, audience: str = "internal") -> Page:
    return pages(root, audience, town, (build_overzicht,))["index.md"]


def section(content: str) -> str:
    start = content.index("## Naast gemeenten van dezelfde grootte")
    return content[start : content.index("\n## ", start + 5)]


def test_comparison_with_hand_worked_median_and_middle_half(towns: Path) -> None:
    page = overzicht(towns, "dorp")
    text = section(page.inline)
    assert "naast de **3 kleine gemeenten** die meedoen" in text
    # regie 1, 2, 3 (fort's 5 does not count): median 2, KWARTIEL.INC 1.5 and 2.5.
    assert (
        '<tr><th scope="row">Regie op alle niveaus</th><td>3</td><td>2,0</td>'
        "<td>1,5 – 2,5</td><td>2,0</td><td>in de middelste helft</td></tr>"
    ) in text
    # Index (28 + 1) ÷ 8 = 3.625, 3.75, 3.875: median 3.75 -> 3,8; Q1 3.6875 -> 3,7;
    # Q3 3.8125 -> 3,8; dorp's own 3.75 is in the middle half.
    assert (
        '<tr><th scope="row">Totaalindex</th><td>3</td><td>3,8</td><td>3,7 – 3,8</td>'
        "<td>3,8</td><td>in de middelste helft</td></tr>"
    ) in text
    # The other factors: everyone 4.0, a middle half of no width.
    assert "<td>3</td><td>4,0</td><td>4,0 – 4,0</td><td>4,0</td>" in text
    assert "Dorp scoort op elke factor in de middelste helft" in text
    beek = section(overzicht(towns, "beek").inline)
    assert "Beek scoort onder de middelste helft op Regie op alle niveaus." in beek


def test_public_needs_five_municipalities(towns: Path) -> None:
    text = section(overzicht(towns, "dorp", "public").content)
    assert "Er doen nu 3 kleine\ngemeenten mee aan de vergelijking, Dorp\nmeegeteld." in text
    assert "vanaf **5** gemeenten" in text
    assert "<figure" not in text


def test_a_municipality_that_did_not_opt_in_is_told_so(towns: Path) -> None:
    internal = section(overzicht(towns, "fort").content)
    assert "Fort doet niet mee aan de vergelijking met andere gemeenten." in internal
    assert "**benchmark: true**" in internal
    public = section(overzicht(towns, "fort", "public").content)
    assert "benchmark" not in public


def test_a_class_of_one_is_not_compared(towns: Path) -> None:
    text = section(overzicht(towns, "groot").content)
    assert "Er doet nu 1 grote\ngemeente mee aan de vergelijking, Groot\nmeegeteld." in text
    assert "vanaf **3** gemeenten" in text


def test_an_own_score_that_is_a_quartile_lies_on_the_end_of_the_bar() -> None:
    # Five scores 1.8, 157/84, 2.2, 2.3, 2.9: KWARTIEL.INC puts Q1 on the second,
    # (5 − 1) × 0.25 = 1, so Q1 is the own score 157/84 = 1.86904761...; the group keeps
    # it to 6 decimals (1.869048), and the own score is rounded the same way: equal, in
    # the middle half, on its lower end, in the table and in the chart alike.
    from assessment import charts
    from assessment.analysis.benchmark import INDEX, PeerGroup, Spread, Summary
    from assessment.pages.comparison import comparison_rows

    questionnaire = load_questionnaire()
    first = questionnaire.instrument.sections[0].factors[0].id
    own = Summary("a", "A", "klein", True, "2025-najaar", 2.0, {first: 157 / 84})
    group = PeerGroup("klein", 5, 5, {first: Spread(5, 2.2, 157 / 84, 2.3)}).rounded()
    rows = {row.key: row for row in comparison_rows(own, group, questionnaire)}
    row = rows[first]
    assert row.own == row.q1 == 1.869048
    assert row.position == "midden"
    assert charts.place_words(row) == "in de middelste helft, op de ondergrens"
    assert rows[INDEX].position is None  # no spread of the index in this group
