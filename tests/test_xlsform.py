"""The XLSForm export: converted by pyxform (as KoboToolbox and ODK Central do), the XForm
holds every statement, every choice and every constraint of the instrument."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pyxform.xls2xform import convert

from assessment.cli import main
from assessment.instrument import Questionnaire
from assessment.interop.xlsform import XlsForm, build_xlsform, write_xlsform
from assessment.limits import SHORT_TEXT_MAX, TEXT_MAX
from tests.helpers import ROUND

NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "x": "http://www.w3.org/2002/xforms",
    "jr": "http://openrosa.org/javarosa",
}
JR = "{http://openrosa.org/javarosa}"
LANGUAGE = "Nederlands (nl)"


@dataclass(frozen=True)
class Converted:
    """The exported workbook and the XForm pyxform made of it."""

    path: Path
    xform: ET.Element
    warnings: list[str]

    def binds(self) -> dict[str, ET.Element]:
        """Bind elements by the last step of their nodeset."""
        return {
            bind.get("nodeset", "").rsplit("/", 1)[-1]: bind
            for bind in self.xform.iter("{http://www.w3.org/2002/xforms}bind")
        }

    def nodesets(self) -> dict[str, str]:
        """Field name -> its full path in the XForm instance."""
        return {
            bind.get("nodeset", "").rsplit("/", 1)[-1]: bind.get("nodeset", "")
            for bind in self.xform.iter("{http://www.w3.org/2002/xforms}bind")
        }

    def texts(self) -> dict[str, str]:
        """Dutch itext: id -> text."""
        out = {}
        for translation in self.xform.iter("{http://www.w3.org/2002/xforms}translation"):
            assert translation.get("lang") == LANGUAGE
            for text in translation:
                value = text.find("x:value", NS)
                out[text.get("id", "")] = "".join(value.itertext()) if value is not None else ""
        return out

    def controls(self, tag: str) -> dict[str, ET.Element]:
        """Body controls (select1, select, input) by the field name they fill."""
        return {
            control.get("ref", "").rsplit("/", 1)[-1]: control
            for control in self.xform.iter(f"{{http://www.w3.org/2002/xforms}}{tag}")
        }


def convert_form(path: Path) -> Converted:
    """Convert with pyxform as the survey servers do, without ODK Validate (Java)."""
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings, validate=False)
    return Converted(path, ET.fromstring(result.xform), warnings)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    """The demo workspace's form for Lindeloo's newest round, through the command line."""
    out = tmp_path_factory.mktemp("xlsform") / "vragenlijst.xlsx"
    result = CliRunner().invoke(
        main,
        ["export", "xlsform", "examples", "-g", "lindeloo", "-r", "2025-najaar", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "51 stellingen" in result.output
    return convert_form(out)


def test_the_workbook_has_the_three_xlsform_sheets(exported: Converted) -> None:
    book = openpyxl.load_workbook(exported.path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = [cell.value for cell in book["survey"][1]]
    assert survey[:3] == ["type", "name", f"label::{LANGUAGE}"]
    names, values = book["settings"].iter_rows(values_only=True)
    settings = dict(zip(names, values, strict=True))
    assert settings["form_id"] == "ketenscan-jeugd-1-lindeloo-2025-najaar"
    assert settings["form_title"] == "Ketenscan jeugd – Lindeloo, ronde 2025-najaar"
    assert settings["default_language"] == LANGUAGE
    assert settings["version"] == "1.0.0"


def test_pyxform_converts_it_without_warnings(exported: Converted) -> None:
    assert exported.warnings == []
    title = exported.xform.find("h:head/h:title", NS)
    assert title is not None
    assert title.text == "Ketenscan jeugd – Lindeloo, ronde 2025-najaar"


def test_every_statement_is_a_required_question_with_its_dutch_text(
    exported: Converted, questionnaire: Questionnaire
) -> None:
    binds = exported.binds()
    selects = exported.controls("select1")
    texts = exported.texts()
    nodesets = exported.nodesets()
    statements = questionnaire.instrument.statements()
    assert len(statements) == 51
    for section in questionnaire.instrument.sections:
        for factor in section.factors:
            for number, statement in enumerate(factor.statements):
                sid = statement.id
                # The statement id is the field name, inside its section's and factor's group.
                assert nodesets[sid] == f"/data/{section.id}/{factor.id}/{sid}"
                assert binds[sid].get("required") == "true()"
                assert f"{JR}requiredMsg" in binds[sid].attrib
                label = selects[sid].find("x:label", NS)
                assert label is not None
                assert texts[f"{nodesets[sid]}:label"] == " ".join(statement.text.split())
                # Every statement offers the same list: 1..5 and 'weet niet'.
                itemset = selects[sid].find("x:itemset", NS)
                assert itemset is not None
                assert itemset.get("nodeset") == "instance('schaal')/root/item", number


def test_every_choice_is_in_the_form(exported: Converted, questionnaire: Questionnaire) -> None:
    instances = {
        instance.get("id"): [
            (
                item.findtext("x:name", default="", namespaces=NS),
                item.findtext("x:itextId", default="", namespaces=NS),
            )
            for item in instance.iter("{http://www.w3.org/2002/xforms}item")
        ]
        for instance in exported.xform.iter("{http://www.w3.org/2002/xforms}instance")
        if instance.get("id")
    }
    texts = exported.texts()

    def labelled(list_name: str) -> list[tuple[str, str]]:
        return [(name, texts[text_id]) for name, text_id in instances[list_name]]

    assert labelled("schaal") == [
        ("1", "1 – startend"),
        ("2", "2 – in ontwikkeling"),
        ("3", "3 – functionerend"),
        ("4", "4 – geborgd"),
        ("5", "5 – voorbeeldig"),
        ("weet_niet", "weet niet / niet van toepassing"),
    ]
    assert labelled("belang") == [
        ("1", "1 – niet belangrijk"),
        ("2", "2 – een beetje belangrijk"),
        ("3", "3 – redelijk belangrijk"),
        ("4", "4 – belangrijk"),
        ("5", "5 – zeer belangrijk"),
    ]
    assert [name for name, _ in labelled("ambitie")] == ["1", "2", "3", "4", "5"]
    assert labelled("rollen") == [(role.id, role.label) for role in questionnaire.roles.values()]
    assert len(labelled("rollen")) == 16
    assert labelled("niveaus") == [
        (level.id, level.title) for level in questionnaire.instrument.intervention_levels
    ]


def test_the_role_is_a_required_select_one_and_the_levels_a_select_multiple(
    exported: Converted,
) -> None:
    binds = exported.binds()
    role = exported.controls("select1")["respondent.role"]
    itemset = role.find("x:itemset", NS)
    assert itemset is not None
    assert itemset.get("nodeset") == "instance('rollen')/root/item"
    assert binds["respondent.role"].get("required") == "true()"
    levels = exported.controls("select")["levels_offered"]
    itemset = levels.find("x:itemset", NS)
    assert itemset is not None
    assert itemset.get("nodeset") == "instance('niveaus')/root/item"
    assert binds["levels_offered"].get("required") is None


def test_every_constraint_is_in_the_form(exported: Converted, questionnaire: Questionnaire) -> None:
    binds = exported.binds()
    texts = exported.texts()
    organisation = binds["respondent.organisation"]
    assert organisation.get("required") == "true()"
    assert organisation.get("constraint") == (
        f"string-length(normalize-space(.)) > 0 and string-length(.) <= {SHORT_TEXT_MAX} "
        "and regex(., '[A-Za-z0-9]')"
    )
    free_texts = [f"comments.{f.id}" for f in questionnaire.instrument.factors()]
    free_texts += ["open.goes_well", "open.change_first"]
    assert len(free_texts) == 18  # 16 factors and conditions, 2 open questions
    for name in free_texts:
        assert binds[name].get("constraint") == f"string-length(.) <= {TEXT_MAX}"
        message = binds[name].get(f"{JR}constraintMsg", "")
        # The message is Dutch text in the itext, named by the field's path.
        text_id = message.removeprefix("jr:itext('").removesuffix("')")
        assert texts[text_id] == f"Hooguit {TEXT_MAX} tekens."
        assert binds[name].get("required") is None
    for factor in questionnaire.instrument.factors():
        for part in ("importance", "ambition"):
            assert binds[f"{part}.{factor.id}"].get("required") is None


def test_factors_are_groups_inside_their_sections(
    exported: Converted, questionnaire: Questionnaire
) -> None:
    groups = {
        group.get("ref", ""): group.get("appearance")
        for group in exported.xform.iter("{http://www.w3.org/2002/xforms}group")
    }
    texts = exported.texts()
    for section in questionnaire.instrument.sections:
        assert f"/data/{section.id}" in groups
        assert texts[f"/data/{section.id}:label"] == section.title
        for factor in section.factors:
            ref = f"/data/{section.id}/{factor.id}"
            assert groups[ref] == "field-list"  # one screen per factor in ODK Collect
            assert texts[f"{ref}:label"] == factor.title
            explanation = texts[f"{ref}/uitleg.{factor.id}:label"]
            assert " ".join(factor.explanation.split()) in explanation
            for descriptor in factor.level_descriptors:
                assert " ".join(descriptor.split()) in explanation


def test_the_form_names_its_municipality_and_round_for_the_import(exported: Converted) -> None:
    binds = exported.binds()
    assert binds["ks_instrument"].get("calculate") == "'ketenscan-jeugd@1'"
    assert binds["ks_municipality"].get("calculate") == "'lindeloo'"
    assert binds["ks_round"].get("calculate") == "'2025-najaar'"
    assert binds["end"].get(f"{JR}preloadParams") == "end"


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_form(exported: Converted) -> None:
    # ODK Validate (shipped with pyxform) loads the form in JavaRosa, the engine of ODK
    # Collect; it raises on any error.
    warnings: list[str] = []
    convert(xlsform=str(exported.path), warnings=warnings, validate=True)
    assert warnings == []


def test_a_generic_form_has_no_municipality(questionnaire: Questionnaire, tmp_path: Path) -> None:
    form = build_xlsform(questionnaire)
    assert form.settings["form_id"] == "ketenscan-jeugd-1"
    assert form.settings["form_title"] == "Ketenscan jeugd"
    names = [row["name"] for row in form.survey]
    assert "ks_instrument" in names
    assert "ks_municipality" not in names
    converted = convert_form(write_xlsform(form, tmp_path / "form.xlsx"))
    assert converted.warnings == []


def test_texts_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    form = XlsForm(
        survey=[{"type": "note", "name": "n", f"label::{LANGUAGE}": '=HYPERLINK("x")'}],
        settings={"form_title": "+t"},
    )
    path = write_xlsform(form, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert book["survey"]["C2"].data_type == "s"
    assert book["survey"]["C2"].value == '=HYPERLINK("x")'


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_municipality_and_round_go_together(tmp_path: Path) -> None:
    code, output = run(
        "export", "xlsform", "examples", "-g", "lindeloo", "-o", str(tmp_path / "f.xlsx")
    )
    assert code == 2
    assert "samen" in output
    code, output = run("export", "xlsform", "examples", "-o", str(tmp_path / "f.csv"))
    assert code == 2
    assert not (tmp_path / "f.csv").exists()


def test_an_unknown_municipality_is_a_problem(tmp_path: Path) -> None:
    code, output = run(
        "export",
        "xlsform",
        "examples",
        "-g",
        "lindelo",
        "-r",
        ROUND,
        "-o",
        str(tmp_path / "f.xlsx"),
    )
    assert code == 1
    assert "gemeente 'lindelo' niet gevonden. Bedoelt u 'lindeloo'?" in output
    assert "Traceback" not in output
    assert not (tmp_path / "f.xlsx").exists()
