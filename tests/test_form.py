"""The online questionnaire's HTML: generated from the instrument, named after the answer format,
escaped, and left intact by Markdown and by the build's scrub of links to other hosts."""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]  # no stubs; only this test uses it
import pytest

from assessment.analysis import analyse
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.pages import render_pages
from assessment.pages.context import site_data
from assessment.pages.form import render_form
from assessment.pages.page import Page
from assessment.paths import default_questionnaire_dir
from assessment.website.postprocess import sanitize_site
from assessment.workspace import load_workspace
from assessment.yamlio import dump_yaml, parse_yaml
from tests.helpers import MUNICIPALITY, ROUND, build_workspace, write_municipality

API_URL = "https://verzamel.example.nl/api/v1/"
VOID = {"input", "link", "br", "img", "meta", "hr", "source", "wbr"}


@dataclass
class Element:
    """One element of the parsed form: its tag, attributes and text."""

    tag: str
    attrs: dict[str, str]
    parents: list[str]
    text: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        """The element's text, as a reader sees it."""
        return "".join(self.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(
            tag, {k: "" if v is None else v for k, v in attrs}, [e.tag for e in self.open]
        )
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text.append(data)


def parse(text: str) -> list[Element]:
    """Every element of an HTML fragment, in document order."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.elements


def by_tag(elements: list[Element], tag: str) -> list[Element]:
    """The elements with this tag."""
    return [e for e in elements if e.tag == tag]


def island(elements: list[Element]) -> dict[str, Any]:
    """The JSON the script reads."""
    [script] = [e for e in elements if e.attrs.get("id") == "ks-form-data"]
    assert script.attrs["type"] == "application/json"
    data: dict[str, Any] = json.loads(script.content)
    return data


def _form(questionnaire: Questionnaire, api_url: str | None = None) -> str:
    return render_form(questionnaire, "voorbeeldstad", "2025-najaar", api_url)


def _copy_questionnaire(target: Path) -> Path:
    shutil.copytree(default_questionnaire_dir(), target)
    return target


def _edit_yaml(path: Path, change: Any) -> None:
    data = parse_yaml(path.read_bytes(), path.name).data
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


def _pages(root: Path) -> dict[str, Page]:
    workspace = load_workspace(root)
    assert workspace.errors == []
    analysis = analyse(workspace)
    pages = render_pages(site_data(analysis, MUNICIPALITY, "internal"))
    return {page.path: page for page in pages}


# ---------------------------------------------------------------- structure


def test_every_statement_is_a_radio_group_named_after_its_id(
    questionnaire: Questionnaire,
) -> None:
    elements = parse(_form(questionnaire))
    radios = [e for e in by_tag(elements, "input") if e.attrs["type"] == "radio"]
    names = list(dict.fromkeys(r.attrs["name"] for r in radios))
    assert names == questionnaire.statement_order
    texts = {s.id: s.text for s in questionnaire.instrument.statements()}
    for sid in names:
        values = [r.attrs["value"] for r in radios if r.attrs["name"] == sid]
        assert values == ["1", "2", "3", "4", "5", ""]
        [group] = [e for e in elements if e.attrs.get("id") == f"ks-st-{sid}"]
        assert group.tag == "fieldset"
        assert group.attrs["role"] == "radiogroup"
        [legend] = [e for e in elements if e.attrs.get("id") == f"ks-st-{sid}-legend"]
        assert legend.tag == "legend"
        assert texts[sid] in legend.content
        assert all("fieldset" in r.parents and "label" in r.parents for r in radios)


def test_every_choice_has_its_level_name_and_weet_niet(questionnaire: Questionnaire) -> None:
    elements = parse(_form(questionnaire))
    sid = questionnaire.statement_order[0]
    labels = [
        e.content
        for e in by_tag(elements, "label")
        if e.attrs.get("class", "").startswith("ks-choice")
    ]
    first = labels[:6]
    assert first == [
        "1 startend",
        "2 in ontwikkeling",
        "3 functionerend",
        "4 geborgd",
        "5 voorbeeldig",
        "weet niet / niet van toepassing",
    ]
    assert len(labels) == 6 * len(questionnaire.statement_order)
    assert sid in _form(questionnaire)


def test_the_other_fields_are_named_by_their_place_in_the_answer_file(
    questionnaire: Questionnaire,
) -> None:
    elements = parse(_form(questionnaire))
    factors = [f.id for f in questionnaire.instrument.factors()]
    named = [e for e in elements if e.tag in ("input", "select", "textarea") and "name" in e.attrs]
    names = [e.attrs["name"] for e in named if e.attrs.get("type") != "radio"]
    assert names == [
        "respondent.organisation",
        "respondent.role",
        "respondent.id",
        *["levels_offered"] * 7,
        *[n for f in factors for n in (f"importance.{f}", f"ambition.{f}", f"comments.{f}")],
        "open.goes_well",
        "open.change_first",
    ]
    boxes = [e.attrs["value"] for e in named if e.attrs["name"] == "levels_offered"]
    assert boxes == [level.id for level in questionnaire.instrument.intervention_levels]
    role_values = [e.attrs["value"] for e in by_tag(elements, "option") if "select" in e.parents][
        : len(questionnaire.roles) + 1
    ]
    assert role_values == ["", *questionnaire.roles]
    importance = [e for e in elements if e.attrs.get("name") == f"importance.{factors[0]}"]
    assert importance[0].tag == "select"
    options = [
        e.content for e in by_tag(elements, "option") if e.parents and "select" in e.parents
    ][len(questionnaire.roles) + 1 : len(questionnaire.roles) + 7]
    assert options == [
        "Geen antwoord",
        "1 – niet belangrijk",
        "2 – een beetje belangrijk",
        "3 – redelijk belangrijk",
        "4 – belangrijk",
        "5 – zeer belangrijk",
    ]


def test_each_factor_is_collapsible_with_its_explanation_and_levels(
    questionnaire: Questionnaire,
) -> None:
    elements = parse(_form(questionnaire))
    factors = [e for e in by_tag(elements, "details") if e.attrs.get("class") == "ks-factor"]
    assert [e.attrs["data-factor"] for e in factors] == [
        f.id for f in questionnaire.instrument.factors()
    ]
    regie = questionnaire.instrument.factors()[3]
    [details] = [e for e in factors if e.attrs["data-factor"] == regie.id]
    assert " ".join(regie.explanation.split()) in details.content
    for descriptor in regie.level_descriptors:
        assert " ".join(descriptor.split()) in details.content
    total = len(questionnaire.statement_order)
    assert f"0 van {total} beantwoord" in _form(questionnaire)


def test_the_script_gets_ids_in_questionnaire_order(questionnaire: Questionnaire) -> None:
    data = island(parse(_form(questionnaire)))
    assert data["statements"] == questionnaire.statement_order
    assert [f["id"] for f in data["factors"]] == [f.id for f in questionnaire.instrument.factors()]
    assert sum(len(f["statements"]) for f in data["factors"]) == len(questionnaire.statement_order)
    assert data["levels"] == [lvl.id for lvl in questionnaire.instrument.intervention_levels]
    assert data["roles"] == list(questionnaire.roles)
    assert data["instrument"] == "ketenscan-jeugd@1"
    assert (data["municipality"], data["round"]) == ("voorbeeldstad", "2025-najaar")
    # The limits of the answer format (SPEC §3: ids of at most 64 characters, names 200,
    # texts 4000, files of 1 MiB, scores 1..5).
    assert data["limits"] == {
        "slugPattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "id": 64,
        "organisation": 200,
        "text": 4000,
        "fileBytes": 1024 * 1024,
        "fileText": "1 MiB",
        "scaleMin": 1,
        "scaleMax": 5,
        "tokenPattern": "^[A-Za-z0-9_-]{32,64}$",
    }


# ---------------------------------------------------------------- the instrument is the source


def test_a_statement_added_to_the_instrument_appears_in_the_form(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    folder = _copy_questionnaire(tmp_path / "vragenlijst")
    new = {"id": "regie-een-gezinsplan-online", "text": "Het gezin ziet zijn plan online."}

    def add(data: dict[str, Any]) -> None:
        data["sections"][0]["factors"][3]["statements"].append(new)

    _edit_yaml(folder / "instrument.yaml", add)
    changed = load_questionnaire(folder)
    build_workspace(changed, root)
    (root / "ketenscan.yaml").write_text("instrument: ../vragenlijst\n", encoding="utf-8")

    page = _pages(root)["vragenlijst.md"]
    elements = parse(page.content)
    values = [
        e.attrs["value"] for e in by_tag(elements, "input") if e.attrs.get("name") == new["id"]
    ]
    assert values == ["1", "2", "3", "4", "5", ""]
    [legend] = [e for e in elements if e.attrs.get("id") == f"ks-st-{new['id']}-legend"]
    assert new["text"] in legend.content
    statements = island(elements)["statements"]
    assert len(statements) == len(questionnaire.statement_order) + 1
    assert statements[statements.index("regie-gemeente-pakt-knelpunten-op") + 1] == new["id"]
    assert f"0 van {len(statements)} beantwoord" in page.content


def test_instrument_text_is_shown_literally_never_as_markup(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    folder = _copy_questionnaire(tmp_path / "vragenlijst")
    label = "<b>Vet</b> & co"
    title = "</script><script>alert(1)</script>"
    text = '<img src=x onerror="alert(2)"> of "niet"'

    def roles(data: dict[str, Any]) -> None:
        data["roles"][0]["label"] = label

    def instrument(data: dict[str, Any]) -> None:
        data["sections"][0]["factors"][0]["title"] = title
        data["sections"][0]["factors"][0]["statements"][0]["text"] = text

    _edit_yaml(folder / "roles.yaml", roles)
    _edit_yaml(folder / "instrument.yaml", instrument)
    form = _form(load_questionnaire(folder))
    elements = parse(form)
    assert not [e for e in elements if e.tag in ("b", "img")]
    assert len(by_tag(elements, "script")) == 2  # the JSON island and the form's own script
    options = [e.content for e in by_tag(elements, "option")]
    assert label in options
    assert any(e.content.strip() == title for e in elements if e.tag == "span")
    legends = [e.content for e in by_tag(elements, "legend")]
    assert any(text in legend for legend in legends)
    data = island(elements)
    assert data["factors"][0]["title"] == title
    start = form.index('id="ks-form-data">') + len('id="ks-form-data">')
    assert "<" not in form[start : form.index("</script>", start)]


# ---------------------------------------------------------------- sending with an invitation


def _by_id(elements: list[Element], element_id: str) -> Element:
    [found] = [e for e in elements if e.attrs.get("id") == element_id]
    return found


def test_the_send_button_and_invitation_panel_wait_hidden_for_a_token(
    questionnaire: Questionnaire,
) -> None:
    elements = parse(_form(questionnaire))
    send = _by_id(elements, "ks-send")
    assert (send.tag, send.content, send.attrs["type"]) == ("button", "Versturen", "button")
    assert "hidden" in send.attrs
    for hidden in ("ks-invitation", "ks-receipt", "ks-finish-text-invited", "ks-reset-queued"):
        assert "hidden" in _by_id(elements, hidden).attrs, hidden
    assert "hidden" not in _by_id(elements, "ks-finish-text").attrs
    assert [
        b.content for b in by_tag(elements, "button") if b.attrs.get("id") == "ks-download"
    ] == ["Download antwoorden"]
    # Without a setting the form sends to the server that serves the site.
    [form_element] = by_tag(elements, "form")
    assert form_element.attrs["data-api"] == "../api/v1/"
    assert island(elements)["limits"]["tokenPattern"] == "^[A-Za-z0-9_-]{32,64}$"


def test_an_api_url_of_another_server_goes_on_the_form(questionnaire: Questionnaire) -> None:
    [form_element] = by_tag(parse(_form(questionnaire, API_URL)), "form")
    assert form_element.attrs["data-api"] == API_URL


def test_the_api_url_survives_the_scrub_of_links_to_other_hosts(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = site / "vragenlijst.html"
    page.write_text(_form(questionnaire, API_URL), encoding="utf-8")
    (site / "other.html").write_text(f'<a href="{API_URL}">x</a>', encoding="utf-8")
    sanitize_site(site)
    [form_element] = by_tag(parse(page.read_text(encoding="utf-8")), "form")
    assert form_element.attrs["data-api"] == API_URL
    # The same URL in a link is scrubbed: the form's attribute is the one way through.
    assert API_URL not in (site / "other.html").read_text(encoding="utf-8")


def test_the_page_passes_the_workspace_api_url_and_explains_both_ways(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = build_workspace(questionnaire, tmp_path / "ws")
    without = _pages(root)["vragenlijst.md"].content
    [form_element] = by_tag(parse(without), "form")
    assert form_element.attrs["data-api"] == "../api/v1/"
    assert "**Versturen**" in without
    assert "**Download antwoorden**" in without
    settings = f"collect:\n  api_url: {API_URL}\n"
    (root / "ketenscan.yaml").write_text(settings, encoding="utf-8")
    with_url = _pages(root)["vragenlijst.md"].content
    [form_element] = by_tag(parse(with_url), "form")
    assert form_element.attrs["data-api"] == API_URL


# ---------------------------------------------------------------- the page


def test_markdown_leaves_the_form_exactly_as_written(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    form = _form(questionnaire, API_URL)
    assert "\n\n" not in form
    root = build_workspace(questionnaire, tmp_path / "ws")
    page = _pages(root)["vragenlijst.md"].content
    # The extensions of site.mkdocs_config.
    rendered = markdown.markdown(
        page, extensions=["tables", "admonition", "attr_list", "toc"], output_format="html"
    )
    expected = render_form(questionnaire, MUNICIPALITY, ROUND, None)
    assert expected in rendered
    assert rendered.count("<h1") == 1


def test_the_page_comes_after_the_workshop_and_before_methode(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = build_workspace(questionnaire, tmp_path / "ws")
    pages = list(_pages(root).values())
    titles = [page.title for page in pages]
    index = titles.index("Vragenlijst")
    assert titles[index - 3 : index + 2] == [
        "Aanbevelingen",
        "Actieplan",
        "Workshop",
        "Vragenlijst",
        "Methode",
    ]
    assert pages[index].path == "vragenlijst.md"
    assert pages[index].section is None


def test_the_form_is_for_the_newest_round_folder(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = build_workspace(questionnaire, tmp_path / "ws")
    later = root / "gemeenten" / MUNICIPALITY / "2026-voorjaar" / "antwoorden"
    later.mkdir(parents=True)
    page = _pages(root)["vragenlijst.md"].content
    [form_element] = by_tag(parse(page), "form")
    assert form_element.attrs["data-round"] == "2026-voorjaar"
    assert form_element.attrs["data-municipality"] == MUNICIPALITY
    assert island(parse(page))["round"] == "2026-voorjaar"
    assert "ronde\n**2026-voorjaar**" in page


def test_a_municipality_without_rounds_gets_no_form(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    root = build_workspace(questionnaire, tmp_path / "ws")
    folder = write_municipality(root, "zonderronde")
    shutil.rmtree(folder)
    workspace = load_workspace(root)
    analysis = analyse(workspace)
    pages = render_pages(site_data(analysis, "zonderronde", "internal"))
    [page] = [p for p in pages if p.path == "vragenlijst.md"]
    assert "<form" not in page.content
    assert "nog geen ronde" in page.content


@pytest.mark.parametrize("url", [None, API_URL])
def test_the_form_loads_only_files_of_the_site(
    questionnaire: Questionnaire, url: str | None
) -> None:
    elements = parse(_form(questionnaire, url))
    sources = [
        e.attrs.get("src") or e.attrs.get("href") for e in elements if e.tag in ("script", "link")
    ]
    assert [s for s in sources if s] == ["assets/vragenlijst.css", "assets/vragenlijst.js"]
    assert html.unescape(_form(questionnaire, url)).count("http") == (1 if url else 0)
