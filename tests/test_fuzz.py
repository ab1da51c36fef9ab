"""Property tests: whatever an answer file holds, validation ends in a report, not a crash.

Each example starts from a valid filled template and damages it: bytes changed, lines
deleted or duplicated, YAML snippets and random unicode inserted, the file cut short.
Reading and checking may only ever fail with ProblemsError, whose problems point into
the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.checks import check_response
from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.messages import validate_document
from assessment.models import Response
from assessment.validate import validate_path
from assessment.yamlio import parse_yaml
from tests.helpers import ANSWERS_DIR, build_workspace, filled_answer, time_limit

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SNIPPETS = [
    "!!python/object/apply:os.system ['echo x']",
    "!!binary aGFsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!foo x",
    "!<tag:yaml.org,2002:int> 3",
    "&a [*a, *a]",
    "&anker x",
    "*anker",
    '{"a":&x 1, "b":*x}',
    '{"a":!!int "3"}',
    "[?&a x, ?*a]",
    "<<: {a: 1}",
    "---",
    "...",
    "--- !!str",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "? [a, b]\n: c",
    "? {a: 1}\n: c",
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "|",
    ">-",
    "|+2",
    "- ",
    ": ",
    "\t",
    "#",
    "~",
    "null",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "1_000",
    "12e999",
    "9" * 5000,
    "2025-02-30",
    "2025-10-14T10:00:00Z",
    "2025-1-1",
    "yes",
    "no",
    "=",
    "{a: 1, a: 2}",
    "answers: {}",
    "answers: []",
    "answers:",
    "respondent: x",
    "respondent: [a]",
    "instrument: ketenscan-jeugd@" + "1" * 5000,
    "instrument: ketenscan-jeugd@\u0661",
    "levels_offered: {a: 1}",
    "levels_offered: [[a]]",
    "importance: [1]",
    "comments: {regie: [x]}",
    "open: x",
    "  extra: 1",
    "[" * 40 + "]" * 40,
    "a: " + "[" * 40,
    "{" * 13 + "}" * 13,
    "'" + "x" * 5000 + "'",
    "\ufeff",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "\x00",
    "\x1b[31m",
    "\ud7ff\ue000\U0010ffff",
    "é",
    "<script>alert(1)</script>",
]

_questionnaire = load_questionnaire()
BASE = filled_answer(
    _questionnaire,
    respondent="buurtzorg-jong",
    role="jeugd-en-gezinsteam",
    organisation="Buurtzorg Jong Voorbeeldstad",
)
BASE_LINES = BASE.splitlines(keepends=True)

snippet = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=30))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A damaged copy of the filled template."""
    lines = list(BASE_LINES)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "insert-line", "insert-inline", "value", "swap"]
            )
        )
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "insert-line":
            indent = draw(st.sampled_from(["", "  ", "    ", " "]))
            lines.insert(index, indent + draw(snippet) + "\n")
        elif kind == "insert-inline":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(snippet) + line[at:]
        elif kind == "value":
            key, sep, _ = lines[index].partition(": ")
            if sep:
                lines[index] = f"{key}: {draw(snippet)}\n"
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    data = bytearray("".join(lines).encode("utf-8", errors="surrogatepass"))
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()) and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def _check_problems(problems: list[Problem], data: bytes) -> None:
    # Lines are counted as the loader counts them (it also breaks at NEL, LS and PS);
    # an error at the end of the file may point one line past the last.
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    last_line = len(re.findall("[\n\x85\u2028\u2029]", text)) + 1
    for problem in problems:
        assert problem.path == "f.yaml"
        assert problem.message.strip()
        assert 1 <= problem.line <= last_line + 1, problem.format()
        assert problem.column >= 1, problem.format()
        assert problem.severity in ("error", "warning")


def _validate(data: bytes, questionnaire: Questionnaire) -> list[Problem]:
    try:
        doc = parse_yaml(data, "f.yaml")
    except ProblemsError as error:
        # An empty report would hide the failure; position (0, 0) fails the checks.
        return error.problems or [
            Problem("f.yaml", 0, 0, "file.empty", "ProblemsError zonder problemen")
        ]
    _, problems = validate_document(Response, doc)
    problems += check_response(
        doc.data,
        doc,
        questionnaire,
        municipality="voorbeeldstad",
        round_slug="2025-najaar",
        respondent="buurtzorg-jong",
    )
    return problems


def test_base_is_valid(questionnaire: Questionnaire) -> None:
    assert _validate(BASE.encode(), questionnaire) == []


@FUZZ
@given(data=mutated())
def test_mutated_answer_files_only_raise_problems(
    questionnaire: Questionnaire, data: bytes
) -> None:
    with time_limit(10):
        problems = _validate(data, questionnaire)
    _check_problems(problems, data)


@FUZZ
@given(text=st.text(max_size=300))
def test_random_unicode_only_raises_problems(questionnaire: Questionnaire, text: str) -> None:
    data = text.encode("utf-8")
    with time_limit(10):
        problems = _validate(data, questionnaire)
    _check_problems(problems, data)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_only_raise_problems(questionnaire: Questionnaire, data: bytes) -> None:
    with time_limit(10):
        problems = _validate(data, questionnaire)
    _check_problems(problems, data)


@pytest.fixture(scope="module")
def fuzz_workspace(questionnaire: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(questionnaire, tmp_path_factory.mktemp("fuzz") / "ws")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=mutated())
def test_validate_path_never_crashes(fuzz_workspace: Path, data: bytes) -> None:
    """The whole path a user takes: a damaged file in a workspace, validated."""
    target = fuzz_workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    target.write_bytes(data)
    for path in (fuzz_workspace, target):
        report = validate_path(path)
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in report.problems)
