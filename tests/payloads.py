"""Hostile texts for the injection tests, and a workspace that carries them everywhere.

Each payload goes into comments, organisation names and the open answers, and into every
text field of the round's `workshop.yaml`. On the internal site each must appear as
literal text. On the public site none of the answer-file texts may appear, nor the
workshop's rationales and notes; the workshop's action titles and measures are the group's
public decisions and appear there as literal text. Nowhere may a payload become an
element, a link, Markdown structure or a template expression.

The workshop texts carry a label ("Actie 3 ...") so that a public one can be told apart
from the same payload in an internal-only field.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from assessment.instrument import load_questionnaire
from assessment.yamlio import dump_yaml

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{{ config }}",
    "# kop",
    "| a | b |",
    '"><svg onload=alert(2)>',
    "<javascript:alert(3)>",
    "![plaatje](http://example.invalid/x.png)",
    "{% raw %}x{% endraw %}",
    "Let op \u202eesrever\u202c tekst",
    '=HYPERLINK("http://x")',
    "&lt;b&gt;vet&lt;/b&gt;",
    "*schuin* en __vet__",
]

MUNICIPALITY = "injectiestad"
ROUND = "2025-najaar"

# Every text field of workshop.yaml: (field, shown on the public site), one labelled
# payload per entry. Rationales and notes only reach the internal site.
WORKSHOP_FIELDS = {"rationale": False, "note": False, "title": True, "measure": True}
LABELS = {"rationale": "Onderbouwing", "note": "Notitie", "title": "Actie", "measure": "Meetpunt"}


def workshop_texts(field: str) -> list[str]:
    """The labelled payloads written into one text field of the hostile workshop.yaml."""
    return [f"{LABELS[field]} {n + 1} {payload}" for n, payload in enumerate(PAYLOADS)]


def public_workshop_texts() -> list[str]:
    """The hostile workshop texts the public site shows (as literal text)."""
    return [t for field, public in WORKSHOP_FIELDS.items() if public for t in workshop_texts(field)]


def internal_workshop_texts() -> list[str]:
    """The hostile workshop texts only the internal site shows."""
    return [
        t for field, public in WORKSHOP_FIELDS.items() if not public for t in workshop_texts(field)
    ]


def workshop_document(
    factors: list[str], statements: list[str], roles: list[str]
) -> dict[str, object]:
    """A valid workshop.yaml with a payload in every text field."""
    rationales = workshop_texts("rationale")
    notes = workshop_texts("note")
    return {
        "instrument": "ketenscan-jeugd@1",
        "municipality": MUNICIPALITY,
        "round": ROUND,
        "date": dt.date(2025, 11, 20),
        "participants": roles[:3],
        # One payload per factor (there are more factors than payloads), one per note.
        "consensus": {
            factor: {"score": 3, "rationale": rationales[i]}
            for i, factor in enumerate(factors[: len(rationales)])
        },
        "notes": {statement: notes[i] for i, statement in enumerate(statements[: len(notes)])},
        "actions": [
            {
                "id": f"actie-{n + 1}",
                "title": title,
                "factors": [factors[n % len(factors)]],
                "recommendation": None,
                "owner": roles[n % len(roles)],
                "due": dt.date(2026, 3, 1),
                "status": "gepland",
                "measure": measure,
            }
            for n, (title, measure) in enumerate(
                zip(workshop_texts("title"), workshop_texts("measure"), strict=True)
            )
        ],
    }


def write_injection_workspace(root: Path, respondents: int = 6) -> Path:
    """A workspace with one municipality whose every free text is a payload."""
    shutil.rmtree(root, ignore_errors=True)
    questionnaire = load_questionnaire()
    folder = root / "gemeenten" / MUNICIPALITY
    answers = folder / ROUND / "antwoorden"
    answers.mkdir(parents=True)
    (root / "ketenscan.yaml").write_text(
        "title: Injectietest\naudience: internal\n", encoding="utf-8"
    )
    (folder / "gemeente.yaml").write_text(
        dump_yaml(
            {
                "name": "Injectiestad",
                "size": "klein",
                "expected_roles": ["huisartsenpraktijk", "gemeente"],
            }
        ),
        encoding="utf-8",
    )
    rng = random.Random(7)
    factors = [f.id for f in questionnaire.instrument.factors()]
    roles = list(questionnaire.roles)
    for index in range(respondents):
        payload = PAYLOADS[index % len(PAYLOADS)]
        document = {
            "instrument": questionnaire.instrument.ref,
            "municipality": MUNICIPALITY,
            "round": ROUND,
            "respondent": {
                "id": f"partner-{index + 1}",
                "organisation": f"Org {index + 1} {payload}",
                "role": roles[index % len(roles)],
            },
            "answers": {
                s: rng.choice([1, 2, 3, 4, 5, None]) for s in questionnaire.statement_order
            },
            "importance": {f: rng.randint(2, 5) for f in factors},
            "ambition": {f: rng.randint(3, 5) for f in factors},
            "levels_offered": ["universeel", "licht"],
            "comments": {f: PAYLOADS[(index + n) % len(PAYLOADS)] for n, f in enumerate(factors)},
            "open": {
                "goes_well": PAYLOADS[index % len(PAYLOADS)],
                "change_first": "regel 1\nregel 2 " + PAYLOADS[(index + 3) % len(PAYLOADS)],
            },
        }
        (answers / f"partner-{index + 1}.yaml").write_text(dump_yaml(document), encoding="utf-8")
    # Key figures with a payload as the note of each figure (shown to the partners only).
    figures = {
        definition.id: {"numerator": 1, "denominator": 2 + n, "note": PAYLOADS[n % len(PAYLOADS)]}
        for n, definition in enumerate(questionnaire.indicators.values())
    }
    (folder / ROUND / "indicatoren.yaml").write_text(
        dump_yaml({"municipality": MUNICIPALITY, "round": ROUND, "values": figures}),
        encoding="utf-8",
    )
    (folder / ROUND / "workshop.yaml").write_text(
        dump_yaml(workshop_document(factors, questionnaire.statement_order, roles)),
        encoding="utf-8",
    )
    return root
