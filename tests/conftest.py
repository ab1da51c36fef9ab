"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from assessment.instrument import Questionnaire, load_questionnaire
from tests.helpers import build_workspace

# Timing is measured in the benchmarks, not in tests: a busy CI machine must not fail a
# property test on its deadline.
settings.register_profile("ketenscan", deadline=None)
settings.load_profile("ketenscan")


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    """The instrument shipped with Ketenscan, loaded once."""
    return load_questionnaire()


@pytest.fixture
def workspace(
    questionnaire: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A minimal valid workspace `ws/` in tmp_path, which is also the working directory.

    The returned path is relative, so problems are reported as `ws/gemeenten/...`, exactly
    as a user running `ketenscan validate ws` in that folder would see them.
    """
    monkeypatch.chdir(tmp_path)
    build_workspace(questionnaire, tmp_path / "ws")
    return Path("ws")
