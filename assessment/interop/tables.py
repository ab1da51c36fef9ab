"""The scored tables as CSV, JSON and XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.analysis import Analysis
from assessment.analysis.benchmark import COMPARISON_COLUMNS
from assessment.analysis.frames import COMMENT_COLUMNS, RESPONDENT_COLUMNS
from assessment.analysis.indicators import INDICATOR_COLUMNS, REFERENCE_COLUMNS
from assessment.formatting import number, plain
from assessment.limits import SCALE, SCALE_MAX, SCALE_MIN, level_bands

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
        *(f"count_{value}" for value in SCALE), "dont_know",
    ],
    "recommendations": [
        "municipality", "round", "rank", "rule", "factor", "horizon", "priority", "title",
        "reason", "target",
    ],
    "respondents": RESPONDENT_COLUMNS,
    "comments": COMMENT_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "indicator_references": REFERENCE_COLUMNS,
    "comparison": COMPARISON_COLUMNS,
    "agreed": [
        "municipality", "round", "factor", "agreed", "rationale", "n", "mean", "std", "difference",
    ],
    "actions": [
        "municipality", "round", "action", "title", "factors", "recommendation", "owner", "due",
        "status", "overdue", "measure",
    ],
}  # fmt: skip

COLUMN_HELP: dict[str, str] = {
    "municipality": "Id van de gemeente (de mapnaam).",
    "round": "Id van de ronde, bijvoorbeeld 2025-najaar.",
    "respondent": "Id van de partnerorganisatie (de bestandsnaam van het antwoord).",
    "role": "Rol van de partner in de keten.",
    "section": "Deel van de vragenlijst: succesfactoren of wat-werkt.",
    "factor": "Id van de succesfactor of voorwaarde.",
    "statement": "Id van de stelling.",
    "score": f"Antwoord {SCALE_MIN} tot en met {SCALE_MAX}; leeg betekent 'weet niet / niet van "
    "toepassing'.",
    "n": "Aantal partners (bij factoren) of antwoorden (bij stellingen) met een score.",
    "mean": "Gemiddelde score. Bij een factor: het gemiddelde van de factorscores van de "
    "partners; elke partner telt even zwaar.",
    "median": "Middelste waarde van de scores.",
    "min": "Laagste score.",
    "max": "Hoogste score.",
    "std": "Standaardafwijking van de scores (steekproef, n - 1); leeg bij één score.",
    "dont_know_share": "Aandeel 'weet niet'-antwoorden (0 tot 1).",
    "consensus": "Eensgezindheid volgens Tastle en Wierman: 1 = iedereen gaf hetzelfde antwoord, "
    f"0 = helemaal verdeeld tussen {SCALE_MIN} en {SCALE_MAX}. Bij een factor: het gemiddelde "
    "over de stellingen.",
    "level": "Niveau bij de score: "
    + ", ".join(f"{name} ({number(low)} tot {number(high)})" for low, high, name in level_bands())
    + "; een score op een grens hoort bij het hogere niveau.",
    "ambition": "Gemiddelde ambitie: het niveau dat partners over twee jaar willen bereiken.",
    "ambition_gap": "Ambitie min score.",
    "importance": f"Gemiddeld belang ({SCALE_MIN} tot en met {SCALE_MAX}).",
    "trend": "Verschil met de vorige ronde, alleen over stellingen die in beide rondes zijn "
    "beantwoord.",
    "discussion": "Gesprekspunt: eensgezindheid onder de drempel (low_consensus) bij minstens "
    "min_consensus_n antwoorden; zie methode.md voor de waarden van deze werkruimte.",
    "quadrant": "Plaats in het belang-prestatiediagram.",
    **{f"count_{value}": f"Aantal antwoorden {value}." for value in SCALE},
    "dont_know": "Aantal antwoorden 'weet niet'.",
    "rank": "Plaats in de lijst van aanbevelingen van deze gemeente en ronde (1 = eerst).",
    "rule": "Id van de regel uit de aanbevelingenbibliotheek.",
    "horizon": "snel (snel resultaat) of structureel.",
    "priority": "Prioriteit = (doel - score) x gemiddeld belang; doel = ambitie, of 4 zonder "
    "ambitie.",
    "title": "Titel van de aanbeveling of de actie.",
    "reason": "Waarom de aanbeveling verschijnt: de cijfers die de regel deden afgaan.",
    "target": "De rol of het interventieniveau waar de aanbeveling over gaat (als dat geen "
    "factor is).",
    "organisation": "Naam van de partnerorganisatie, zoals ingevuld.",
    "submitted": "Datum van invullen, als die is opgegeven.",
    "levels_offered": "Interventieniveaus die de partner aanbiedt, gescheiden door een komma.",
    "question": "Factor-id bij een toelichting, of goes_well / change_first bij de open vragen.",
    "text": "De tekst zoals ingevuld.",
    "indicator": "Id van het kengetal (zie indicatoren.yaml van de vragenlijst).",
    "unit": "Eenheid: procent, per-1000 (per 1.000 jeugdigen) of gemiddelde.",
    "numerator": "Teller, zoals opgegeven; leeg als alleen de waarde bekend is.",
    "denominator": "Noemer, zoals opgegeven; leeg als alleen de waarde bekend is.",
    "value": "Waarde van het kengetal: teller ÷ noemer × 100 (procent), × 1000 (per-1000) of "
    "× 1 (gemiddelde); of de opgegeven waarde.",
    "previous_round": "De laatste eerdere ronde met een waarde voor dit kengetal.",
    "previous_value": "De waarde in die ronde.",
    "change": "Waarde min de waarde in previous_round (bij procent: procentpunten).",
    "note": "Toelichting bij het cijfer, zoals opgegeven.",
    "reference": "Id van de referentiewaarde.",
    "label": "Naam van de referentiewaarde.",
    "kind": "Soort referentiewaarde: streefwaarde, landelijk of praktijk.",
    "reference_value": "De referentiewaarde, in de eenheid van het kengetal.",
    "difference": "Bij indicator_references: waarde min referentiewaarde. Bij agreed: "
    "afgesproken niveau min het gemiddelde van de losse scores.",
    "meets": "True als de waarde de referentiewaarde haalt: even goed of beter, gezien welke "
    "kant beter is.",
    "size": "Grootteklasse: klein, middelgroot of groot.",
    "members": "Aantal gemeenten van deze grootte dat meedoet (benchmark: true) en scores heeft.",
    "scored": "Aantal van die gemeenten met een score op deze factor.",
    "q1": "Eerste kwartiel (KWARTIEL.INC); leeg als de groep te klein is.",
    "q3": "Derde kwartiel (KWARTIEL.INC); leeg als de groep te klein is.",
    "shown": "True als de groep groot genoeg is om te tonen (min_group_size).",
    "agreed": f"Het niveau ({SCALE_MIN} tot en met {SCALE_MAX}) waarover de partners het in de "
    "workshop eens werden (workshop.yaml). Staat naast het gemiddelde, telt er niet in mee.",
    "rationale": "De korte uitleg bij het afgesproken niveau, zoals ingevuld.",
    "action": "Id van de actie; blijft gelijk over de rondes.",
    "factors": "Ids van de succesfactoren of voorwaarden van de actie, gescheiden door een komma.",
    "recommendation": "Id van de regel van de aanbeveling die de actie overneemt, als die er is.",
    "owner": "Rol van de partner die de actie trekt.",
    "due": "Datum waarop de actie klaar moet zijn.",
    "status": "gepland, loopt, klaar of gestopt.",
    "overdue": "Waar als de actie nog open is en de datum voorbij is (gemeten aan de laatste "
    "datum in de gegevens van de gemeente).",
    "measure": "Hoe de partners zien dat de actie werkt, zoals ingevuld.",
}

TABLE_HELP = {
    "answers": "Alle antwoorden: één regel per partner en stelling.",
    "factor_scores": "Scores per succesfactor en voorwaarde.",
    "statement_scores": "Scores per stelling.",
    "recommendations": "Aanbevelingen, op volgorde van prioriteit.",
    "respondents": "De partners die hebben meegedaan.",
    "comments": "Toelichtingen en antwoorden op de open vragen.",
    "indicators": "Kengetallen per gemeente, ronde en kengetal, met de ontwikkeling.",
    "indicator_references": "Elk kengetal naast elk van zijn referentiewaarden.",
    "comparison": "Vergelijking van gemeenten die meedoen: per grootteklasse en factor (index = "
    "totaalindex) de mediaan en de middelste helft.",
    "agreed": "Afgesproken niveaus uit de workshop, naast het gemiddelde van de losse scores.",
    "actions": "Het actieplan uit de workshop: één regel per actie en ronde.",
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


def export_tables(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """Every exported table with exactly its listed columns, texts neutralised."""
    scores = analysis.scores
    answers = scores.answers.copy()
    answers["score"] = answers["score"].astype("Int64")
    raw = {
        "answers": answers,
        "factor_scores": scores.factor_scores,
        "statement_scores": scores.statement_scores,
        "recommendations": analysis.recommendations,
        "respondents": analysis.respondents,
        "comments": analysis.comments,
        "indicators": analysis.indicators,
        "indicator_references": analysis.indicator_references,
        "comparison": analysis.comparison,
        "agreed": analysis.workshop.agreed.rename(columns={"score": "agreed"}),
        "actions": analysis.workshop.actions.assign(
            factors=analysis.workshop.actions["factors"].map(", ".join)
        ),
    }
    tables = {}
    for name, frame in raw.items():
        table = frame.reindex(columns=TABLE_COLUMNS[name])
        floats = table.select_dtypes("float").columns
        table[floats] = table[floats].round(6)
        tables[name] = _safe_frame(table)
    return tables


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
                {key: plain(value) for key, value in row.items()}
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
