"""Docs that cannot drift: every command has help with an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from assessment.cli import main

Named = list[tuple[str, click.Command]]
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = main, prefix: str = "ketenscan") -> Named:
    """Every command, sub-commands of groups included, with its full name."""
    found: Named = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += commands(command, full)
    return found


COMMANDS = commands()


def test_the_walk_finds_the_commands() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"ketenscan validate", "ketenscan build", "ketenscan score"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    name: str, command: click.Command
) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"
    if not isinstance(command, click.Group):
        assert "Voorbeeld:" in (command.help or ""), f"{name} has no example in its help"
    assert name in README, f"README.md does not mention `{name}`"
