"""Checking a submitted answer document: the checks of `ketenscan validate`, plus the
invitation it must belong to.

The body is read by `jsonio` (size, depth, duplicate keys), validated by the answer model
and cross-checked by `checks.check_response` with the invitation's municipality, round and
respondent in the place of the folder names. An invitation also fixes the role and, when
it names one, the organisation. What passes is written as the same text the online form
downloads (`answerfile.render_answer_file`).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.answerfile import render_answer_file
from assessment.checks import check_response
from assessment.errors import Problem
from assessment.instrument import Questionnaire
from assessment.jsonio import JsonDocument, parse_json, with_dates
from assessment.messages import validate_document
from assessment.models import Response
from assessment.server.store import Invitation

DISPLAY = "antwoord"


@dataclass(frozen=True)
class Checked:
    """A submission that passed every check, with the file it becomes."""

    response: Response
    answer_file: str


def _binding(doc: JsonDocument, invitation: Invitation) -> list[Problem]:
    """Role and organisation must be those of the invitation."""
    problems: list[Problem] = []
    who = doc.data.get("respondent") if isinstance(doc.data, dict) else None
    if not isinstance(who, dict):
        return problems
    role = who.get("role")
    if isinstance(role, str) and role != invitation.role:
        problems.append(
            doc.problem(
                ["respondent", "role"],
                "collect.wrong-role",
                f"deze uitnodiging is voor de rol '{invitation.role}', niet '{role}'",
            )
        )
    name = who.get("organisation")
    if (
        invitation.organisation is not None
        and isinstance(name, str)
        and name != (invitation.organisation)
    ):
        problems.append(
            doc.problem(
                ["respondent", "organisation"],
                "collect.wrong-organisation",
                f"deze uitnodiging is voor '{invitation.organisation}'; vul precies die naam in",
            )
        )
    return problems


_INVITATION_MESSAGES = {
    "answers.wrong-municipality": "deze uitnodiging hoort bij gemeente '{municipality}'",
    "answers.wrong-round": "deze uitnodiging hoort bij ronde '{round}'",
    "answers.wrong-respondent": "deze uitnodiging is voor respondent '{respondent}'",
}


def _in_invitation_words(problem: Problem, invitation: Invitation) -> Problem:
    """The folder-name messages of `validate`, said of the invitation (same code)."""
    template = _INVITATION_MESSAGES.get(problem.code)
    if template is None:
        return problem
    message = template.format(
        municipality=invitation.municipality,
        round=invitation.round,
        respondent=invitation.respondent,
    )
    return Problem(problem.path, problem.line, problem.column, problem.code, message,
                   problem.severity, problem.field)  # fmt: skip


def check_submission(
    body: bytes, invitation: Invitation, questionnaire: Questionnaire
) -> Checked | list[Problem]:
    """The checked submission, or every problem with it (JSON problems come alone)."""
    parsed = parse_json(body, DISPLAY)  # raises ProblemsError with json.* codes
    doc = JsonDocument(DISPLAY, with_dates(Response, parsed.data))
    response, problems = validate_document(Response, doc)
    problems += check_response(
        doc.data,
        doc,
        questionnaire,
        municipality=invitation.municipality,
        round_slug=invitation.round,
        respondent=invitation.respondent,
    )
    problems += _binding(doc, invitation)
    errors = [_in_invitation_words(p, invitation) for p in problems if p.severity == "error"]
    if errors or response is None:
        return errors
    return Checked(response, render_answer_file(questionnaire, response))
