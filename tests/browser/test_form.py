"""The Vragenlijst page in Chromium: filled in by keyboard, downloaded, validated and counted;
drafts, loading, escaping, errors, accessibility and a phone's width. (Sending with an
invitation: tests/browser/test_collect.py.)

The site is the demo's Rivierstede alone (its newest round is 2025-najaar), built once into
build/test-sites/form/ and served from 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Download, FilePayload, Page
from ruamel.yaml import YAML

from assessment.cli import main
from assessment.instrument import load_questionnaire
from assessment.template import render_template
from assessment.validate import validate_path
from assessment.website.build import build_sites
from tests.browser.browsing import axe_violations, describe, horizontal_overflow, resize
from tests.browser.conftest import SCREENSHOTS, Server, Visit, serve_folder, stop
from tests.helpers import cycle_score, fill_template
from tests.sites import BUILD_ROOT, EXAMPLES

SLUG = "rivierstede"
ROUND = "2025-najaar"  # the newest round folder of Rivierstede in the demo
PAGE = f"{SLUG}/vragenlijst.html"
QUESTIONNAIRE = load_questionnaire()
STATEMENTS = QUESTIONNAIRE.statement_order
FACTORS = QUESTIONNAIRE.instrument.factors()
TOTAL = len(STATEMENTS)

# Free text that YAML, HTML or a careless writer could trip over.
TRICKY_COMMENTS = {
    "juiste-partners": 'Zij zei: "ja" # geen commentaar\nnieuwe regel 🎉 <script>alert(1)</script>',
    "regie": "  spaties\tvoor en na  ",
    "continuiteit": "\\ backslash \\n is geen regeleinde \\\\",
    "evaluatie": "null",
    "consistente-visie": "- 'lijst' met [haken] en {accolades}: @ ` % & * ! | >",
    "vertrouwen": "NEL\u0085 LS\u2028 PS\u2029 BOM\ufeff bel\u0007 einde\ufffe",
    "dialoog": "😀" * 4000,  # 4000 characters, 8000 UTF-16 units: the limit counts characters
}
TRICKY_OPEN = {
    "goes_well": "Eén: ‘goed’ — ✓\n\nna een lege regel",
    "change_first": '#1 prioriteit: "alles"\n- of toch niet',
}
TRICKY_ORGANISATION = 'Stichting "Kind & Co": #1 🙂'


# ---------------------------------------------------------------- sites


def _workspace(target: Path, settings: str = "") -> Path:
    """A workspace holding the demo's Rivierstede alone."""
    if target.exists():
        shutil.rmtree(target)
    (target / "gemeenten").mkdir(parents=True)
    text = (EXAMPLES / "ketenscan.yaml").read_text(encoding="utf-8")
    (target / "ketenscan.yaml").write_text(text + settings, encoding="utf-8")
    shutil.copytree(EXAMPLES / "gemeenten" / SLUG, target / "gemeenten" / SLUG)
    return target


def _build(workspace: Path, out: Path) -> Path:
    report = build_sites(workspace, out, only=SLUG, jobs=1)
    assert report.failed == [], [r.message for r in report.failed]
    return out


@pytest.fixture(scope="module")
def form_site() -> Iterator[Server]:
    """Rivierstede built once (and skipped while unchanged), served locally."""
    base = BUILD_ROOT / "form"
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    with (BUILD_ROOT / "form.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            out = _build(_workspace(base / "ws"), base / "public")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    server = serve_folder(out)
    yield server
    stop(server)


# ---------------------------------------------------------------- helpers


def _open(visit: Visit, server: Server) -> Page:
    page = visit.page
    page.goto(f"{server.url}/{PAGE}")
    page.wait_for_selector("#ks-form.ks-form--ready")
    return page


def _open_all(page: Page) -> None:
    page.evaluate("() => document.querySelectorAll('#ks-form details').forEach(d => d.open = true)")


def _tab_to(page: Page, selector: str, limit: int = 4) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    found = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"Tab did not reach {selector} (focus on {found})")


def _choose_by_keyboard(page: Page, score: int | None) -> None:
    """In a radio group with nothing chosen yet, focus is on choice 1."""
    if score is None:
        page.keyboard.press("ArrowLeft")  # wraps round to the last choice: weet niet
    else:
        page.keyboard.press("Space")
        for _ in range(score - 1):
            page.keyboard.press("ArrowRight")


def _checked(page: Page, sid: str) -> str | None:
    value: str | None = page.evaluate(
        "(n) => { const r = document.querySelector(`input[name='${n}']:checked`);"
        " return r ? r.value : null; }",
        sid,
    )
    return value


def _fill(
    page: Page,
    *,
    organisation: str = "Wijkteam Rivierstede",
    role: str = "wijkteam",
    skip: frozenset[int] = frozenset(),
    upto: int = TOTAL,
) -> None:
    """Fill the form with the mouse: statement i gets cycle_score(i)."""
    _open_all(page)
    page.fill("#ks-organisation", organisation)
    page.select_option("#ks-role", role)
    for index, sid in enumerate(STATEMENTS[:upto]):
        if index in skip:
            continue
        score = cycle_score(index)
        page.check(f"#ks-st-{sid}-{'dk' if score is None else score}")


def _download(page: Page, button: str = "#ks-download") -> Download:
    with page.expect_download() as info:
        page.click(button)
    return info.value


# The form saves a file by clicking a hidden link to it (`a[download]`), in the same task as
# the click or key press that asked for it: recorded here, that click is known at once.
_RECORD_SAVE_CLICKS = """() => {
    window.__ksSaves = [];
    if (window.__ksSaveSpy) return;
    window.__ksSaveSpy = true;
    document.addEventListener("click", (event) => {
        const link = event.target instanceof Element && event.target.closest("a[download]");
        if (link) window.__ksSaves.push(link.download);
    }, true);
}"""


def _no_download(page: Page, action: Any) -> None:
    downloads: list[Download] = []

    def record(download: Download) -> None:
        downloads.append(download)

    page.evaluate(_RECORD_SAVE_CLICKS)
    page.on("download", record)
    action()
    saves = page.evaluate("() => window.__ksSaves")
    page.remove_listener("download", record)
    assert saves == []
    assert downloads == []


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _expected_answers() -> dict[str, int | None]:
    return {sid: cycle_score(index) for index, sid in enumerate(STATEMENTS)}


# ---------------------------------------------------------------- the whole way, by keyboard


def test_keyboard_only_gives_a_file_that_validates_and_is_counted(
    visit: Visit, form_site: Server, tmp_path: Path
) -> None:
    page = _open(visit, form_site)
    comment = 'Zij zei: "ja" # echt\nTweede regel 🙂'
    _tab_to(page, "#ks-organisation", limit=60)
    page.keyboard.type("Stichting Toetsenbord Rivierstede")
    _tab_to(page, "#ks-role", limit=1)
    for _ in range(list(QUESTIONNAIRE.roles).index("jeugd-en-gezinsteam") + 1):
        page.keyboard.press("ArrowDown")
    _tab_to(page, "#ks-respondent-id", limit=1)
    assert page.input_value("#ks-respondent-id") == "stichting-toetsenbord-rivierstede"
    _tab_to(page, "#ks-level-universeel", limit=1)
    page.keyboard.press("Space")
    _tab_to(page, "#ks-level-licht", limit=2)
    page.keyboard.press("Space")
    _tab_to(page, f"#ks-f-{FACTORS[0].id} > summary", limit=10)
    page.keyboard.press("Enter")
    index = 0
    for number, factor in enumerate(FACTORS):
        for statement in factor.statements:
            _tab_to(page, f"input[name='{statement.id}']", limit=3)
            _choose_by_keyboard(page, cycle_score(index))
            score = cycle_score(index)
            assert _checked(page, statement.id) == ("" if score is None else str(score))
            index += 1
        _tab_to(page, f"#ks-importance-{factor.id}", limit=1)
        if number < 3:
            for _ in range(number + 2):
                page.keyboard.press("ArrowDown")
        _tab_to(page, f"#ks-ambition-{factor.id}", limit=1)
        if number < 3:
            for _ in range(4):
                page.keyboard.press("ArrowDown")
        _tab_to(page, f"#ks-comments-{factor.id}", limit=1)
        if factor.id == "regie":
            page.keyboard.type(comment)
        _tab_to(page, f"#ks-f-{factor.id} .ks-next", limit=1)
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "ks-open-goes_well"
    page.keyboard.type("De korte lijnen.")
    _tab_to(page, "#ks-open-change_first", limit=1)
    page.keyboard.type("Eén plan per gezin.")
    assert page.text_content("#ks-progress") == f"{TOTAL} van {TOTAL} beantwoord"
    _tab_to(page, "#ks-download", limit=3)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == "stichting-toetsenbord-rivierstede.yaml"

    workspace = _workspace(tmp_path / "ws")
    answers_dir = workspace / "gemeenten" / SLUG / ROUND / "antwoorden"
    before = len(list(answers_dir.glob("*.yaml")))
    target = answers_dir / download.suggested_filename
    download.save_as(target)
    data = _load_yaml(target)
    assert data["instrument"] == "ketenscan-jeugd@1"
    assert (data["municipality"], data["round"]) == (SLUG, ROUND)
    assert data["respondent"] == {
        "id": "stichting-toetsenbord-rivierstede",
        "organisation": "Stichting Toetsenbord Rivierstede",
        "role": "jeugd-en-gezinsteam",
    }
    assert data["submitted"] == dt.date.today()
    assert data["answers"] == _expected_answers()
    assert list(data["answers"]) == STATEMENTS
    assert data["importance"] == {FACTORS[0].id: 2, FACTORS[1].id: 3, FACTORS[2].id: 4}
    assert data["ambition"] == {FACTORS[0].id: 4, FACTORS[1].id: 4, FACTORS[2].id: 4}
    assert data["levels_offered"] == ["universeel", "licht"]
    assert data["comments"] == {"regie": comment}
    assert data["open"] == {"goes_well": "De korte lijnen.", "change_first": "Eén plan per gezin."}

    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 0, result.output
    report = validate_path(workspace)
    assert report.errors == []
    assert [p for p in report.problems if target.name in p.path] == []

    out = _build(workspace, tmp_path / "public")
    stamp = json.loads((out / ".ketenscan" / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert (stamp["round"], stamp["respondents"]) == (ROUND, before + 1)
    chain = html.unescape((out / SLUG / "de-keten.html").read_text(encoding="utf-8"))
    assert "Stichting Toetsenbord Rivierstede" in chain
    regie = html.unescape((out / SLUG / "factoren" / "regie.html").read_text(encoding="utf-8"))
    assert 'Zij zei: "ja" # echt' in regie
    assert visit.offsite_requests() == []


# ---------------------------------------------------------------- draft, file, escaping


def test_a_draft_is_restored_after_a_reload(visit: Visit, form_site: Server) -> None:
    page = _open(visit, form_site)
    _fill(page, upto=5)
    page.check("#ks-level-selectief")
    page.select_option("#ks-importance-regie", "4")
    page.fill("#ks-comments-regie", "Halverwege: nog niet klaar")
    assert page.text_content("#ks-progress") == f"5 van {TOTAL} beantwoord"
    page.reload()
    page.wait_for_selector("#ks-form.ks-form--ready")
    assert page.input_value("#ks-organisation") == "Wijkteam Rivierstede"
    assert page.input_value("#ks-role") == "wijkteam"
    assert page.input_value("#ks-respondent-id") == "wijkteam-rivierstede"
    for index, sid in enumerate(STATEMENTS):
        score = cycle_score(index)
        expected = None if index >= 5 else ("" if score is None else str(score))
        assert _checked(page, sid) == expected, sid
    assert page.is_checked("#ks-level-selectief")
    assert page.input_value("#ks-importance-regie") == "4"
    assert page.input_value("#ks-comments-regie") == "Halverwege: nog niet klaar"
    assert page.text_content("#ks-progress") == f"5 van {TOTAL} beantwoord"
    assert "teruggezet" in (page.text_content("#ks-notice") or "")
    assert visit.offsite_requests() == []


def test_tricky_text_round_trips_through_the_file_unchanged(
    visit: Visit, form_site: Server, tmp_path: Path
) -> None:
    page = _open(visit, form_site)
    _fill(page, organisation=TRICKY_ORGANISATION)
    for factor, text in TRICKY_COMMENTS.items():
        page.fill(f"#ks-comments-{factor}", text)
        assert page.input_value(f"#ks-comments-{factor}") == text
    for key, text in TRICKY_OPEN.items():
        page.fill(f"#ks-open-{key}", text)
    download = _download(page)
    assert download.suggested_filename == "stichting-kind-co-1.yaml"
    first = tmp_path / download.suggested_filename
    download.save_as(first)
    data = _load_yaml(first)
    assert data["respondent"]["organisation"] == TRICKY_ORGANISATION
    assert data["comments"] == TRICKY_COMMENTS
    assert data["open"] == TRICKY_OPEN
    assert validate_path(first).problems == []

    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.wait_for_selector("#ks-form.ks-form--ready")
    assert page.text_content("#ks-progress") == f"0 van {TOTAL} beantwoord"
    page.set_input_files("#ks-load", first)
    page.wait_for_function("() => document.querySelector('#ks-notice').textContent !== ''")
    assert "staan nu in het formulier" in (page.text_content("#ks-notice") or "")
    assert page.input_value("#ks-organisation") == TRICKY_ORGANISATION
    for factor, text in TRICKY_COMMENTS.items():
        assert page.input_value(f"#ks-comments-{factor}") == text
    for key, text in TRICKY_OPEN.items():
        assert page.input_value(f"#ks-open-{key}") == text
    for index, sid in enumerate(STATEMENTS):
        score = cycle_score(index)
        assert _checked(page, sid) == ("" if score is None else str(score))
    again = tmp_path / "again.yaml"
    _download(page).save_as(again)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert visit.offsite_requests() == []


def test_a_filled_in_template_loads_into_the_form(
    visit: Visit, form_site: Server, tmp_path: Path
) -> None:
    text = render_template(
        QUESTIONNAIRE, municipality=SLUG, round_slug=ROUND, respondent="jgz-rivierstede"
    )
    text = text.replace("  role:\n", "  role: jgz-0-4\n", 1)
    text = fill_template(text, QUESTIONNAIRE, organisation="JGZ Rivierstede")
    by_hand = {
        "importance": ("  regie: null  # Regie op alle niveaus", "  regie: 5"),
        "ambition": ("  regie: null  # Regie op alle niveaus", "  regie: 4  # over twee jaar"),
        "comments": (
            "  regie: null  # Regie op alle niveaus",
            "  regie: |\n    Eerste regel: met dubbele punt.\n    Tweede regel # geen commentaar\n",
        ),
    }
    for old, new in by_hand.values():
        assert old in text
        text = text.replace(old, new, 1)
    head, _, tail = text.rpartition("  dialoog: null  # Dialoog")  # the last one: comments
    text = f"{head}  dialoog: 'Met ''enkele'' quotes'{tail}"
    text = text.replace("levels_offered: []", "levels_offered: [universeel, selectief]")
    text = text.replace("  goes_well: null", "  goes_well: >\n    Korte lijnen\n    en vertrouwen.")
    path = tmp_path / "jgz-rivierstede.yaml"
    path.write_text(text, encoding="utf-8")
    expected = _load_yaml(path)
    assert expected["comments"]["regie"] == (
        "Eerste regel: met dubbele punt.\nTweede regel # geen commentaar\n"
    )

    page = _open(visit, form_site)
    page.set_input_files("#ks-load", path)
    page.wait_for_function("() => document.querySelector('#ks-notice').textContent !== ''")
    assert page.input_value("#ks-organisation") == "JGZ Rivierstede"
    assert page.input_value("#ks-role") == "jgz-0-4"
    assert page.input_value("#ks-respondent-id") == "jgz-rivierstede"
    assert page.input_value("#ks-importance-regie") == "5"
    assert page.input_value("#ks-ambition-regie") == "4"
    assert page.input_value("#ks-comments-regie") == expected["comments"]["regie"]
    assert page.input_value("#ks-comments-dialoog") == "Met 'enkele' quotes"
    assert page.input_value("#ks-open-goes_well") == "Korte lijnen en vertrouwen.\n"
    assert page.is_checked("#ks-level-universeel")
    assert page.is_checked("#ks-level-selectief")
    assert not page.is_checked("#ks-level-licht")
    for index, sid in enumerate(STATEMENTS):
        score = cycle_score(index)
        assert _checked(page, sid) == ("" if score is None else str(score))
    written = tmp_path / "written.yaml"
    _download(page).save_as(written)
    data = _load_yaml(written)
    assert data["answers"] == expected["answers"]
    for key in ("respondent", "importance", "ambition", "comments", "open"):
        wanted = {k: v for k, v in expected[key].items() if v is not None}
        assert data[key] == wanted, key
    assert data["levels_offered"] == expected["levels_offered"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"answers: [\n", "kan niet worden gelezen"),
        (b"respondent:\n  id: x\n   organisation: y\n", "kan niet worden gelezen (regel 3)"),
        (b"title: Een ander bestand\n", "geen antwoordbestand"),
        (b"\x00\x01binary", "geen tekstbestand"),
    ],
)
def test_a_file_that_cannot_be_read_gives_a_dutch_message_and_changes_nothing(
    visit: Visit, form_site: Server, content: bytes, message: str
) -> None:
    page = _open(visit, form_site)
    _fill(page, upto=3)
    payload: FilePayload = {"name": "kapot.yaml", "mimeType": "text/yaml", "buffer": content}
    page.set_input_files("#ks-load", files=[payload])
    page.wait_for_function("() => document.querySelector('#ks-load-error').textContent !== ''")
    error = page.text_content("#ks-load-error") or ""
    assert message in error
    assert "kapot.yaml" in error
    assert page.get_attribute("#ks-load-error", "role") == "alert"
    assert page.input_value("#ks-organisation") == "Wijkteam Rivierstede"
    assert page.text_content("#ks-progress") == f"3 van {TOTAL} beantwoord"


# ---------------------------------------------------------------- validation


def test_an_empty_form_is_not_downloaded_and_shows_every_problem(
    visit: Visit, form_site: Server
) -> None:
    page = _open(visit, form_site)
    _no_download(page, lambda: page.click("#ks-download"))
    assert page.evaluate("() => document.activeElement.id") == "ks-errors"
    assert page.is_visible("#ks-errors")
    invalid = page.eval_on_selector_all(
        "[aria-invalid='true']", "els => els.map(e => e.id.replace(/^ks-(st-)?/, ''))"
    )
    assert invalid == ["organisation", "role", "respondent-id", *STATEMENTS]
    assert page.locator("#ks-errors-list li").count() == 11  # ten links and 'En nog ...'
    assert page.evaluate(
        "() => [...document.querySelectorAll('details.ks-factor')].every(d => d.open)"
    )


def test_missing_statements_are_shown_and_focused_before_any_download(
    visit: Visit, form_site: Server
) -> None:
    page = _open(visit, form_site)
    missing = [9, 39]
    _fill(page, skip=frozenset(missing))
    page.evaluate(
        "() => document.querySelectorAll('details.ks-factor').forEach(d => d.open = false)"
    )
    page.focus("#ks-download")
    _no_download(page, lambda: page.keyboard.press("Enter"))
    assert page.evaluate("() => document.activeElement.id") == "ks-errors"
    groups = [f"ks-st-{STATEMENTS[i]}" for i in missing]
    invalid = page.eval_on_selector_all("[aria-invalid='true']", "els => els.map(e => e.id)")
    assert invalid == groups
    for group in groups:
        error = page.locator(f"#{group}-error")
        assert error.is_visible()
        assert "Kies een antwoord" in (error.text_content() or "")
        assert f"{group}-error" in (page.get_attribute(f"#{group}", "aria-describedby") or "")
        assert page.is_visible(f"#{group}")  # its factor was opened
    title_of = {s.id: f.title for f in FACTORS for s in f.statements}
    links = page.locator("#ks-errors-list a")
    assert links.all_text_contents() == [
        f"Stelling {i + 1} ({title_of[STATEMENTS[i]]}): Kies een antwoord, of kies ‘weet niet’."
        for i in missing
    ]
    links.first.click()
    assert page.evaluate("() => document.activeElement.name") == STATEMENTS[missing[0]]
    page.keyboard.press("Space")
    assert page.get_attribute(f"#{groups[0]}", "aria-invalid") is None
    assert page.get_attribute(f"#{groups[1]}", "aria-invalid") == "true"
    assert page.locator("#ks-errors-list a").count() == 1
    page.check(f"#{groups[1]}-dk")
    assert page.is_hidden("#ks-errors")
    download = _download(page)
    assert download.suggested_filename == "wijkteam-rivierstede.yaml"


def test_the_limits_are_those_of_ketenscan_validate(
    visit: Visit, form_site: Server, tmp_path: Path
) -> None:
    page = _open(visit, form_site)
    _fill(page, organisation="a" * 201)
    page.fill("#ks-respondent-id", "Geen slug!")
    page.fill("#ks-comments-regie", "😀" * 4001)
    _no_download(page, lambda: page.click("#ks-download"))
    messages = {
        "ks-organisation": "hooguit 200 tekens (nu 201)",
        "ks-respondent-id": "Gebruik alleen kleine letters",
        "ks-comments-regie": "hooguit 4000 tekens (nu 4001)",
    }
    for field, message in messages.items():
        assert page.get_attribute(f"#{field}", "aria-invalid") == "true"
        assert message in (page.text_content(f"#{field}-error") or "")
        assert f"{field}-error" in (page.get_attribute(f"#{field}", "aria-describedby") or "")
    page.fill("#ks-organisation", "a" * 200)
    page.fill("#ks-respondent-id", "a-" * 31 + "ab")  # 64 characters
    page.fill("#ks-comments-regie", "😀" * 4000)
    download = _download(page)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert len(path.stem) == 64
    assert validate_path(path).problems == []
    assert len(_load_yaml(path)["comments"]["regie"]) == 4000


# ---------------------------------------------------------------- reset


def test_reset_asks_in_the_page_and_clears_the_draft(visit: Visit, form_site: Server) -> None:
    page = _open(visit, form_site)
    _fill(page, upto=4)
    page.click("#ks-reset")
    assert page.is_visible("#ks-reset-dialog")
    assert page.evaluate("() => document.activeElement.id") == "ks-reset-cancel"
    page.keyboard.press("Enter")
    assert page.is_hidden("#ks-reset-dialog")
    assert page.text_content("#ks-progress") == f"4 van {TOTAL} beantwoord"
    page.click("#ks-reset")
    page.click("#ks-reset-confirm")
    assert page.text_content("#ks-progress") == f"0 van {TOTAL} beantwoord"
    assert page.input_value("#ks-organisation") == ""
    page.reload()
    page.wait_for_selector("#ks-form.ks-form--ready")
    assert page.input_value("#ks-organisation") == ""
    assert _checked(page, STATEMENTS[0]) is None
    assert visit.dialogs == []  # no window.confirm


# ---------------------------------------------------------------- accessibility and layout


@pytest.mark.parametrize("state", ["leeg", "half ingevuld", "met fouten", "wissen bevestigen"])
def test_the_form_has_no_axe_violations(visit: Visit, form_site: Server, state: str) -> None:
    page = _open(visit, form_site)
    if state == "half ingevuld":
        _fill(page, upto=TOTAL // 2)
        page.fill("#ks-comments-regie", "Een toelichting")
    if state == "met fouten":
        _fill(page, upto=TOTAL // 2)
        page.fill("#ks-respondent-id", "Geen slug")
        page.click("#ks-download")
    if state == "wissen bevestigen":
        page.click("#ks-reset")
    _open_all(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_every_group_and_field_has_a_name(visit: Visit, form_site: Server) -> None:
    page = _open(visit, form_site)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('#ks-form fieldset')]
            .filter(f => !f.querySelector(':scope > legend')
                || !f.querySelector(':scope > legend').textContent.trim())
            .map(f => f.id)"""
    )
    assert unnamed == []
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('#ks-vragenlijst input, select, textarea')]
            .filter(e => e.labels.length === 0).map(e => e.id)"""
    )
    assert unlabelled == []
    assert page.get_attribute("#ks-progress", "aria-live") == "polite"
    assert page.get_attribute(".ks-errors-live", "aria-live") == "polite"
    assert page.locator("h1").count() == 1


def test_the_half_filled_form_fits_desktop_and_phone_width(visit: Visit, form_site: Server) -> None:
    # Also leaves the screenshots of this page type next to the others in screenshots/pages.
    page = _open(visit, form_site)
    _fill(page, upto=TOTAL // 3)
    shots = SCREENSHOTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        resize(page, width, height)
        assert horizontal_overflow(page) == 0, f"the form scrolls sideways at {width} px"
        page.screenshot(path=str(shots / f"vragenlijst-{width}.png"), full_page=True)


def test_at_360_px_nothing_scrolls_sideways_and_targets_are_large(
    visit: Visit, form_site: Server
) -> None:
    page = visit.page
    page.set_viewport_size({"width": 360, "height": 740})
    page = _open(visit, form_site)
    _fill(page, upto=10, organisation="Jeugdgezondheidszorg-organisatie-met-een-heel-lange-naam")
    page.click("#ks-download")
    _open_all(page)
    assert horizontal_overflow(page) == 0
    # Elements that are not shown (the Versturen button without an invitation) are no target.
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.ks-choice, .ks-check, #ks-form summary, #ks-form button, #ks-form select,'
                + ' #ks-form input[type=text], #ks-load')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().height < 44)
            .map(e => e.className || e.id || e.tagName)"""
    )
    assert small == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "vragenlijst-360-fouten.png"))
    assert visit.offsite_requests() == []
