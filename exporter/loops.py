"""Onsite loops: several interviewers, each with their own slot and layout, for one candidate.

Owns the loop file format (``layouts/loops/<name>.yaml``), its validation (every problem at once, in the
style of :mod:`exporter.loading`), the loop's lint warnings, naming each slot's interviewer
(``--interviewers "hiring-manager=Sam Lee,2=Ana Ruiz"``), resolving a loop into one packet per slot, and
where a loop's files go: one folder per candidate, each file named so a recruiter can hand it out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .budget import clock_time, parse_clock
from .coverage import layout_coverage
from .errors import BankError, BudgetError, LoopError, LoopNotFound, SlotNotFound, warn
from .folders import NAME, NAME_RULE, display_path, file_problem, folder_problem, list_loops, loops_dir, yaml_files
from .loading import Problems, Reader, did_you_mean, list_roles, load_bank, load_layout, read_yaml
from .loop_model import MIN_SLOTS_PER_CATEGORY, Loop, LoopPackets, Slot
from .model import Bank, LoopSeat, LoopSlotName
from .output import Planned, packet_files, slug, write_files
from .packet import default_date, resolve
from .text import given_name

if TYPE_CHECKING:
    from .render import RenderMemo

MAX_DAY = 365  # a slot's day: beyond a year is a typo, and would soon run past the last date Python can print


def _loop_file(name: str, layouts_dir: Path | None) -> tuple[Path, str]:
    """The file of loop ``name`` and how messages show it; a name ending in .yaml is a path."""
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
        if not path.is_file():
            raise LoopNotFound(f"{name}: no such loop file; give the path of a loop .yaml file or a loop name")
        return path, name
    if not NAME.fullmatch(name):
        raise LoopNotFound(
            f"'{name}' is not a loop name ({NAME_RULE}); give a loop's name (see `packet list --loops`) "
            "or the path of a loop .yaml file"
        )
    folder = loops_dir(layouts_dir)
    path = folder / f"{name}.yaml"
    unreadable = file_problem(path)
    if unreadable and unreadable != "is missing":
        raise LoopNotFound(f"{display_path(folder.parent, path)}: {unreadable}")
    if not path.is_file():
        names = list_loops(layouts_dir)
        known = ", ".join(names) if names else "none"
        raise LoopNotFound(f"unknown loop '{name}'{did_you_mean(name, names)}; known loops: {known} (in {folder})")
    return path, display_path(folder.parent, path)


LOOP_KEYS = ("title", "slots")
SLOT_KEYS = ("layout", "interviewer", "start")
SLOT_OPTIONAL = ("day", "id")


def _read_slot(r: Reader, number: int, layouts_dir: Path | None, bank: Bank, roles: list[str]) -> Slot | None:
    r.check_keys(SLOT_KEYS, SLOT_OPTIONAL)
    role, interviewer, start = r.text("layout"), r.text("interviewer"), r.text("start")
    if start:
        try:
            start = clock_time(start)
        except BudgetError:
            r.problem("start", f"'{start}' is not a time of day; write it as HH:MM, e.g. 14:00")
            start = ""
    day = r.integer("day") if "day" in r.data else 1
    if not 1 <= day <= MAX_DAY:
        r.problem("day", f"{day} should be from 1 (the loop's date) to {MAX_DAY}: the day of the loop this slot is on")
    layout = None
    if role and role not in roles:
        r.problem("layout", f"unknown layout '{role}'{did_you_mean(role, roles)}; known layouts: {', '.join(roles)}")
    elif role:
        try:
            layout = load_layout(role, layouts_dir, bank=bank)
        except BankError as exc:  # the layout's own problems, reported with the loop's
            r.problems.items.extend(exc.problems)
    slot_id = r.text("id") if "id" in r.data else slug(interviewer)
    if "id" in r.data and slot_id and not (NAME.fullmatch(slot_id) and not slot_id.isdigit()):
        r.problem("id", f"'{slot_id}' is not a slot id; use {NAME_RULE}, not digits alone (those number the slots)")
        slot_id = ""
    slot_id = slot_id.lower()  # as --interviewers and a batch's header are read
    if layout is None or not (interviewer and start and slot_id) or not 1 <= day <= MAX_DAY:
        return None
    return Slot(number=number, layout=layout, interviewer=interviewer, start=start, day=day, id=slot_id)


def _check_slot_ids(loop_file: str, slots: list[Slot], problems: Problems) -> None:
    """Two slots with one id could not be told apart by --interviewers or a batch's columns."""
    first_slot: dict[str, Slot] = {}
    for slot in slots:
        earlier = first_slot.setdefault(slot.id, slot)
        if earlier is not slot:
            problems.add(
                loop_file,
                f"{slot.place}.id",
                f"'{slot.id}' is also the id of {earlier.place}; give each slot its own `id:` "
                "(by default a slot's id is its interviewer as a file name)",
            )


def _check_each_question_once(loop_file: str, slots: list[Slot], problems: Problems) -> None:
    """A question (or backup) asked in two slots wastes one of them and skews the debrief."""
    first_slot: dict[str, Slot] = {}
    for slot in slots:
        for section in slot.layout.sections:
            for question_id in (section.question, section.backup):
                if question_id is None:
                    continue
                earlier = first_slot.setdefault(question_id, slot)
                if earlier is not slot:
                    problems.add(
                        loop_file,
                        f"{slot.place}.layout",
                        f"'{slot.layout.role}' asks '{question_id}', which '{earlier.layout.role}' already asks in "
                        f"{earlier.place}; ask each question once in a loop (choose layouts without shared questions)",
                    )


def _check_one_category_set(loop_file: str, slots: list[Slot], problems: Problems) -> None:
    """The debrief compares the slots category by category: all of them must be scored on one set."""
    for first, slot in zip(slots[:1] * len(slots), slots[1:]):
        if slot.layout.category_set != first.layout.category_set:
            problems.add(
                loop_file,
                f"{slot.place}.layout",
                f"'{slot.layout.role}' is scored on the category set '{slot.layout.category_set}', but "
                f"'{first.layout.role}' in {first.place} on '{first.layout.category_set}'; the debrief compares "
                "slots category by category, so give every slot a layout on the same set",
            )


def load_loop(
    name: str, layouts_dir: Path | None = None, bank_dir: Path | None = None, bank: Bank | None = None
) -> Loop:
    """Read and check loop ``name`` (or a loop file's path), reporting every problem at once. Its layouts are
    checked against ``bank`` when the caller has loaded it, else the one in ``bank_dir``."""
    path, shown = _loop_file(name, layouts_dir)
    bank = load_bank(bank_dir) if bank is None else bank  # a broken bank is reported as such, not per slot
    problems = Problems()
    data = read_yaml(path, shown, problems, LOOP_KEYS)
    if data is None:
        raise LoopError(problems.items)
    top = Reader(problems, shown, "", data)
    top.check_keys(LOOP_KEYS)
    roles = list_roles(layouts_dir)
    readers = top.mappings("slots")
    if "slots" in data and not readers and not problems.items:
        top.problem("slots", "is empty; give at least one slot with a layout, an interviewer and a start")
    slots = [_read_slot(r, i + 1, layouts_dir, bank, roles) for i, r in enumerate(readers)]
    complete = [s for s in slots if s is not None]
    _check_each_question_once(shown, complete, problems)
    _check_one_category_set(shown, complete, problems)
    _check_slot_ids(shown, complete, problems)
    loop = Loop(name=path.stem, title=top.text("title"), slots=tuple(complete), path=shown)
    if problems.items:
        raise LoopError(problems.items)
    return loop


def validate_loops(
    layouts_dir: Path | None = None, bank_dir: Path | None = None, bank: Bank | None = None
) -> list[Loop]:
    """Check every loop in the layouts folder, reporting the problems of all of them at once."""
    folder = loops_dir(layouts_dir)
    paths = yaml_files(folder)
    bank = load_bank(bank_dir) if bank is None and paths else bank
    loops, problems = [], _loops_folder_problems(folder)
    for path in paths:
        shown = display_path(folder.parent, path)
        unreadable = file_problem(path)
        if unreadable:
            problems.append(f"{shown}: {unreadable}")
        elif not NAME.fullmatch(path.stem):
            problems.append(f"{shown}: '{path.stem}' is not a loop name; rename the file with {NAME_RULE}")
        else:
            try:
                loops.append(load_loop(path.stem, layouts_dir, bank=bank))
            except LoopError as exc:
                problems += exc.problems
    if problems:
        raise LoopError(problems)
    return loops


def _loops_folder_problems(folder: Path) -> list[str]:
    """Why the loops folder cannot be listed; none when it can, or when there is none (a loop is optional)."""
    unlisted = folder_problem(folder)
    if unlisted in (None, "is missing"):
        return []
    if unlisted == "is not a folder":
        unlisted += f"; loops go in a folder '{folder.name}' beside the layouts, one <name>.yaml file each"
    return [f"{display_path(folder.parent, folder)}: {unlisted}"]


def loop_records(layouts_dir: Path | None = None, bank_dir: Path | None = None) -> list[dict[str, Any]]:
    """Each loop's name, title, slots and days, and a one-line summary, for `packet list --loops`."""
    records = []
    names = list_loops(layouts_dir)
    bank = load_bank(bank_dir) if names else None
    for name in names:
        loop = load_loop(name, layouts_dir, bank=bank)
        days = max((s.day for s in loop.slots), default=1)
        span = f"{days} days" if days > 1 else f"{loop.slots[0].start}\u2013{loop.slots[-1].end}" if loop.slots else ""
        summary = f"{loop.title} ({len(loop.slots)} slots, {span})"
        records.append({"loop": name, "title": loop.title, "slots": len(loop.slots), "days": days, "summary": summary})
    return records


def overlaps(loop: Loop) -> list[str]:
    """Slots of one day whose times overlap: an interviewer would walk in on another."""
    found = []
    for i, later in enumerate(loop.slots):
        for earlier in loop.slots[:i]:
            if later.day != earlier.day:
                continue
            begin, end = parse_clock(later.start), parse_clock(later.start) + later.layout.minutes
            other_begin = parse_clock(earlier.start)
            if begin < other_begin + earlier.layout.minutes and other_begin < end:
                found.append(
                    f"{loop.path}: {later.place}.start: {later.start}\u2013{later.end} overlaps {earlier.place} "
                    f"({earlier.start}\u2013{earlier.end}, {earlier.interviewer}); move one of them"
                )
    return found


def slots_per_category(loop: Loop, bank: Bank) -> dict[str, list[Slot]]:
    """For each category id of the loop's set, the slots whose main questions carry weight in it (as `packet
    coverage` counts)."""
    if loop.slots:
        bank = bank.for_role(loop.slots[0].layout.category_set)
    covering: dict[str, list[Slot]] = {c.id: [] for c in bank.categories}
    for slot in loop.slots:
        totals = layout_coverage(slot.layout, bank).totals
        for category_id, total in totals.items():
            if total > 0:
                covering[category_id].append(slot)
    return covering


def lint_loop(loop: Loop, bank: Bank) -> list[str]:
    """The loop's warnings: overlapping slots, and categories covered by fewer than two slots.

    Two slots per category give the debrief two independent views of each; one is an anecdote.
    """
    warnings = overlaps(loop)
    for category_id, covering in slots_per_category(loop, bank).items():
        if len(covering) < MIN_SLOTS_PER_CATEGORY:
            which = ", ".join(s.place for s in covering) or "no slot"
            warnings.append(
                f"{loop.path}: slots: category '{category_id}' is covered by {len(covering)} slot"
                f"{'' if len(covering) == 1 else 's'} ({which}); cover every category in at least "
                f"{MIN_SLOTS_PER_CATEGORY} slots"
            )
    return warnings


def lint_loops(
    layouts_dir: Path | None = None, bank_dir: Path | None = None, name: str | None = None, bank: Bank | None = None
) -> list[str]:
    """Lint warnings of loop ``name``, or of every loop in the layouts folder (checked against ``bank`` when the
    caller has loaded it)."""
    bank = load_bank(bank_dir) if bank is None else bank
    names = [name] if name is not None else list_loops(layouts_dir)
    return [w for n in names for w in lint_loop(load_loop(n, layouts_dir, bank=bank), bank)]


Interviewers = tuple[tuple[str, str], ...]
"""Names for a loop's slots: (slot id or number, name) pairs, as ``--interviewers`` writes them."""


def parse_interviewers(text: str, where: str = "--interviewers") -> Interviewers:
    """``"hiring-manager=Sam Lee,2=Ana Ruiz"`` as (slot, name) pairs; which slots there are is checked by
    :func:`name_slots`, against the loop."""
    pairs = []
    for part in text.split(","):
        if not part.strip():
            continue
        key, equals, name = part.partition("=")
        key, name = key.strip().lower(), given_name(name, where)
        if not equals or not key or not name:
            raise SlotNotFound(
                f"{where}: '{part.strip()}' is not slot=name; write each slot's id or number, '=' and the name, "
                'separated by commas: --interviewers "hiring-manager=Sam Lee,2=Ana Ruiz"'
            )
        pairs.append((key, name))
    return tuple(pairs)


def slot_for(loop: Loop, key: str) -> Slot | None:
    """The slot of ``loop`` that ``key`` names: by its id, or by its number (``"2"``)."""
    for slot in loop.slots:
        if key in (slot.id, str(slot.number)):
            return slot
    return None


def slot_keys(loop: Loop) -> str:
    """The slots ``--interviewers`` may name, for messages: ``1 hiring-manager, 2 release-engineer``."""
    return ", ".join(f"{slot.number} {slot.id}" for slot in loop.slots)


def unknown_slot(loop: Loop, key: str) -> str:
    """Why ``key`` names no slot of ``loop``, listing those it may name."""
    ids = [slot.id for slot in loop.slots]
    return f"no slot '{key}' in loop {loop.name}{did_you_mean(key, ids)}; its slots are: {slot_keys(loop)}"


def name_slots(loop: Loop, names: Iterable[tuple[str, str]], where: str = "--interviewers") -> dict[int, str]:
    """Each named slot's number and the name given for it; an unknown slot, or one named twice, is an error."""
    named: dict[int, str] = {}
    for key, name in names:
        slot = slot_for(loop, key)
        if slot is None:
            raise SlotNotFound(f"{where}: {unknown_slot(loop, key)}")
        if slot.number in named:
            raise SlotNotFound(
                f"{where}: slot {slot.number} ({slot.id}) is named twice, as {named[slot.number]} and as {name}; "
                "name each slot once"
            )
        named[slot.number] = name
    return named


def with_interviewers(loop: Loop, names: Mapping[int, str]) -> Loop:
    """``loop`` with the names the recruiter gave for its slots (by slot number)."""
    if not names:
        return loop
    slots = tuple(dataclasses.replace(slot, name=names.get(slot.number, slot.name)) for slot in loop.slots)
    return dataclasses.replace(loop, slots=slots)


def resolve_loop(
    loop: Loop, bank: Bank, *, candidate: str = "", date: dt.date | None = None, paper: str = "letter"
) -> LoopPackets:
    """One packet per slot, each with its interviewer (a named one with the slot's role beside the name),
    start time and day."""
    first_day = date or default_date()
    names = tuple(LoopSlotName(slot.number, slot.id, slot.interviewer) for slot in loop.slots)
    packets = tuple(
        resolve(
            slot.layout,
            bank,
            candidate=candidate,
            interviewer=slot.who,
            date=_slot_date(loop, slot, first_day),
            start=slot.start,
            paper=paper,
        )._replace(loop=LoopSeat(loop.name, slot.number, names))  # so the debrief can tell who is missing
        for slot in loop.slots
    )
    return LoopPackets(loop=loop, candidate=candidate, date=first_day, packets=packets)


def _slot_date(loop: Loop, slot: Slot, first_day: dt.date) -> dt.date:
    try:
        return first_day + dt.timedelta(days=slot.day - 1)
    except OverflowError:
        raise BudgetError(
            f"{loop.path}: {slot.place}.day: day {slot.day} of a loop on {first_day.isoformat()} falls after "
            f"{dt.date.max.isoformat()}, the last date there is; choose an earlier date"
        ) from None


def candidate_folder(loop_packets: LoopPackets) -> str:
    """The candidate's folder name; the loop's name when no candidate is given."""
    return slug(loop_packets.candidate) or loop_packets.loop.name


def slot_stem(slot: Slot, slot_count: int) -> str:
    """``1-1000-sam-lee-infra-m3``: slot number, start time, interviewer, layout — sorted as the day runs."""
    number = str(slot.number).zfill(len(str(slot_count)))
    day = f"d{slot.day}-" if slot.day > 1 else ""
    parts = [f"{number}-{day}{slot.start.replace(':', '')}", slug(slot.name or slot.interviewer), slot.layout.role]
    return "-".join(p for p in parts if p)


def overview_stem(loop: Loop) -> str:
    """``0-infra-m3-onsite-overview``: first in the folder, before slot 1."""
    return f"0-{loop.name}-overview"


def _planned(
    loop_packets: LoopPackets, formats: list[str], folder: Path, memo: RenderMemo | None = None
) -> list[Planned]:
    """The loop's files as :func:`exporter.output.write_files` writes them: the overview, then each slot's."""
    from .render.overview import render_overview_markdown, render_overview_pdf

    loop = loop_packets.loop
    overview = overview_stem(loop)
    planned = [
        Planned(folder / f"{overview}.pdf", functools.partial(render_overview_pdf, loop_packets, memo=memo)),
        Planned(folder / f"{overview}.md", functools.partial(render_overview_markdown, loop_packets)),
    ]
    for slot, packet in zip(loop.slots, loop_packets.packets, strict=True):
        planned += packet_files(packet, formats, folder, memo, slot_stem(slot, len(loop.slots)))
    return planned


def loop_files(loop_packets: LoopPackets, formats: list[str], out_dir: Path) -> list[Path]:
    """Every file :func:`write_loop` writes for ``loop_packets``, in the order it lists them."""
    return [file.target for file in _planned(loop_packets, formats, out_dir / candidate_folder(loop_packets))]


def write_loop(
    loop_packets: LoopPackets,
    formats: list[str],
    out_dir: Path,
    force: bool = False,
    memo: RenderMemo | None = None,
) -> list[Path]:
    """Every slot's packet in ``formats`` plus the overview (PDF and Markdown) into the candidate's folder.

    All or nothing, like :func:`exporter.output.write_packet` for the whole loop: every target is checked
    before anything is written, and every file is rendered to a temporary file before any is moved into
    place, so a refused overwrite, a slot whose cheat sheet does not fit, or a crash writes no file of the
    loop (a half-made loop would send some interviewers in with last week's packet). ``memo`` is a batch's
    shared rendering work; for one candidate the loop's files share a memo of their own (the font, the
    guide's template), dropped once they are written.
    """
    from .render import RenderMemo

    folder = out_dir / candidate_folder(loop_packets)
    memo = RenderMemo() if memo is None else memo
    return write_files(_planned(loop_packets, formats, folder, memo), force)


def make_loop(
    name: str,
    formats: list[str],
    out_dir: Path,
    *,
    force: bool = False,
    candidate: str = "",
    date: dt.date | None = None,
    paper: str = "letter",
    layouts_dir: Path | None = None,
    bank_dir: Path | None = None,
    warn_overlaps: bool = True,
    memo: RenderMemo | None = None,
    interviewers: Interviewers = (),
    loaded: tuple[Loop, Bank] | None = None,
) -> list[Path]:
    """Load, resolve and write loop ``name`` for one candidate; returns the paths written. ``interviewers``
    names slots' interviewers (see :func:`parse_interviewers`); ``memo`` is a batch's shared work (see
    :class:`~exporter.render.RenderMemo`), and ``loaded`` the loop and bank it loaded once for its rows."""
    if loaded is None:
        bank = load_bank(bank_dir)
        loop = load_loop(name, layouts_dir, bank=bank)
    else:
        loop, bank = loaded
    loop = with_interviewers(loop, name_slots(loop, interviewers))
    if warn_overlaps:
        for message in overlaps(loop):
            warn(message)
    loop_packets = resolve_loop(loop, bank, candidate=candidate, date=date, paper=paper)
    return write_loop(loop_packets, formats, out_dir, force, memo)
