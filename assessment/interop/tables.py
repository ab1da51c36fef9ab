"""The scored tables as CSV, JSON and XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment.analysis.scoring import Scores
from assessment.workspace import Workspace

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TABLE_COLUMNS: dict[str, list[str]] = {
    "answers": [
        "municipality", "round", "respondent", "role", "section", "factor", "statement", "score",
    ],
    "factor_scores": [
        "municipality", "round", "section", "factor", "n", "mean", "median", "min", "max", "std",
        "dont_know_share", "consensus", "level", "ambition", "ambition_gap", "importance",
        "trend", "discussion", "quadrant",
    ],
    "statement_scores": [
        "municipality", "round", "section", "factor", "statement", "n", "mean", "median", "min",
        "max", "std", "dont_know_share", "consensus", "level", "trend", "discussion",
        "count_1", "count_2", "count_3", "count_4", "count_5", "dont_know",
    ],
    "recommendations": [
        "municipality", "round", "rank", "rule", "factor", "horizon", "priority", "title",
        "reason", "target",
    ],
    "respondents": [
        "municipality", "round", "respondent", "role", "organisation", "submitted",
        "levels_offered",
    ],
    "comments": ["municipality", "round", "respondent", "role", "question", "text"],
}  # fmt: skip

COLUMN_HELP: dict[str, str] = {
    "municipality": "Id van de gemeente (de mapnaam).",
    "round": "Id van de ronde, bijvoorbeeld 2025-najaar.",
    "respondent": "Id van de partnerorganisatie (de bestandsnaam van het antwoord).",
    "role": "Rol van de partner in de keten.",
    "section": "Deel van de vragenlijst: succesfactoren of wat-werkt.",
    "factor": "Id van de succesfactor of voorwaarde.",
    "statement": "Id van de stelling.",
    "score": "Antwoord 1 tot en met 5; leeg betekent 'weet niet / niet van toepassing'.",
    "n": "Aantal partners (bij factoren) of antwoorden (bij stellingen) met een score.",
    "mean": "Gemiddelde score. Bij een factor: het gemiddelde van de factorscores van de "
    "partners; elke partner telt even zwaar.",
    "median": "Middelste waarde van de scores.",
    "min": "Laagste score.",
    "max": "Hoogste score.",
    "std": "Standaardafwijking van de scores (steekproef, n - 1); leeg bij één score.",
    "dont_know_share": "Aandeel 'weet niet'-antwoorden (0 tot 1).",
    "consensus": "Eensgezindheid volgens Tastle en Wierman: 1 = iedereen gaf hetzelfde antwoord, "
    "0 = helemaal verdeeld tussen 1 en 5. Bij een factor: het gemiddelde over de stellingen.",
    "level": "Niveau bij de score: startend, in ontwikkeling, functionerend, geborgd of "
    "voorbeeldig.",
    "ambition": "Gemiddelde ambitie: het niveau dat partners over twee jaar willen bereiken.",
    "ambition_gap": "Ambitie min score.",
    "importance": "Gemiddeld belang (1 tot en met 5).",
    "trend": "Verschil met de vorige ronde, alleen over stellingen die in beide rondes zijn "
    "beantwoord.",
    "discussion": "Gesprekspunt: eensgezindheid onder de drempel bij minstens drie antwoorden.",
    "quadrant": "Plaats in het belang-prestatiediagram.",
    "count_1": "Aantal antwoorden 1.",
    "count_2": "Aantal antwoorden 2.",
    "count_3": "Aantal antwoorden 3.",
    "count_4": "Aantal antwoorden 4.",
    "count_5": "Aantal antwoorden 5.",
    "dont_know": "Aantal antwoorden 'weet niet'.",
    "rank": "Plaats in de lijst van aanbevelingen van deze gemeente en ronde (1 = eerst).",
    "rule": "Id van de regel uit de aanbevelingenbibliotheek.",
    "horizon": "snel (snel resultaat) of structureel.",
    "priority": "Prioriteit = (doel - score) x gemiddeld belang; doel = ambitie, of 4 zonder "
    "ambitie.",
    "title": "Titel van de aanbeveling.",
    "reason": "Waarom de aanbeveling verschijnt: de cijfers die de regel deden afgaan.",
    "target": "De rol of het interventieniveau waar de aanbeveling over gaat (als dat geen "
    "factor is).",
    "organisation": "Naam van de partnerorganisatie, zoals ingevuld.",
    "submitted": "Datum van invullen, als die is opgegeven.",
    "levels_offered": "Interventieniveaus die de partner aanbiedt, gescheiden door een komma.",
    "question": "Factor-id bij een toelichting, of goes_well / change_first bij de open vragen.",
    "text": "De tekst zoals ingevuld.",
}

TABLE_HELP = {
    "answers": "Alle antwoorden: één regel per partner en stelling.",
    "factor_scores": "Scores per succesfactor en voorwaarde.",
    "statement_scores": "Scores per stelling.",
    "recommendations": "Aanbevelingen, op volgorde van prioriteit.",
    "respondents": "De partners die hebben meegedaan.",
    "comments": "Toelichtingen en antwoorden op de open vragen.",
}


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])
        ):
            out[column] = out[column].map(neutralise).astype("object")
    return out


def respondent_tables(
    workspace: Workspace, only: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who took part, and every free text they wrote (of one municipality when `only`)."""
    people: list[tuple[Any, ...]] = []
    texts: list[tuple[str, ...]] = []
    for municipality in workspace.municipalities.values():
        if only is not None and municipality.slug != only:
            continue
        for round_ in municipality.rounds:
            for answer in round_.answers:
                r = answer.response
                key = (municipality.slug, round_.slug, r.respondent.id, r.respondent.role)
                people.append(
                    (
                        *key,
                        r.respondent.organisation,
                        r.submitted.isoformat() if r.submitted else None,
                        ",".join(r.levels_offered or []),
                    )
                )
                texts += [(*key, factor, text) for factor, text in r.comments.items() if text]
                texts += [
                    (*key, question, text)
                    for question, text in (
                        ("goes_well", r.open.goes_well),
                        ("change_first", r.open.change_first),
                    )
                    if text
                ]
    return (
        pd.DataFrame(people, columns=TABLE_COLUMNS["respondents"]),
        pd.DataFrame(texts, columns=TABLE_COLUMNS["comments"]),
    )


def export_tables(
    scores: Scores, recommendations: pd.DataFrame, workspace: Workspace
) -> dict[str, pd.DataFrame]:
    """Every exported table with exactly its listed columns, texts neutralised."""
    respondents, comments = respondent_tables(workspace)
    answers = scores.answers.copy()
    answers["score"] = answers["score"].astype("Int64")
    raw = {
        "answers": answers,
        "factor_scores": scores.factor_scores,
        "statement_scores": scores.statement_scores,
        "recommendations": recommendations,
        "respondents": respondents,
        "comments": comments,
    }
    tables = {}
    for name, frame in raw.items():
        table = frame.reindex(columns=TABLE_COLUMNS[name])
        floats = table.select_dtypes("float").columns
        table[floats] = table[floats].round(6)
        tables[name] = _safe_frame(table)
    return tables


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def write_tables(tables: dict[str, pd.DataFrame], out: Path, formats: list[str]) -> list[Path]:
    """Write the tables in each format into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "csv" in formats:
        for name, table in tables.items():
            path = out / f"{name}.csv"
            table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            written.append(path)
    if "json" in formats:
        for name, table in tables.items():
            path = out / f"{name}.json"
            records = [
                {key: _json_value(value) for key, value in row.items()}
                for row in table.to_dict("records")
            ]
            path.write_text(
                json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            written.append(path)
    if "xlsx" in formats:
        path = out / "ketenscan.xlsx"
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, table in tables.items():
                table.to_excel(writer, sheet_name=name, index=False)
            help_rows = [
                (name, column, COLUMN_HELP.get(column, ""))
                for name, table in tables.items()
                for column in table.columns
            ]
            pd.DataFrame(
                [(name, "", TABLE_HELP[name]) for name in tables] + help_rows,
                columns=["tabel", "kolom", "uitleg"],
            ).to_excel(writer, sheet_name="uitleg", index=False)
        written.append(path)
    return written
