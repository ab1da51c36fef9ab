"""The Vragenlijst page with an invitation, in Chromium against the real collection server:
filled in by keyboard, sent, acknowledged, written as the same bytes as the download,
counted by the next build; queued while the network or the server is away and sent once
when it is back; and the admin page, accessible and showing hostile names as text.
"""

from __future__ import annotations

import base64
import html
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request

from assessment.answerfile import render_answer_file
from assessment.instrument import Questionnaire
from assessment.jsonio import with_dates
from assessment.models import Response
from assessment.server import store
from assessment.validate import validate_path
from assessment.website.build import build_sites
from tests.browser.browsing import axe_violations, describe, horizontal_overflow
from tests.browser.conftest import (
    COLLECT_MUNICIPALITY,
    COLLECT_ROUND,
    SCREENSHOTS,
    CollectSite,
    Visit,
    collect_copy,
)
from tests.browser.test_form import (
    FACTORS,
    STATEMENTS,
    TOTAL,
    TRICKY_COMMENTS,
    TRICKY_OPEN,
    _checked,
    _choose_by_keyboard,
    _download,
    _tab_to,
)
from tests.collecting import ADMIN_TOKEN, RunningServer, start_server
from tests.helpers import cycle_score

ANSWERS = Path("gemeenten") / COLLECT_MUNICIPALITY / COLLECT_ROUND / "antwoorden"


def _open(visit: Visit, url: str) -> Page:
    page = visit.page
    page.goto(url)
    page.wait_for_selector("#ks-form.ks-form--ready")
    return page


def _invited(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('#ks-invitation-text').textContent")


def _receipt(page: Page) -> str:
    page.wait_for_selector("#ks-receipt:not([hidden])", timeout=15000)
    code = page.text_content("#ks-receipt-details dd bdi")
    assert code
    return code


def _stored(server: RunningServer, respondent: str) -> list[Any]:
    conn = store.connect(server.db)
    try:
        return conn.execute(
            "SELECT version, receipt, idempotency_key, document, answer_file FROM submissions "
            "WHERE respondent = ? ORDER BY version",
            (respondent,),
        ).fetchall()
    finally:
        conn.close()


def _answer(page: Page, organisation: str | None = None) -> None:
    """Answer every statement with the mouse (statement i gets cycle_score(i))."""
    page.evaluate("() => document.querySelectorAll('#ks-form details').forEach(d => d.open = true)")
    if organisation is not None:
        page.fill("#ks-organisation", organisation)
    ids = [
        f"ks-st-{sid}-{'dk' if cycle_score(i) is None else cycle_score(i)}"
        for i, sid in enumerate(STATEMENTS)
    ]
    # Clicks from a script: the keyboard test covers the real way, this one is quick.
    page.evaluate("(ids) => ids.forEach((id) => document.getElementById(id).click())", ids)
    assert page.text_content("#ks-progress") == f"{TOTAL} van {TOTAL} beantwoord"


def _posts(visit: Visit) -> list[Request]:
    posts: list[Request] = []
    visit.page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    return posts


def _file(site: CollectSite | RunningServer, respondent: str) -> Path:
    workspace = site.workspace
    return workspace / ANSWERS / f"{respondent}.yaml"


def _wait_for_file(page: Page, path: Path, text: str) -> None:
    for _ in range(200):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"{path} was not written")


# ---------------------------------------------------------------- the whole way


def test_an_invitation_is_filled_in_by_keyboard_sent_acknowledged_and_counted(
    visit: Visit, collect_site: CollectSite, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    answers = collect_site.workspace / ANSWERS
    before = len(list(answers.glob("*.yaml")))  # the demo's 12, and what other tests sent
    item = collect_site.invite(
        "jb-groene-delta", "Jeugdbescherming Groene Delta", "jeugdbescherming"
    )
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    text = page.text_content("#ks-invitation-text") or ""
    assert "Jeugdbescherming Groene Delta" in text
    assert questionnaire.roles["jeugdbescherming"].label in text
    assert "Rivierstede, ronde 2025-najaar" in text
    assert page.input_value("#ks-organisation") == "Jeugdbescherming Groene Delta"
    assert page.get_attribute("#ks-organisation", "readonly") is not None
    assert page.is_disabled("#ks-role")
    assert page.input_value("#ks-respondent-id") == "jb-groene-delta"
    assert page.is_visible("#ks-send")
    assert page.is_visible("#ks-finish-text-invited")

    comment = 'Zij zei: "ja" # echt\nTweede regel 🙂'
    _tab_to(page, f"#ks-f-{FACTORS[0].id} > summary", limit=80)
    page.keyboard.press("Enter")
    index = 0
    for factor in FACTORS:
        for statement in factor.statements:
            _tab_to(page, f"input[name='{statement.id}']", limit=3)
            _choose_by_keyboard(page, cycle_score(index))
            index += 1
        _tab_to(page, f"#ks-comments-{factor.id}", limit=3)
        if factor.id == "regie":
            page.keyboard.type(comment)
        _tab_to(page, f"#ks-f-{factor.id} .ks-next", limit=1)
        page.keyboard.press("Enter")
    page.keyboard.type("Korte lijnen.")
    assert page.text_content("#ks-progress") == f"{TOTAL} van {TOTAL} beantwoord"
    _tab_to(page, "#ks-send", limit=3)
    page.keyboard.press("Enter")
    code = _receipt(page)
    assert page.evaluate("() => document.activeElement.id") == "ks-receipt"
    assert "verstuurd en opgeslagen" in (page.text_content("#ks-finish-notice") or "")
    [row] = _stored(collect_site.server, "jb-groene-delta")
    assert (row["receipt"], row["version"]) == (code, 1)
    path = _file(collect_site, "jb-groene-delta")
    _wait_for_file(page, path, row["answer_file"])
    # The download of the same answers is the same bytes as the file the server wrote.
    download = tmp_path / "download.yaml"
    _download(page).save_as(download)
    assert download.read_bytes() == path.read_bytes()
    assert [_checked(page, s) for s in STATEMENTS[:2]] == ["1", "2"]

    report = validate_path(collect_site.workspace)
    assert report.errors == []
    out = tmp_path / "public"
    result = build_sites(collect_site.workspace, out, only=COLLECT_MUNICIPALITY, jobs=1)
    assert result.failed == []
    stamp = json.loads((out / ".ketenscan" / f"{COLLECT_MUNICIPALITY}.json").read_text("utf-8"))
    assert stamp["respondents"] == before + 1
    chain = html.unescape((out / COLLECT_MUNICIPALITY / "de-keten.html").read_text("utf-8"))
    assert "Jeugdbescherming Groene Delta" in chain
    assert visit.offsite_requests() == []


def test_download_and_server_write_the_same_bytes_for_hostile_text(
    visit: Visit, collect_site: CollectSite, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    item = collect_site.invite("vrije-organisatie", None, "wijkteam")
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    assert page.get_attribute("#ks-organisation", "readonly") is None  # the partner names it
    organisation = 'Stichting "Kind & Co": #1 🙂 \u202eesrever\u202c'
    _answer(page, organisation)
    for factor, text in TRICKY_COMMENTS.items():
        page.fill(f"#ks-comments-{factor}", text)
    for key, text in TRICKY_OPEN.items():
        page.fill(f"#ks-open-{key}", text)
    # A lone surrogate cannot be typed, but a script can put one in a field.
    page.evaluate("() => { document.querySelector('#ks-comments-evaluatie').value = 'a\\ud800b'; }")
    page.dispatch_event("#ks-comments-evaluatie", "input")
    page.click("#ks-send")
    _receipt(page)
    [row] = _stored(collect_site.server, "vrije-organisatie")
    path = _file(collect_site, "vrije-organisatie")
    _wait_for_file(page, path, row["answer_file"])
    download = tmp_path / "download.yaml"
    _download(page).save_as(download)
    written = path.read_bytes()
    assert download.read_bytes() == written
    # The Python side, from the JSON the browser sent: the same bytes once more.
    sent = json.loads(row["document"])
    assert sent["comments"]["evaluatie"] == "a\ud800b"  # sent as \\ud800, read as a surrogate
    again = render_answer_file(
        questionnaire, Response.model_validate(with_dates(Response, _no_surrogates(sent)))
    )
    assert again.encode("utf-8") == written
    text = written.decode("utf-8")
    assert '  evaluatie: "a\ufffdb"' in text
    assert 'organisation: "Stichting \\"Kind & Co\\": #1 🙂 \u202eesrever\u202c"' in text


def _no_surrogates(value: Any) -> Any:
    from assessment.jsonio import parse_json

    return parse_json(json.dumps(value).encode(), "x").data


def test_without_a_token_the_page_only_downloads_and_asks_nothing(
    visit: Visit, collect_site: CollectSite
) -> None:
    page = _open(visit, collect_site.page_url())
    assert page.is_hidden("#ks-send")
    assert page.is_hidden("#ks-invitation")
    assert page.is_visible("#ks-download")
    api = [url for url in visit.requests if "/api/" in url]
    assert api == []
    assert visit.storage_writes == []


def test_a_revoked_link_says_so_and_offers_the_download(
    visit: Visit, collect_site: CollectSite
) -> None:
    item = collect_site.invite("ingetrokken-partner", "Ingetrokken BV", "gemeente")
    conn = store.open_database(collect_site.server.db)
    with store.transaction(conn):
        invitation = store.open_invitation(
            conn, COLLECT_MUNICIPALITY, COLLECT_ROUND, "ingetrokken-partner"
        )
        assert invitation is not None
        store.revoke_invitation(conn, invitation.id)
    conn.close()
    page = _open(visit, collect_site.page_url(item.token))
    page.wait_for_function(
        "() => document.querySelector('#ks-invitation-text').textContent.includes('ingetrokken')"
    )
    assert page.is_hidden("#ks-send")
    assert "downloaden" in (page.text_content("#ks-invitation-text") or "")
    assert page.evaluate("() => Object.keys(localStorage)") == []  # the token is forgotten
    assert page.get_attribute("#ks-organisation", "readonly") is None


def test_problems_from_the_server_are_shown_at_their_statement(
    visit: Visit, collect_site: CollectSite
) -> None:
    item = collect_site.invite("afgewezen", "Afgewezen BV", "gemeente")
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    _answer(page)
    sid = STATEMENTS[7]
    problem = {
        "type": "/api/v1/problems#collect.invalid-response",
        "title": "De antwoorden kloppen nog niet",
        "status": 422,
        "detail": "1 probleem in de antwoorden; er is niets opgeslagen",
        "code": "collect.invalid-response",
        "problems": [
            {"code": "answers.score-out-of-range", "field": f"answers.{sid}", "message": "fout"}
        ],
    }
    page.route(
        "**/api/v1/responses",
        lambda route: route.fulfill(
            status=422, content_type="application/problem+json", body=json.dumps(problem)
        ),
    )
    page.click("#ks-send")
    page.wait_for_selector(f"#ks-st-{sid}[aria-invalid='true']")
    assert page.text_content(f"#ks-st-{sid}-error") == "Fout."
    assert "niet opgeslagen" in (page.text_content("#ks-finish-notice") or "")
    assert page.evaluate("() => localStorage.getItem('ketenscan-verzending:rivierstede')") is None


# ---------------------------------------------------------------- away and back


def test_offline_answers_wait_in_the_browser_and_go_once_when_back(
    visit: Visit, collect_site: CollectSite
) -> None:
    item = collect_site.invite("offline-partner", "Offline BV", "school-po")
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    _answer(page)
    posts = _posts(visit)
    page.context.set_offline(True)
    page.click("#ks-send")
    page.wait_for_function(
        "() => document.querySelector('#ks-finish-notice').textContent.includes('bewaard')"
    )
    notice = page.text_content("#ks-finish-notice") or ""
    assert "vanzelf verstuurd" in notice
    queued = page.evaluate(
        "() => JSON.parse(localStorage.getItem('ketenscan-verzending:rivierstede'))"
    )
    assert queued["token"] == item.token
    page.click("#ks-send")  # a second click while away: the same submission, the same key
    page.wait_for_function(
        "() => document.querySelector('#ks-finish-notice').textContent.includes('bewaard')"
    )
    assert _stored(collect_site.server, "offline-partner") == []
    page.context.set_offline(False)  # fires 'online': the queued answers go now
    _receipt(page)
    rows = _stored(collect_site.server, "offline-partner")
    assert [r["version"] for r in rows] == [1]
    keys = {p.headers.get("idempotency-key") for p in posts}
    assert keys == {queued["key"]} == {rows[0]["idempotency_key"]}
    assert page.evaluate("() => localStorage.getItem('ketenscan-verzending:rivierstede')") is None
    page.click("#ks-send")  # the same answers again after the receipt: a new version
    page.wait_for_function(
        "() => document.querySelector('#ks-receipt-details').textContent.includes('Versie2')"
    )
    assert [r["version"] for r in _stored(collect_site.server, "offline-partner")] == [1, 2]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[RunningServer]:
    workspace, out = collect_copy(tmp_path / "ws")
    server = start_server(workspace, out=out)
    server.extra["out"] = out
    yield server
    server.stop()


def test_while_the_server_is_down_the_answers_wait_and_are_retried_until_a_receipt(
    browser: Browser, own_server: RunningServer
) -> None:
    from assessment.server.invitations import Planned
    from tests.collecting import invite

    [item] = invite(
        own_server.workspace,
        [Planned("weg-en-terug", "Weg en Terug", "wijkteam")],
        municipality=COLLECT_MUNICIPALITY,
        round_slug=COLLECT_ROUND,
        db=own_server.db,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.clock.install()
    try:
        page.goto(f"{own_server.url}/{COLLECT_MUNICIPALITY}/vragenlijst.html#t={item.token}")
        page.wait_for_selector("#ks-form.ks-form--ready")
        page.wait_for_function("() => document.querySelector('#ks-invitation-text').textContent")
        _answer(page)
        port = int(own_server.url.rsplit(":", 1)[1])
        own_server.kill()  # gone without a goodbye, as in a crash
        page.click("#ks-send")
        page.wait_for_function(
            "() => document.querySelector('#ks-finish-notice').textContent.includes('bewaard')"
        )
        restarted = start_server(own_server.workspace, out=own_server.extra["out"], port=port)
        try:
            page.clock.fast_forward(6000)  # the first retry comes after 5 seconds
            code = _receipt(page)
            [row] = _stored(restarted, "weg-en-terug")
            assert row["receipt"] == code
        finally:
            restarted.stop()
    finally:
        context.close()


# ---------------------------------------------------------------- accessibility and looks


@pytest.mark.parametrize("state", ["uitnodiging", "ontvangstbewijs", "wachtrij"])
def test_the_invited_form_has_no_axe_violations(
    visit: Visit, collect_site: CollectSite, state: str
) -> None:
    item = collect_site.invite(f"axe-{state}", f"Axe {state}", "wijkteam")
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    if state != "uitnodiging":
        _answer(page)
        if state == "wachtrij":
            page.context.set_offline(True)
        page.click("#ks-send")
        if state == "wachtrij":
            page.wait_for_function(
                "() => document.querySelector('#ks-finish-notice').textContent.includes('bewaard')"
            )
        else:
            _receipt(page)
    page.evaluate("() => document.querySelectorAll('#ks-form details').forEach(d => d.open = true)")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    shots = SCREENSHOTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        assert horizontal_overflow(page) == 0
        page.locator("#ks-invitation" if state == "uitnodiging" else ".ks-finish").screenshot(
            path=str(shots / f"vragenlijst-{state}-{width}.png")
        )
    page.context.set_offline(False)


@pytest.fixture
def admin(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="nl-NL",
        http_credentials={"username": "beheer", "password": ADMIN_TOKEN},
        bypass_csp=True,  # to load axe-core into a page whose policy allows no script
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_admin_page_is_accessible_and_shows_names_as_text(
    admin: Page, collect_site: CollectSite
) -> None:
    hostile = '<img src=x onerror="document.title=1"> \u202eesrever\u202c'
    item = collect_site.invite("beheer-test", hostile, "huisartsenpraktijk")
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    admin.on("dialog", on_dialog)
    admin.goto(f"{collect_site.server.url}/beheer")
    assert admin.locator("h1").count() == 1
    assert admin.evaluate("() => document.documentElement.lang") == "nl"
    admin.click("text=Rivierstede")
    admin.wait_for_selector("h1")
    assert "ronde 2025-najaar" in (admin.text_content("h1") or "")
    cell = admin.locator("bdi", has_text="esrever").first
    assert cell.text_content() == '<img src=x onerror="document.title=1"> \u202eesrever\u202c'
    assert admin.locator("main img").count() == 0
    assert dialogs == []
    for path in ("/beheer", f"/beheer/{COLLECT_MUNICIPALITY}/{COLLECT_ROUND}"):
        admin.goto(f"{collect_site.server.url}{path}")
        violations = axe_violations(admin)
        assert violations == [], describe(violations)
        name = "overzicht" if path == "/beheer" else "ronde"
        for width, height in ((1280, 900), (375, 812)):
            admin.set_viewport_size({"width": width, "height": height})
            admin.screenshot(
                path=str(SCREENSHOTS / "pages" / f"beheer-{name}-{width}.png"), full_page=True
            )
        admin.set_viewport_size({"width": 360, "height": 740})
        assert horizontal_overflow(admin) == 0
        admin.set_viewport_size({"width": 1280, "height": 900})
    # Keyboard: the skip link first, then the actions can be reached and used.
    admin.keyboard.press("Tab")
    assert admin.evaluate("() => document.activeElement.textContent") == "Naar de inhoud"
    revoke = admin.get_by_role("button", name=f"Uitnodiging van {hostile} intrekken")
    revoke.focus()
    admin.keyboard.press("Enter")
    admin.wait_for_selector("p.notice")
    assert "ingetrokken" in (admin.text_content("p.notice") or "")
    conn = store.connect(collect_site.server.db)
    revoked = store.invitation_by_hash(conn, _hash(item.token))
    conn.close()
    assert revoked is not None
    assert revoked.revoked_at is not None
    # A new link is shown once, with its QR code.
    admin.get_by_role("button", name=f"Nieuwe link voor {hostile}").click()
    admin.wait_for_selector("p.link")
    link = admin.text_content("p.link") or ""
    assert link.startswith(f"{collect_site.server.url}/{COLLECT_MUNICIPALITY}/vragenlijst.html#t=")
    assert admin.locator(".qr svg").count() == 1
    violations = axe_violations(admin)
    assert violations == [], describe(violations)


def _hash(token: str) -> str:
    from assessment.server.invitations import hash_token

    return hash_token(token)


def test_the_open_invitations_csv_is_for_a_reminder(collect_site: CollectSite) -> None:
    collect_site.invite("herinnering", "Herinnering BV", "gemeente")
    basic = base64.b64encode(f"beheer:{ADMIN_TOKEN}".encode()).decode()
    reply = collect_site.server.request(
        "GET",
        f"/beheer/{COLLECT_MUNICIPALITY}/{COLLECT_ROUND}/open.csv",
        headers={"Authorization": f"Basic {basic}"},
    )
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/csv")
    lines = reply.body.decode("utf-8-sig").splitlines()
    assert lines[0] == "municipality,round,respondent,organisation,role,invited"
    assert any(line.startswith("rivierstede,2025-najaar,herinnering,Herinnering BV,gemeente,")
               for line in lines)  # fmt: skip
    assert not any(",jb-groene-delta," in line for line in lines)  # answered: not open
    assert str(uuid.UUID(int=0)) not in reply.body.decode()


def test_loading_a_file_keeps_what_the_invitation_fixes(
    visit: Visit, collect_site: CollectSite, questionnaire: Questionnaire
) -> None:
    from playwright.sync_api import FilePayload

    from assessment.template import render_template
    from tests.helpers import fill_template

    item = collect_site.invite("geladen", "Geladen BV", "gemeente")
    page = _open(visit, collect_site.page_url(item.token))
    _invited(page)
    text = render_template(
        questionnaire, municipality=COLLECT_MUNICIPALITY, round_slug=COLLECT_ROUND,
        respondent="iets-anders", role="wijkteam",
    )  # fmt: skip
    text = fill_template(text, questionnaire, organisation="Een Andere Naam")
    payload: FilePayload = {"name": "oud.yaml", "mimeType": "text/yaml", "buffer": text.encode()}
    page.set_input_files("#ks-load", files=[payload])
    page.wait_for_function("() => document.querySelector('#ks-notice').textContent !== ''")
    assert page.text_content("#ks-progress") == f"{TOTAL} van {TOTAL} beantwoord"
    assert page.input_value("#ks-organisation") == "Geladen BV"
    assert page.input_value("#ks-role") == "gemeente"
    assert page.input_value("#ks-respondent-id") == "geladen"
