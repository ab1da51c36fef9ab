"""Problems found in a user's files, as data: a position, a stable code, a message, a severity.

The code (`answers.missing-statement`) is what scripts, the collection server and the tests
match on; the Dutch message may be reworded at any time. Every code is listed in `CODES`
with what it means, and a test keeps the list complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    # Reading a file (any YAML file)
    "file.unreadable": "The file cannot be read (permissions, a folder, gone).",
    "file.too-large": "The file is larger than the size limit.",
    "file.empty": "The file holds nothing but comments or white space.",
    "file.encoding": "The file is not UTF-8 (UTF-16, Windows-1252, a NUL byte).",
    "file.not-a-mapping": "The file is not a mapping of keys to values.",
    "yaml.syntax": "YAML syntax error (indentation, quotes, brackets, colons).",
    "yaml.duplicate-key": "A key occurs twice in the same mapping.",
    "yaml.tab": "A tab character where YAML needs spaces.",
    "yaml.multiple-documents": "More than one YAML document ('---') in one file.",
    "yaml.merge-key": "A merge key ('<<'), which is not allowed.",
    "yaml.alias": "An alias ('*name'), which is not allowed.",
    "yaml.anchor": "An anchor ('&name'), which is not allowed.",
    "yaml.tag": "A YAML tag ('!name'), which is not allowed.",
    "yaml.invalid-date": "A value that looks like a date but does not exist.",
    "yaml.too-deep": "Nesting deeper than the depth limit.",
    # Reading a JSON document (a request body of the collection server)
    "json.too-large": "The document is larger than the size limit.",
    "json.encoding": "The document is not UTF-8.",
    "json.empty": "The document is empty.",
    "json.syntax": "JSON syntax error, or NaN, Infinity or a number too long to read.",
    "json.duplicate-key": "A key occurs twice in the same object.",
    "json.too-deep": "Nesting deeper than the depth limit.",
    # Field values (the pydantic models of every file)
    "field.missing": "A required key is missing.",
    "field.unknown": "A key the file format does not know.",
    "field.empty": "A key without a value where one is required.",
    "field.invalid-id": "An id (slug) with characters other than a-z, 0-9 and '-'.",
    "field.invalid-value": "A value that does not have the required form.",
    "field.not-text": "Text was expected.",
    "field.not-integer": "A whole number was expected.",
    "field.not-number": "A number was expected.",
    "field.not-boolean": "true or false was expected.",
    "field.not-date": "A date YYYY-MM-DD was expected.",
    "field.not-mapping": "Lines 'key: value' were expected.",
    "field.not-list": "A list was expected.",
    "field.too-long": "Text or list longer than its limit.",
    "field.too-short": "Text or list shorter than its minimum.",
    "field.out-of-range": "A number outside its allowed range.",
    "field.choice": "A value that is not one of the allowed choices.",
    "field.duplicate-id": "An id used twice where ids must be unique.",
    # Answer files
    "answers.score-out-of-range": "A statement score that is not 1..5 or empty.",
    "answers.importance-out-of-range": "An importance that is not 1..5 or empty.",
    "answers.ambition-out-of-range": "An ambition that is not 1..5 or empty.",
    "answers.missing-statement": "A statement of the instrument is not in the file.",
    "answers.unknown-statement": "A statement id the instrument does not have.",
    "answers.unknown-factor": "A factor or condition id the instrument does not have.",
    "answers.unknown-level": "An intervention level id the instrument does not have.",
    "answers.unknown-role": "A partner role id that is not in roles.yaml.",
    "answers.other-instrument": "The file names another questionnaire.",
    "answers.other-version": "The file names another major version of the questionnaire.",
    "answers.wrong-municipality": "The municipality differs from the folder the file is in.",
    "answers.wrong-round": "The round differs from the folder the file is in.",
    "answers.wrong-respondent": "The respondent id differs from the file name.",
    "answers.same-organisation": "Two files of one round name the same organisation.",
    "answers.wrong-extension": "An answer file whose name ends in .yml or .YAML.",
    "answers.not-an-answer-file": "A file in antwoorden/ that is not YAML (skipped).",
    "answers.invalid-file-name": "An answer file whose name is not a valid id.",
    "answers.folder": "A folder inside antwoorden/.",
    # workshop.yaml: what the group agreed in the workshop of a round
    "workshop.score-out-of-range": "An agreed level that is not 1..5 or empty.",
    "workshop.unknown-factor": "A factor or condition id the instrument does not have.",
    "workshop.unknown-point": "A note on an id that is no statement, factor or condition.",
    "workshop.unknown-role": "A participant or action owner that is not a role of roles.yaml.",
    "workshop.unknown-recommendation": "An action adopts a recommendation id the library lacks.",
    "workshop.duplicate-action": "Two actions of one file have the same id.",
    "workshop.duplicate-participant": "A participant role listed twice.",
    "workshop.date-outside-round": "The workshop date lies outside its round.",
    "workshop.changed-action": "An action id of an earlier round now names other factors or "
    "another recommendation.",
    "workshop.dropped-action": "An open action of the previous round is missing from this round.",
    "workshop.other-instrument": "The file names another questionnaire.",
    "workshop.other-version": "The file names another major version of the questionnaire.",
    "workshop.wrong-municipality": "The municipality differs from the folder the file is in.",
    "workshop.wrong-round": "The round differs from the folder the file is in.",
    "workshop.exists": "The workshop file to write exists already.",
    "workshop.unknown-round": "A round asked for that has no folder.",
    # Workspace layout and its other files
    "workspace.missing": "The workspace folder does not exist.",
    "workspace.no-municipalities": "The workspace has no gemeenten/ folder.",
    "workspace.unknown-municipality": "A municipality asked for that is not in gemeenten/.",
    "workspace.not-a-folder": "A file among the municipality folders.",
    "workspace.invalid-folder-name": "A municipality folder whose name is not a valid id.",
    "workspace.reserved-folder-name": "A municipality folder named like a path the site uses.",
    "workspace.unknown-instrument": "ketenscan.yaml names a questionnaire folder that is missing.",
    "municipality.missing-file": "A municipality folder without gemeente.yaml.",
    "municipality.unknown-role": "An expected role that is not in roles.yaml.",
    "municipality.duplicate-role": "An expected role listed twice.",
    "municipality.unexpected-file": "A file beside gemeente.yaml and the round folders.",
    "round.invalid-name": "A round folder whose name is not a valid id.",
    "round.unexpected-file": "A file or folder in a round that Ketenscan does not read.",
    # The questionnaire (instrument, roles, recommendation rules)
    "instrument.duplicate-role": "A role id used twice in roles.yaml.",
    "instrument.unknown-level": "A role names an intervention level the instrument lacks.",
    "rules.duplicate-rule": "A rule id used twice in recommendations.yaml.",
    "rules.unknown-factor": "A rule names a factor the instrument lacks.",
    "rules.unknown-role": "A rule names a role that is not in roles.yaml.",
    "rules.unknown-level": "A rule names an intervention level the instrument lacks.",
    "rules.misplaced-key": "A rule key that does not belong to its kind of condition.",
    "rules.missing-key": "An indicator rule without what it needs (indicator, compare, a value).",
    "rules.unknown-indicator": "A rule names a key figure indicatoren.yaml does not define.",
    "rules.unknown-reference": "A rule names a reference value its key figure does not have.",
    # Key figures: definitions (questionnaire/indicatoren.yaml), values and their import
    "indicators.duplicate-indicator": "A key figure id used twice in indicatoren.yaml.",
    "indicators.unknown-factor": "A key figure names a factor the instrument lacks.",
    "indicators.duplicate-reference": "A reference id used twice within one key figure.",
    "indicators.reference-out-of-range": "A reference value its key figure can never reach.",
    "indicators.unknown-indicator": "A key figure id that indicatoren.yaml does not define.",
    "indicators.incomplete": "A figure without both numerator and denominator, or with a "
    "value as well.",
    "indicators.numerator-above-denominator": "A numerator larger than the denominator it "
    "counts a part of.",
    "indicators.not-a-count": "A numerator or denominator that counts people but is no whole "
    "number.",
    "indicators.out-of-range": "A figure outside what its unit allows (over 100%, a too long "
    "average).",
    "indicators.wrong-municipality": "The municipality differs from the folder the file is in.",
    "indicators.wrong-round": "The round differs from the folder the file is in.",
    "indicators.csv-missing-column": "The CSV file lacks a required column.",
    "indicators.csv-unknown-column": "A CSV column the import does not know.",
    "indicators.csv-row-length": "A CSV row with more or fewer cells than the header.",
    "indicators.csv-duplicate-row": "The same municipality, round and key figure twice in the CSV.",
    "indicators.csv-conflict": "Rows of one municipality and round name different periods or "
    "sources.",
    "indicators.file-exists": "The import would replace an existing indicatoren.yaml "
    "(use --overwrite).",
    # Invitations (`ketenscan invite`)
    "invite.unknown-round": "The round to invite for has no folder in the workspace.",
    "invite.csv-columns": "The organisations CSV lacks the columns organisation and role.",
    "invite.unknown-role": "A role in the organisations CSV that is not in roles.yaml.",
    "invite.duplicate-respondent": "Two invitations of one round would get the same respondent id.",
    "invite.already-invited": "The respondent has an open invitation already (skipped).",
    "invite.file-exists": "An answer file of the respondent exists; a submission replaces it.",
    "invite.unknown-respondent": "No invitation of this round has that respondent id.",
    # The collection server (`ketenscan collect`): problems of a request
    "collect.no-token": "The request has no 'Authorization: Bearer <token>' header.",
    "collect.unknown-token": "The token belongs to no invitation.",
    "collect.revoked-token": "The invitation of the token was revoked.",
    "collect.round-closed": "The round of the invitation is closed.",
    "collect.wrong-role": "The role differs from the role of the invitation.",
    "collect.wrong-organisation": "The organisation differs from the invitation's.",
    "collect.missing-idempotency-key": "The request has no Idempotency-Key header.",
    "collect.invalid-idempotency-key": "The Idempotency-Key is not a UUID.",
    "collect.idempotency-key-reused": "The Idempotency-Key was used before with another body.",
    "collect.request-in-progress": "A request with the same Idempotency-Key is in progress.",
    "collect.unsupported-media-type": "The body is not sent as application/json.",
    "collect.rate-limited": "Too many requests from this invitation or address; wait a moment.",
    "collect.not-found": "No such address on this server.",
    "collect.method-not-allowed": "The address does not take this HTTP method.",
    "collect.bad-request": "The request itself is malformed (headers, form fields).",
    "collect.not-authorised": "The admin page needs the admin token.",
    "collect.forbidden": "A form of the admin page sent from another site.",
    "collect.invalid-response": "The answers have problems; each is listed with its own code.",
    "collect.server-error": "An unexpected fault in the server; nothing was stored.",
    "collect.unavailable": "The database cannot store now (disk full, fault); try again later.",
    # The live workshop (ketenscan collect: /live, /beheer/live)
    "live.unknown-code": (
        "No live workshop session has this join code (unknown codes from one address are "
        "rate limited)."
    ),
    "live.session-ended": "The live workshop session has ended; it takes no more votes.",
    "live.session-expired": "The live workshop session ran out of time without being ended.",
    "live.session-full": "The live workshop session has the most participants it takes.",
    "live.unknown-role": "A participant joined with a role id that roles.yaml does not have.",
    "live.unknown-participant": "A vote without a valid participant token of this session.",
    "live.unknown-factor": "A vote on a factor the instrument does not have.",
    "live.invalid-vote": "A vote that is not 1 to 5 or null (weet niet).",
    "live.voting-closed": "A vote on a factor whose voting is not open; it was not counted.",
    "live.invalid-dots": "Dots that are not a list of action ids, or more than 3.",
    "live.dots-closed": "Dots while dot-voting on the actions is not open.",
    "live.unknown-action": "A dot on (or removal of) an action that is not on the session's list.",
    "live.workshop-invalid": (
        "Ending a live session: the round's workshop.yaml does not validate, so it was not "
        "overwritten."
    ),
    # Importing answers from spreadsheets and survey tools (ketenscan import)
    "import.not-a-spreadsheet": (
        "The file to import is no CSV or XLSX file (an old .xls, .ods, a broken workbook)."
    ),
    "import.unsafe-zip": (
        "An XLSX file (a ZIP archive) that unpacks to too much or has too many parts."
    ),
    "import.unknown-sheet": "The sheet asked for is not in the workbook.",
    "import.wrong-sheet": (
        "The sheet has none of the questionnaire's columns (another sheet, the XLSForm itself)."
    ),
    "import.too-many-rows": "More rows with data than one round of one municipality can have.",
    "import.no-rows": "No row with answers below the header row.",
    "import.empty-row": "An empty row between rows with answers (skipped).",
    "import.merged-cells": "Merged cells in a column that is imported.",
    "import.formula": "A formula or a formula's error value where a value is imported.",
    "import.duplicate-column": "Two columns with the same header, or two columns for one answer.",
    "import.missing-column": "A column the import needs is not in the sheet.",
    "import.missing-value": "An empty cell where a value is required (organisation, role).",
    "import.invalid-score": (
        "A cell that is not a score 1..5 or 'weet niet' (decimal comma, unknown text, date)."
    ),
    "import.invalid-value": (
        "A cell that is not one of its column's values (role, level, yes/no, id)."
    ),
    "import.invalid-date": "A date that is not a date cell or YYYY-MM-DD (a date typed as text).",
    "import.text-too-long": "A text longer than its limit.",
    "import.no-answers": "A row without an answer to any statement (an unfinished questionnaire).",
    "import.duplicate-respondent": "Two rows that would write the same answer file.",
    "import.other-form": (
        "A row filled in with the form of another questionnaire, municipality or round."
    ),
    "import.exists": "The answer file exists already (replaced only with --replace).",
    "import.unknown-round": "The round to import into does not exist.",
    # Mapping files of ketenscan import
    "mapping.unknown-statement": "The mapping names a statement id the instrument does not have.",
    "mapping.missing-statement": "A statement of the instrument has no column in the mapping.",
    "mapping.unknown-factor": "The mapping names a factor id the instrument does not have.",
    "mapping.unknown-level": (
        "The mapping names an intervention level the instrument does not have."
    ),
    "mapping.unknown-role": "The mapping maps a text to a role id that is not in roles.yaml.",
    "mapping.unknown-column": "The mapping names a column header that is not in the file.",
    "mapping.same-column": "The mapping gives one column to two answers.",
    # Commands
    "workspace.exists": "The folder to create a workspace in is not empty.",
    "round.exists": "The round to create exists already.",
    "build.failed": "A site could not be built; its previous version stays published.",
    "print.no-browser": "Chromium, which prints the PDF, is not installed.",
    "print.failed": "Chromium could not print the PDF.",
    "print.cut-off": "An element of a printed page is taller than the page and would be cut.",
    "report.unknown-round": "The report asks for a round without answers of that municipality.",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a 1-based line and column, with a stable code.

    `field` is where in the document it is, as dotted keys (`answers.regie-overleg`), or
    empty when the problem is about the whole file.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = "error"
    field: str = ""

    def format(self) -> str:
        """Render as `path:line:col: message` (warnings say so)."""
        prefix = "waarschuwing: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data for `--json` and the collection server."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
        }


def file_problem(path: str, code: str, message: str, severity: Severity = "error") -> Problem:
    """A problem about a whole file or folder: it points at line 1, column 1."""
    return Problem(path, 1, 1, code, message, severity)


class ProblemsError(Exception):
    """Raised by library code with every problem it found; the CLI prints them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def display_path(path: Path) -> str:
    """A path as users should see it: relative to the working directory when inside it,
    so that it can be pasted straight into an editor or shell."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def summarise(problems: list[Problem]) -> str:
    """The closing line of a report: `N problemen in M bestanden`."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    files = len({p.path for p in errors})
    noun = "probleem" if len(errors) == 1 else "problemen"
    file_noun = "bestand" if files == 1 else "bestanden"
    text = f"{len(errors)} {noun} in {files} {file_noun}"
    if warnings:
        text += f", {len(warnings)} " + ("waarschuwing" if len(warnings) == 1 else "waarschuwingen")
    return text
