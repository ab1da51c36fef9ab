"""Where things are: the folders and files of a workspace, and the package's own resources."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SETTINGS_FILE = "ketenscan.yaml"
MUNICIPALITY_FILE = "gemeente.yaml"
MUNICIPALITIES_DIR = "gemeenten"
ANSWERS_DIR = "antwoorden"
TEMPLATES_DIR = "sjablonen"
INDICATORS_FILE = "indicatoren.yaml"  # key figure definitions (questionnaire) and values (round)
WORKSHOP_FILE = "workshop.yaml"

# Files a round folder may hold beside its answers; later capabilities read them.
ROUND_FILES = {WORKSHOP_FILE, INDICATORS_FILE, ANSWERS_DIR, TEMPLATES_DIR}


def default_questionnaire_dir() -> Path:
    """The instrument shipped with Ketenscan (inside the wheel or beside the package)."""
    inside = PACKAGE_DIR / "questionnaire"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "questionnaire"


def default_site_dir() -> Path:
    """Templates, theme overrides and assets of the site (inside the wheel or beside it)."""
    inside = PACKAGE_DIR / "site"
    return inside if (inside / "templates").is_dir() else PACKAGE_DIR.parent / "site"
