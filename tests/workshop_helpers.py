"""A small workspace with two rounds and two workshops whose every figure is worked out by
hand in the tests (tests/test_workshop_*.py).

Voorbeeldstad, four partners per round (jgz-0-4, huisartsenpraktijk, gemeente, school-po):

- 2024-najaar: every statement 3, except every statement of 'regie': 2 for everyone.
- 2025-najaar: every statement 3, except every statement of 'regie': 1, 2, 4 and 5 (one
  partner each). Ambition 4 and importance 5 on 'regie' from every partner.
- workshop 2024-najaar (2024-12-01): regie agreed at 2; actions a1 (regie, gepland, due
  2025-02-01, adopts regie-laag), a2 (regie + evaluatie, loopt, due 2025-06-01) and a3
  (evaluatie, gepland, due 2026-01-01).
- workshop 2025-najaar (2025-11-20): regie agreed at 4 and juiste-partners at 3; a note on
  regie; a1 now klaar, a2 still loopt, a3 left out (a warning), a4 new (juiste-partners,
  gepland, due 2026-03-01).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.scoring_helpers import (
    response_doc,
    shipped,
    write_answer,
    write_municipality,
    write_settings,
)

TOWN = "voorbeeldstad"
EARLIER, LATER = "2024-najaar", "2025-najaar"
ROLES = ("jgz-0-4", "huisartsenpraktijk", "gemeente", "school-po")
REGIE_2025 = (1, 2, 4, 5)
RATIONALE_2025 = "Elk gezin heeft nu een vaste regisseur."
NOTE_2025 = "Huisartsen kennen de regisseur vaak niet."

WORKSHOP_2024 = """\
instrument: ketenscan-jeugd@1
municipality: voorbeeldstad
round: 2024-najaar
date: 2024-12-01
participants: [jgz-0-4, gemeente]
consensus:
  regie: {score: 2, rationale: "Na een verwijzing is de regie weg."}
actions:
  - id: a1
    title: "Vaste regisseur"
    factors: [regie]
    recommendation: regie-laag
    owner: gemeente
    due: 2025-02-01
    status: gepland
  - id: a2
    title: "Regie en evaluatie samen"
    factors: [regie, evaluatie]
    owner: jgz-0-4
    due: 2025-06-01
    status: loopt
  - id: a3
    title: "Samen meten"
    factors: [evaluatie]
    owner: gemeente
    due: 2026-01-01
    status: gepland
    measure: "Elk kwartaal cijfers"
"""

WORKSHOP_2025 = f"""\
instrument: ketenscan-jeugd@1
municipality: voorbeeldstad
round: 2025-najaar
date: 2025-11-20
participants: [jgz-0-4, huisartsenpraktijk, gemeente, school-po]
consensus:
  regie: {{score: 4, rationale: "{RATIONALE_2025}"}}
  juiste-partners: {{score: 3}}
  evaluatie: {{score: null}}
notes:
  regie: "{NOTE_2025}"
actions:
  - id: a1
    title: "Vaste regisseur"
    factors: [regie]
    recommendation: regie-laag
    owner: gemeente
    due: 2025-02-01
    status: klaar
  - id: a2
    title: "Regie en evaluatie samen"
    factors: [regie, evaluatie]
    owner: jgz-0-4
    due: 2025-06-01
    status: loopt
  - id: a4
    title: "Jeugdbescherming uitnodigen"
    factors: [juiste-partners]
    owner: gemeente
    due: 2026-03-01
    status: gepland
    measure: "Doet mee in 2026"
"""


def regie_statements() -> list[str]:
    """The statement ids of 'regie'."""
    return next(
        [s.id for s in f.statements] for f in shipped().instrument.factors() if f.id == "regie"
    )


def write_workshop_town(root: Path, *, with_workshops: bool = True) -> Path:
    """The workspace described above."""
    questionnaire = shipped()
    write_settings(root)
    write_municipality(root, TOWN, expected_roles=ROLES)
    regie = set(regie_statements())
    for round_slug, regie_scores in ((EARLIER, (2, 2, 2, 2)), (LATER, REGIE_2025)):
        for number, (role, regie_score) in enumerate(zip(ROLES, regie_scores, strict=True)):
            scores = {s: (regie_score if s in regie else 3) for s in questionnaire.statement_order}
            doc = response_doc(
                questionnaire,
                municipality=TOWN,
                round_slug=round_slug,
                respondent=f"partner-{number + 1}",
                role=role,
                scores=scores,
                importance={"regie": 5} if round_slug == LATER else None,
                ambition={"regie": 4} if round_slug == LATER else None,
            )
            year = int(round_slug[:4])
            doc["submitted"] = dt.date(year, 10, 1 + number)
            write_answer(root, doc)
    if with_workshops:
        folder = root / "gemeenten" / TOWN
        (folder / EARLIER / "workshop.yaml").write_text(WORKSHOP_2024, encoding="utf-8")
        (folder / LATER / "workshop.yaml").write_text(WORKSHOP_2025, encoding="utf-8")
    return root
