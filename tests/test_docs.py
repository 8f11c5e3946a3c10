"""Every command and every option of `packet` is documented, in README.md or docs/*.md.

docs/commands.md is the reference: each command's ``--help`` under a heading of its own. After changing a
command or an option, write it again with ``python -m tests.test_docs``; the test says when it is out of date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from exporter.cli import main

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "commands.md"

INTRODUCTION = """\
# Command reference

Every `packet` command with all its options, as `packet COMMAND --help` prints them. The
[README](../README.md) and the other pages here explain them with examples. This page is written from the
program itself: after changing a command or an option, run `python -m tests.test_docs`.
"""


def commands(context: click.Context | None = None) -> Iterator[tuple[str, click.Context]]:
    """Every command in Click's tree with its full name (``packet``, ``packet make``, …), groups first, each
    in a context as the program makes it (a subcommand inherits ``-h`` from its group's settings)."""
    context = context or click.Context(main, info_name="packet", **main.context_settings)
    yield context.command_path, context
    if isinstance(context.command, click.Group):
        for name, sub in sorted(context.command.commands.items()):
            yield from commands(click.Context(sub, info_name=name, parent=context))


def help_text(name: str) -> str:
    """``--help`` of command ``name`` at a fixed width, so the page does not depend on the terminal."""
    result = CliRunner().invoke(main, [*name.split()[1:], "--help"], prog_name="packet", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def reference() -> str:
    sections = [f"## `{name}`\n\n```text\n{help_text(name)}```\n" for name, _ in commands()]
    return "\n".join([INTRODUCTION, *sections])


def documents() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    }


def sections(name: str) -> list[str]:
    """The text under each Markdown heading that names command ``name``, up to the next heading."""
    found = []
    heading = re.compile(rf"^#+ .*`{re.escape(name)}`", re.MULTILINE)
    for text in documents().values():
        for match in heading.finditer(text):
            following = re.search(r"^#", text[match.end() :], re.MULTILINE)
            found.append(text[match.start() : match.end() + following.start() if following else len(text)])
    return found


@pytest.mark.parametrize("name", [name for name, _ in commands()])
def test_every_command_and_option_is_documented(name):
    documented = sections(name)
    assert documented, f"no heading names `{name}` in README.md or docs/*.md"
    context = dict(commands())[name]
    flags = [flag for param in context.command.get_params(context) for flag in param.opts + param.secondary_opts]
    flags = [flag for flag in flags if flag.startswith("-")]  # arguments are shown in the usage line
    missing = [flag for flag in flags if not any(re.search(rf"{flag}(?![\w-])", text) for text in documented)]
    assert not missing, f"`{name}`: {', '.join(missing)} not documented"


def test_the_reference_is_up_to_date():
    assert REFERENCE.read_text(encoding="utf-8") == reference(), "run `python -m tests.test_docs`"


def test_a_missing_option_is_found(monkeypatch):
    extra = click.Option(["--undocumented-option"], is_flag=True)
    monkeypatch.setattr(main.commands["show"], "params", [*main.commands["show"].params, extra])
    with pytest.raises(AssertionError, match="`packet show`: --undocumented-option not documented"):
        test_every_command_and_option_is_documented("packet show")


if __name__ == "__main__":
    REFERENCE.write_text(reference(), encoding="utf-8")
    print(REFERENCE)
