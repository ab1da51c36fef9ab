"""The answer file as the online form writes it: fixed order, every text quoted, and read
back by `ketenscan validate` as exactly the answers that were written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assessment.answerfile import comment_line, render_answer_file
from assessment.instrument import Questionnaire
from assessment.jsonio import parse_json
from assessment.messages import validate_document
from assessment.models import Response
from assessment.validate import validate_path
from assessment.yamlio import parse_yaml
from tests.helpers import ANSWERS_DIR, MUNICIPALITY, ROUND, cycle_score


def _response(questionnaire: Questionnaire, **changes: object) -> Response:
    data: dict[str, object] = {
        "instrument": "ketenscan-jeugd@1",
        "municipality": MUNICIPALITY,
        "round": ROUND,
        "respondent": {
            "id": "buurtzorg-jong",
            "organisation": "Buurtzorg Jong",
            "role": "wijkteam",
        },
        "submitted": dt.date(2025, 10, 14),
        "answers": {s: cycle_score(i) for i, s in enumerate(questionnaire.statement_order)},
    }
    data.update(changes)
    return Response.model_validate(data)


def test_the_head_and_the_statements_in_questionnaire_order(questionnaire: Questionnaire) -> None:
    text = render_answer_file(questionnaire, _response(questionnaire))
    lines = text.split("\n")
    assert lines[:11] == [
        "# Ketenscan jeugd — antwoordbestand (vragenlijst versie 1.0.0)",
        "# Ingevuld met de online vragenlijst. Controleer het met: ketenscan validate <bestand>",
        "instrument: ketenscan-jeugd@1",
        f"municipality: {MUNICIPALITY}",
        f"round: {ROUND}",
        "respondent:",
        "  id: buurtzorg-jong",
        '  organisation: "Buurtzorg Jong"',
        "  role: wijkteam",
        "submitted: 2025-10-14",
        "answers:",
    ]
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    # 16 factor titles as comments and 51 statements: 67 lines under 'answers:'.
    factors = questionnaire.instrument.factors()
    body = lines[11:-1]
    assert len(body) == len(factors) + len(questionnaire.statement_order) == 16 + 51
    assert body[0] == "  # De juiste partners"
    first, sixth = questionnaire.statement_order[0], questionnaire.statement_order[5]
    assert body[1] == f"  {first}: 1"  # cycle_score(0) = 0 % 5 + 1
    assert f"  {sixth}: null" in body  # cycle_score(5): every sixth is 'weet niet'
    assert "importance:" not in text
    assert "levels_offered" not in text
    assert "open:" not in text


def test_optional_parts_in_questionnaire_order_with_empty_values_left_out(
    questionnaire: Questionnaire,
) -> None:
    response = _response(
        questionnaire,
        # Given in reverse order, one empty: written in questionnaire order, without it.
        importance={"regie": 4, "juiste-partners": None, "samenwerkingscultuur": 2},
        ambition={"regie": None},
        levels_offered=[],
        comments={"dialoog": 'Zij zei: "ja"\n# geen kop: ook geen commentaar', "regie": None},
        open={"change_first": "\u202eomgekeerd\u202c\tmet tab"},
    )
    text = render_answer_file(questionnaire, response)
    tail = text.split("\n")[11 + 16 + 51 :]
    assert tail == [
        "importance:",
        "  samenwerkingscultuur: 2",
        "  regie: 4",
        "levels_offered: []",
        "comments:",
        '  dialoog: "Zij zei: \\"ja\\"\\n# geen kop: ook geen commentaar"',
        "open:",
        '  change_first: "\u202eomgekeerd\u202c\\tmet tab"',
        "",
    ]


def test_comment_lines_fold_like_the_form_script() -> None:
    assert comment_line("  Regie\u2028op\u0085alle\x00 niveaus\ufeff ") == "Regie op alle niveaus"
    assert comment_line("a\r\n\tb\u00a0\u3000c") == "a b c"


def test_a_written_file_validates_in_its_workspace(
    questionnaire: Questionnaire, workspace: Path
) -> None:
    response = _response(questionnaire, comments={"regie": "Met 'quotes' en: een dubbele punt"})
    path = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    path.write_text(render_answer_file(questionnaire, response), encoding="utf-8")
    assert validate_path(workspace).problems == []


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\"\\'#:\n\t\u2028"),
    min_size=1,
    max_size=40,
)


@given(
    organisation=texts,
    comment=texts,
    goes_well=texts,
    scores=st.lists(st.none() | st.integers(1, 5), min_size=51, max_size=51),
    levels=st.none() | st.lists(st.sampled_from(["universeel", "licht", "intensief"])),
)
def test_any_answers_read_back_exactly(
    questionnaire: Questionnaire,
    organisation: str,
    comment: str,
    goes_well: str,
    scores: list[int | None],
    levels: list[str] | None,
) -> None:
    response = _response(
        questionnaire,
        respondent={"id": "x", "organisation": organisation, "role": "gemeente"},
        answers=dict(zip(questionnaire.statement_order, scores, strict=True)),
        levels_offered=levels,
        comments={"regie": comment},
        open={"goes_well": goes_well},
    )
    text = render_answer_file(questionnaire, response)
    doc = parse_yaml(text.encode("utf-8"), "x.yaml")
    again, problems = validate_document(Response, doc)
    assert problems == []
    assert again == response


def test_a_lone_surrogate_becomes_the_replacement_character(questionnaire: Questionnaire) -> None:
    # JSON may carry "\ud800", UTF-8 cannot: the body reader puts U+FFFD in its place, as
    # the form's script does when it writes the file.
    body = parse_json(b'{"regie": "a\\ud800b\\ud83d\\ude00", "\\udfff": 1}', "verzoek")
    assert body.data == {"regie": "a\ufffdb\U0001f600", "\ufffd": 1}
    response = _response(questionnaire, comments={"regie": body.data["regie"]})
    text = render_answer_file(questionnaire, response)
    assert '  regie: "a\ufffdb\U0001f600"' in text
