"""The `packet` command line: parses options, calls the core, prints what it wrote; and the program's entry.

No rendering or validation logic lives here. The core raises :class:`~exporter.errors.PacketError`s, which
know nothing of Click; :class:`PacketGroup` is the one place that turns them into Click's ``Error: …`` and
exit code 1. :func:`run` is the `packet` program.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cli_authoring import export_command, import_command, init, schema
from .cli_options import folder_options
from .errors import BatchFailed, BudgetError, DateError, PacketError
from .text import given_name

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (or the function it decorates), and as it was after
    (Mercurial's ``util.nogc``).

    Around `packet make` for one packet or one loop, from finding its folders on, and around importing
    packet's modules as any command starts: a make lasts a fraction of a second, and most of what it
    allocates (the modules, the bank, the libraries' objects, the documents) lives until the files are
    written, yet each collection pass would walk every object made so far. A batch turns the collector back
    on for its hundred rows (:func:`collector_running`, and :func:`exporter.batch.make_batch`).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextlib.contextmanager
def collector_running() -> Iterator[None]:
    """The cyclic garbage collector on for the block, and as it was after: for a batch, whose rows make
    garbage, inside a `packet make` that otherwise runs with it paused."""
    was_on = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_on:
            gc.disable()


class PacketGroup(click.Group):
    """The `packet` commands, where a user's mistake reported by the core becomes Click's error output.

    Click prints a :class:`click.ClickException` as ``Error: …`` on stderr and exits with code 1; it keeps
    exit code 2 for usage errors. Options are parsed inside :meth:`invoke` too, so a bad ``--date`` is caught
    here as well.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PacketError as exc:
            raise click.ClickException(exc.message) from exc


@click.group(cls=PacketGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="packet")
def main() -> None:
    """Printable interview packets from a YAML question bank.

    For each interview: a Word guide to read beforehand, a one-page PDF cheat sheet with a time
    budget for the room, and an Excel scorecard that rolls signals up into the role's categories.

    \b
    Example:
      packet make --role infra-m3 --candidate "Zoë Ødegård" --start 14:00
    """
    with collector_paused():  # packet's own modules: what importing them makes lives as long as the process
        from .output import unwind_on_termination
        from .reproducible import settle_environment

    settle_environment()  # one warning for a bad SOURCE_DATE_EPOCH, and every reader of it agrees
    click.get_current_context().call_on_close(unwind_on_termination())


for authoring in (init, schema, import_command, export_command):
    main.add_command(authoring)


@main.command("list")
@click.option("--questions", is_flag=True, help="List the bank's questions instead of the roles.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--loops", is_flag=True, help="List the onsite loops (`packet make --loop NAME`) instead of the roles.")
@folder_options(say=True)
def list_command(questions: bool, as_json: bool, loops: bool, bank_dir: Path | None, layouts_dir: Path | None) -> None:
    """List the roles you can make packets for, the onsite loops, or the bank's questions.

    \b
    Examples:
      packet list
      packet list --loops
      packet list --questions --json
    """
    from .folders import loops_dir
    from .listing import aligned, question_lines, question_rows, role_lines, role_records
    from .loading import layouts_folder, load_bank

    if questions and loops:
        raise click.UsageError("give --questions or --loops, not both")
    if questions:  # a bank without questions is an error when it is read
        bank = load_bank(bank_dir)
        records, lines, empty = question_rows(bank), question_lines(bank), ""
    else:
        folder = layouts_folder(layouts_dir)  # a mistyped --layouts is an error, not an empty list
        if loops:
            from .loops import loop_records

            records = loop_records(layouts_dir, bank_dir)
            lines = aligned([(r["loop"], r["summary"]) for r in records])
            empty = f"no loops in {loops_dir(folder)}; a loop is a <name>.yaml file there (see docs/loops.md)"
        else:
            records = role_records(layouts_dir, bank_dir)
            lines = role_lines(records)
            into = "" if layouts_dir is None else f" --layouts {layouts_dir}"
            empty = f"no roles in {folder}; `packet suggest --size 4 --write-layout NAME{into}` writes one"
    if as_json:
        import json

        lines = [json.dumps(records, indent=2, ensure_ascii=False)]
    elif not records:
        click.echo(empty, err=True)
    for line in lines:
        click.echo(line)


@main.command()
@folder_options(say=True)
def validate(bank_dir: Path | None, layouts_dir: Path | None) -> None:
    """Check the bank, every layout and every onsite loop; print every problem at once.

    \b
    Examples:
      packet validate
      packet validate --bank ./bank --layouts ./layouts
    """
    from .loading import validate as check
    from .loops import validate_loops

    bank, layouts = check(bank_dir, layouts_dir)
    loops = validate_loops(layouts_dir, bank=bank)
    layout_count = f"{len(layouts)} layout{'' if len(layouts) == 1 else 's'}"
    loop_count = f"{len(loops)} loop{'' if len(loops) == 1 else 's'}"
    click.echo(f"OK: {len(bank.questions)} questions, {layout_count}, {loop_count}")


class DateType(click.ParamType):
    """A date as a candidates file takes it (``2026-12-01``, ``1 Dec 2026``, ``Tue, December 1, 2026``: see
    :func:`exporter.budget.parse_date`); anything else is an error in the house style (exit code 1), as a bad
    --start is."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from .budget import parse_date

        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except DateError as exc:
            raise DateError(f"--date: {exc.message}") from None


DATE = DateType()

paper_option = click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    default="letter",
    show_default=True,
    help="Paper size of the guide, the cheat sheet, the scorecard's print setup and a loop's overview.",
)


def packet_options(function):  # type: ignore[no-untyped-def]
    """The options every command that makes a packet shares."""
    function = folder_options()(function)  # first, so --bank and --layouts are listed last, as always
    for option in reversed(
        [
            click.option("--role", "-r", help="The role's layout, e.g. infra-m3 (see `packet list`)."),
            click.option("--candidate", default="", help="Candidate's name, printed on every output."),
            click.option("--interviewer", default="", help="Interviewer's name."),
            click.option(
                "--date", type=DATE, metavar="DATE", help="Interview date: 2026-12-01 or 1 Dec 2026 (default: today)."
            ),
            click.option("--start", help="Clock time the slot starts, HH:MM; sections get clock times."),
            click.option("--minutes", type=int, help="Rescale the slot to N minutes (default: the layout's)."),
        ]
    ):
        function = option(function)
    return function


def build(
    role: str,
    candidate: str,
    interviewer: str,
    date: dt.date | None,
    start: str | None,
    minutes: int | None,
    bank_dir: Path | None,
    layouts_dir: Path | None,
    paper: str = "letter",
):  # type: ignore[no-untyped-def]
    from .packet import make_packet, warn_short_questions

    if not role:
        raise click.UsageError("Missing option '--role' / '-r'.", click.get_current_context())
    if minutes is not None and minutes < 1:
        raise BudgetError(f"--minutes {minutes}: give the slot's length in whole minutes, at least 1")
    packet = make_packet(
        role,
        bank_dir=bank_dir,
        layouts_dir=layouts_dir,
        candidate=given_name(candidate, "--candidate"),
        interviewer=given_name(interviewer, "--interviewer"),
        date=date,
        start=start,
        minutes=minutes,
        paper=paper.lower(),
    )
    warn_short_questions(packet, minutes)
    return packet


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
@collector_paused()  # the whole command, from finding its folders on; a batch turns it back on for its rows
@packet_options
@paper_option
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    default=("all",),
    show_default=True,
    help="docx, pdf, xlsx, json, html (the on-screen kit) or all; repeat or use commas (pdf,xlsx).",
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
@click.option(
    "--loop",
    help="A whole onsite loop instead of --role: every interviewer's packet and a one-page overview, in a "
    "folder per candidate (see `packet list --loops`).",
)
@click.option(
    "--candidates",
    "candidates_csv",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with a row per candidate (columns candidate, and optionally interviewer, date, start): "
    "a packet, or a loop, per row. Empty cells take the options' values.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Rows made at once with --candidates (default: one per core)."
)
@click.option(
    "--interviewers",
    default="",
    metavar="SLOT=NAME,...",
    help='With --loop: who asks each slot, by slot id or number, e.g. "hiring-manager=Sam Lee,2=Ana Ruiz".',
)
def make(
    formats: tuple[str, ...],
    out_dir: Path,
    force: bool,
    loop: str | None,
    candidates_csv: Path | None,
    jobs: int | None,
    interviewers: str,
    **options: Any,
) -> None:
    """Make a role's interview packet: guide (.docx), cheat sheet (.pdf), scorecard (.xlsx), JSON.

    Prints the path of each file written, one per line.

    \b
    Examples:
      packet make --role infra-m3 --format pdf
      packet make --role infra-m3 --candidate "Zoë Ødegård" --interviewer "Sam Lee" \\
          --date 2026-12-01 --start 14:00 --format docx,pdf,xlsx --out packets/
      packet make --loop infra-m3-onsite --candidate "Zoë Ødegård" --date 2026-12-01 \\
          --interviewers "hiring-manager=Sam Lee,release-engineer=Ana Ruiz"
      packet make --role infra-m3 --candidates week.csv --out packets/
    """
    from .output import write_packet
    from .render import parse_formats

    names = parse_formats(formats)
    if not names:
        from .errors import UnsupportedFormat
        from .render import ALL

        raise UnsupportedFormat(f"--format: no format given; choose from: {', '.join(ALL)}, all")
    _check_loop_options(loop, candidates_csv, options, interviewers)
    slot_names: tuple[tuple[str, str], ...] = ()
    if interviewers:
        from .loops import parse_interviewers

        slot_names = parse_interviewers(interviewers)
    if candidates_csv is not None:
        from .batch import Job, Row, run_batch

        job = Job(
            formats=tuple(names),
            out_dir=out_dir,
            role=options["role"],
            loop=loop,
            force=force,
            minutes=options["minutes"],
            paper=options["paper"].lower(),
            bank_dir=options["bank_dir"],
            layouts_dir=options["layouts_dir"],
            interviewers=slot_names,
        )
        defaults = Row(0, "", given_name(options["interviewer"], "--interviewer"), options["date"], options["start"])
        with collector_running():
            result = run_batch(candidates_csv, job, defaults, jobs, _progress_bar)
        for path in result.written:
            click.echo(str(path))
        if result.problems:
            raise BatchFailed(result.problems, result.made)
        return
    if loop is not None:
        from .loops import make_loop

        written = make_loop(
            loop,
            names,
            out_dir,
            force=force,
            candidate=given_name(options["candidate"], "--candidate"),
            date=options["date"],
            paper=options["paper"].lower(),
            layouts_dir=options["layouts_dir"],
            bank_dir=options["bank_dir"],
            interviewers=slot_names,
        )
    else:
        written = write_packet(build(**options), names, out_dir, force)
    for path in written:
        click.echo(str(path))


def _check_loop_options(
    loop: str | None, candidates_csv: Path | None, options: dict[str, Any], interviewers: str = ""
) -> None:
    """Options that cannot go together with --loop or --candidates: a usage error (exit code 2)."""
    context = click.get_current_context()
    if loop is not None and options["role"]:
        raise click.UsageError("--role and --loop exclude each other; give one of them", context)
    if loop is None and not options["role"]:
        raise click.UsageError("Missing option '--role' / '-r' (or --loop).", context)
    if loop is not None:
        for name in ("interviewer", "start", "minutes"):
            if options[name]:
                hint = "; name each slot's interviewer with --interviewers" if name == "interviewer" else ""
                raise click.UsageError(f"--{name} comes from the loop's slots; leave it out with --loop{hint}", context)
    if loop is None and interviewers:
        raise click.UsageError("--interviewers names the slots of a loop; give it with --loop", context)
    if candidates_csv is not None and options["candidate"]:
        raise click.UsageError("--candidate and --candidates exclude each other; the names come from the CSV", context)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of the table.")
@click.option(
    "--out",
    "-o",
    "outs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the debrief to a file instead: debrief.md (Markdown), debrief.xlsx (Excel) or debrief.json. "
    "Repeat for several.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing --out file (never a filled-in scorecard).")
def tally(files: tuple[Path, ...], as_json: bool, outs: tuple[Path, ...], force: bool) -> None:
    """Add up filled-in scorecards for the debrief, per candidate: each interviewer's figures side by side,
    the loop's mean, lowest, highest and spread per category, signals several interviewers marked,
    questions not asked.

    FILES are scorecards (.xlsx) or folders of them. Every figure is recomputed from the marks. A file that
    cannot be read is named in an error and left out, the others still tally, and the exit code is 1.

    \b
    Examples:
      packet tally packets/zoe-odegard/
      packet tally *-scorecard.xlsx --out debrief.md --out debrief.xlsx
      packet tally *-scorecard.xlsx --json > debrief.json
    """
    from .debrief import unread_error, write_debrief
    from .debrief.json import to_json
    from .debrief.reading import tally as tally_files
    from .debrief.text import terminal_text
    from .errors import warn

    if as_json and outs:
        raise click.UsageError("--json prints to the terminal; to write JSON to a file, use --out debrief.json")
    debrief = tally_files(files)
    for message in debrief.warnings:
        warn(message)
    if outs:
        for path in write_debrief(debrief, outs, files, force):
            click.echo(str(path))
    else:
        click.echo(to_json(debrief) if as_json else terminal_text(debrief), nl=False)
    if debrief.unread:
        raise unread_error(debrief)


@main.command()
@click.argument("scorecard", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("marks_file", metavar="MARKS", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not into SCORECARD.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file (never a filled-in scorecard).")
def fill(scorecard: Path, marks_file: Path, out: Path | None, force: bool) -> None:
    """Type the marks an interviewer saved from the on-screen kit (…-marks.json) into a blank scorecard of the
    same packet, for a recruiter who wants the spreadsheet. A filled scorecard is never overwritten.

    \b
    Example:
      packet fill infra-m3-zoe-odegard-sam-lee-scorecard.xlsx infra-m3-zoe-odegard-sam-lee-marks.json
    """
    from .marks import cells_to_fill
    from .output import Planned, write_files
    from .readback import fill_scorecard, filled_reason

    cells = cells_to_fill(scorecard, marks_file)
    target = out or scorecard
    # SCORECARD itself is replaced as asked, once proven blank; an --out file only with --force.
    planned = Planned(target, lambda path: fill_scorecard(scorecard, path, cells), filled_reason)
    write_files([planned], force or target == scorecard)
    click.echo(str(target))


@main.command()
@click.option("--role", "-r", help="A role's layout, e.g. infra-m3; its packet's questions and minutes.")
@click.option("--questions", "question_ids", metavar="ID,ID,...", help="Bank question ids instead of a role.")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["text", "md", "csv", "json"]),
    default="text",
    show_default=True,
    help="A terminal table, Markdown, CSV or JSON.",
)
@folder_options()
def coverage(
    role: str | None, question_ids: str | None, output_format: str, bank_dir: Path | None, layouts_dir: Path | None
) -> None:
    """Show what a role's questions cover: the question × category matrix with weights, totals, minutes per
    category, team balance (where the role leads teams), domains covered and repeated.

    \b
    Examples:
      packet coverage --role infra-m3
      packet coverage --questions hybrid-deployments,dev-productivity --format md
    """
    from .coverage import coverage_for
    from .loading import load_bank
    from .packet import make_packet
    from .planning_views import format_coverage

    if (role is None) == (question_ids is None):
        raise click.UsageError("give either --role or --questions")
    source = load_bank(bank_dir) if role is None else make_packet(role, bank_dir=bank_dir, layouts_dir=layouts_dir)
    heading, found = coverage_for(source, question_ids)
    click.echo(format_coverage(found, output_format, heading))


@main.command("lint")
@click.option("--role", "-r", help="Lint one role's layout and the questions it asks (default: everything).")
@click.option("--strict", is_flag=True, help="Exit with code 1 when there is any warning, e.g. in CI.")
@folder_options()
def lint_command(role: str | None, strict: bool, bank_dir: Path | None, layouts_dir: Path | None) -> None:
    """Check the bank, layouts and loops against the interview's quality rules; print each warning with
    its file and place. The rules and their thresholds: docs/planning.md.

    \b
    Examples:
      packet lint
      packet lint --role infra-m3 --strict
    """
    from .errors import LintFailed
    from .lint import lint_files

    report = lint_files(role, bank_dir, layouts_dir)
    for warning in report.warnings:
        click.echo(warning)
    checked = f"{report.questions} questions, {report.layouts} layout{'' if report.layouts == 1 else 's'}"
    checked += f", {report.loops} loop{'' if report.loops == 1 else 's'}" if role is None else ""
    count = len(report.warnings)
    if not count:
        click.echo(f"OK: no warnings in {checked}")
    elif strict:
        raise LintFailed(f"{count} lint warning{'' if count == 1 else 's'} in {checked} (--strict)")
    else:
        click.echo(f"{count} warning{'' if count == 1 else 's'} in {checked}")


@main.command()
@click.option("--size", "-k", type=click.IntRange(min=1), required=True, help="Questions per set.")
@click.option(
    "--sets",
    "-s",
    "set_count",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="How many alternative sets.",
)
@click.option("--must", metavar="ID,...", help="Questions every set includes.")
@click.option("--exclude", metavar="ID,...", help="Questions no set includes.")
@click.option("--minutes", type=click.IntRange(min=1), help="Show each set's time budget for an N-minute slot.")
@click.option("--json", "as_json", is_flag=True, help='Print {"sets": [{"questions": [...], "objective": {...}}]}.')
@click.option(
    "--write-layout",
    "layout_name",
    metavar="NAME",
    help="Save the first set as NAME.yaml in the workspace's layouts (or --layouts).",
)
@click.option("--like", metavar="ROLE", help="Layout whose title, level and rating scale --write-layout copies.")
@click.option("--force", is_flag=True, help="Let --write-layout overwrite an existing layout.")
@click.option("--role", "-r", metavar="ROLE", help="Search in ROLE's category set (default: the bank's default set).")
@folder_options()
def suggest(
    size: int,
    set_count: int,
    must: str | None,
    exclude: str | None,
    minutes: int | None,
    as_json: bool,
    layout_name: str | None,
    like: str | None,
    force: bool,
    role: str | None,
    bank_dir: Path | None,
    layouts_dir: Path | None,
) -> None:
    """Suggest alternative sets of questions with the widest coverage: every category covered first, then
    each as fully as can be (up to a question's worth of weight), then as many different main domains, then
    balance between the teams. Exact, not sampled; sets are disjoint where the bank allows. See
    docs/planning.md.

    --write-layout NAME saves the first set as NAME.yaml in the workspace's layouts folder (or --layouts),
    with the time budget of --minutes (default 30); `packet make --role NAME` then makes it.

    --role ROLE searches among the questions with a weight in ROLE's category set, counting teams only if
    ROLE leads them; --write-layout then writes a layout on that set, copying ROLE unless --like says otherwise.

    \b
    Examples:
      packet suggest --size 4 --sets 3
      packet suggest --size 2 --must dev-productivity --minutes 30 --json
      packet suggest --size 4 --write-layout my-role
      packet suggest --size 3 --role sre-senior
    """
    from . import layout_writer, planning_views
    from .coverage import parse_ids
    from .loading import load_bank
    from .suggest import suggest as find_sets

    bank = load_bank(bank_dir)
    must_ids, exclude_ids = parse_ids(bank, must, "--must"), parse_ids(bank, exclude, "--exclude")
    if role is not None:
        from .loading import load_layout

        scored_on = load_layout(role, layouts_dir, bank=bank)
        bank = bank.for_role(scored_on.category_set, scored_on.leads_teams)
    if minutes is not None:
        layout_writer.time_budget(minutes, size)  # a slot too short for the set: an error or warning before the search
    if layout_name is not None:
        if layouts_dir is None:  # the shipped layouts: not the user's to write into
            from .errors import WorkspaceError

            raise WorkspaceError(
                f"--write-layout: no workspace to save {layout_name}.yaml in (no packet.toml here or above); "
                "make one with `packet init`, or give the folder with --layouts DIR"
            )
        folder = layouts_dir
        target = layout_writer.layout_target(layout_name, folder, force)
        template = layout_writer.template_layout(like or role, folder, bank_dir)
    found = find_sets(bank, size, set_count, must_ids, exclude_ids)
    if as_json:
        import json

        click.echo(json.dumps(planning_views.suggestion_dict(found), indent=2))
    else:
        click.echo(planning_views.suggestion_text(bank, found, minutes))
    if layout_name is not None:
        minutes = minutes or layout_writer.DEFAULT_SLOT_MINUTES
        click.echo(layout_writer.write_layout(bank, found[0], template, target, minutes, force), err=as_json)


@contextlib.contextmanager
def _progress_bar(count: int) -> Iterator[Callable[[], None]]:
    """A batch's progress bar on stderr when it is a terminal and there is more than one row; silent otherwise."""
    if count > 1 and sys.stderr.isatty():
        with click.progressbar(length=count, label="Making packets", file=sys.stderr) as bar:
            yield lambda: bar.update(1)
    else:
        yield lambda: None


def run() -> None:
    """The `packet` program: :func:`main` as Click runs it, ending with Click's own exit (``sys.exit``), so
    registered ``atexit`` handlers run and every stream is flushed and closed as usual.

    Two steps once the command has finished, whatever its outcome:

    - ``gc.freeze()``: what is left is freed as the interpreter shuts down. Frozen, the objects of python-docx,
      reportlab and openpyxl are not walked again by the collections Python makes at shutdown, which would
      otherwise take longer than rendering a cheat sheet. (The benchmark's floor ends the same way.)
    - stdout is flushed here, so a reader that stopped early (`packet list | head -1`) ends the program with
      exit code 1 and no traceback: stdout then points at ``os.devnull``, as the Python documentation
      recommends for ``SIGPIPE``, and the flush at exit has nowhere to fail.
    """
    try:
        try:
            main()
        finally:
            gc.freeze()
            sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
