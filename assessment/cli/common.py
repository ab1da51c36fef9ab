"""What every command shares: printing problems, exit codes and the --debug switch."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from assessment.errors import Problem, ProblemsError, summarise

F = TypeVar("F", bound=Callable[..., Any])


def print_problems(problems: list[Problem], *, as_json: bool = False) -> None:
    """Every problem as `path:line:col: message` (errors on stderr), or all as JSON."""
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        click.echo(problem.format(), err=problem.severity == "error")


def handles_problems(func: F) -> F:
    """Turn ProblemsError into the report and exit 1; other errors into one line (exit 1)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except ProblemsError as error:
            print_problems(error.problems)
            click.echo(summarise(error.problems), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:
            if debug:
                raise
            click.echo(
                f"ketenscan: onverwachte fout: {type(error).__name__}: {error} "
                "(draai opnieuw met --debug voor details)",
                err=True,
            )
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


WORKSPACE = click.Path(exists=False, file_okay=True, dir_okay=True, path_type=Path)
