"""The comparison of municipalities in real builds (SPEC §10): every Overzicht that waited
for its size class gets it, an unchanged site is rendered again only when the comparison
it shows has changed, and the portal shows only municipalities that opted in (and on the
public audience only groups)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from assessment.errors import display_path
from assessment.instrument import load_questionnaire
from assessment.website.build import PORTAL_STAMP, build_audiences, build_sites
from assessment.website.fingerprint import read_stamp
from assessment.yamlio import dump_yaml
from tests.test_kengetallen import town_with
from tests.test_pages import answer_document, answer_path
from tests.test_site import page_text, snapshot

# A workspace that lowers the smallest group to 3 for its internal site.
SETTINGS = "title: Vergelijking\naudience: internal\nthresholds:\n  min_group_size: 3\n"
OPTED = ("beek", "dorp", "eik")  # regie 1, 2 and 3
MARKER = "<!--ks-vergelijking-->"


def write_towns(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "ketenscan.yaml").write_text(SETTINGS, encoding="utf-8")
    for slug, low in zip(OPTED, (1, 2, 3), strict=True):
        town_with(root, slug, low)
    town_with(root, "fort", 5, benchmark=False)  # never in any comparison
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The four towns built once for the internal audience: workspace and output."""
    root = write_towns(tmp_path_factory.mktemp("portal") / "ws")
    out = root.parent / "out"
    report = build_sites(root, out, jobs=2)
    assert [r.status for r in report.results] == ["built"] * 4, report.results
    return root, out


def overzicht(out: Path, slug: str) -> str:
    return page_text(out / slug / "index.html")


def table_rows(path: Path, figure_id: str) -> list[list[str]]:
    """The data table of one figure of a built page, as rows of cell texts."""
    text = path.read_text(encoding="utf-8")
    figure = text[text.index(f'id="{figure_id}"') :]
    figure = figure[: figure.index("</figure>")]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row
        )]
        for row in re.findall(r"<tr>(.*?)</tr>", figure)
    ]  # fmt: skip


def table_rows_plain(text: str) -> list[list[str]]:
    """Every row of every table of an HTML text, as cell texts."""
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S
        )]
        for row in re.findall(r"<tr>(.*?)</tr>", text, re.S)
    ]  # fmt: skip


def regie(out: Path, slug: str) -> list[str]:
    """The row of 'Regie op alle niveaus' in a municipality's comparison table."""
    rows = table_rows(out / slug / "index.html", "vergelijking")
    return next(row for row in rows if row[0] == "Regie op alle niveaus")


@pytest.mark.build
def test_every_waiting_overzicht_gets_its_comparison(built: tuple[Path, Path]) -> None:
    _, out = built
    for slug in OPTED:
        page_html = (out / slug / "index.html").read_text(encoding="utf-8")
        assert MARKER not in page_html
        assert 'id="vergelijking"' in page_html
        assert "<svg" in page_html  # the chart went into the page after MkDocs
        # regie 1, 2, 3: median 2, KWARTIEL.INC 1.5 and 2.5 (fort's 5 does not count).
        assert regie(out, slug)[:4] == ["Regie op alle niveaus", "3", "2,0", "1,5 – 2,5"]
    assert regie(out, "beek")[4:] == ["1,0", "onder de middelste helft"]
    assert regie(out, "eik")[4:] == ["3,0", "boven de middelste helft"]
    assert "Beek scoort onder de middelste helft op Regie op alle niveaus." in overzicht(
        out, "beek"
    )
    assert "Fort doet niet mee aan de vergelijking" in overzicht(out, "fort")
    # Every opted-in site records the comparison it shows; the others none.
    peers = {slug: read_stamp(out, slug)["peers"] for slug in (*OPTED, "fort")}  # type: ignore[index]
    assert peers["fort"] is None
    assert len({peers[slug] for slug in OPTED}) == 1
    assert read_stamp(out, "fort")["factors"] == {}  # type: ignore[index]


@pytest.mark.build
def test_the_internal_portal_shows_only_municipalities_that_opted_in(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    page_html = (out / "index.html").read_text(encoding="utf-8")
    text = page_text(out / "index.html")
    assert MARKER not in page_html
    # The list links every site, but shares scores only of those that opted in.
    listed = [row for row in table_rows_plain(page_html) if row]
    assert ["Fort", "klein", "2025-najaar", "niet gedeeld", "niet gedeeld", "3"] in listed
    assert 'href="fort/index.html"' in page_html
    # Index (28 + 2) ÷ 8 = 3.75 for dorp.
    assert ["Dorp", "klein", "2025-najaar", "3,8", "geborgd", "3"] in listed
    assert 'id="naast-elkaar-klein"' in page_html
    assert 'id="spreiding-klein"' in page_html
    table = page_html[page_html.index('id="naast-elkaar-klein"') :]
    table = table[: table.index("</figure>")]
    assert [name for name in ("Beek", "Dorp", "Eik", "Fort") if f">{name}</th>" in table] == [
        "Beek",
        "Dorp",
        "Eik",
    ]
    assert "Geen grote gemeenten doen mee aan de vergelijking." in text


@pytest.mark.build
def test_nothing_changed_nothing_rebuilt_not_even_the_portal(built: tuple[Path, Path]) -> None:
    root, out = built
    before = snapshot(out)
    report = build_sites(root, out, jobs=2)
    assert [r.status for r in report.results] == ["skipped"] * 4
    assert snapshot(out) == before
    assert read_stamp(out, PORTAL_STAMP) is not None


@pytest.mark.build
def test_a_changed_class_rebuilds_the_sites_that_show_it(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, out = tmp_path / "ws", tmp_path / "out"
    shutil.copytree(built[0], root)
    shutil.copytree(built[1], out)
    fort_before = snapshot(out / "fort")
    # Eik's regie goes from 3 to 4: regie 1, 2, 4 has Q3 at position 1.5, 2 + 0.5 × (4 - 2)
    # = 3.0. Every opted-in site shows it, so beek and dorp are built again too; fort
    # shows no comparison and stays as it was.
    questionnaire = load_questionnaire()
    for number in (1, 2, 3):
        document = answer_document(
            questionnaire, "eik", number, organisation=f"Team {number}", low=4
        )
        answer_path(root, "eik", number).write_text(dump_yaml(document), encoding="utf-8")
    report = build_sites(root, out, jobs=2)
    assert {r.slug: r.status for r in report.results} == {
        "beek": "built",
        "dorp": "built",
        "eik": "built",
        "fort": "skipped",
    }
    assert regie(out, "dorp")[:4] == ["Regie op alle niveaus", "3", "2,0", "1,5 – 3,0"]
    assert snapshot(out / "fort") == fort_before
    # Settled: another build changes nothing.
    assert {r.status for r in build_sites(root, out, jobs=2).results} == {"skipped"}
    # A municipality that leaves the comparison takes its scores out of it everywhere.
    text = (root / "gemeenten" / "eik" / "gemeente.yaml").read_text(encoding="utf-8")
    (root / "gemeenten" / "eik" / "gemeente.yaml").write_text(
        text.replace("benchmark: true", "benchmark: false"), encoding="utf-8"
    )
    build_sites(root, out, jobs=2)
    assert "Er doen nu 2 kleine" in overzicht(out, "dorp")
    assert ">Eik</th>" not in (out / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / ".ketenscan" / "eik.json").read_text())["factors"] == {}
    assert display_path(out)  # (the output stays where it was)


@pytest.mark.build
def test_the_public_portal_shows_only_groups(tmp_path: Path) -> None:
    root = write_towns(tmp_path / "ws")
    for slug, low in (("haven", 4), ("ijs", 3)):  # five small towns opted in
        town_with(root, slug, low)
    out = tmp_path / "out"
    build_sites(root, out, audience="public", jobs=2)
    page_html = (out / "index.html").read_text(encoding="utf-8")
    text = page_text(out / "index.html")
    assert 'id="naast-elkaar-' not in page_html  # no heatmap of municipalities
    assert 'id="spreiding-klein"' in page_html
    # No score of any single municipality: every row says "niet gedeeld".
    listed = [row for row in table_rows_plain(page_html) if len(row) == 6][1:]  # no header
    assert len(listed) == 6
    assert all(row[3:5] == ["niet gedeeld", "niet gedeeld"] for row in listed)
    # regie 1, 2, 3, 4, 3 (haven 4, ijs 3): sorted 1 2 3 3 4, median 3, Q1 2, Q3 3.
    spread = table_rows(out / "index.html", "spreiding-klein")
    assert ["Regie op alle niveaus", "5", "3,0", "2,0 – 3,0"] in spread
    # The public site needs five: the Overzicht of an opted-in town shows the comparison.
    assert regie(out, "dorp")[:4] == ["Regie op alle niveaus", "5", "3,0", "2,0 – 3,0"]
    assert "Deze openbare versie toont geen scores van afzonderlijke gemeenten" in text


@pytest.mark.build
def test_both_audiences_in_one_build_each_get_their_own_comparison(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, internal_alone = built
    outs = {"internal": tmp_path / "intern", "public": tmp_path / "publiek"}
    reports = build_audiences(root, outs, jobs=2)
    for report in reports.values():
        assert [r.status for r in report.results] == ["built"] * 4, report.results
    public_alone = tmp_path / "alleen-publiek"
    build_sites(root, public_alone, audience="public", jobs=2)
    # Each audience's Overzicht is the one a build of that audience alone makes: internal
    # compares beek, dorp and eik (the settings allow 3); public needs 5, so the three
    # are too few there.
    for slug in (*OPTED, "fort"):
        assert MARKER not in (outs["public"] / slug / "index.html").read_text(encoding="utf-8")
        assert overzicht(outs["internal"], slug) == overzicht(internal_alone, slug)
        assert overzicht(outs["public"], slug) == overzicht(public_alone, slug)
    assert regie(outs["internal"], "beek")[:4] == ["Regie op alle niveaus", "3", "2,0", "1,5 – 2,5"]
    # Every stamp records the comparison of its own audience.
    peers = {
        audience: {slug: read_stamp(out, slug)["peers"] for slug in OPTED}  # type: ignore[index]
        for audience, out in outs.items()
    }
    assert len(set(peers["internal"].values())) == len(set(peers["public"].values())) == 1
    assert peers["internal"]["beek"] != peers["public"]["beek"]
    assert peers["public"]["beek"] == read_stamp(public_alone, "beek")["peers"]  # type: ignore[index]
    # The two portals differ (public: groups only) and each is the one built alone.
    assert page_text(outs["public"] / "index.html") == page_text(public_alone / "index.html")
    assert page_text(outs["internal"] / "index.html") != page_text(outs["public"] / "index.html")
    # Settled: a second build of both changes nothing.
    again = build_audiences(root, outs, jobs=2)
    assert {r.status for report in again.values() for r in report.results} == {"skipped"}
