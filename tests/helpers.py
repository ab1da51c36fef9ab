"""Shared builders for the tests: filled answer files and a minimal valid workspace."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from assessment.instrument import Questionnaire
from assessment.template import render_template

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
BAD_DIR = TESTS_DIR / "bad"
DATA_DIR = TESTS_DIR / "data"

MUNICIPALITY = "voorbeeldstad"
ROUND = "2025-najaar"
ROUND_DIR = f"gemeenten/{MUNICIPALITY}/{ROUND}"
ANSWERS_DIR = f"{ROUND_DIR}/antwoorden"

SETTINGS_TEXT = "title: Ketenscan Testregio\naudience: internal\n"
MUNICIPALITY_TEXT = """\
name: Voorbeeldstad
size: middelgroot
region: Voorbeeldregio
expected_roles:
  - jgz-0-4
  - jeugd-en-gezinsteam
"""


def cycle_score(index: int) -> int | None:
    """A spread of answers: 1..5 with every sixth one left as 'weet niet'."""
    return None if index % 6 == 5 else index % 5 + 1


def fill_template(
    text: str,
    questionnaire: Questionnaire,
    *,
    organisation: str,
    score: Callable[[int], int | None] = cycle_score,
) -> str:
    """Fill a rendered template as a partner would: a name and a score per statement."""
    order = {sid: index for index, sid in enumerate(questionnaire.statement_order)}
    assert text.count('  organisation: ""') == 1
    text = text.replace('  organisation: ""', f'  organisation: "{organisation}"', 1)
    out = []
    filled = 0
    for line in text.splitlines():
        key, sep, value = line.strip().partition(": ")
        if line.startswith("  ") and sep and key in order and value == "null":
            result = score(order[key])
            line = f"  {key}: {'null' if result is None else result}"
            filled += 1
        out.append(line)
    assert filled == len(order)
    return "\n".join(out) + "\n"


def filled_answer(
    questionnaire: Questionnaire,
    *,
    respondent: str,
    role: str,
    organisation: str,
    municipality: str = MUNICIPALITY,
    round_slug: str = ROUND,
    score: Callable[[int], int | None] = cycle_score,
) -> str:
    """A complete, valid answer file made from the template."""
    text = render_template(
        questionnaire,
        municipality=municipality,
        round_slug=round_slug,
        respondent=respondent,
        role=role,
    )
    return fill_template(text, questionnaire, organisation=organisation, score=score)


def write_municipality(
    workspace: Path, slug: str, text: str = MUNICIPALITY_TEXT, round_slug: str = ROUND
) -> Path:
    """A municipality folder with gemeente.yaml and an empty answers folder; its round dir."""
    folder = workspace / "gemeenten" / slug
    (folder / round_slug / "antwoorden").mkdir(parents=True)
    (folder / "gemeente.yaml").write_text(text, encoding="utf-8")
    return folder / round_slug


def write_answer(
    questionnaire: Questionnaire,
    workspace: Path,
    *,
    respondent: str,
    role: str,
    organisation: str,
    municipality: str = MUNICIPALITY,
    round_slug: str = ROUND,
) -> Path:
    """Write a filled answer file at its place in the workspace."""
    path = workspace / "gemeenten" / municipality / round_slug / "antwoorden" / f"{respondent}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        filled_answer(
            questionnaire,
            respondent=respondent,
            role=role,
            organisation=organisation,
            municipality=municipality,
            round_slug=round_slug,
        ),
        encoding="utf-8",
    )
    return path


def build_workspace(questionnaire: Questionnaire, root: Path) -> Path:
    """The minimal valid workspace: settings, one municipality, one round, one answer."""
    root.mkdir(parents=True)
    (root / "ketenscan.yaml").write_text(SETTINGS_TEXT, encoding="utf-8")
    write_municipality(root, MUNICIPALITY)
    write_answer(
        questionnaire,
        root,
        respondent="jgz-0-4",
        role="jgz-0-4",
        organisation="JGZ Voorbeeldstad",
    )
    return root


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail instead of hanging when the block takes longer than `seconds` (Unix only)."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
