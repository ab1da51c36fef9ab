"""A mapping file to fill in: every key of `ketenscan import --mapping`, with the
question texts of the form, so that a mapping for LimeSurvey or Microsoft Forms is a
matter of replacing texts by column headers."""

from __future__ import annotations

from assessment.instrument import Questionnaire
from assessment.interop.xlsform import form_fields
from assessment.yamlio import quote_yaml_string


def render_mapping(questionnaire: Questionnaire) -> str:
    """The mapping of an export whose headers are the form's questions, with guidance."""
    instrument = questionnaire.instrument
    labels = {item.target: item.label for item in form_fields(questionnaire)}
    scale = ", ".join(f"{step.value} = {step.label}" for step in instrument.scale)
    out = [
        f"# Mappingbestand voor 'ketenscan import --mapping' ({instrument.title}, "
        f"vragenlijst versie {instrument.version}).",
        "#",
        "# Zet achter elke sleutel de kop van de kolom, precies zoals die in de rij met",
        "# kolomkoppen van de export staat (hoofdletters en spaties tellen niet). Nu staat",
        "# er de tekst van de vraag: dat klopt al voor een enquête die de teksten van de",
        "# vragenlijst gebruikt (zoals Microsoft Forms die als kolomkop geeft).",
        "# Een stelling die niet in de enquête stond: schrijf null (die wordt 'weet niet').",
        "# Zie de README van Ketenscan voor voorbeelden voor LimeSurvey en Microsoft Forms.",
        "",
        "# sheet: Blad1          # het werkblad van een .xlsx (standaard het eerste)",
        "# header_row: 1         # de rij met de kolomkoppen",
        "respondent:",
        f"  organisation: {quote_yaml_string(labels[('respondent', 'organisation')])}",
        f"  role: {quote_yaml_string(labels[('respondent', 'role')])}",
        "  # id: respondent-id   # een kolom met de id; anders wordt die gemaakt uit de naam",
        "# submitted: Tijd van voltooien   # de kolom met de datum van invullen",
        "answers:",
    ]
    for factor in instrument.factors():
        out.append(f"  # {factor.title}")
        out += [
            f"  {statement.id}: {quote_yaml_string(labels[('answers', statement.id)])}"
            for statement in factor.statements
        ]
    factor_ids = [factor.id for factor in instrument.factors()]
    for part, question in (
        ("importance", instrument.questions.importance),
        ("ambition", instrument.questions.ambition),
        ("comments", instrument.questions.comments),
    ):
        out.append(f"# {part}:   # {' '.join(question.split())}")
        out += [f"#   {factor}: kolomkop" for factor in factor_ids[:2]]
        out.append("#   ... (per succesfactor of voorwaarde, alleen de vragen die u stelde)")
    levels = [level.id for level in instrument.intervention_levels]
    out += [
        "# levels_offered: kolomkop   # één kolom met de niveaus (gescheiden door ; of ,)",
        "# level_columns:             # of één ja/nee-kolom per niveau:",
        *(f"#   {level}: kolomkop" for level in levels[:2]),
        "# open:",
        "#   goes_well: kolomkop",
        "#   change_first: kolomkop",
        f"values: {{}}   # antwoorden of codes en hun score, zoals 'Helemaal: 5' of 'A6: null'."
        f" Altijd goed: {scale}",
        "roles: {}    # antwoorden of codes en de rol-id, zoals 'Huisarts: huisartsenpraktijk'",
        "levels: {}   # antwoorden of codes en het niveau-id, zoals 'Voor iedereen: universeel'",
    ]
    return "\n".join(out) + "\n"
