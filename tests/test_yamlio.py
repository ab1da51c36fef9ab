"""Hardened YAML loading: the fast and slow paths, the checks, positions and quoting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from assessment import yamlio
from assessment.errors import ProblemsError
from assessment.instrument import Questionnaire
from assessment.limits import FILE_MAX_BYTES, YAML_MAX_DEPTH
from assessment.messages import validate_document
from assessment.models import Response
from assessment.yamlio import (
    decode_yaml_bytes,
    dump_yaml,
    parse_yaml,
    quote_yaml_string,
    read_yaml,
)
from tests.helpers import filled_answer, time_limit


class ScanSpy:
    """Counts how often the slow event scan runs, and still runs it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = yamlio._scan_events

        def spy(text: str, display: str) -> None:
            self.calls += 1
            original(text, display)

        monkeypatch.setattr(yamlio, "_scan_events", spy)


def _error(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(ProblemsError) as caught:
        parse_yaml(raw, "f.yaml")
    assert len(caught.value.problems) == 1
    return caught.value.problems[0].format()


@pytest.fixture
def answer_text(questionnaire: Questionnaire) -> str:
    return filled_answer(
        questionnaire, respondent="wijkteam", role="wijkteam", organisation="Wijkteam Noord"
    )


# ------------------------------------------------------------ fast path and slow path


def test_template_takes_the_fast_path(answer_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = ScanSpy(monkeypatch)
    parse_yaml(answer_text.encode(), "f.yaml")
    assert spy.calls == 0


def test_fast_and_slow_path_give_the_same_data(
    answer_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = parse_yaml(answer_text.encode(), "f.yaml").data
    spy = ScanSpy(monkeypatch)
    monkeypatch.setattr(yamlio, "_RISKY", re.compile(""))  # every file looks risky
    monkeypatch.setattr(yamlio, "_RISKY_CHARS", ("",))
    slow = parse_yaml(answer_text.encode(), "f.yaml").data
    assert spy.calls == 1
    assert slow == fast
    assert fast["respondent"] == {
        "id": "wijkteam",
        "organisation": "Wijkteam Noord",
        "role": "wijkteam",
    }
    assert fast["submitted"] is None


def test_a_risky_character_in_a_value_takes_the_slow_path(
    answer_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = answer_text.replace('"Wijkteam Noord"', '"Wijkteam & Noord *samen* !"')
    spy = ScanSpy(monkeypatch)
    assert parse_yaml(text.encode(), "f.yaml").data["respondent"]["organisation"] == (
        "Wijkteam & Noord *samen* !"
    )
    assert spy.calls == 1


def test_risky_characters_in_comment_lines_are_ignored(
    answer_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "# Let op: *alle* stellingen & !belangrijk\n   # &nog *een\n" + answer_text
    spy = ScanSpy(monkeypatch)
    parse_yaml(text.encode(), "f.yaml")
    assert spy.calls == 0


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_comment_line_ended_by_a_unicode_line_break_is_not_trusted(
    separator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The C loader ends the comment at the separator, so `&x` and `*x` are real nodes
    # there: such a file must reach the event scan, which refuses it.
    text = f"a: 1\n# c{separator}b: &x [1, 2]\n# d{separator}c: *x\n"
    spy = ScanSpy(monkeypatch)
    with pytest.raises(ProblemsError):
        parse_yaml(text.encode(), "f.yaml")
    assert spy.calls == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"a":&x 1, "b":*x}', "ankers (zoals '&x')"),
        ('{"a":!!int "3"}', "YAML-tags (zoals '!!int')"),
        ("[?&a x, ?*a]", "ankers (zoals '&a')"),
        ("a: [b,&x c, *x]", "ankers (zoals '&x')"),
        ("a:\n- &x 1\n- *x\n", "ankers (zoals '&x')"),
        ("%YAML 1.2\n---\na: 1\n", ""),
    ],
)
def test_nodes_after_flow_indicators_are_found(text: str, fragment: str) -> None:
    """Anchors, aliases and tags right after ':', '?' or ',' still reach the event scan."""
    if fragment:
        assert fragment in _error(text)
    else:
        assert parse_yaml(text.encode(), "f.yaml").data == {"a": 1}


def test_json_style_billion_laughs_is_refused_quickly() -> None:
    rows = ['{"a":&a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f'"{current}":&{current} [' + ", ".join([f"*{previous}"] * 9) + "]")
    text = ", ".join(rows) + "}"
    with time_limit(5):
        assert "f.yaml:1:6: ankers (zoals '&a')" in _error(text)


def test_fast_and_slow_paths_agree_on_scalars(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "a: 012\nb: 1e3\nc: .inf\nd: no\ne: 2025-10-14\nf: '3'\ng: ~\nh: true\n"
        "i: -0x1F\nj: [1, 2.5, null]\nk: {x: y}\nl: |\n  regel 1\n  regel 2\n"
    )
    fast = parse_yaml(text.encode(), "f.yaml").data
    monkeypatch.setattr(yamlio, "_RISKY", re.compile(""))
    slow = parse_yaml(text.encode(), "f.yaml").data
    assert fast == slow
    assert fast["a"] == 12  # YAML 1.2: no octal from a leading zero
    assert fast["d"] == "no"  # YAML 1.2: 'no' is text, not false
    assert fast["l"] == "regel 1\nregel 2\n"


# ------------------------------------------------------------ decoding


def test_bom_is_accepted() -> None:
    assert parse_yaml(b"\xef\xbb\xbfa: 1\n", "f.yaml").data == {"a": 1}


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_cr_and_crlf_become_lf(newline: bytes) -> None:
    data = b"a: 1" + newline + b"b: |" + newline + b"  x" + newline + b"  y" + newline
    assert decode_yaml_bytes(data, "f.yaml") == "a: 1\nb: |\n  x\n  y\n"
    assert parse_yaml(data, "f.yaml").data == {"a": 1, "b": "x\ny\n"}


def test_positions_in_a_cr_only_file() -> None:
    doc = parse_yaml(b"a: 1\rb:\r  c: 2\r", "f.yaml")
    assert doc.position(["b", "c"]) == (3, 6)


def test_invalid_utf8_on_a_later_line_of_a_cr_file() -> None:
    # Line 3 `c: xé`: 'é' (0xe9 in Windows-1252) is the 5th character.
    assert _error(b"a: 1\rb: 2\rc: x\xe9\r").startswith("f.yaml:3:5: ongeldig UTF-8-teken")


def test_column_of_invalid_utf8_counts_characters_not_bytes() -> None:
    # Line 1 `a: één\xff`: 3 characters, then 'één' is 3 characters (5 bytes): column 7.
    assert _error("a: één".encode() + b"\xff\n").startswith("f.yaml:1:7:")


# ------------------------------------------------------------ limits


def test_read_yaml_accepts_exactly_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    head = b"a: 1\n"
    path.write_bytes(head + b"#" * (FILE_MAX_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == FILE_MAX_BYTES
    assert read_yaml(path).data == {"a": 1}
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(ProblemsError, match="groter dan 1 MiB"):
        read_yaml(path)


def test_read_yaml_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError, match="bestand kan niet worden gelezen"):
        read_yaml(tmp_path / "weg.yaml")


def _nested(depth: int, *, risky: bool) -> str:
    # `depth` levels: the top mapping plus depth - 1 lists around a scalar.
    value = "[" * (depth - 1) + ("'&'" if risky else "1") + "]" * (depth - 1)
    return f"a: {value}\n"


@pytest.mark.parametrize("risky", [False, True])
def test_depth_limit(risky: bool) -> None:
    assert parse_yaml(_nested(YAML_MAX_DEPTH, risky=risky).encode(), "f.yaml").data
    # Level 13 is the 12th '[', which starts after "a: " and 11 '[': column 15.
    assert _error(_nested(YAML_MAX_DEPTH + 1, risky=risky)).startswith(
        "f.yaml:1:15: de gegevens zijn dieper genest dan 12 niveaus"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "f.yaml:1:1: het bestand is leeg"),
        (b"   \n\n", "f.yaml:1:1: het bestand is leeg"),
        (b"# alleen\n  # commentaar\n", "f.yaml:1:1: het bestand is leeg"),
        (b"---\n...\n", "f.yaml:1:1: het bestand is leeg"),
        (b"~\n", "f.yaml:1:1: het bestand is leeg"),
        (b"a: 1\nb: [1, 2\n", "f.yaml:3:1: "),  # end of file after line 2
        (b"a: 'open\n", "f.yaml:2:1: het bestand houdt onverwacht op"),
        (b'a: "\\q"\n', "f.yaml:1:6: onbekende escape-code"),
        (b"a: @b\n", "f.yaml:1:4: teken waarmee geen waarde kan beginnen"),
        (b"a: b: c\n", "f.yaml:1:5: dubbele punt op een onverwachte plek"),
        (b"a: 1\nb: 2\nc\n", "f.yaml:3:1: dubbele punt ontbreekt"),
        # ` b` continues the plain scalar "1", so its ':' is the problem.
        (b"a: 1\n b: 2\n", "f.yaml:2:3: dubbele punt op een onverwachte plek"),
        (b"a:\n  b: 1\n c: 2\n", "f.yaml:3:2: de inspringing klopt niet"),
        (b"a: 1\n  b: 2\n", "f.yaml:2:4: dubbele punt op een onverwachte plek"),
        (b"a: 1\n\tb: 2\n", "f.yaml:2:1: tab-teken gevonden"),
        (b"a: `b\n", "f.yaml:1:4: teken waarmee geen waarde kan beginnen"),
    ],
)
def test_syntax_errors_in_dutch(data: bytes, expected: str) -> None:
    assert _error(data).startswith(expected)


# ------------------------------------------------------------ positions


def test_position_of_values_keys_and_missing_keys() -> None:
    text = "a: 1\nb:\n  c: [x, y]\n  d:\n    e: 2\n"
    doc = parse_yaml(text.encode(), "f.yaml")
    assert doc.position(["a"]) == (1, 4)
    assert doc.position(["b", "c", 1]) == (3, 10)
    assert doc.position(["b", "d"], key=True) == (4, 3)
    assert doc.position(["b", "d", "e"]) == (5, 8)
    # A key that is not there: the nearest mapping that should hold it.
    assert doc.position(["b", "d", "zz"]) == (5, 5)
    assert doc.position(["b", "c", 7]) == (3, 6)
    problem = doc.problem(["b", "c", 0], "field.invalid-value", "fout", severity="warning")
    assert (problem.path, problem.line, problem.column, problem.severity) == (
        "f.yaml",
        3,
        7,
        "warning",
    )
    assert (problem.code, problem.field) == ("field.invalid-value", "b.c.1")


# ------------------------------------------------------------ writing


_safe = YAML(typ="safe", pure=False)


def _without_lone_surrogates(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(char) < 0xE000 else char for char in text)


@given(st.text())
def test_quote_yaml_string_round_trips(text: str) -> None:
    quoted = quote_yaml_string(text)
    assert "\n" not in quoted
    # A lone surrogate (possible in a Python str or a JSON string, never in UTF-8) becomes
    # U+FFFD, as in the online form's download.
    expected = _without_lone_surrogates(text)
    assert _safe.load(f"k: {quoted}\n") == {"k": expected}
    assert parse_yaml(f"k: {quoted}  # naam\n".encode(), "f.yaml").data == {"k": expected}
    quoted.encode("utf-8")  # always writable as UTF-8


def test_quote_yaml_string_writes_a_lone_surrogate_as_the_replacement_character() -> None:
    assert quote_yaml_string("a\ud800b") == '"a\ufffdb"'
    assert quote_yaml_string("\udfff") == '"\ufffd"'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: b",
        "#",
        '"',
        "\\",
        "\t",
        "\x00",
        "\u2028",
        "\ufeff",
        "\ufffe",
        "\uffff",
        "é",
        "null",
        "- x",
    ],
)
def test_quote_yaml_string_examples(text: str) -> None:
    assert _safe.load(f"k: {quote_yaml_string(text)}") == {"k": text}


def test_dump_yaml_round_trips_and_keeps_order() -> None:
    data: dict[str, Any] = {"z": 1, "a": ["x", None, 2.5], "m": {"é": "tekst: met # erin"}}
    text = dump_yaml(data)
    assert text.index("z:") < text.index("a:") < text.index("m:")
    assert parse_yaml(text.encode(), "f.yaml").data == data


# ------------------------------------------------------------ found by the fuzz tests


@pytest.mark.parametrize(
    "text",
    [
        "<<: {a: 1}\nb: 2\n",  # a merged key has no position of its own
        "answers:\n\n|  # c\n  # d\n  k: 1\n",  # the pure parser asserts on this comment
        "a: 1\n# \x85b: 2\n",  # C and pure parsers disagree on NEL as a line break
        "a: 1 # x\u2028b: 2\n",
    ],
)
def test_problems_are_located_even_where_the_parsers_disagree(text: str) -> None:
    try:
        doc = parse_yaml(text.encode(), "f.yaml")
    except ProblemsError as error:
        problems = error.problems
    else:
        _, problems = validate_document(Response, doc)
    assert problems
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


def test_pure_parser_assertion_becomes_a_problem() -> None:
    # A '|' at the start of a line followed by comments, in a file that must be scanned.
    assert "het bestand kan niet worden gelezen" in _error("answers: &a\n\n|  # c\n  # d\n  k: 1\n")
