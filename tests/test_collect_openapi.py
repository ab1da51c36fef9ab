"""The API against its own OpenAPI description, property-based (schemathesis): generated
requests, valid and invalid, never get a 5xx nor a response the description does not
allow. A bounded number of examples per operation keeps the run short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assessment.instrument import Questionnaire, load_questionnaire
from assessment.server.invitations import Planned
from assessment.server.openapi import openapi_document
from tests.collecting import RunningServer, collect_workspace, invite, start_server

EXAMPLES = 25  # per operation in the fuzzing phase; the coverage phase adds its own


@pytest.fixture(scope="module")
def api(
    questionnaire: Questionnaire, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningServer, str]]:
    root = collect_workspace(questionnaire, tmp_path_factory.mktemp("openapi") / "ws")
    [item] = invite(root, [Planned("wijkteam", None, "wijkteam")])
    server = start_server(root)
    yield server, item.token
    server.stop()


# The description does not depend on the running server, so it is read at collection
# time (schemathesis' lazy loading from a fixture does not run on pytest 9); every case
# is sent to the server of the fixture. A test below checks the server serves this one.
DESCRIPTION = openapi_document(load_questionnaire())
schema = schemathesis.openapi.from_dict(DESCRIPTION)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    # One session, closed at the end: schemathesis' own would leave sockets to the
    # garbage collector (a ResourceWarning, which this suite treats as an error).
    with requests.Session() as opened:
        yield opened


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(
    case: Any, api: tuple[RunningServer, str], session: requests.Session
) -> None:
    server, token = api
    # Valid by the schema is not enough to be accepted: an answer must also belong to the
    # invitation (municipality, round, respondent), so that check does not apply here.
    case.call_and_validate(
        base_url=server.url,
        session=session,
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_the_description_is_served_and_names_every_route(api: tuple[RunningServer, str]) -> None:
    server, _ = api
    document = server.request("GET", "/api/v1/openapi.json").json()
    assert document == DESCRIPTION
    assert document["openapi"] == "3.1.0"
    assert sorted(document["paths"]) == [
        "/api/v1/health",
        "/api/v1/invitation",
        "/api/v1/problems",
        "/api/v1/receipts/{receipt}",
        "/api/v1/responses",
    ]
    body = document["paths"]["/api/v1/responses"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AnswerDocument"
    }
    answers = document["components"]["schemas"]["AnswerDocument"]["properties"]["answers"]
    assert len(answers["required"]) == 51
