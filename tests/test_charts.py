"""Charts (SPEC §6): reviewed specs, accessible SVG, summaries from the numbers, and
specs that are built once per process however many figures are drawn.

Golden specs and the rows each test figure draws live in tests/golden/; after a reviewed
change to a chart, regenerate them with `KETENSCAN_UPDATE_GOLDEN=1 pytest
tests/test_charts.py` and review the diff.
"""

from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from assessment import charts
from assessment.charts import canvas, engine, style
from assessment.charts import comparison as comparison_module
from assessment.charts import distribution as distribution_module
from assessment.charts import importance as importance_module
from assessment.charts import indicator as indicator_module
from assessment.charts import matrix as matrix_module
from assessment.charts import radar as radar_module
from assessment.charts import trend as trend_module

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("KETENSCAN_UPDATE_GOLDEN") == "1"
SVG = "{http://www.w3.org/2000/svg}"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
LONGEST = "Informatie-uitwisseling praktisch en juridisch geregeld"

FACTORS = [
    ("juiste-partners", "De juiste partners"),
    ("afspraken", "Goede samenwerkingsafspraken"),
    ("cultuur", "Sterke samenwerkingscultuur"),
    ("regie", "Regie op alle niveaus"),
    ("continuiteit", "Continuïteit in complexe zorgtrajecten"),
    ("kennis", "Toepassing van kennis over effectiviteit"),
    ("evaluatie", "Systematische evaluatie en kwaliteitsverbetering"),
    ("informatie", LONGEST),
]
SCORES = dict(zip([f for f, _ in FACTORS], [3.1, 2.6, 3.0, 2.1, 2.7, 2.8, 3.8, 2.9], strict=True))
ROLES = [
    ("huisarts", "Huisartsenpraktijk / POH-jeugd"),
    ("wijkteam", "Wijkteam / sociaal team"),
    ("school-po", "Basisonderwijs / intern begeleider"),
]
LEVELS = [
    ("universeel", "Universeel"),
    ("selectief", "Selectief"),
    ("licht", "Licht"),
    ("overname-opvoeding", "Overname van opvoeding"),
]


# ------------------------------------------------------------------------ helpers


def parse(svg: str) -> ET.Element:
    """The SVG as an XML tree; fails the test when it is not well-formed."""
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    """Every <text> of the SVG, its lines (tspans) joined by a space."""
    return [" ".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours, worked out from the definition."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def radar(**changes: Any) -> charts.Figure:
    arguments: dict[str, Any] = {
        "fig_id": "radar",
        "title": "Succesfactoren",
        "axes": FACTORS,
        "current": SCORES,
        "current_label": "2025-najaar",
        "previous": {f: s - 0.2 for f, s in SCORES.items()},
        "previous_label": "2024-najaar",
        "ambition": dict.fromkeys(SCORES, 4.0),
    }
    return charts.radar_figure(**(arguments | changes))


def distribution() -> charts.Figure:
    return charts.distribution_figure(
        "verdeling",
        "Antwoorden per stelling",
        [("s1", "Eerste uitspraak."), ("s2", "Tweede uitspraak.")],
        {"s1": (0, 0, 1, 2, 0, 1), "s2": (2, 1, 0, 0, 0, 0)},
    )


def heatmap() -> charts.Figure | None:
    return charts.role_heatmap_figure(
        "rollen",
        "Score per soort partner",
        FACTORS[:3],
        ROLES,
        {
            ("juiste-partners", "huisarts"): (5, 3.4),
            ("juiste-partners", "wijkteam"): (6, 2.2),
            ("afspraken", "wijkteam"): (6, 4.6),
            ("cultuur", "school-po"): (5, 1.4),
        },
    )


def coverage(providers: Mapping[tuple[str, str], int] | None = None) -> charts.Figure:
    if providers is None:
        providers = {("huisarts", "universeel"): 2, ("wijkteam", "licht"): 1}
    return charts.coverage_figure(
        "dekking", "Dekking van de niveaus", LEVELS, ROLES, dict(providers)
    )


def importance() -> charts.Figure:
    quadrants = ["vasthouden", "later", "prioriteit", "later"] * 2
    points = [
        (f, title, SCORES[f], 3.0 + 0.2 * i, quadrants[i]) for i, (f, title) in enumerate(FACTORS)
    ]
    return charts.importance_figure("belang", "Belang en score", points, 3.0, 3.5)


def trend() -> charts.Figure:
    rounds = ["2023-najaar", "2024-najaar", "2025-najaar"]
    scores: dict[tuple[str, str], float | None] = {
        (f, r): SCORES[f] - 0.1 * (2 - i) for f, _ in FACTORS for i, r in enumerate(rounds)
    }
    scores[("regie", "2025-najaar")] = None
    return charts.trend_figure("trend", "Ontwikkeling", FACTORS, rounds, scores)


AIM = charts.Marked("Streefwaarde Buurtzorg Jong", 80.0, "80%")


def bullet(**changes: Any) -> charts.Figure:
    arguments: dict[str, Any] = {
        "fig_id": "kengetal",
        "title": "Huisbezoek binnen drie werkdagen",
        "value": charts.Marked("Waarde 2025-najaar", 63.75, "63,8%"),
        "references": [AIM],
        "top": 100.0,
        "unit": "%",
        "summary": "63,8% (51 van 80); haalt de streefwaarde van 80% niet.",
        "fraction": "51 van 80",
    }
    return charts.bullet_figure(**(arguments | changes))


def small_trend() -> charts.Figure:
    points = [
        charts.Marked("2023-najaar", 50.0, "50%"),
        charts.Marked("2024-najaar", 57.5, "57,5%"),
        charts.Marked("2025-najaar", 63.75, "63,8%"),
    ]
    return charts.indicator_trend_figure(
        "verloop", "Huisbezoek per ronde", points, top=100.0, summary="Stijgt.",
        columns=["Ronde", "Waarde (%)"],
    )  # fmt: skip


SPREAD_ROWS = [
    charts.SpreadRow(
        "a", "De juiste partners", "Juiste partners", 5, 3.0, 2.5, 3.5, own=3.6, position="boven"
    ),
    charts.SpreadRow("b", LONGEST, "Informatie", None, None, None, None, own=2.0, position=None),
    charts.SpreadRow(
        "index", "Totaalindex", "Totaalindex", 5, 2.9, 2.6, 3.2, own=2.9, position="midden"
    ),
]


def spread() -> charts.Figure:
    return charts.spread_figure(
        "vergelijking", "Lindeloo naast 5 kleine gemeenten", SPREAD_ROWS,
        summary="Lindeloo scoort boven de middelste helft op De juiste partners.",
        own_name="Lindeloo",
    )  # fmt: skip


def side_by_side() -> charts.Figure:
    return charts.benchmark_heatmap_figure(
        "naast-elkaar", "Kleine gemeenten: score per succesfactor",
        [("a", "Juiste partners"), ("index", "Totaalindex")],
        [("Beekhoeve", {"a": 3.4, "index": 3.1}), ("Duinrade & <Zee>", {"a": None, "index": 2.2})],
        summary="Hoogste totaalindex: Beekhoeve (3,1).",
    )  # fmt: skip


def not_none(figure: charts.Figure | None) -> charts.Figure:
    assert figure is not None
    return figure


FIGURES: dict[str, Callable[[], charts.Figure]] = {
    "radar": radar,
    "distribution": distribution,
    "heatmap": lambda: not_none(heatmap()),
    "coverage": coverage,
    "importance": importance,
    "trend": trend,
    "bullet": bullet,
    "indicator_trend": small_trend,
    "spread": spread,
    "benchmark_heatmap": side_by_side,
}


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Mapping[str, list[charts.Row]]]:
    """The rows each figure hands to the renderer, by kind (rendering still happens)."""
    seen: dict[str, Mapping[str, list[charts.Row]]] = {}
    render = charts.render_svg

    def spy(kind: str, datasets: Mapping[str, list[charts.Row]], title: str, **options: Any) -> str:
        seen[kind] = datasets
        return render(kind, datasets, title, **options)

    for module in (
        radar_module,
        distribution_module,
        matrix_module,
        importance_module,
        trend_module,
        indicator_module,
        comparison_module,
    ):
        monkeypatch.setattr(module, "render_svg", spy)
    return seen


# ------------------------------------------------------------------------- specs


@pytest.mark.parametrize("kind", sorted(charts.BUILDERS))
def test_spec_matches_reviewed_golden_file(kind: str) -> None:
    golden = GOLDEN_DIR / f"{kind}_spec.json"
    text = json.dumps(charts.vega_lite_spec(kind), indent=2, sort_keys=True, ensure_ascii=False)
    if UPDATE_GOLDEN:
        GOLDEN_DIR.mkdir(exist_ok=True)
        golden.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_drawn_rows_match_reviewed_golden_file(
    kind: str, captured: dict[str, Mapping[str, list[charts.Row]]]
) -> None:
    # Every chart is drawn in pixels placed by Python: the rows show the drawing.
    FIGURES[kind]()
    golden = GOLDEN_DIR / f"{kind}_rows.json"
    text = json.dumps(captured[kind], indent=1, sort_keys=True, ensure_ascii=False)
    if UPDATE_GOLDEN:
        golden.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == golden.read_text(encoding="utf-8")


def test_specs_carry_no_data_only_named_datasets() -> None:
    for kind in charts.BUILDERS:
        spec = json.dumps(charts.vega_lite_spec(kind))
        assert '"values"' not in spec
        assert '"datasets"' not in spec


def test_charts_are_built_and_compiled_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    for make in FIGURES.values():
        make()  # fills the caches, if an earlier test has not already

    class NoAltair:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"altair used again: alt.{name}")

    def no_compile(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("Vega-Lite compiled again")

    for module in (
        radar_module,
        distribution_module,
        matrix_module,
        importance_module,
        indicator_module,
        comparison_module,
    ):
        monkeypatch.setattr(module, "alt", NoAltair())
    monkeypatch.setattr(trend_module, "alt", NoAltair())
    monkeypatch.setattr(vl_convert, "vegalite_to_vega", no_compile)
    misses = charts.vega_lite_spec.cache_info().misses
    first = radar()
    second = radar(current=dict.fromkeys(SCORES, 1.0), current_label="2026-najaar")
    for make in FIGURES.values():
        make()
    assert charts.vega_lite_spec.cache_info().misses == misses
    assert first.svg != second.svg


def test_compiled_shortcut_renders_exactly_like_vega_lite(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    for kind, make in FIGURES.items():
        figure = make()
        datasets = captured[kind]
        direct = vl_convert.vegalite_to_svg(
            {**charts.vega_lite_spec(kind), "datasets": dict(datasets)},
            format_locale=style.FORMAT_LOCALE,
        )
        assert charts.accessible_svg(direct, figure.title) == figure.svg, kind


def test_filling_data_leaves_the_cached_spec_untouched() -> None:
    spec = charts.vega_spec("heatmap")
    before = json.dumps(spec, sort_keys=True)
    filled = charts.with_data(spec, {"heatmap_rects": [{"row": "a"}]})
    assert json.dumps(spec, sort_keys=True) == before
    assert any(entry.get("values") == [{"row": "a"}] for entry in filled["data"])
    with pytest.raises(KeyError, match="heatmap_recst"):
        charts.with_data(spec, {"heatmap_recst": []})


# -------------------------------------------------------------- accessible SVG


@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_every_figure_is_a_named_self_contained_image(kind: str) -> None:
    figure = FIGURES[kind]()
    root = parse(figure.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == figure.title
    first = root[0]
    assert first.tag == f"{SVG}title"
    assert first.text == figure.title
    # Responsive: the viewBox stays, the fixed size goes.
    assert root.get("viewBox")
    assert root.get("width") is None
    assert root.get("height") is None
    assert "max-width:" in (root.get("style") or "")
    # No request to any other host: the only URLs are the XML namespaces.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", figure.svg)) <= NAMESPACES
    assert "@import" not in figure.svg
    assert "<?xml" not in figure.svg
    # Vega's own roles and English descriptions are gone; one name for the whole image.
    assert [e for e in root.iter() if e is not root and e.get("role")] == []
    assert not re.search(r"<(?!svg)[^>]*\saria-", figure.svg)
    # A blank line would end the raw HTML block of the Markdown page around it.
    assert "\n\n" not in figure.svg
    assert figure.table.columns
    assert all(len(row) == len(figure.table.columns) for row in figure.table.rows)
    assert figure.table.caption == figure.title


def test_special_characters_are_escaped_everywhere() -> None:
    nasty = 'A <script>&"x'
    figure = charts.radar_figure(
        "radar",
        'Titel <script>alert("x")</script> & meer',
        [("a", nasty), ("b", "Gewoon")],
        {"a": 3.0, "b": 2.0},
        '2025 <b>&"',
        None,
        None,
        None,
    )
    assert "<script" not in figure.svg
    assert "<b>" not in figure.svg
    root = parse(figure.svg)
    assert root.get("aria-label") == 'Titel <script>alert("x")</script> & meer'
    assert nasty in texts(figure.svg)
    assert 'Deze ronde (2025 <b>&")' in texts(figure.svg)

    heat = not_none(
        charts.role_heatmap_figure(
            "rollen", "R&D", [("a", nasty)], [("r", "R&D <i>")], {("a", "r"): (5, 3.0)}
        )
    )
    assert "<i>" not in heat.svg
    assert "R&D <i>" in texts(heat.svg)


def test_axis_numbers_use_a_decimal_comma() -> None:
    labels = texts(importance().svg)
    assert "3,5" in labels
    assert not any(re.fullmatch(r"\d\.\d", label) for label in labels)


def test_text_and_series_colours_meet_wcag_contrast() -> None:
    for colour in (style.TEXT, style.MUTED, style.GAP):
        assert contrast(colour, "#FFFFFF") >= 4.5
    for colour in style.SERIES_COLOURS:
        assert contrast(colour, "#FFFFFF") >= 3.0  # graphical objects
    backgrounds = [*style.ANSWER_COLOURS] + [style.sequential(k / 20) for k in range(21)]
    for background in backgrounds:
        assert contrast(style.text_colour(background), background) >= 4.5, background


def test_series_differ_by_more_than_colour() -> None:
    spec = json.dumps(charts.vega_lite_spec("radar"))
    for dash in style.SERIES_DASHES:
        assert json.dumps(dash) in spec
    for shape in style.SERIES_SHAPES:
        assert f'"{shape}"' in spec
    # This round, the previous round, the ambition and the level agreed in the workshop.
    assert len(set(map(tuple, style.SERIES_DASHES))) == 4
    assert len(set(style.SERIES_SHAPES)) == 4


# ------------------------------------------------------------------------ radar


def test_radar_summary_names_strongest_and_weakest_factor() -> None:
    # Strongest by hand: evaluatie 3.8; weakest: regie 2.1.
    # Mean now: (3.1 + 2.6 + 3.0 + 2.1 + 2.7 + 2.8 + 3.8 + 2.9) / 8 = 23.0 / 8 = 2.875.
    # The previous round is 0.2 lower everywhere: 2.675.
    figure = radar()
    assert figure.summary == (
        "Sterkste factor: Systematische evaluatie en kwaliteitsverbetering (3,8); "
        "zwakste: Regie op alle niveaus (2,1). Gemiddeld 2,9, vorige ronde 2,7."
    )


def test_radar_table_has_a_column_per_series() -> None:
    table = radar().table
    assert table.columns == [
        "Factor",
        "Deze ronde (2025-najaar)",
        "Vorige ronde (2024-najaar)",
        "Ambitie",
    ]
    assert table.rows[3] == ["Regie op alle niveaus", "2,1", "1,9", "4,0"]
    only_now = radar(previous=None, previous_label=None, ambition=None).table
    assert only_now.columns == ["Factor", "Deze ronde (2025-najaar)"]


def test_radar_shows_the_agreed_levels_as_a_series_of_their_own() -> None:
    # Agreed in the workshop: regie 3 and evaluatie 4; the others not discussed.
    agreed: dict[str, float | None] = dict.fromkeys(SCORES)
    agreed |= {"regie": 3.0, "evaluatie": 4.0}
    figure = radar(consensus=agreed)
    assert figure.table.columns[-1] == "Samen vastgesteld (workshop)"
    # The individual mean stays in its own column: regie 2,1 beside the agreed 3.
    assert figure.table.rows[3] == ["Regie op alle niveaus", "2,1", "1,9", "4,0", "3"]
    assert figure.table.rows[0][-1] == "–"
    # Mean of the individual scores unchanged (23.0 / 8 = 2.875 -> 2,9); of the agreed
    # levels (3 + 4) / 2 = 3,5.
    assert figure.summary.endswith(
        "Gemiddeld 2,9, vorige ronde 2,7. In de workshop stelden de partners samen voor 2 van "
        "de 8 factoren een niveau vast, gemiddeld 3,5."
    )
    assert "Samen vastgesteld (workshop)" in figure.svg
    data = charts.radar_datasets(
        FACTORS, [("current", "Nu", SCORES), ("consensus", "Samen", agreed)]
    )
    # Two agreed points (regie, evaluatie), and one legend row per series, 18 px apart.
    assert len([p for p in data["radar_points"] if p["series"] == "consensus"]) == 2 + 1
    legend = [row["y"] for row in data["radar_legend"]]
    assert legend == [legend[0], legend[0] - 18]


def test_radar_for_conditions_names_them_so() -> None:
    figure = radar(noun="voorwaarde")
    assert figure.summary.startswith("Sterkste voorwaarde: ")
    assert figure.table.columns[0] == "Voorwaarde"


def test_radar_points_sit_on_their_spokes() -> None:
    axes = [("n", "Noord"), ("o", "Oost"), ("z", "Zuid"), ("w", "West")]
    data = charts.radar_datasets(axes, [("current", "Nu", {"n": 5.0, "o": 2.5, "z": None})])
    unit = style.RADAR_UNIT
    points = [(p["x"], p["y"]) for p in data["radar_points"]]
    # Up is +y, clockwise: north (0, 5u), east (2.5u, 0); south and west have no value.
    assert (0.0, 5 * unit) in points
    assert (2.5 * unit, 0.0) in points
    path = [row for row in data["radar_lines"] if row["path"] == "current"]
    assert [row["order"] for row in path] == [0, 1, 2, 3, 4]
    assert path[2]["x"] is None
    assert path[3]["y"] is None
    assert (path[4]["x"], path[4]["y"]) == (path[0]["x"], path[0]["y"])  # closed ring
    assert [r["text"] for r in data["radar_ring_labels"]] == ["1", "2", "3", "4", "5"]
    assert [r["text"] for r in data["radar_legend"]] == ["Nu"]


def test_radar_labels_point_away_from_the_centre_and_wrap() -> None:
    axes = [(str(i), LONGEST) for i in range(8)]
    labels = charts.radar_datasets(axes, [])["radar_axis_labels"]
    placement = [(label["align"], label["baseline"]) for label in labels]
    assert placement == [
        ("center", "bottom"),
        ("left", "middle"),
        ("left", "middle"),
        ("left", "middle"),
        ("center", "top"),
        ("right", "middle"),
        ("right", "middle"),
        ("right", "middle"),
    ]
    lines = labels[0]["text"].split("\n")
    assert " ".join(lines) == LONGEST
    assert 2 <= len(lines) <= 3
    assert max(map(len, lines)) <= 23  # "Informatie-uitwisseling" is one word
    # Vega hangs extra lines below the first: a label above the chart is lifted.
    assert labels[0]["dy"] == -(len(lines) - 1) * style.LINE_HEIGHT
    # Every label, in the widest estimate of its lines, stays inside the chart.
    for label in labels:
        width = max(map(len, label["text"].split("\n"))) * style.CHAR_WIDTH
        x = label["x"] + style.RADAR_WIDTH / 2
        left = {"left": x, "center": x - width / 2, "right": x - width}[label["align"]]
        assert left >= 0
        assert left + width <= style.RADAR_WIDTH


def test_radar_survives_missing_values() -> None:
    empty = radar(current=dict.fromkeys(SCORES), previous=None, ambition={"regie": math.nan})
    assert empty.summary == "Deze ronde (2025-najaar) heeft nog geen scores."
    assert empty.table.rows[0] == ["De juiste partners", "–", "–"]
    partial = radar(current={"regie": 2.0, "cultuur": None}, previous={})
    assert partial.summary == (
        "Sterkste factor: Regie op alle niveaus (2,0); zwakste: Regie op alle niveaus (2,0). "
        "Gemiddeld 2,0, vorige ronde –."
    )
    parse(partial.svg)


Box = tuple[float, float, float, float]  # left, top, right, bottom in SVG pixels
_TRANSLATE = re.compile(r"translate\(([-\d.e]+),([-\d.e]+)\)")


def _at(element: ET.Element) -> tuple[float, float]:
    match = _TRANSLATE.search(element.get("transform", ""))
    assert match, element.attrib
    return float(match.group(1)), float(match.group(2))


def radar_marks(svg: str) -> tuple[list[tuple[str, Box]], list[tuple[float, float]]]:
    """The ring numbers of a rendered radar as (text, box), halo included, and the
    centres of its data markers."""
    numbers: list[tuple[str, Box]] = []
    markers: list[tuple[float, float]] = []
    for group in parse(svg).iter(f"{SVG}g"):
        kind = group.get("class", "")
        for text in group.findall(f"{SVG}text") if "mark-text" in kind else []:
            size = float(text.get("font-size", "0px").removesuffix("px"))
            if size != ring_font():
                continue  # the axis and legend labels
            x, baseline = _at(text)
            halo = float(text.get("stroke-width", "0")) / 2
            # A digit is at most 0.6 em wide and reaches 0.8 em above its baseline.
            half = 0.3 * size * len(text.text or "") + halo
            box = (x - half, baseline - 0.8 * size - halo, x + half, baseline + 0.2 * size + halo)
            numbers.append((text.text or "", box))
        markers += [_at(path) for path in group.findall(f"{SVG}path") if "mark-symbol" in kind]
    return numbers, markers


def radar_mark(data: str) -> list[dict[str, Any]]:
    """The marks of the radar's layers that draw the named dataset."""
    layers = charts.vega_lite_spec("radar")["layer"]
    return [layer["mark"] for layer in layers if layer["data"]["name"] == data]


def ring_font() -> float:
    """The font size of the ring numbers."""
    return float(radar_mark("radar_ring_labels")[-1]["fontSize"])


def marker_reach() -> float:
    """How far from its centre a radar marker may reach: the square's half diagonal (the
    widest of circle, square and triangle of one area) plus half its outline."""
    [points] = radar_mark("radar_points")
    return float(math.sqrt(points["size"]) / 2 * math.sqrt(2) + points["strokeWidth"] / 2)


def _distance(x: float, y: float, box: Box) -> float:
    left, top, right, bottom = box
    return math.hypot(max(left - x, 0, x - right), max(top - y, 0, y - bottom))


@pytest.mark.parametrize("count", [3, 5, 8, 10, 16])
def test_radar_ring_numbers_lie_where_no_data_point_can_cover_them(count: int) -> None:
    axes = [(f"f{i}", f"Factor {i}") for i in range(count)]
    ids = [axis for axis, _ in axes]
    reach = marker_reach()
    # Every score from 1 to 5 in steps of 0.125 on every spoke, three series per drawing.
    scores = [1 + step / 8 for step in range(33)]
    seen: set[str] = set()
    for start in range(0, len(scores), 3):
        series = [
            (key, key, dict.fromkeys(ids, score))
            for key, score in zip(style.SERIES, scores[start : start + 3], strict=False)
        ]
        svg = charts.render_svg("radar", charts.radar_datasets(axes, series), "Radar")
        numbers, markers = radar_marks(svg)
        assert len(markers) == count * len(series) + len(series)  # and the legend's
        seen |= {text for text, _ in numbers}
        for text, box in numbers:
            for x, y in markers:
                assert _distance(x, y, box) >= reach, (count, text, (x, y))
    # Only the innermost numbers of a radar with many axes may be left out.
    expected = {10: "2345", 16: "345"}.get(count, "12345")
    assert seen == set(expected)


def test_radar_ring_numbers_lie_above_the_series_on_a_white_halo() -> None:
    groups = [g.get("class", "") for g in parse(radar().svg).iter(f"{SVG}g")]
    layers = [c.split()[-1] for c in groups if "role-mark" in c]
    spec = charts.vega_lite_spec("radar")["layer"]
    names = [layer["data"]["name"] for layer in spec]
    # The halo is drawn from a copy of the numbers' rows (each drawn text its own row).
    halo, number = names.index("radar_ring_halo"), names.index("radar_ring_labels")
    axes = [(f"f{i}", f"Factor {i}") for i in range(5)]
    datasets = charts.radar_datasets(axes, [("current", "Nu", dict.fromkeys("f0", 3.0))])
    assert datasets["radar_ring_halo"] == datasets["radar_ring_labels"] != []
    assert names.index("radar_lines") < halo < number
    assert names.index("radar_points") < halo
    assert spec[halo]["mark"]["stroke"] == "white"
    assert spec[halo]["mark"]["strokeWidth"] >= 2
    assert spec[number]["mark"]["color"] == style.MUTED
    assert f"layer_{halo}_marks" in layers


# ----------------------------------------------------------------- distribution


def test_distribution_summary_and_table_from_the_counts() -> None:
    # s1: answers 3, 4, 4 -> mean 11/3 = 3.67; one "weet niet".
    # s2: answers 1, 1, 2 -> mean 4/3 = 1.33. All answers: 3 + 1 + 3 = 7.
    figure = distribution()
    assert figure.summary == (
        "Hoogste gemiddelde: Stelling 1 (3,7); laagste: Stelling 2 (1,3); "
        "'weet niet' bij 1 van de 7 antwoorden."
    )
    assert figure.table.columns == [
        "Stelling",
        "1 startend",
        "2 in ontwikkeling",
        "3 functionerend",
        "4 geborgd",
        "5 voorbeeldig",
        "Weet niet",
        "Gemiddeld",
    ]
    assert figure.table.rows[0] == [
        "Stelling 1: Eerste uitspraak.",
        "0",
        "0",
        "1",
        "2",
        "0",
        "1",
        "3,7",
    ]


def test_distribution_stacks_segments_and_keeps_dont_know_apart(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    distribution()
    rects = captured["distribution"]["distribution_rects"]
    first = [
        (s["answer"], s["start"], s["end"]) for s in rects if s.get("order") == 0 and "answer" in s
    ]
    assert first == [("3 functionerend", 0, 1), ("4 geborgd", 1, 3)]
    # Three answers at most: 420 pixels for 3, so each answer is 140 pixels wide.
    (one, two) = [s for s in rects if s.get("order") == 0 and "answer" in s]
    assert one["x2"] - one["x"] == pytest.approx(140)
    assert two["x"] == one["x2"]
    assert two["x2"] - two["x"] == pytest.approx(280)
    unknown = [(d["label"], d["count"]) for d in rects if "count" in d]
    assert unknown == [("Stelling 1", 1), ("Stelling 2", 0)]
    # 'Weet niet' stands apart, to the right of every answer.
    assert min(d["x"] for d in rects if "count" in d) > max(s["x2"] for s in rects if "answer" in s)


def test_distribution_labels_legend_and_axis_are_drawn_as_text() -> None:
    labels = texts(distribution().svg)
    for label in ("Stelling 1", "Stelling 2", *style.ANSWER_KEYS, "Weet niet"):
        assert label in labels
    assert "Aantal antwoorden (1–5)" in labels
    assert [label for label in labels if label in {"0", "1", "2", "3"}].count("3") == 1


def test_every_pixel_chart_stays_inside_its_frame(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    for kind, make in FIGURES.items():
        make()
        datasets = captured[kind]
        frames = [rows for name, rows in datasets.items() if name.endswith("_frame")]
        if not frames:
            continue
        ((frame,),) = frames
        for name, rows in datasets.items():
            for row in rows:
                if name.endswith("_texts"):
                    # The widest estimate of the text, turned as it is drawn.
                    left, top, right, bottom = canvas.text_box(row)
                    assert left >= frame["x"], (kind, row)
                    assert top >= frame["y"], (kind, row)
                    assert right <= frame["x2"], (kind, row)
                    assert bottom <= frame["y2"], (kind, row)
                for key in ("x", "x2"):
                    if key in row:
                        assert frame["x"] <= row[key] <= frame["x2"], (kind, name, row)
                for key in ("y", "y2"):
                    if key in row:
                        assert frame["y"] <= row[key] <= frame["y2"], (kind, name, row)


def test_distribution_without_answers_does_not_crash() -> None:
    figure = charts.distribution_figure("v", "Leeg", [("s1", "Tekst")], {"s1": (0, 0, 0, 0, 0, 2)})
    assert figure.summary == "Nog geen antwoorden op een schaal van 1 tot 5; 'weet niet': 2."
    assert figure.table.rows[0][-1] == "–"
    parse(figure.svg)


# ---------------------------------------------------------------------- heatmap


def test_heatmap_is_none_without_values() -> None:
    assert charts.role_heatmap_figure("r", "t", FACTORS, ROLES, {}) is None
    assert (
        charts.role_heatmap_figure("r", "t", FACTORS, ROLES, {("regie", "huisarts"): (5, math.nan)})
        is None
    )
    assert (
        charts.role_heatmap_figure("r", "t", FACTORS, ROLES, {("regie", "onbekend"): (5, 3.0)})
        is None
    )


def test_heatmap_summary_table_and_cells() -> None:
    figure = not_none(heatmap())
    # Only juiste-partners has two roles: 2,2 (wijkteam) to 3,4 (huisarts).
    assert figure.summary == (
        "Grootste verschil tussen rollen bij De juiste partners: "
        "van 2,2 (Wijkteam / sociaal team) tot 3,4 (Huisartsenpraktijk / POH-jeugd)."
    )
    assert figure.table.columns == ["Factor", *(label for _, label in ROLES)]
    assert figure.table.rows[0] == ["De juiste partners", "3,4 (n = 5)", "2,2 (n = 6)", "–"]
    assert "2,2 n = 6" in texts(figure.svg)


def test_heatmap_puts_the_longer_list_down(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    values = {("regie", role): (5, 3.0) for role, _ in ROLES}
    charts.role_heatmap_figure("r", "t", [("regie", "Regie op alle niveaus")], ROLES, values)
    rows = {cell["row"] for cell in captured["heatmap"]["heatmap_rects"]}
    assert rows == {label for _, label in ROLES}
    not_none(heatmap())
    rows = {cell["row"] for cell in captured["heatmap"]["heatmap_rects"]}
    assert rows == {
        "De juiste partners",
        "Goede samenwerkingsafspraken",
        "Sterke samenwerkingscultuur",
    }


def test_heatmap_with_one_role_says_so() -> None:
    figure = charts.role_heatmap_figure(
        "r",
        "t",
        FACTORS[:2],
        ROLES,
        {("regie", "wijkteam"): (5, 3.0), ("afspraken", "wijkteam"): (5, 2.0)},
    )
    assert not_none(figure).summary == (
        "Alleen Wijkteam / sociaal team is een groep die groot genoeg is om te tonen."
    )


# --------------------------------------------------------------------- coverage


def test_coverage_names_levels_nobody_offers() -> None:
    figure = coverage()
    assert figure.summary == "Geen partner biedt: Selectief en Overname van opvoeding."
    assert figure.table.columns == [
        "Rol",
        "Universeel",
        "Selectief",
        "Licht",
        "Overname van opvoeding",
    ]
    assert figure.table.rows[0] == ["Huisartsenpraktijk / POH-jeugd", "2", "0", "0", "0"]
    assert figure.table.rows[-1] == ["Totaal", "2", "0 (gat)", "1", "0 (gat)"]
    assert texts(figure.svg).count("0 – gat") == 2


def test_coverage_prints_only_the_counts_that_are_not_zero() -> None:
    # One role with 2 and 1 partners on two of the four levels: the chart prints those
    # and the totals row (2, 0 – gat, 1, 0 – gat), never a bare 0 in an empty cell.
    figure = coverage()
    numbers = [t for t in texts(figure.svg) if t.strip().isdigit()]
    assert sorted(numbers) == ["1", "1", "2", "2"]
    assert "0" not in texts(figure.svg)


def test_coverage_without_gaps_says_so() -> None:
    full = {("huisarts", level): 1 for level, _ in LEVELS}
    figure = coverage(full)
    assert figure.summary == "Alle niveaus worden door minstens één partner aangeboden."
    assert "0 – gat" not in texts(figure.svg)


def test_coverage_without_any_partner_does_not_crash() -> None:
    figure = coverage({})
    assert figure.summary == (
        "Geen partner biedt: Universeel, Selectief, Licht en Overname van opvoeding."
    )


# ------------------------------------------------------------------- importance


def test_importance_summary_table_and_quadrant_names() -> None:
    figure = importance()
    assert figure.summary == (
        "Prioriteit (belangrijk, lage score): Sterke samenwerkingscultuur en "
        "Systematische evaluatie en kwaliteitsverbetering; vasthouden: De juiste partners en "
        "Continuïteit in complexe zorgtrajecten."
    )
    assert figure.table.columns == ["Factor", "Score", "Belang", "Kwadrant"]
    assert figure.table.rows[1] == ["Goede samenwerkingsafspraken", "2,6", "3,2", "later"]
    labels = texts(figure.svg)
    for name in ("Prioriteit", "Vasthouden", "Later", "Minder aandacht nodig"):
        assert name in labels


def test_importance_labels_do_not_overlap(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    importance()
    data = captured["importance"]
    # The split lines run from edge to edge of the plot: they give its pixels.
    vertical, horizontal = data["importance_splits"]
    left, right = horizontal["x"], horizontal["x2"]
    top, bottom = vertical["y"], vertical["y2"]
    assert right - left == style.IMPORTANCE_WIDTH
    assert bottom - top == style.IMPORTANCE_HEIGHT
    # The axes are zoomed to the points: from 1,5 to 4,5 and from 2,5 to 5,0.
    numbers = [row["text"] for row in data["importance_texts"] if "," in row["text"]]
    assert numbers[0] == "1,5"
    assert "4,5" in numbers
    assert "2,5" in numbers
    assert numbers[-1] == "5,0"

    def box(label: charts.Row) -> tuple[float, float, float, float]:
        lines = label["text"].split("\n")
        width, height = max(map(len, lines)) * 6.6, len(lines) * 13.0
        x, y = label["x"], label["y"]
        left = {"left": x, "center": x - width / 2, "right": x - width}[label["align"]]
        top = {"top": y, "middle": y - height / 2, "bottom": y - height}[label["baseline"]]
        return left, top, left + width, top + height

    boxes = [box(label) for label in data["importance_texts"] if label.get("label")]
    assert len(boxes) == len(FACTORS)
    for i, a in enumerate(boxes):
        assert a[0] >= left - 1
        assert a[2] <= right + 1
        for b in boxes[i + 1 :]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0 or overlap_y <= 0, (a, b)


def test_importance_skips_points_without_numbers() -> None:
    points = [
        ("a", "Alfa", 3.2, 4.0, "vasthouden"),
        ("b", "Beta", math.nan, 3.0, ""),
        ("c", "Gamma", 2.0, math.nan, ""),
    ]
    figure = charts.importance_figure("i", "t", points, 3.0, 3.5)
    assert figure.summary == "Prioriteit (belangrijk, lage score): geen; vasthouden: Alfa."
    assert figure.table.rows[1] == ["Beta", "–", "3,0", "–"]
    assert "Beta" not in texts(figure.svg)


# ------------------------------------------------------------------------ trend


def test_trend_summary_compares_the_last_two_rounds() -> None:
    rounds = ["2024-najaar", "2025-najaar"]
    scores: dict[tuple[str, str], float | None] = {
        ("a", "2024-najaar"): 2.0,
        ("a", "2025-najaar"): 2.5,  # +0.5
        ("b", "2024-najaar"): 3.0,
        ("b", "2025-najaar"): 2.8,  # -0.2
        ("c", "2024-najaar"): None,
        ("c", "2025-najaar"): 4.0,  # no comparison
    }
    factors = [("a", "Alfa"), ("b", "Beta"), ("c", "Gamma")]
    figure = charts.trend_figure("t", "Ontwikkeling", factors, rounds, scores)
    assert figure.summary == (
        "Grootste stijging sinds 2024-najaar: Alfa (+0,5); grootste daling: Beta (−0,2)."
    )
    assert figure.table.columns == [
        "Factor",
        "2024-najaar",
        "2025-najaar",
        "Verschil met 2024-najaar",
    ]
    assert figure.table.rows == [
        ["Alfa", "2,0", "2,5", "+0,5"],
        ["Beta", "3,0", "2,8", "−0,2"],
        ["Gamma", "–", "4,0", "–"],
    ]


def test_trend_with_one_round_or_no_fall() -> None:
    one = charts.trend_figure(
        "t", "x", [("a", "Alfa")], ["2025-najaar"], {("a", "2025-najaar"): 3.0}
    )
    assert one.summary == (
        "Er is nog maar één ronde; de ontwikkeling is te zien vanaf de tweede ronde."
    )
    rounds = ["2024-najaar", "2025-najaar"]
    up = charts.trend_figure(
        "t", "x", [("a", "Alfa")], rounds, {("a", rounds[0]): 2.0, ("a", rounds[1]): 2.4}
    )
    assert up.summary == "Grootste stijging sinds 2024-najaar: Alfa (+0,4); grootste daling: geen."
    parse(trend().svg)


# ---------------------------------------------------------------- post-processing


def test_accessible_svg_names_the_image_and_drops_the_fixed_size() -> None:
    raw = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">'
        '<rect width="120" height="80"/>'
        '<g role="graphics-object" aria-roledescription="group"><text>role="blijft"</text></g>'
        "<text>twee\n\nregels</text></svg>"
    )
    svg = charts.accessible_svg(raw, 'Een "titel"\n\n& <meer>')
    assert "\n" not in svg
    root = parse(svg)
    assert root.get("aria-label") == 'Een "titel" & <meer>'
    assert root.get("width") is None
    assert root.get("viewBox") == "0 0 120 80"
    assert "max-width:120px" in (root.get("style") or "")
    assert root.find(f"{SVG}rect") is not None
    assert root.find(f"{SVG}rect").get("width") == "120"  # type: ignore[union-attr]
    assert "aria-roledescription" not in svg
    assert texts(svg) == ['role="blijft"', "twee  regels"]


# ------------------------------------------------------- placeholders and the cache


@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_placeholders_draw_the_same_svg_as_the_real_texts(
    kind: str, captured: dict[str, Mapping[str, list[charts.Row]]]
) -> None:
    figure = FIGURES[kind]()
    datasets = captured[kind]
    engine.clear_memory()
    real = charts.render_svg(kind, datasets, figure.title, placeholders=False)
    assert real == figure.svg


def test_placeholders_keep_every_line_and_escape_like_vega() -> None:
    rows: dict[str, list[charts.Row]] = {
        "radar_ring_labels": [{"text": " a <b> & c \n\nd"}, {"text": ""}],
        "radar_legend": [{"text": "e"}],
    }
    swapped, lines = engine.with_placeholders("radar", rows)
    assert [row["text"] for row in swapped["radar_ring_labels"]] == ["\n\n", ""]
    assert lines == [[" a <b> & c ", "", "d"], [""], ["e"]]
    drawn = (
        '<svg><text x="1"><tspan/><tspan dy="2"/><tspan dy="2"/></text>'
        '<text x="2"/><text x="3"/></svg>'
    )
    assert engine.restore_texts(drawn, lines) == (
        '<svg><text x="1"><tspan>a &lt;b&gt; &amp; c</tspan><tspan dy="2"/>'
        '<tspan dy="2">d</tspan></text><text x="2"/><text x="3">e</text></svg>'
    )
    with pytest.raises(ValueError, match="minder teksten"):
        engine.restore_texts('<svg><text x="1"/></svg>', [["a"], ["b"]])
    with pytest.raises(ValueError, match="anders getekend"):
        engine.restore_texts('<svg><text x="1">~0</text></svg>', [["a", "b"]])


@pytest.fixture
def disk_cache(tmp_path: Path) -> Iterator[Path]:
    """An empty chart cache on disk, for one test."""
    folder = tmp_path / "charts"
    engine.clear_memory()
    charts.use_cache(folder)
    yield folder
    charts.use_cache(None)
    engine.clear_memory()


def test_a_cache_hit_is_the_same_svg_without_rendering(
    disk_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = radar()
    assert len(list(disk_cache.glob("*/*.svg"))) == 1
    engine.clear_memory()  # as a new worker process: only the disk knows it

    def no_render(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("rendered again")

    monkeypatch.setattr(vl_convert, "vega_to_svg", no_render)
    assert radar().svg == first.svg
    # Another title is no other drawing: the name is added after the cache.
    assert radar(title="Anders").svg == first.svg.replace("Succesfactoren", "Anders")


def test_changed_rows_or_spec_miss_the_cache(
    captured: dict[str, Mapping[str, list[charts.Row]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    radar()
    rows = dict(captured["radar"])
    key = engine.cache_key("radar", rows)
    assert engine.cache_key("radar", dict(rows)) == key
    moved = [dict(point, x=point["x"] + 1) for point in rows["radar_points"]]
    assert engine.cache_key("radar", rows | {"radar_points": moved}) != key
    # Another compiled spec (another vl-convert, another chart design) is another name.
    changed = {**charts.vega_spec("radar"), "padding": 3}
    monkeypatch.setattr(engine, "vega_spec", lambda kind: changed)
    engine._spec_digest.cache_clear()
    try:
        assert engine.cache_key("radar", rows) != key
    finally:
        monkeypatch.undo()
        engine._spec_digest.cache_clear()
    assert engine.cache_key("radar", rows) == key


def test_a_torn_or_foreign_cache_file_is_drawn_again(disk_cache: Path) -> None:
    first = radar()
    (path,) = disk_cache.glob("*/*.svg")
    whole = path.read_text(encoding="utf-8")
    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    engine.clear_memory()
    assert radar().svg == first.svg
    assert path.read_text(encoding="utf-8") == whole


def _write_many(folder: str, key: str, svg: str, times: int) -> None:
    """One of several processes storing the same SVG at once (see the next test)."""
    engine.use_cache(Path(folder))
    for _ in range(times):
        engine.store_svg(key, svg)


def test_concurrent_writers_never_leave_a_torn_file(disk_cache: Path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    svg = "<svg>" + "x" * 400_000 + "</svg>"
    key = "ab" + "0" * 62
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=3, mp_context=context) as pool:
        writers = [pool.submit(_write_many, str(disk_cache), key, svg, 60) for _ in range(3)]
        seen = set()
        while not all(w.done() for w in writers):
            engine.clear_memory()
            found = engine.cached_svg(key)
            seen.add(found is None or found == svg)
        for writer in writers:
            writer.result()
    assert seen <= {True}
    engine.clear_memory()
    assert engine.cached_svg(key) == svg
    assert [p.name for p in disk_cache.glob("*/*")] == [f"{key}.svg"]


def test_pruning_keeps_the_most_recently_used(tmp_path: Path) -> None:
    import os
    import time

    folder = tmp_path / "charts"
    (folder / "aa").mkdir(parents=True)
    now = time.time()
    for age, name in enumerate(["new", "mid", "old"]):
        path = folder / "aa" / f"{name}.svg"
        path.write_text("<svg>" + "x" * 995 + "</svg>", encoding="utf-8")
        os.utime(path, (now - age * 60, now - age * 60))
    leftover = folder / "aa" / ".tmp-crashed.svg"
    leftover.write_text("<svg", encoding="utf-8")
    os.utime(leftover, (now - 7200, now - 7200))
    assert charts.prune_cache(folder, 2100) == 2
    assert sorted(p.name for p in (folder / "aa").iterdir()) == ["mid.svg", "new.svg"]


# ----------------------------------------------------------------- key figures


def _spans(rows: list[charts.Row]) -> list[tuple[float, float, float]]:
    """(y, left, right) of each text, with the generous width estimate the layout uses."""
    glyph = style.CHAR_WIDTH
    found = []
    for row in rows:
        width = len(row["text"]) * glyph
        left = {"left": row["x"], "center": row["x"] - width / 2, "right": row["x"] - width}[
            row["align"]
        ]
        found.append((row["y"], left, left + width))
    return found


def test_bullet_puts_value_and_references_in_place() -> None:
    data = indicator_module.bullet_datasets(
        charts.Marked("Waarde", 63.75, "63,8%"),
        [charts.Marked("Streefwaarde Buurtzorg Jong", 80.0, "80%", "streefwaarde")],
        100.0,
        "%",
    )
    width = style.BULLET_WIDTH
    track, bar, tick, box = data["bullet_rects"]
    assert box["fill"] == "#FFFFFF"  # behind the reference's label
    assert (track["x"], track["x2"]) == (0, width)
    # 63.75 of 100 on the track: 0.6375 of the width; the tick 3 px wide around 80%.
    assert bar["x2"] == pytest.approx(0.6375 * width)
    assert (tick["x"], tick["x2"]) == pytest.approx((0.8 * width - 1.5, 0.8 * width + 1.5))
    texts_by = {row["text"]: row for row in data["bullet_texts"]}
    # The short name in the chart; the scale's end; the value.
    assert set(texts_by) == {"streefwaarde: 80%", "100%", "63,8%"}
    # The reference label starts at its tick or ends there, so it visibly belongs to it.
    assert texts_by["streefwaarde: 80%"]["x"] == pytest.approx(0.8 * width)
    # The value stands beside its bar, where no tick crosses it.
    value = texts_by["63,8%"]
    assert value["x"] == pytest.approx(bar["x2"] + 6)
    assert value["weight"] == "bold"


def test_bullet_labels_never_overlap() -> None:
    # The chart names them as the Kengetallen page does: short.
    close = [
        charts.Marked("Streefwaarde Buurtzorg Jong (hooguit 5%)", 5.0, "5%", "streefwaarde"),
        charts.Marked("Putten 2013 (5 van 78)", 6.4, "6,4%", "Putten 2013"),
    ]
    data = indicator_module.bullet_datasets(charts.Marked("Waarde", 8.1, "8,1%"), close, 20.0, "%")
    spans = _spans(data["bullet_texts"])
    for i, (y, left, right) in enumerate(spans):
        assert left >= 0
        assert right <= style.BULLET_WIDTH + 1
        for other_y, other_left, other_right in spans[i + 1 :]:
            if other_y == y:
                assert right <= other_left or other_right <= left, (y, left, right)
    # The two close references need both rows above the track; the longer tick reaches
    # the upper one, and white boxes (drawn after the ticks) keep it out of the lower text.
    rows = sorted({row["y"] for row in data["bullet_texts"] if row["y"] < style.BULLET_TRACK[0]})
    assert rows == sorted(style.BULLET_LABEL_ROWS)
    boxes = [r for r in data["bullet_rects"] if r["fill"] == "#FFFFFF"]
    assert len(boxes) == 2
    assert data["bullet_rects"][-2:] == boxes


def test_bullet_leaves_a_label_too_long_for_the_chart_to_the_table() -> None:
    # "Streefwaarde Buurtzorg Jong (hooguit 5%): 5%" is 44 characters, 44 × 7 = 308 px:
    # from its tick at 5 of 20 (90 px) it reaches 398 > 360 to the right and 218 px
    # beyond the left end; centred, 64 px. Its tick stays, its label is in the table.
    long = charts.Marked("Streefwaarde Buurtzorg Jong (hooguit 5%)", 5.0, "5%")
    data = indicator_module.bullet_datasets(charts.Marked("Waarde", 8.1, "8,1%"), [long], 20.0, "%")
    assert [row["text"] for row in data["bullet_texts"]] == ["20%", "8,1%"]
    ticks = [r for r in data["bullet_rects"] if r["fill"] == style.TEXT]
    assert [(t["x"], t["y"]) for t in ticks] == [(88.5, style.BULLET_TICK[0])]


def test_bullet_figure_table_and_summary() -> None:
    figure = bullet()
    assert figure.table.columns == ["", "Waarde"]
    assert figure.table.rows == [
        ["Waarde 2025-najaar", "63,8% (51 van 80)"],
        ["Streefwaarde Buurtzorg Jong", "80%"],
    ]
    assert figure.summary.startswith("63,8%")
    assert "63,8%" in texts(figure.svg)


@pytest.mark.parametrize(
    ("value", "top"), [(0.5, 1), (1.0, 1), (8.1, 10), (10.125, 20), (80, 100), (104.5, 200)]
)
def test_nice_maximum(value: float, top: float) -> None:
    assert charts.nice_maximum(value) == top


def test_small_trend_puts_each_round_at_its_height() -> None:
    points = [
        charts.Marked("a", 0.0, "0"),
        charts.Marked("b", 50.0, "50"),
        charts.Marked("c", 100.0, "100"),
    ]
    data = indicator_module.trend_datasets(points, 0.0, 100.0)
    top, bottom = style.SMALL_TREND_PLOT
    ys = [p["y"] for p in data["indicator_trend_points"]]
    # 0 at the bottom of the plot, 100 at its top, 50 halfway.
    assert ys == [bottom, (top + bottom) / 2, top]
    xs = [p["x"] for p in data["indicator_trend_points"]]
    assert xs[0] == style.SMALL_TREND_MARGIN
    assert xs[-1] == style.SMALL_TREND_WIDTH - style.SMALL_TREND_MARGIN
    # A line between each pair of rounds: 3 rounds, 2 lines (after the base line).
    assert len(data["indicator_trend_rules"]) == 1 + 2
    # Only the first and last value are written, left and right of their points (9 px off).
    labels = data["indicator_trend_texts"]
    assert [(r["text"], r["align"]) for r in labels] == [("0", "right"), ("100", "left")]
    assert [r["x"] for r in labels] == [xs[0] - 9, xs[-1] + 9]
    assert [r["y"] for r in labels] == [bottom, top]
    one = indicator_module.trend_datasets([charts.Marked("a", 5.0, "5")], 0.0, 10.0)
    # One round: a single point in the middle, no line (only the base line), only its own
    # value.
    assert len(one["indicator_trend_rules"]) == 1
    assert [r["text"] for r in one["indicator_trend_texts"]] == ["5"]


def test_spread_figure_table_and_own_scores() -> None:
    figure = spread()
    assert figure.table.columns == [
        "Factor", "Aantal gemeenten", "Mediaan", "Middelste helft", "Lindeloo", "Plaats",
    ]  # fmt: skip
    assert figure.table.rows == [
        ["De juiste partners", "5", "3,0", "2,5 – 3,5", "3,6", "boven de middelste helft"],
        [LONGEST, "–", "–", "–", "2,0", "–"],
        ["Totaalindex", "5", "2,9", "2,6 – 3,2", "2,9", "in de middelste helft"],
    ]
    labels = texts(figure.svg)
    assert "Lindeloo" in labels  # the legend names the municipality
    portal = charts.spread_figure("p", "Klein", SPREAD_ROWS, summary="s")
    assert portal.table.columns == ["Factor", "Aantal gemeenten", "Mediaan", "Middelste helft"]
    assert "Lindeloo" not in texts(portal.svg)


def test_side_by_side_heatmap_escapes_names_and_marks_missing_scores() -> None:
    figure = side_by_side()
    assert figure.table.columns == ["Gemeente", "Juiste partners", "Totaalindex"]
    assert figure.table.rows == [["Beekhoeve", "3,4", "3,1"], ["Duinrade & <Zee>", "–", "2,2"]]
    assert "<Zee>" not in figure.svg
    assert "Duinrade & <Zee>" in texts(figure.svg)
    assert "–" in texts(figure.svg)


# ------------------------------------------------------- geometry, worked by hand


def test_bullet_geometry_by_hand() -> None:
    # A value of 40 on a scale 0..100, a reference of 15; the track is 360 px wide.
    assert style.BULLET_WIDTH == 360
    data = indicator_module.bullet_datasets(
        charts.Marked("Waarde", 40.0, "40%"),
        [charts.Marked("Landelijk gemiddelde 2019", 15.0, "15%", "landelijk")],
        100.0,
        "%",
    )
    track, bar, tick, box = data["bullet_rects"]
    # The track spans the whole width; the bar ends at 0.4 × 360 = 144.
    assert (track["x"], track["x2"]) == (0, 360)
    assert (bar["x"], bar["x2"]) == (0, 144)
    # The tick of 15: 0.15 × 360 = 54, 3 px wide; it reaches from under the track (70) up
    # to its label in the lower label row (22 + 7 = 29).
    assert (tick["x"], tick["x2"], tick["y"], tick["y2"]) == (52.5, 55.5, 29, 70)
    by_text = {row["text"]: row for row in data["bullet_texts"]}
    # "landelijk: 15%" (14 characters, 7 px each = 98 px) starts at its tick: 54..152.
    label = by_text["landelijk: 15%"]
    assert (label["x"], label["y"], label["align"]) == (54, 22, "left")
    assert (box["x"], box["x2"]) == (52, 154)
    # The value beside its bar (144 + 6), in the middle of the bar (44 + 58) / 2 = 51.
    value = by_text["40%"]
    assert (value["x"], value["y"], value["align"], value["weight"]) == (150, 51, "left", "bold")
    # The end of the scale under the right end of the track.
    end = by_text["100%"]
    assert (end["x"], end["y"], end["align"]) == (360, 82, "right")
    # The frame: the same for every key figure, 360 × 92.
    assert data["bullet_frame"] == [{"x": 0, "y": 0, "x2": 360, "y2": 92}]


def test_bullet_clamps_values_beyond_the_scale() -> None:
    # 120 on 0..100 ends at the right end of the track; −5 at its left end.
    assert indicator_module.bullet_x(120.0, 100.0) == 360
    assert indicator_module.bullet_x(-5.0, 100.0) == 0
    assert indicator_module.bullet_x(25.0, 50.0) == 180  # half of 360


def test_bullet_fits_a_phone_without_scrolling() -> None:
    # The page's content column is 328 px wide on a 360 px phone (16 px margins); a chart
    # keeps 70% of its width: it scrolls sideways when 0.7 × its width exceeds 328.
    svg = bullet().svg
    width = float(re.search(r"min-width:(\d+)px", svg).group(1))  # type: ignore[union-attr]
    assert width <= 328
    # The comparison chart with short factor names too, and the small trend chart.
    compared = spread().svg
    assert float(re.search(r"min-width:(\d+)px", compared).group(1)) <= 328  # type: ignore[union-attr]
    small = small_trend().svg
    assert float(re.search(r"min-width:(\d+)px", small).group(1)) <= 328  # type: ignore[union-attr]


def test_small_trend_has_a_base_line_at_zero() -> None:
    points = [charts.Marked("a", 20.0, "20"), charts.Marked("b", 40.0, "40")]
    data = indicator_module.trend_datasets(points, 0.0, 100.0)
    _, bottom = style.SMALL_TREND_PLOT
    base, *lines = data["indicator_trend_rules"]
    assert len(lines) == 1
    # Under the points, 12 px beyond the first (64) and last (340 − 64 = 276) round.
    assert (base["x"], base["x2"], base["y"], base["y2"]) == (52, 288, bottom, bottom)
    # 20 of 100 lies a fifth of the way up from the bottom (62) to the top (10): 62 − 10.4.
    assert [p["y"] for p in data["indicator_trend_points"]] == [51.6, 41.2]


def _spread_rows(own: float, q1: float, q3: float, median: float) -> list[charts.SpreadRow]:
    position = comparison_module.classify(own, q1, q3)
    return [charts.SpreadRow("a", "Alfa", "Alfa", 5, median, q1, q3, own=own, position=position)]


def test_spread_geometry_by_hand(captured: dict[str, Mapping[str, list[charts.Row]]]) -> None:
    spread()
    data = captured["spread"]
    # The longest name beside the plot, "Juiste partners" (15 × 7 = 105 px), and a gap of
    # 8: the plot starts at 113 and is 320 wide, 80 per point: 1 at 113 and 5 at 433.
    left = 113
    numbers = {row["text"]: row for row in data["spread_texts"] if row["text"] in "12345"}
    assert [numbers[str(k)]["x"] for k in range(1, 6)] == [113, 193, 273, 353, 433]
    # Rows of 36 px under the axis line at 26 + 44 = 70: middles at 88, 124 and 160.
    names = [r for r in data["spread_texts"] if r["align"] == "right"]
    assert [(r["text"], r["x"], r["y"]) for r in names] == [
        ("Juiste partners", left - 8, 88), ("Informatie", left - 8, 124),
        ("Totaalindex", left - 8, 160),
    ]  # fmt: skip
    bars = [r for r in data["spread_rects"] if r["fill"] == comparison_module.MIDDLE][1:]
    # Juiste partners: 2.5..3.5 -> 113 + 1.5 × 80 = 233 .. 113 + 2.5 × 80 = 313;
    # Totaalindex 2.6..3.2 -> 113 + 128 = 241 .. 113 + 176 = 289; Informatie has no bar.
    assert [(b["x"], b["x2"], b["y"], b["y2"]) for b in bars] == [
        (233, 313, 81, 95), (241, 289, 153, 167),
    ]  # fmt: skip
    medians = [r for r in data["spread_rects"] if r["fill"] == comparison_module.MEDIAN][1:]
    # 3.0 -> 273 and 2.9 -> 113 + 1.9 × 80 = 265, each 3 px wide and 24 high.
    assert [(m["x"], m["x2"], m["y"], m["y2"]) for m in medians] == [
        (271.5, 274.5, 76, 100), (263.5, 266.5, 148, 172),
    ]  # fmt: skip
    # Own scores 3.6, 2.0 and 2.9: 113 + 208 = 321, 113 + 80 = 193, 265; the first
    # diamond is the legend's.
    assert [(p["x"], p["y"]) for p in data["spread_points"][1:]] == [
        (321, 88), (193, 124), (265, 160),
    ]  # fmt: skip
    # A diamond at 5 still lies inside the frame: 433 + 9.
    assert data["spread_frame"][0]["x2"] >= 442


def test_spread_marker_on_the_lower_end_is_in_the_middle_half_and_says_so(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    # Five scores 1.8, 1.869048, 2.2, 2.333333, 2.9: KWARTIEL.INC puts Q1 on the second
    # score, (5 − 1) × 0.25 = 1 -> the own score 1.869048 itself (Lindeloo's evaluatie).
    own = 1.869048
    rows = _spread_rows(own, q1=own, q3=2.333333, median=2.2)
    assert rows[0].position == "midden"
    figure = charts.spread_figure("v", "t", rows, summary="s", own_name="Lindeloo")
    data = captured["spread"]
    (bar,) = [r for r in data["spread_rects"] if r["fill"] == comparison_module.MIDDLE][1:]
    (marker,) = data["spread_points"][1:]
    assert marker["x"] == bar["x"]  # on the bar's left end, half outside it
    # The table says where it is, with numbers that agree: 1,9 in 1,9 – 2,3.
    assert figure.table.rows[0][3:] == [
        "1,9 – 2,3",
        "1,9",
        "in de middelste helft, op de ondergrens",
    ]


def test_spread_table_shows_decimals_enough_to_agree_with_the_place() -> None:
    # 2.56 against a middle half 2.6 .. 3.2: below it, though both round to 2,6. The
    # table shows two decimals: 2,56 against 2,60 – 3,20.
    below = charts.spread_figure(
        "v", "t", _spread_rows(2.56, 2.6, 3.2, 2.9), summary="s", own_name="Lindeloo"
    )
    assert below.table.rows[0][3:] == ["2,60 – 3,20", "2,56", "onder de middelste helft"]
    # 3.75 in 3.6875 .. 3.8125 rounds to 3,8 in 3,7 – 3,8: still in it, one decimal will do.
    inside = charts.spread_figure(
        "v", "t", _spread_rows(3.75, 3.6875, 3.8125, 3.75), summary="s", own_name="Lindeloo"
    )
    assert inside.table.rows[0][3:] == ["3,7 – 3,8", "3,8", "in de middelste helft"]
    # 3.24 above 3.2 (3,2 against 2,6 – 3,2 would read 'in'): 3,24 against 2,60 – 3,20.
    above = charts.spread_figure(
        "v", "t", _spread_rows(3.24, 2.6, 3.2, 2.9), summary="s", own_name="Lindeloo"
    )
    assert above.table.rows[0][3:] == ["2,60 – 3,20", "3,24", "boven de middelste helft"]


def test_side_by_side_heatmap_geometry_by_hand(
    captured: dict[str, Mapping[str, list[charts.Row]]],
) -> None:
    side_by_side()
    data = captured["benchmark_heatmap"]
    # Names on the left: "Duinrade & <Zee>" (16 × 7 = 112 px) + 8: the cells start at 120,
    # 58 px wide. The headings rise at 40°: "Juiste partners" at 11 px is 15 × 7 × 11/12
    # = 96.25 px, rising 96.25 × sin 40° = 61.87; plus a line (14) and a gap (6): 81.87.
    top = 96.25 * math.sin(math.radians(40)) + 14 + 6
    cells = data["benchmark_heatmap_rects"]
    assert [(c["x"], c["x2"]) for c in cells] == [(120, 178), (178, 236)] * 2
    assert [c["y"] for c in cells] == [round(top, 2)] * 2 + [round(top + 28, 2)] * 2
    # 3.4 on the 1..5 blues: (3.4 − 1) / 4 = 0.6 of the scale; a missing score white.
    assert [c["fill"] for c in cells] == [
        style.sequential(0.6), style.sequential(0.525), "#FFFFFF", style.sequential(0.3),
    ]  # fmt: skip
    headings = [t for t in data["benchmark_heatmap_texts"] if t["angle"] == -40]
    assert [(h["text"], h["x"]) for h in headings] == [
        ("Juiste partners", 149), ("Totaalindex", 207),
    ]  # fmt: skip
    values = {t["text"]: t for t in data["benchmark_heatmap_texts"] if t["align"] == "center"}
    # The overall index in bold, in the middle of its cell: 178 + 29 = 207.
    assert (values["3,1"]["x"], values["3,1"]["weight"]) == (207, "bold")
    assert values["3,4"]["weight"] == "normal"
