"""Create workspaces and rounds: the folders and files a facilitator starts from."""

from __future__ import annotations

import os
from pathlib import Path

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.instrument import load_questionnaire, questionnaire_for
from assessment.limits import is_slug
from assessment.paths import (
    ANSWERS_DIR,
    INDICATORS_FILE,
    MUNICIPALITIES_DIR,
    MUNICIPALITY_FILE,
    SETTINGS_FILE,
    TEMPLATES_DIR,
)
from assessment.schema import SCHEMA_DIR, SCHEMA_FILES, write_schemas
from assessment.template import render_indicator_template, render_template
from assessment.workspace import load_settings
from assessment.yamlio import read_yaml

_SETTINGS_TEXT = """\
# yaml-language-server: $schema=schemas/{settings_schema}
# Instellingen van deze Ketenscan-werkruimte. Alles is optioneel.
title: {title}
# internal = voor de partners (met toelichtingen); public = alleen totalen
audience: internal
thresholds:
  low_score: 2.6          # onder deze score volgt een aanbeveling
  low_consensus: 0.6      # onder deze eensgezindheid is een stelling een gesprekspunt
  min_group_size: 5       # kleinste groep die apart wordt getoond (intern minimaal 3)
"""

_MUNICIPALITY_TEXT = """\
# yaml-language-server: $schema=../../schemas/{schema}
name: Voorbeeldstad
size: middelgroot          # klein, middelgroot of groot
region: Voorbeeldregio
inhabitants: 45000
benchmark: false           # true = vergelijken met andere gemeenten van dezelfde grootte
expected_roles:            # de partners die in deze gemeente mee zouden moeten doen
{roles}
"""

_README_TEXT = """\
# Ketenscan-werkruimte

- `ketenscan.yaml` — instellingen.
- `gemeenten/<gemeente>/gemeente.yaml` — naam, grootte en verwachte partners.
- `gemeenten/<gemeente>/<ronde>/sjablonen/` — lege antwoordbestanden per partner.
- `gemeenten/<gemeente>/<ronde>/antwoorden/` — de ingevulde antwoordbestanden.

Een nieuwe ronde: `ketenscan new-round . <gemeente> <ronde>`.
Controleren: `ketenscan validate .` — bouwen: `ketenscan build .`
"""

EXAMPLE_ROLES = [
    "huisartsenpraktijk",
    "jgz-0-4",
    "jgz-4-19",
    "jeugd-en-gezinsteam",
    "school-po",
    "jeugdhulpaanbieder",
    "gemeente",
]


def relative_schema(from_folder: Path, workspace: Path) -> str:
    """Path of the answer schema as seen from a file in `from_folder`."""
    target = workspace.resolve() / SCHEMA_DIR / SCHEMA_FILES["antwoord"]
    return Path(os.path.relpath(target, from_folder.resolve())).as_posix()


def init_workspace(folder: Path, title: str = "Ketenscan jeugd") -> list[Path]:
    """A new workspace with settings, schemas and one example municipality with a round."""
    if folder.exists() and any(folder.iterdir()):
        raise ProblemsError(
            [
                file_problem(
                    display_path(folder),
                    "workspace.exists",
                    "deze map bestaat al en is niet leeg; kies een nieuwe map",
                )
            ]
        )
    questionnaire = load_questionnaire()
    folder.mkdir(parents=True, exist_ok=True)
    written = write_schemas(questionnaire, folder / SCHEMA_DIR)
    settings = folder / SETTINGS_FILE
    settings.write_text(
        _SETTINGS_TEXT.format(settings_schema=SCHEMA_FILES["ketenscan"], title=title),
        encoding="utf-8",
    )
    municipality = folder / MUNICIPALITIES_DIR / "voorbeeldstad"
    municipality.mkdir(parents=True)
    info = municipality / MUNICIPALITY_FILE
    info.write_text(
        _MUNICIPALITY_TEXT.format(
            schema=SCHEMA_FILES["gemeente"],
            roles="\n".join(f"  - {role}" for role in EXAMPLE_ROLES),
        ),
        encoding="utf-8",
    )
    readme = folder / "README.md"
    readme.write_text(_README_TEXT, encoding="utf-8")
    written += [settings, info, readme]
    written += new_round(folder, "voorbeeldstad", "2025-najaar")
    return written


def new_round(workspace: Path, municipality: str, round_slug: str) -> list[Path]:
    """The round folder with `antwoorden/` and a template for every expected partner."""
    problems: list[Problem] = []
    if not is_slug(round_slug):
        problems.append(
            file_problem(
                round_slug,
                "round.invalid-name",
                f"'{round_slug}' is geen geldige rondenaam; gebruik kleine letters, cijfers en "
                "streepjes, zoals '2026-voorjaar'",
            )
        )
    folder = workspace / MUNICIPALITIES_DIR / municipality
    info_path = folder / MUNICIPALITY_FILE
    if not is_slug(municipality) or not info_path.is_file():
        problems.append(
            file_problem(
                display_path(folder),
                "workspace.unknown-municipality",
                f"gemeente '{municipality}' niet gevonden (geen {MUNICIPALITY_FILE}); "
                "maak eerst de gemeentemap",
            )
        )
    if problems:
        raise ProblemsError(problems)
    round_dir = folder / round_slug
    if round_dir.exists():
        raise ProblemsError(
            [
                file_problem(
                    display_path(round_dir),
                    "round.exists",
                    "deze ronde bestaat al; kies een andere naam",
                )
            ]
        )
    settings = load_settings(workspace)
    questionnaire = questionnaire_for(workspace, settings)
    doc = read_yaml(info_path, display_path(info_path))
    roles = doc.data.get("expected_roles") if isinstance(doc.data, dict) else None
    expected = [r for r in roles or [] if isinstance(r, str) and r in questionnaire.roles]
    answers = round_dir / ANSWERS_DIR
    templates = round_dir / TEMPLATES_DIR
    answers.mkdir(parents=True)
    templates.mkdir()
    keep = answers / ".gitkeep"
    keep.touch()
    written = [keep]
    schema = relative_schema(templates, workspace)
    for role in expected:
        path = templates / f"{role}.yaml"
        path.write_text(
            render_template(
                questionnaire,
                municipality=municipality,
                round_slug=round_slug,
                respondent=role,
                role=role,
                schema=schema,
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written


def write_indicator_template(
    workspace: Path, municipality: str, round_slug: str, output: Path | None = None
) -> Path:
    """A round's empty `indicatoren.yaml` (or `output`); an existing file is left alone."""
    problems: list[Problem] = []
    folder = workspace / MUNICIPALITIES_DIR / municipality
    if not is_slug(municipality) or not (folder / MUNICIPALITY_FILE).is_file():
        problems.append(
            file_problem(
                display_path(folder),
                "workspace.unknown-municipality",
                f"gemeente '{municipality}' niet gevonden (geen {MUNICIPALITY_FILE})",
            )
        )
    if not is_slug(round_slug):
        problems.append(
            file_problem(
                round_slug,
                "round.invalid-name",
                f"'{round_slug}' is geen geldige rondenaam; gebruik bijvoorbeeld '2025-najaar'",
            )
        )
    if problems:
        raise ProblemsError(problems)
    target = output or folder / round_slug / INDICATORS_FILE
    if target.exists():
        raise ProblemsError(
            [
                file_problem(
                    display_path(target),
                    "indicators.file-exists",
                    "bestaat al; vul dat bestand aan of kies met -o een andere plek",
                )
            ]
        )
    questionnaire = questionnaire_for(workspace, load_settings(workspace))
    target.parent.mkdir(parents=True, exist_ok=True)
    schema = Path(
        os.path.relpath(
            workspace.resolve() / SCHEMA_DIR / SCHEMA_FILES["indicatoren"],
            target.parent.resolve(),
        )
    ).as_posix()
    target.write_text(
        render_indicator_template(
            questionnaire, municipality=municipality, round_slug=round_slug, schema=schema
        ),
        encoding="utf-8",
    )
    return target
