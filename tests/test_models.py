"""The pydantic models: strict types, slugs, the answer scale and the instrument."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from assessment.instrument import Questionnaire
from assessment.models import Instrument, Municipality, Response, Settings


def _response(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "instrument": "ketenscan-jeugd@1",
        "municipality": "voorbeeldstad",
        "round": "2025-najaar",
        "respondent": {"id": "wijkteam", "organisation": "Wijkteam Noord", "role": "wijkteam"},
        "answers": {"a": 1, "b": None},
    }
    data.update(changes)
    return data


def _error_types(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Response.model_validate(data)
    return [(error["loc"], error["type"]) for error in caught.value.errors()]


def test_minimal_response_and_defaults() -> None:
    response = Response.model_validate(_response(submitted=dt.date(2025, 10, 14)))
    assert response.answers == {"a": 1, "b": None}
    assert response.importance == {}
    assert response.ambition == {}
    assert response.levels_offered is None
    assert response.open.goes_well is None
    assert response.submitted == dt.date(2025, 10, 14)


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5, None])
def test_scale_accepts_1_to_5_and_null(value: int | None) -> None:
    data = _response(answers={"a": value}, importance={"f": value}, ambition={"f": value})
    response = Response.model_validate(data)
    assert response.answers["a"] == value
    assert response.importance["f"] == value


@pytest.mark.parametrize("value", [0, 6, -1, True, False, 3.0, 3.5, "3", "drie", [3], {"a": 3}])
def test_scale_refuses_everything_else(value: object) -> None:
    assert _error_types(_response(answers={"a": value})) == [(("answers", "a"), "score")]


@pytest.mark.parametrize(
    ("slug", "ok"),
    [
        ("a", True),
        ("buurtzorg-jong", True),
        ("2025-najaar", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("", False),
        ("Buurtzorg", False),
        ("buurtzorg_jong", False),
        ("buurtzorg--jong", False),
        ("-jong", False),
        ("jong-", False),
        ("jöng", False),
        ("jong\n", False),
    ],
)
def test_slug_pattern(slug: str, ok: bool) -> None:
    data = _response(municipality=slug)
    if ok:
        assert Response.model_validate(data).municipality == slug
    else:
        assert [loc for loc, _ in _error_types(data)] == [("municipality",)]


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("ketenscan-jeugd@1", True),
        ("ketenscan-jeugd@12", True),
        ("ketenscan-jeugd", False),
        ("ketenscan-jeugd@", False),
        ("ketenscan-jeugd@v1", False),
        ("Ketenscan@1", False),
        ("ketenscan-jeugd@\u0661", False),  # an Arabic-Indic digit one
        ("ketenscan-jeugd@" + "1" * 5000, False),  # int() of this would raise
    ],
)
def test_instrument_reference(ref: str, ok: bool) -> None:
    data = _response(instrument=ref)
    if ok:
        assert Response.model_validate(data).instrument == ref
    else:
        assert _error_types(data) == [(("instrument",), "string_pattern_mismatch")]


def test_unknown_keys_and_coercion_are_refused() -> None:
    errors = _error_types(
        _response(extra=1, submitted="2025-10-14", respondent={"id": "x", "organisation": "X"})
    )
    assert sorted(errors) == [
        (("extra",), "extra_forbidden"),
        (("respondent", "role"), "missing"),
        (("submitted",), "date_type"),
    ]


def test_text_limits() -> None:
    errors = _error_types(
        _response(
            respondent={"id": "x", "organisation": "", "role": "wijkteam"},
            comments={"regie": "x" * 4001},
        )
    )
    assert sorted(errors) == [
        (("comments", "regie"), "string_too_long"),
        (("respondent", "organisation"), "string_too_short"),
    ]


def test_models_are_frozen() -> None:
    response = Response.model_validate(_response())
    with pytest.raises(ValidationError):
        response.round = "2026-voorjaar"  # type: ignore[misc]


def test_municipality_file() -> None:
    info = Municipality.model_validate(
        {"name": "Voorbeeldstad", "size": "klein", "expected_roles": ["gemeente"]}
    )
    assert (info.region, info.inhabitants) == (None, None)
    with pytest.raises(ValidationError) as caught:
        Municipality.model_validate({"name": "X", "size": "reusachtig", "inhabitants": -1})
    assert sorted(e["type"] for e in caught.value.errors()) == [
        "greater_than_equal",
        "literal_error",
    ]


def test_settings_defaults_follow_the_spec() -> None:
    settings = Settings()
    assert settings.audience == "internal"
    assert settings.thresholds.low_consensus == 0.6
    assert settings.thresholds.min_consensus_n == 3
    assert settings.thresholds.min_group_size == 5
    assert settings.thresholds.target == 4.0
    with pytest.raises(ValidationError):
        Settings.model_validate({"thresholds": {"min_group_size": 2}})
    assert settings.collect.site_url is None
    assert settings.collect.allowed_origins == []
    assert settings.collect.rate_limits.per_token == 20
    for wrong in (
        {"site_url": "ftp://example.org"},
        {"api_url": "https://example.org/?x=1"},
        {"allowed_origins": ["https://example.org/"]},
        {"rate_limits": {"per_token": 0}},
    ):
        with pytest.raises(ValidationError):
            Settings.model_validate({"collect": wrong})


def test_shipped_instrument_has_the_spec_shape(questionnaire: Questionnaire) -> None:
    instrument = questionnaire.instrument
    assert instrument.ref == "ketenscan-jeugd@1"
    assert instrument.major == 1
    assert [section.id for section in instrument.sections] == ["succesfactoren", "wat-werkt"]
    succes, wat_werkt = instrument.sections
    assert len(succes.factors) == 8
    assert len(wat_werkt.factors) == 8
    assert all(3 <= len(f.statements) <= 5 for f in succes.factors)
    assert all(2 <= len(f.statements) <= 3 for f in wat_werkt.factors)
    assert 40 <= len(instrument.statements()) <= 55
    assert len(instrument.intervention_levels) == 7
    assert [step.label for step in instrument.scale] == [
        "startend",
        "in ontwikkeling",
        "functionerend",
        "geborgd",
        "voorbeeldig",
    ]
    sections = instrument.section_of()
    assert sections["juiste-partners"] == "succesfactoren"
    assert len(sections) == 16


def test_instrument_ids_must_be_unique(questionnaire: Questionnaire) -> None:
    data = questionnaire.instrument.model_dump()
    first = data["sections"][0]["factors"][0]["statements"]
    first.append(dict(first[0]))
    with pytest.raises(ValidationError) as caught:
        Instrument.model_validate(data)
    [error] = caught.value.errors()
    assert error["type"] == "duplicate_id"
    assert error["ctx"] == {"id": first[0]["id"]}
