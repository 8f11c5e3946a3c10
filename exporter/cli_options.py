"""The --bank and --layouts options every command shares, resolved through the workspace before a command runs."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import click

from .errors import LayoutNotFound

bank_option = click.option(
    "--bank",
    "bank_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Question bank folder (default: the workspace's, else the bank shipped with packet).",
)
layouts_option = click.option(
    "--layouts",
    "layouts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Layouts folder (default: the workspace's, else the layouts shipped with packet).",
)


def folder_options(say: bool = False):  # type: ignore[no-untyped-def]
    """--bank and --layouts, resolved before the command runs: an option given wins, then the workspace's folder
    (the nearest packet.toml from the current folder up), then the shipped one (None). With ``say``, the
    command first says on stderr which it reads (unless both options were given)."""

    def decorate(function):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def command(*args: Any, bank_dir: Path | None, layouts_dir: Path | None, **kwargs: Any) -> Any:
            from .workspace import reading, resolve_folders, shipped_role_hint

            found = resolve_folders(bank_dir, layouts_dir)
            said = reading(found) if say else None
            if said:
                click.echo(said, err=True)
            try:
                return function(*args, bank_dir=found.bank, layouts_dir=found.layouts, **kwargs)
            except LayoutNotFound as exc:
                raise LayoutNotFound(exc.message + shipped_role_hint(found, kwargs.get("role"))) from None

        return bank_option(layouts_option(command))

    return decorate
