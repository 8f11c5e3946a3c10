"""The `packet` command line: parses options, calls the core, prints what it wrote.

No rendering or validation logic lives here; errors are :class:`~exporter.errors.PacketError`s,
which Click prints as ``Error: …`` with exit code 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from . import __version__
from .errors import BudgetError
from .text import clean

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

bank_option = click.option(
    "--bank",
    "bank_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Question bank folder (default: the bank shipped with packet).",
)
layouts_option = click.option(
    "--layouts",
    "layouts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Layouts folder (default: the layouts shipped with packet).",
)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="packet")
def main() -> None:
    """Printable interview packets from a YAML question bank.

    For each interview: a Word guide to read beforehand, a one-page PDF cheat sheet with a time
    budget for the room, and an Excel scorecard that rolls signals up into four categories.

    \b
    Example:
      packet make --role infra-m3 --candidate "Zoë Ødegård" --start 14:00
    """


@main.command("list")
@click.option("--questions", is_flag=True, help="List the bank's questions instead of the roles.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with --questions).")
@bank_option
@layouts_option
def list_command(questions: bool, as_json: bool, bank_dir: Path | None, layouts_dir: Path | None) -> None:
    """List the roles you can make packets for, or the bank's questions.

    \b
    Examples:
      packet list
      packet list --questions --json
    """
    from .listing import question_rows, role_rows

    if questions:
        rows = question_rows(bank_dir)
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            cats = ", ".join(f"{k} {w:g}" for k, w in row["categories"].items())
            click.echo(f"{row['id']:34} {row['title']}  [{cats}] ({row['source']})")
        return
    for role, title, minutes in role_rows(layouts_dir, bank_dir):
        click.echo(f"{role:24} {title} ({minutes} min)")


@main.command()
@bank_option
@layouts_option
def validate(bank_dir: Path | None, layouts_dir: Path | None) -> None:
    """Check the bank and every layout; print every problem at once.

    \b
    Example:
      packet validate --bank ./bank --layouts ./layouts
    """
    from .loading import validate as check

    bank, layouts = check(bank_dir, layouts_dir)
    click.echo(f"OK: {len(bank.questions)} questions, {len(layouts)} layouts")


def packet_options(function):  # type: ignore[no-untyped-def]
    """The options every command that makes a packet shares."""
    for option in reversed(
        [
            click.option("--role", "-r", required=True, help="The role's layout, e.g. infra-m3 (see `packet list`)."),
            click.option("--candidate", default="", help="Candidate's name, printed on every output."),
            click.option("--interviewer", default="", help="Interviewer's name."),
            click.option(
                "--date",
                type=click.DateTime(formats=["%Y-%m-%d"]),
                help="Interview date, YYYY-MM-DD (default: today).",
            ),
            click.option("--start", help="Clock time the slot starts, HH:MM; sections get clock times."),
            click.option("--minutes", type=int, help="Rescale the slot to N minutes (default: the layout's)."),
            click.option(
                "--paper",
                type=click.Choice(["letter", "a4"], case_sensitive=False),
                default="letter",
                show_default=True,
                help="Paper size of the guide and cheat sheet.",
            ),
            bank_option,
            layouts_option,
        ]
    ):
        function = option(function)
    return function


def build(
    role: str,
    candidate: str,
    interviewer: str,
    date: dt.datetime | None,
    start: str | None,
    minutes: int | None,
    paper: str,
    bank_dir: Path | None,
    layouts_dir: Path | None,
):  # type: ignore[no-untyped-def]
    from .packet import make_packet

    if minutes is not None and minutes < 1:
        raise BudgetError(f"--minutes {minutes}: give the slot's length in whole minutes, at least 1")
    return make_packet(
        role,
        bank_dir=bank_dir,
        layouts_dir=layouts_dir,
        candidate=clean(candidate.strip(), "--candidate"),
        interviewer=clean(interviewer.strip(), "--interviewer"),
        date=date.date() if date else None,
        start=start,
        minutes=minutes,
        paper=paper.lower(),
    )


@main.command()
@packet_options
def show(**options: object) -> None:
    """Print the resolved packet as readable text: time budget, questions, signals.

    \b
    Example:
      packet show --role infra-m3 --start 14:00
    """
    from .listing import packet_text

    click.echo(packet_text(build(**options)))  # type: ignore[arg-type]


@main.command()
@packet_options
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    default=("all",),
    show_default=True,
    help="docx, pdf, xlsx, json or all; repeat or use commas (pdf,xlsx).",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder to write into (default: the current folder).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files (never a filled-in scorecard).")
def make(formats: tuple[str, ...], out_dir: Path, force: bool, **options: object) -> None:
    """Make a role's interview packet: guide (.docx), cheat sheet (.pdf), scorecard (.xlsx), JSON.

    Prints the path of each file written, one per line.

    \b
    Examples:
      packet make --role infra-m3 --format pdf
      packet make --role infra-m3 --candidate "Zoë Ødegård" --interviewer "Sam Lee" \\
          --date 2026-12-01 --start 14:00 --format docx,pdf,xlsx --out packets/
    """
    from .output import write_packet
    from .render import parse_formats

    names = parse_formats(formats)
    packet = build(**options)  # type: ignore[arg-type]
    for path in write_packet(packet, names, out_dir, force):
        click.echo(str(path))
