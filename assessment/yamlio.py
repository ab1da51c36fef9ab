"""Hardened YAML loading with positions, and YAML writing.

Reading is the hot path of `validate` (thousands of answer files), so every file first
goes through ruamel.yaml's C-backed safe loader. Only a file that could hold a tag, an
anchor or an alias, or that fails to load, is scanned event by event with the pure-Python
parser, which knows positions and checks what the C loader does not. The round-trip
loader, which records the position of every key and value, runs only when a problem in
the content must be located.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    NodeEvent,
    ScalarEvent,
)

from assessment.errors import Problem, ProblemsError, Severity, file_problem
from assessment.limits import FILE_MAX_BYTES, FILE_MAX_TEXT, YAML_MAX_DEPTH

# A tag (!), anchor (&) or alias (*) can only start a node, and a node starts after
# whitespace, a flow indicator, the ':' or '?' of a flow key (`{"a":&x 1}`) or at the
# start of a line. Files without such a character at such a place cannot hold one and
# skip the event scan.
_RISKY = re.compile(r"(?:^|[\s\[\{,:?])[&*!]|^%|<<", re.MULTILINE)
# Whole-line comments cannot hold a node; templates carry long Dutch comments. The
# scanner also ends a line at NEL, LS and PS, so a "comment line" holding one of those
# is not stripped.
_COMMENT_LINE = re.compile(r"^[ \t]*#[^\n\x85\u2028\u2029]*$", re.MULTILINE)

_RISKY_CHARS = ("&", "*", "!", "%", "<<")
_safe = YAML(typ="safe", pure=False)


@dataclass
class LoadedYaml:
    """The content of one YAML file, with positions looked up only when needed."""

    path: Path
    display: str
    text: str
    data: Any
    _positions: Any = field(default=None, repr=False)

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `loc`, or of its key when `key` is set.

        Walks as far along `loc` as the document goes; a missing key points at the
        mapping that should hold it.
        """
        if self._positions is None:
            try:
                self._positions = _load_round_trip(self.text)
            except (
                YAMLError,
                ValueError,
                TypeError,
                OverflowError,
                RecursionError,
                AssertionError,
            ):
                # The C loader read the file but the pure parser cannot (they disagree on
                # NEL, LS and PS line breaks, and it asserts on some comment layouts):
                # report at the top instead of crashing.
                self._positions = False
        node = self._positions
        line, column = 0, 0
        if isinstance(node, (CommentedMap, CommentedSeq)):
            line, column = node.lc.line, node.lc.col
        for index, step in enumerate(loc):
            last = index == len(loc) - 1
            if isinstance(node, CommentedMap) and step in node:
                try:
                    if last and key:
                        line, column = node.lc.key(step)
                    else:
                        line, column = node.lc.value(step)
                except KeyError:  # merged in with '<<': no position of its own
                    break
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
                line, column = node.lc.item(step)
                node = node[step]
            else:
                break
        return line + 1, column + 1

    def problem(
        self,
        loc: Sequence[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        """A problem located at `loc` in this file."""
        line, column = self.position(loc, key=key)
        return Problem(self.display, line, column, code, message, severity, field_name(loc))


def field_name(loc: Sequence[str | int]) -> str:
    """Where in a document: dotted keys, list positions counted from 1 (`actions.2.title`)."""
    return ".".join(str(step + 1) if isinstance(step, int) else step for step in loc)


def _load_round_trip(text: str) -> Any:
    rt = YAML(typ="rt", pure=True)
    return rt.load(text)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    # Count lines as the loader does after decoding: CRLF, CR and LF each end a line.
    head = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = head.count(b"\n") + 1
    start = head.rfind(b"\n") + 1
    column = len(head[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def decode_yaml_bytes(data: bytes, display: str) -> str:
    """Bytes to text: UTF-8 only (a BOM is allowed), no NUL, CR and CRLF made LF."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(data) >= 2 and (data[0] == 0 or data[1] == 0)
    ):
        raise ProblemsError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "file.encoding",
                    "het bestand is opgeslagen als UTF-16; sla het op als UTF-8",
                )
            ]
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _line_col(data, nul)
        raise ProblemsError(
            [
                Problem(
                    display,
                    line,
                    column,
                    "file.encoding",
                    "het bestand bevat een NUL-teken; is het wel een tekstbestand?",
                )
            ]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_col(data, error.start)
        raise ProblemsError(
            [
                Problem(
                    display,
                    line,
                    column,
                    "file.encoding",
                    f"ongeldig UTF-8-teken (byte 0x{data[error.start]:02x}); sla het bestand op "
                    "als UTF-8 (bijvoorbeeld 'é' uit Windows-1252 is hier niet leesbaar)",
                )
            ]
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_yaml(path: Path, display: str | None = None) -> LoadedYaml:
    """Load one YAML file safely, or raise ProblemsError saying where and why."""
    shown = display if display is not None else path.as_posix()
    try:
        with path.open("rb") as handle:
            data = handle.read(FILE_MAX_BYTES + 1)
    except OSError as error:
        raise ProblemsError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "file.unreadable",
                    f"bestand kan niet worden gelezen: {error.strerror}",
                )
            ]
        ) from None
    if len(data) > FILE_MAX_BYTES:
        raise ProblemsError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "file.too-large",
                    f"het bestand is groter dan {FILE_MAX_TEXT}; een antwoordbestand is veel "
                    "kleiner. Is dit het goede bestand?",
                )
            ]
        )
    return parse_yaml(data, shown, path)


def parse_yaml(data: bytes, display: str, path: Path | None = None) -> LoadedYaml:
    """Parse YAML bytes with all the checks of `read_yaml`."""
    text = decode_yaml_bytes(data, display)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ProblemsError(
            [
                Problem(
                    display, 1, 1, "file.empty", "het bestand is leeg; vul het in of verwijder het"
                )
            ]
        )
    value: Any = None
    fast_ok = False
    # Most files hold none of the characters the risky pattern needs: skip the regex then.
    risky_chars = any(c in text for c in _RISKY_CHARS)
    if not risky_chars or not _RISKY.search(_COMMENT_LINE.sub("", text) if "#" in text else text):
        try:
            value = _safe.load(text)
            fast_ok = nesting_depth(value, YAML_MAX_DEPTH) <= YAML_MAX_DEPTH
        except (YAMLError, RecursionError, ValueError, TypeError, OverflowError):
            fast_ok = False
    if not fast_ok:
        _scan_events(text, display)
        try:
            value = _safe.load(text)
        except MarkedYAMLError as error:  # the scan reports nearly all of these first
            raise ProblemsError([_yaml_problem(error, display)]) from None
        except (YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
            raise ProblemsError(
                [
                    Problem(
                        display,
                        1,
                        1,
                        "yaml.syntax",
                        f"het bestand kan niet worden gelezen: {error}",
                    )
                ]
            ) from None
    if value is None:
        raise ProblemsError(
            [
                Problem(
                    display, 1, 1, "file.empty", "het bestand is leeg; vul het in of verwijder het"
                )
            ]
        )
    return LoadedYaml(path or Path(display), display, text, value)


def nesting_depth(value: Any, limit: int) -> int:
    """Nesting depth of loaded or parsed data, without recursion; counting stops once it
    passes `limit` (YAML and JSON documents share it)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _scan_events(text: str, display: str) -> None:
    """Check the event stream with positions: no tags, anchors, aliases, deep nesting,
    or second document; syntax errors reported in Dutch."""
    parser_yaml = YAML(typ="rt", pure=True)
    depth = 0
    documents = 0
    try:
        for event in parser_yaml.parse(io.StringIO(text)):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ProblemsError(
                        [
                            Problem(
                                display,
                                *where,
                                "yaml.multiple-documents",
                                "het bestand bevat meer dan één YAML-document ('---'); "
                                "zet elk antwoord in een eigen bestand",
                            )
                        ]
                    )
            if isinstance(event, ScalarEvent) and event.style is None and event.value == "<<":
                raise ProblemsError(
                    [
                        Problem(
                            display,
                            *where,
                            "yaml.merge-key",
                            "samenvoegsleutels ('<<') zijn niet toegestaan; schrijf elke "
                            "sleutel voluit",
                        )
                    ]
                )
            if isinstance(event, AliasEvent):
                raise ProblemsError(
                    [
                        Problem(
                            display,
                            *where,
                            "yaml.alias",
                            f"verwijzingen (aliassen zoals '*{event.anchor}') zijn niet "
                            "toegestaan; "
                            "schrijf de waarde voluit",
                        )
                    ]
                )
            if isinstance(event, NodeEvent) and event.anchor is not None:
                raise ProblemsError(
                    [
                        Problem(
                            display,
                            *where,
                            "yaml.anchor",
                            f"ankers (zoals '&{event.anchor}') zijn niet toegestaan; "
                            "schrijf elke waarde voluit",
                        )
                    ]
                )
            tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
            if isinstance(event, (ScalarEvent, CollectionStartEvent)) and tag is not None:
                # Quote the tag as written ('!!int'), not as resolved ('tag:yaml.org,...').
                written = getattr(tag, "suffix", None)
                if written is not None:
                    tag = f"{getattr(tag, 'handle', None) or ''}{written}"
                raise ProblemsError(
                    [
                        Problem(
                            display,
                            *where,
                            "yaml.tag",
                            f"YAML-tags (zoals '{tag}') zijn niet toegestaan; "
                            "schrijf de waarde zonder '!'",
                        )
                    ]
                )
            if (
                isinstance(event, ScalarEvent)
                and event.style is None
                and _DATE_LIKE.match(event.value)
                and not _is_valid_timestamp(event.value)
            ):
                raise ProblemsError(
                    [
                        Problem(
                            display,
                            *where,
                            "yaml.invalid-date",
                            f"'{event.value}' lijkt op een datum maar bestaat niet; "
                            "schrijf een datum als JJJJ-MM-DD",
                        )
                    ]
                )
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > YAML_MAX_DEPTH:
                    raise ProblemsError(
                        [
                            Problem(
                                display,
                                *where,
                                "yaml.too-deep",
                                f"de gegevens zijn dieper genest dan {YAML_MAX_DEPTH} niveaus; "
                                "een antwoordbestand heeft er hooguit drie",
                            )
                        ]
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except MarkedYAMLError as error:
        raise ProblemsError([_yaml_problem(error, display)]) from None
    except YAMLError as error:
        raise ProblemsError([file_problem(display, "yaml.syntax", f"YAML-fout: {error}")]) from None
    except RecursionError:  # pragma: no cover - depth is checked first
        raise ProblemsError(
            [file_problem(display, "yaml.too-deep", "de gegevens zijn te diep genest")]
        ) from None
    except AssertionError:  # ruamel's pure scanner asserts on some comment layouts
        raise ProblemsError([file_problem(display, "yaml.syntax", _UNREADABLE)]) from None
    # Duplicate keys and constructor problems show up when composing.
    try:
        _load_round_trip(text)
    except MarkedYAMLError as error:
        raise ProblemsError([_yaml_problem(error, display)]) from None
    except (YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        raise ProblemsError(
            [file_problem(display, "yaml.syntax", f"het bestand kan niet worden gelezen: {error}")]
        ) from None
    except AssertionError:
        raise ProblemsError([file_problem(display, "yaml.syntax", _UNREADABLE)]) from None


_UNREADABLE = (
    "het bestand kan niet worden gelezen; controleer de inspringing en de tekens '|' en '>' "
    "voor commentaar"
)
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:$|[Tt ])")


def _is_valid_timestamp(value: str) -> bool:
    try:
        _safe.load(value)
    except (YAMLError, ValueError, TypeError, OverflowError):
        return False
    return True


_TRANSLATIONS: list[tuple[str, str]] = [
    (
        "expected ',' or ']'",
        "een lijst tussen [ en ] is niet goed afgesloten; controleer de komma's en de sluithaak",
    ),
    (
        "expected ',' or '}'",
        "een reeks tussen { en } is niet goed afgesloten; controleer de komma's en de sluithaak",
    ),
    ("expected the node content", "hier ontbreekt een waarde, of er staat een teken te veel"),
    (
        "found character '\\t' that cannot start any token",
        "tab-teken gevonden; gebruik spaties om in te springen, geen tabs",
    ),
    (
        "that cannot start any token",  # ruamel names the character in between
        "teken waarmee geen waarde kan beginnen (vaak een tab of een '@' of '`' aan het begin); "
        "gebruik spaties en zet tekst tussen aanhalingstekens",
    ),
    (
        "mapping values are not allowed",
        "dubbele punt op een onverwachte plek; zet tekst met ': ' erin tussen aanhalingstekens, "
        "of controleer de inspringing",
    ),
    ("could not find expected ':'", "dubbele punt ontbreekt: schrijf 'sleutel: waarde'"),
    (
        "did not find expected key",
        "de inspringing klopt niet: sleutels op hetzelfde niveau moeten precies onder elkaar staan",
    ),
    (
        "expected <block end>",
        "de inspringing klopt niet: sleutels op hetzelfde niveau moeten precies onder elkaar staan",
    ),
    (
        "did not find expected '-' indicator",
        "de inspringing van de lijst klopt niet: zet elk '- ' precies onder het vorige",
    ),
    ("found duplicate key", "deze sleutel komt twee keer voor; laat er één staan"),
    (
        "found unexpected end of stream",
        "het bestand houdt onverwacht op; ontbreekt er een afsluitend aanhalingsteken of haakje?",
    ),
    ("found undefined tag handle", "YAML-tags (met '!') zijn niet toegestaan"),
    (
        "found unknown escape character",
        "onbekende escape-code in tekst tussen dubbele aanhalingstekens; "
        "gebruik enkele aanhalingstekens of schrijf '\\\\'",
    ),
    (
        "but found another document",
        "het bestand bevat meer dan één YAML-document ('---'); "
        "zet elk antwoord in een eigen bestand",
    ),
    ("while scanning a quoted scalar", "tekst tussen aanhalingstekens wordt niet afgesloten"),
    (
        "found unexpected ':'",
        "dubbele punt op een onverwachte plek; zet de tekst tussen aanhalingstekens",
    ),
]


def _yaml_problem(error: MarkedYAMLError, display: str) -> Problem:
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    if "could not find expected ':'" in problem and error.context_mark is not None:
        # The scanner notices only on the next line; the key without ':' starts here.
        mark = error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    message = None
    for needle, dutch in _TRANSLATIONS:
        if needle in problem or needle in context:
            message = dutch
            break
    code = "yaml.syntax"
    if "duplicate key" in problem:
        found = re.search(r'duplicate key "([^"]*)"', problem)
        name = found.group(1) if found else ""
        message = f"de sleutel '{name}' komt twee keer voor; laat er één staan"
        code = "yaml.duplicate-key"
    elif "'\\t'" in problem:
        code = "yaml.tab"
    elif "tag handle" in problem:
        code = "yaml.tag"
    elif "another document" in problem or "another document" in context:
        code = "yaml.multiple-documents"
    if message is None:
        message = f"YAML-fout: {problem or context}".strip()
    return Problem(display, line, column, code, message)


def dump_yaml(data: Any) -> str:
    """Plain block-style YAML text of simple data (dicts, lists, scalars)."""
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.allow_unicode = True
    writer.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    writer.width = 4096
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()


def quote_yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly, whatever it contains."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif (
            code < 0x20
            or code == 0x7F
            or 0x80 <= code < 0xA0
            or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        ):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code < 0xE000:
            out.append("\ufffd")  # a lone surrogate cannot be written as UTF-8
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
