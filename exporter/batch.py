"""Batches: one packet (or one whole loop) per row of a candidates CSV, spread over the machine's cores.

Owns the CSV format (columns ``candidate`` and optionally ``interviewer``, ``date``, ``start``, or for a loop
``interviewer:<slot>``; a cell left empty takes the command line's value; other columns a spreadsheet carries,
such as ``email``, are ignored with a note), its checks (each problem named by file, line and column), and
the parallel run. Every row is made exactly as ``packet make`` makes it on its own, so the files are the same
bytes; a bad row is reported with its line number and the other rows are still made, and a row made by an
earlier run is left as it is.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .budget import parse_clock, parse_date
from .errors import BudgetError, CandidatesError, DateError, PacketError, warn
from .folders import cannot_read
from .loading import did_you_mean, load_bank
from .model import Bank, Layout, Packet
from .output import stem
from .packet import warn_short_questions
from .render import RenderMemo
from .text import given_name

if TYPE_CHECKING:
    from .loop_model import Loop

COLUMNS = ("candidate", "interviewer", "date", "start")
LOOP_COLUMNS = ("candidate", "date")  # a loop's slots set each interviewer and start
SLOT_COLUMN = "interviewer:"
"""With a loop, ``interviewer:<slot id or number>`` columns name each slot's interviewer for the row."""

Interviewers = tuple[tuple[str, str], ...]  # (slot id or number, name), as `exporter.loops.parse_interviewers`

Problem = tuple[int, str]  # (line, message): a bad row, sorted into line order with the others


@dataclass(frozen=True)
class Row:
    """One candidate's line of the CSV, checked, with the command line's values in its empty cells."""

    line: int  # the line the row starts on, as a spreadsheet shows it
    candidate: str
    interviewer: str = ""
    date: dt.date | None = None
    start: str | None = None
    interviewers: Interviewers = ()  # a loop's slots named in the row's interviewer:<slot> cells


@dataclass(frozen=True)
class Job:
    """What every row makes: a role's packet or a loop, in which formats, where. Plain values, so it
    crosses to worker processes under any start method (fork or spawn)."""

    formats: tuple[str, ...]
    out_dir: Path
    role: str | None = None
    loop: str | None = None
    force: bool = False
    minutes: int | None = None
    paper: str = "letter"
    bank_dir: Path | None = None
    layouts_dir: Path | None = None
    interviewers: Interviewers = ()  # --interviewers, for each row's empty interviewer:<slot> cells


def _sniff(text: str) -> dict[str, Any]:
    """Comma, semicolon (a European Excel's CSV) or tab, whichever the header line uses, and whether a space
    follows it; quoting as Excel and every spreadsheet write it (a quote in a cell doubled), which a header line
    alone cannot show."""
    header = text.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        return {}
    return {"delimiter": found.delimiter, "skipinitialspace": found.skipinitialspace}


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(text.splitlines(keepends=True), csv.excel, **_sniff(text))
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell longer than the csv module's limit
            raise CandidatesError([f"line {reader.line_num}: cannot be read as CSV: {exc}"]) from exc
        yield line, record
        line = reader.line_num + 1


def read_candidates(path: Path, defaults: Row, loop: Loop | None = None) -> tuple[list[Row], list[Problem]]:
    """The CSV's good rows, and the problems of the bad ones; raises when the file as a whole is unusable.

    ``defaults`` holds the command line's interviewer, date and start for empty cells; ``loop`` is the loop
    each row makes, whose slots the ``interviewer:<slot>`` columns name.
    """
    shown = str(path)
    if defaults.start:
        parse_clock(defaults.start)  # a bad --start is one mistake, not one per row
    records = _read_records(path)
    header_line, header = records[0]
    columns = _read_header(f"{shown}: line {header_line}", header, loop)
    rows: list[Row] = []
    bad: list[Problem] = []
    for line, cells in records[1:]:
        row, row_problems = _read_row(f"{shown}: line {line}", line, columns, cells, defaults)
        if row_problems:
            bad += [(line, problem) for problem in row_problems]
        elif row is not None:
            rows.append(row)
    if not rows and not bad:
        raise CandidatesError([f"{shown}: has a header but no candidates; add one row per candidate"])
    return rows, bad


def _read_records(path: Path) -> list[tuple[int, list[str]]]:
    """The CSV's records that hold anything, header first, with their lines; raises when there are none."""
    shown = str(path)
    if path.exists() and not path.is_file():
        raise CandidatesError([f"{shown}: is not a regular file; give the path of a CSV file"])
    try:
        text = path.read_bytes().decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        raise CandidatesError([f"{shown}: is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"]) from exc
    except OSError as exc:
        raise CandidatesError([f"{shown}: {cannot_read(exc, 'allow reading it (chmod u+r)')}"]) from exc
    try:
        records = [(line, cells) for line, cells in _records(text) if any(c.strip() for c in cells)]
    except CandidatesError as exc:
        raise CandidatesError([f"{shown}: {problem}" for problem in exc.problems]) from exc
    if not records:
        raise CandidatesError([f"{shown}: is empty; write a header line `candidate,interviewer,date,start`"])
    return records


def _read_header(where: str, header: list[str], loop: Loop | None) -> list[str | None]:
    """The column names of the header line, None for a column packet ignores; raises with every problem of it.

    A column packet does not know (``email``, ``phone``, ``notes``) is ignored, with one note naming them all;
    one whose name is close to a known column (``candiate``) is an error, as it is most likely a typo.
    """
    allowed = LOOP_COLUMNS if loop is not None else COLUMNS
    columns = [" ".join(c.split()).lower() for c in header]
    problems, ignored = [], []
    for column in columns:
        problem = _column_problem(column, allowed, loop)
        if problem:
            problems.append(f"{where}: {problem}")
        elif column not in allowed and not column.startswith(SLOT_COLUMN):
            ignored.append(column)
        elif columns.count(column) > 1:
            problems.append(f"{where}: column '{column}' is given twice; keep one")
    if "candidate" not in columns:
        problems.append(f"{where}: no 'candidate' column; the header needs one")
    if problems:
        raise CandidatesError(sorted(set(problems), key=problems.index))
    if ignored:
        shown = ", ".join(f"'{c}'" if c else "(no name)" for c in dict.fromkeys(ignored))
        reads = ", ".join(allowed) + (f" and {SLOT_COLUMN}<slot>" if loop is not None else "")
        warn(f"{where}: ignored the columns packet does not use: {shown}; it reads {reads}")
    return [None if c in ignored else c for c in columns]


def _column_problem(column: str, allowed: tuple[str, ...], loop: Loop | None) -> str:
    """What is wrong with a column of the header, or "" when it is read or ignored."""
    if column.startswith(SLOT_COLUMN):
        if loop is None:
            return f"column '{column}' names a slot of a loop; use --loop, or name the interviewer in 'interviewer'"
        from .loops import slot_for, unknown_slot

        key = column.removeprefix(SLOT_COLUMN).strip()
        return "" if slot_for(loop, key) is not None else f"column '{column}': {unknown_slot(loop, key)}"
    if column in COLUMNS and column not in allowed:
        return (
            f"column '{column}': a loop's slots set each interviewer and start time; remove the column, or use "
            f"--role{'; name a slot’s interviewer in a column interviewer:<slot>' if column == 'interviewer' else ''}"
        )
    if column not in allowed and did_you_mean(column, allowed):
        return (
            f"unknown column '{column}'{did_you_mean(column, allowed)}; the columns are: {', '.join(allowed)} "
            "(a column far from these is ignored)"
        )
    return ""


def _read_row(
    where: str, line: int, columns: list[str | None], cells: list[str], defaults: Row
) -> tuple[Row | None, list[str]]:
    """One candidate's row, or the problems that keep it from being made."""
    if len(cells) > len(columns):
        return None, [
            f"{where}: has {len(cells)} cells but the header names {len(columns)} columns; quote a value that "
            "contains the separator"
        ]
    cells_read = {column: cell.strip() for column, cell in zip(columns, cells) if column is not None}
    problems = [
        f'{where}: {column}: runs over several lines; is a quote (") left open? Close it, or remove it'
        for column, cell in cells_read.items()
        if "\n" in cell or "\r" in cell
    ]
    values = {column: given_name(cell, f"{where}: {column}") for column, cell in cells_read.items()}
    candidate = values.get("candidate", "")
    if not candidate:
        problems.append(f"{where}: candidate: is empty; write the candidate's name")
    date = defaults.date
    if values.get("date"):
        try:
            date = parse_date(values["date"])
        except DateError as exc:
            problems.append(f"{where}: date: {exc.message}")
    if values.get("start"):
        try:
            parse_clock(values["start"])
        except BudgetError:
            problems.append(
                f"{where}: start: '{values['start']}' is not a time of day; write it as HH:MM or with am/pm (2:30 pm)"
            )
    row = Row(
        line=line,
        candidate=candidate,
        interviewer=values.get("interviewer") or defaults.interviewer,
        date=date,
        start=values.get("start") or defaults.start,
        interviewers=tuple(
            (column.removeprefix(SLOT_COLUMN).strip(), " ".join(name.split()))
            for column, name in values.items()
            if column.startswith(SLOT_COLUMN) and name
        ),
    )
    return row, problems


class Shared(NamedTuple):
    """What every row of a batch is made from, loaded once in each process of the batch and dropped with it:
    the bank, and the role's layout or the loop."""

    bank: Bank
    layout: Layout | None
    loop: Loop | None


def load_shared(job: Job) -> Shared:
    """Read and check the bank and the job's layout or loop; a wrong role or loop is reported here, once."""
    bank = load_bank(job.bank_dir)
    if job.loop is not None:
        from .loops import load_loop

        return Shared(bank, None, load_loop(job.loop, job.layouts_dir, bank=bank))
    from .loading import load_layout

    assert job.role is not None
    return Shared(bank, load_layout(job.role, job.layouts_dir, bank=bank), None)


def _one_row_per_file(
    job: Job, shared: Shared, rows: list[Row], source: str
) -> tuple[list[Row], list[Problem], list[tuple[Row, str]]]:
    """The rows to make; a problem for each row whose files would overwrite those of an earlier row (``Sam
    Lee,`` and ``Sam,Lee`` both make ``…-sam-lee-…``); and, without ``--force``, the rows whose every file is
    there already, made by an earlier run, each with what that run was given otherwise ("" when nothing or
    when it cannot tell: see :func:`_changed`). Found before any file is written."""
    first: dict[Path, Row] = {}
    kept: list[Row] = []
    clashes: list[Problem] = []
    made_before: list[tuple[Row, str]] = []
    for row in rows:
        place, files, packets = _row_files(job, shared, row)
        earlier = first.setdefault(place, row) if place is not None else row
        if earlier is not row:
            clashes.append((row.line, f"{source}: line {row.line}: candidate: {_clash(job, row, earlier, place)}"))
        elif files and not job.force and all(f.is_file() for f in files):
            made_before.append((row, _changed(files, packets)))
        else:
            kept.append(row)
    return kept, clashes, made_before


def _changed(files: list[Path], packets: list[Packet]) -> str:
    """What the packets' JSON files among ``files`` (one per packet, in order) say that ``packets`` would not,
    e.g. "date 2026-12-01 → 2026-12-09, start none → 09:00"; "" when nothing, or no JSON was made."""
    from .render.json import JsonRenderer, differences

    ending = JsonRenderer().filename("")
    found: dict[str, str] = {}
    for path, packet in zip([f for f in files if f.name.endswith(ending)], packets):
        for detail, then, now in differences(path, packet) or []:
            shown = "other questions or weights (the bank or the layout changed)"
            if detail != "questions":
                shown = f"{detail} {_value(then)} \u2192 {_value(now)}"
            found.setdefault(detail, shown)
    return ", ".join(found.values())


def _value(value: object) -> str:
    """A detail of a packet as a message shows it: "none" when empty, and never more than 40 characters."""
    shown = " ".join(str(value).split()) if value not in (None, "") else "none"
    return shown if len(shown) <= 40 else shown[:39] + "\u2026"


def _row_files(job: Job, shared: Shared, row: Row) -> tuple[Path | None, list[Path], list[Packet]]:
    """Where a row's files go, named as when they are written — the common start of a packet's file paths, or
    a loop's folder — the files, and the packets; None and none when the row cannot be made (its problem is
    reported when it is made)."""
    try:
        if shared.loop is not None:
            from .loops import candidate_folder, loop_files, name_slots, resolve_loop, with_interviewers

            loop = with_interviewers(shared.loop, name_slots(shared.loop, _row_interviewers(job, shared.loop, row)))
            loop_packets = resolve_loop(loop, shared.bank, candidate=row.candidate, date=row.date, paper=job.paper)
            files = loop_files(loop_packets, list(job.formats), job.out_dir)
            return job.out_dir / candidate_folder(loop_packets), files, list(loop_packets.packets)
        from .render import get_renderer

        packet = _packet(job, shared, row)
        base = stem(packet)
        return job.out_dir / base, [job.out_dir / get_renderer(name).filename(base) for name in job.formats], [packet]
    except PacketError:
        return None, [], []


def _row_interviewers(job: Job, loop: Loop, row: Row) -> Interviewers:
    """The names of a loop's slots for ``row``: its own cells, and --interviewers for the slots it leaves empty."""
    from .loops import name_slots

    names = name_slots(loop, job.interviewers) | name_slots(loop, row.interviewers, "interviewer:<slot> columns")
    return tuple((str(number), name) for number, name in sorted(names.items()))


def _clash(job: Job, row: Row, earlier: Row, place: Path | None) -> str:
    """What is wrong with ``row``, whose files would overwrite those of ``earlier``, and how to fix it."""
    same_candidate = _same_name(row.candidate, earlier.candidate)
    if job.loop is not None and same_candidate:
        return f"same candidate as line {earlier.line}, so the files would overwrite each other; make one row of them"
    if same_candidate and _same_name(row.interviewer, earlier.interviewer):
        return (
            f"same candidate and interviewer as line {earlier.line}, so the files would overwrite each other; make "
            "one row of them"
        )
    files = f"go in the same folder ({place})" if job.loop is not None else f"have the same names ({place}-*)"
    return (
        f"the files would {files} as those of line {earlier.line}, and overwrite them; tell the two rows' names "
        "apart (e.g. with a middle initial)"
    )


def _same_name(one: str, other: str) -> bool:
    """The same name, written with other capitals, spaces or punctuation ("Al Smith", "al-smith"); "Zoë" and
    "Zoe" are two names, whose files would only happen to clash."""

    def words(name: str) -> list[str]:
        composed = unicodedata.normalize("NFC", name)  # "ë" typed as one character or as e and an accent
        return "".join(c if c.isalnum() else " " for c in composed).casefold().split()

    return words(one) == words(other)


def prepare(job: Job, shared: Shared) -> None:
    """Check what every row shares and import the renderer modules, once per process.

    In the main process this also reports a wrong slot, or a --minutes too short for the layout, once, before
    any row is made.
    """
    from .render import get_renderer

    if shared.loop is not None:
        from .loops import name_slots

        name_slots(shared.loop, job.interviewers)  # a wrong slot once
        import exporter.render.overview  # noqa: F401 - imported once here rather than in each row
    else:
        # Resolving once reports a --minutes too short for the layout once, not once per row.
        packet = _packet(job, shared, Row(0, ""))
        if multiprocessing.parent_process() is None:
            warn_short_questions(packet, job.minutes)
    for name in job.formats:
        get_renderer(name)


class BatchContext:
    """What one process of a batch keeps while the batch runs: the job, what its rows are made from
    (:class:`Shared`), and the work their renderers share (a :class:`~exporter.render.RenderMemo`). The batch
    makes one for the rows it makes itself, and each worker process makes its own when it starts (see
    :func:`_start_worker`); both end with the batch."""

    def __init__(self, job: Job, shared: Shared, parent: int | None = None) -> None:
        self.job = job
        self.shared = shared
        self.memo = RenderMemo()
        self.parent = parent  # in a worker, the batch's process


def make_row(context: BatchContext, row: Row) -> list[Path]:
    """The files for one row, made exactly as `packet make` makes them for one candidate."""
    from .output import write_packet

    job, shared = context.job, context.shared
    if shared.loop is not None:
        from .loops import make_loop

        return make_loop(
            shared.loop.name,
            list(job.formats),
            job.out_dir,
            force=job.force,
            candidate=row.candidate,
            date=row.date,
            paper=job.paper,
            layouts_dir=job.layouts_dir,
            bank_dir=job.bank_dir,
            warn_overlaps=False,  # once for the batch, not once per row
            memo=context.memo,
            interviewers=_row_interviewers(job, shared.loop, row),
            loaded=(shared.loop, shared.bank),
        )
    return write_packet(_packet(job, shared, row), list(job.formats), job.out_dir, job.force, memo=context.memo)


def _packet(job: Job, shared: Shared, row: Row) -> Packet:
    """The packet of a row of a role's batch."""
    from .packet import resolve

    assert shared.layout is not None
    return resolve(
        shared.layout,
        shared.bank,
        candidate=row.candidate,
        interviewer=row.interviewer,
        date=row.date,
        start=row.start,
        minutes=job.minutes,
        paper=job.paper,
    )


def _make_row_reporting(context: BatchContext, row: Row, source: str) -> tuple[list[Path], Problem | None]:
    """``make_row`` with a user's error turned into its message, so one bad row does not stop the others."""
    try:
        return make_row(context, row), None
    except PacketError as exc:
        return [], (row.line, f"{source}: line {row.line}: {exc.message}")
    except Exception as exc:  # a fault with this row's data must not cost the other rows theirs
        return [], (row.line, f"{source}: line {row.line}: could not be made ({type(exc).__name__}: {exc})")


_worker: BatchContext | None = None
"""In a worker process, its context: set by :func:`_start_worker` when the pool starts the process, which the
pool ends with the batch."""


def _start_worker(job: Job, parent: int, shared: Shared | None) -> None:
    """The start of a worker process: die with the batch's process, then take what every row shares: the
    batch's own ``shared`` in a forked worker, which has it already; loaded again in a spawned one."""
    global _worker
    _die_with(parent)
    shared = load_shared(job) if shared is None else shared
    _worker = BatchContext(job, shared, parent)
    prepare(job, shared)


def _result(
    future: Future[tuple[list[Path], Problem | None]], row: Row, source: str
) -> tuple[list[Path], Problem | None]:
    """A worker's result for ``row``; a problem of the row when its worker could not start or was lost."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return _stopped(row, source, exc)


def _stopped(row: Row, source: str, exc: BrokenProcessPool) -> tuple[list[Path], Problem]:
    return [], (
        row.line,
        f"{source}: line {row.line}: could not be made: a worker process stopped ({exc}); run the batch again with "
        "--jobs 1 to see why",
    )


def _make_row_in_worker(row: Row, source: str) -> tuple[list[Path], Problem | None]:
    assert _worker is not None, "the pool starts each worker with _start_worker"
    if os.getppid() != _worker.parent:  # the batch is gone: its rows are no longer wanted
        os._exit(1)
    return _make_row_reporting(_worker, row, source)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_CHECK_SECONDS = 0.05


def _die_with(parent: int) -> None:
    """End this worker the moment the batch's process ``parent`` ends, even by `kill -9`, which gives the batch
    no chance to stop its workers: a worker left running would go on writing rows nobody asked for any more.

    Linux kills the worker at once (``PR_SET_PDEATHSIG``). Elsewhere a thread checks the parent every
    PARENT_CHECK_SECONDS and each row checks it before it starts, so at most a row's last file can still land
    within that time. A parent gone before either took hold is caught by the check that follows.
    """
    if not _kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent,), name="watch-batch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _kill_on_parent_death() -> bool:
    """Ask Linux to send this process SIGKILL when its parent ends; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # at once: no handler, no clean-up that could still write


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


Progress = Callable[[int], AbstractContextManager[Callable[[], None]]]
"""Given the number of rows, a context whose value is called once each row is made: the command line passes
its progress bar; the batch itself shows nothing."""


def no_progress(count: int) -> AbstractContextManager[Callable[[], None]]:
    return contextlib.nullcontext(lambda: None)


@contextlib.contextmanager
def _loaded_frozen() -> Iterator[None]:
    """For the batch's lifetime, what is loaded so far (the bank, the libraries) is out of the collector's way.

    The collector stays on: a hundred rows make garbage. What the batch loaded lives as long as it does;
    frozen, it is not walked again by every collection, and forked workers share its memory. When the batch
    is over it is the collector's again, so a caller (a test run, a program using packet) is left as it was.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def make_batch(
    job: Job,
    shared: Shared,
    rows: list[Row],
    source: str,
    jobs: int | None = None,
    progress: Progress = no_progress,
) -> tuple[list[Path], list[Problem]]:
    """Make every row from ``shared``; returns the paths written, in row order, and one problem per failed row.

    With more than one row and more than one core, rows are made in worker processes, each loading the
    bank and importing the renderers once.
    """
    prepare(job, shared)
    results: dict[int, tuple[list[Path], Problem | None]] = {}
    workers = min(jobs or cores(), len(rows))
    with _loaded_frozen(), progress(len(rows)) as row_made:
        if workers <= 1:
            context = BatchContext(job, shared)
            for index, row in enumerate(rows):
                results[index] = _make_row_reporting(context, row, source)
                row_made()
        else:
            # Forked workers start with the bank, layout and renderers loaded here, and make every row from the
            # same `shared` (a fork passes it without pickling); spawned ones (the default from Python 3.14) would
            # import every library again, about half a second each. The parent runs no threads of its own, so
            # forking is safe on Linux; elsewhere the platform's default stays.
            start = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            handed = shared if start is not None else None
            pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=start, initializer=_start_worker, initargs=(job, os.getpid(), handed)
            )
            with pool:
                futures = {}
                for i, row in enumerate(rows):
                    try:
                        futures[pool.submit(_make_row_in_worker, row, source)] = i
                    except BrokenProcessPool as exc:  # the workers could not start: a submission finds out
                        results[i] = _stopped(row, source, exc)
                        row_made()
                try:
                    for future in as_completed(futures):
                        results[futures[future]] = _result(future, rows[futures[future]], source)
                        row_made()
                except BaseException:
                    # Ctrl-C or SIGTERM: rows not yet started are dropped rather than made behind the user's back.
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    written = [path for i in range(len(rows)) for path in results[i][0]]
    problems = [problem for i in range(len(rows)) if (problem := results[i][1]) is not None]
    return written, problems


def line_list(lines: list[int]) -> str:
    """ "line 4", "lines 2 and 4", "lines 2–5, 7 and 9–130": runs of three or more lines as a range."""
    runs: list[list[int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    parts = [f"{run[0]}\u2013{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]
    shown = ", ".join(parts)
    if len(lines) == 1:
        return f"line {shown}"
    head, _, last = shown.rpartition(", ")
    return f"lines {head} and {last}" if head else f"lines {last}"


@dataclass(frozen=True)
class BatchResult:
    written: list[Path]  # in row order
    problems: list[str]  # one per bad row, in line order
    made: int  # rows made


def run_batch(
    candidates: Path, job: Job, defaults: Row, jobs: int | None = None, progress: Progress = no_progress
) -> BatchResult:
    """Read the candidates CSV and make each good row that an earlier run has not made (all rows with
    ``--force``); those are named in one note, and are no failure, but for a row made before with other details
    (another date, say), named on its own line."""
    # A loop's slots name the columns the file may have; a role's layout is checked once the file is read.
    loaded = load_shared(job) if job.loop is not None else None
    rows, bad = read_candidates(candidates, defaults, loaded.loop if loaded else None)
    shared = loaded or load_shared(job)
    rows, clashes, made_before = _one_row_per_file(job, shared, rows, str(candidates))
    lines = [row.line for row, changed in made_before if not changed]
    if lines:
        warn(f"{candidates}: {line_list(lines)}: already made (use --force to remake)")
    for row, changed in made_before:
        if changed:
            warn(
                f"{candidates}: line {row.line}: made before with other details ({changed}); not made again: use "
                "--force to remake it (a filled-in scorecard is kept)"
            )
    written, failed = make_batch(job, shared, rows, str(candidates), jobs, progress) if rows else ([], [])
    problems = sorted(bad + clashes + failed, key=lambda problem: problem[0])
    return BatchResult(written, [message for _line, message in problems], len(rows) - len(failed))
