"""Hostile texts for the injection tests, and a workspace that carries them everywhere.

Each payload goes into comments, organisation names and the open answers. On the internal
site each must appear as literal text; on the public site none may appear; nowhere may it
become an element, a link, Markdown structure or a template expression.
"""

from __future__ import annotations

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
    return root
