"""Where outputs go and how they are written: file names, overwrite rules, atomic and durable writes.

A crash, Ctrl-C, SIGTERM or SIGHUP never leaves a half-written file: every file is written to a temporary
file beside its target, synced to disk, and only then given its name, in one step. An existing file is only
replaced with ``--force`` — never a filled-in scorecard — and without it never, not even one another run
placed while this one was writing (:func:`place`). Files written together (a packet's formats, a loop's
files, a debrief's) are placed all or none (:class:`FileSet`).
"""

import contextlib
import errno
import functools
import hashlib
import itertools
import os
import signal
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .errors import OutputExists, RenderError
from .model import Packet
from .render import RenderMemo

LATIN_LETTERS = str.maketrans(
    {"Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "Ł": "L", "ł": "l"}
    | {"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "ı": "i"}
)
"""Latin letters Unicode does not split into an ASCII letter and an accent, spelt as their languages do."""

SLUG_BYTES = 60
"""The longest name part of a file name, in UTF-8 bytes: role, candidate, interviewer and ending stay well
under the 255 bytes a file name may have (a CJK character takes three)."""

DIGEST_CHARS = 8
"""Hex digits of the digest that ends a name too long to keep whole, and a name with no letters."""


def _fold(char: str) -> str:
    """An accented Latin letter (or a compatibility form such as 'ﬁ' or a full-width 'Ａ') in ASCII; any
    other character as it is, so 'й' stays 'й' rather than becoming 'и'."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if c.isascii()) if decomposed[0].isascii() else char


def slug(text: str) -> str:
    """A name as part of a file name: ``"Zoë Ødegård"`` → ``"zoe-odegard"``, ``"Иван Петров"`` →
    ``"иван-петров"``, ``"王伟"`` → ``"王伟"``.

    Letters and digits of every script are kept (Latin ones without accents), lower-cased; anything else
    (spaces, punctuation, '/', emoji) becomes a hyphen, so the name stays in its folder. A name with nothing
    left (``"🙂"``) gets ``name-`` and a short hash of itself, so different names never share a file name.
    Neither do two long names that start alike: one over :data:`SLUG_BYTES` is cut short and ends with a
    short hash of the whole. Empty only for an empty name.
    """
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text).translate(LATIN_LETTERS):
        for part in _fold(char).lower():
            if unicodedata.category(part).startswith("M"):
                # a combining mark (a Devanagari vowel sign, a Thai tone mark) belongs to the letter before it;
                # after a Latin letter it is an accent Unicode has no precomposed letter for, and is dropped
                if kept and kept[-1] != "-" and not kept[-1].isascii():
                    kept.append(part)
            elif part.isalnum():
                kept.append(part)
            elif kept and kept[-1] != "-":
                kept.append("-")
    name = "".join(kept).strip("-")
    if len(name.encode()) > SLUG_BYTES:
        # the cut drops a character split by it (a CJK one takes three bytes), and a hyphen left at the end
        kept_bytes = SLUG_BYTES - DIGEST_CHARS - 1
        name = name.encode()[:kept_bytes].decode("utf-8", "ignore").strip("-") + "-" + _digest(name)
    if not name and text.strip():
        name = "name-" + _digest(unicodedata.normalize("NFC", text.strip()))
    return name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_CHARS]


def stem(packet: Packet) -> str:
    """The common start of a packet's file names: role, then candidate and interviewer when given."""
    parts = [packet.role, slug(packet.candidate), slug(packet.interviewer)]
    return "-".join(p for p in parts if p)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError, folder: Path, what: str) -> str:
    """The operating system's reason, said plainly where its words mislead."""
    if exc.errno == errno.ENOENT and folder.is_dir():  # e.g. /proc: the folder is there but takes nothing new
        return f"{what} takes no new files or folders ({exc.strerror})"
    return exc.strerror or str(exc)


def _make_folder(folder: Path) -> list[Path]:
    """Make ``folder`` and any missing folder above it; returns the folders made, innermost first."""
    missing = list(itertools.takewhile(lambda path: not os.path.lexists(path), (folder, *folder.parents)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        reason = _reason(exc, existing, str(existing)) if existing.is_dir() else f"{existing} is a file, not a folder"
        raise RenderError(f"cannot make the folder {folder}: {reason}; choose another folder") from exc
    return missing


class Temporary(NamedTuple):
    """A file to be written through a temporary file beside it, which :meth:`FileSet.enter_context` makes."""

    target: Path


def atomic_path(target: Path) -> Temporary:
    """``target``, written through a temporary path: ``files.enter_context(atomic_path(target))``."""
    return Temporary(target)


class FileSet:
    """Files written as one — a packet's formats, a loop's files, a debrief's — and placed all or none.

    Each file is written to a temporary file beside its target (:meth:`enter_context` makes it); when the
    block ends without an error, every one is synced to disk and then placed (:func:`place`), and the folders
    are synced — the ones holding the files, and the parent of each folder the set made — so a power cut
    leaves either the old files or the new. If one cannot be placed — without ``force``, another run placed
    a file of that name meanwhile — the files this set already placed are removed again and the error names
    the file: one run's set is whole in the folder, the other's is not there at all. On any error no
    temporary file is left, nor a folder the set made that is still empty.
    """

    def __init__(self, force: bool = False) -> None:
        self.force = force
        self._made: list[tuple[Path, Path]] = []  # (temporary path, target), in the order made
        self._new_folders: list[Path] = []  # folders the set made, innermost first for each file

    def __enter__(self) -> "FileSet":
        return self

    def enter_context(self, temporary: Temporary) -> Path:
        """Make the temporary file of ``temporary`` and return its path, for a renderer to write.

        Named as :class:`contextlib.ExitStack`'s, whose place a set takes in a loop of renderers.
        """
        target = temporary.target
        self._new_folders += _make_folder(target.parent)
        # Held, a signal cannot land between the file's creation and the set naming it for the cleanup.
        with _signals_held():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            except OSError as exc:
                raise _cannot_write(target.parent, exc) from exc
            os.close(fd)
            self._made.append((Path(tmp), target))
        return Path(tmp)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        placed = False
        try:
            if kind is None:
                self._place()
                placed = True
        finally:
            with _signals_held():
                for tmp, _target in self._made:  # all of them on an error; after placing, none is left
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(tmp)
                if not placed:
                    for folder in self._new_folders:
                        with contextlib.suppress(OSError):  # not empty: another run's files are in it
                            folder.rmdir()

    def _place(self) -> None:
        mode = 0o666 & ~_umask()  # mkstemp makes the file private; give it the usual permissions
        for tmp, _target in self._made:
            _sync_file(tmp, mode)
        placed: list[tuple[Path, os.stat_result]] = []  # new files, by the file they are, to remove only those
        # Held, Ctrl-C cannot stop a set half placed.
        with _signals_held():
            try:
                for tmp, target in self._made:
                    written = os.stat(tmp)
                    place(tmp, target, self.force)
                    if not self.force:
                        placed.append((target, written))
            except BaseException:
                for target, written in reversed(placed):
                    _remove_if_same(target, written)
                raise
        holding = [target.parent for _tmp, target in self._made]
        for folder in dict.fromkeys([*holding, *(new.parent for new in self._new_folders)]):
            _sync_folder(folder)


def place(temporary: Path, target: Path, force: bool = False) -> None:
    """Give the finished file ``temporary`` the name ``target``, in one step.

    With ``force`` it replaces whatever file has that name. Without, it never replaces one, not even a file
    another run placed after this one checked the name: whichever run links its file first wins, as the
    file system decides (a hard link, or ``renameat2(RENAME_NOREPLACE)`` where the file system has no hard
    links, fails when the name is taken), and the others get :class:`OutputExists` naming the file.
    """
    if force:
        os.replace(temporary, target)
        return
    try:
        _move_to_new_name(temporary, target)
    except FileExistsError:
        raise OutputExists(
            f"{target} was written by another run while this one was writing it; this run kept none of its "
            "files. Use --force to overwrite it, or choose another file name or folder"
        ) from None


NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS})
"""What ``link`` fails with on a file system without hard links (FAT, exFAT, some network shares)."""


def _move_to_new_name(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
        _rename_no_replace(temporary, target)
    else:
        os.unlink(temporary)


def _rename_no_replace(temporary: Path, target: Path) -> None:
    """Linux's ``renameat2(RENAME_NOREPLACE)``: a rename that fails if ``target`` exists."""
    import ctypes  # only here: a file system without hard links is rare, and ctypes is slow to import

    linux = sys.platform.startswith("linux")
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if linux else None
    if rename is None:
        raise OSError(errno.EOPNOTSUPP, "its file system has no hard links, which placing a new file safely needs")
    at_cwd, no_replace = -100, 1  # AT_FDCWD and RENAME_NOREPLACE, from <fcntl.h> and <linux/fs.h>
    if rename(at_cwd, os.fsencode(temporary), at_cwd, os.fsencode(target), no_replace) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def _sync_file(path: Path, mode: int) -> None:
    """Give the file ``mode`` and make it and its bytes durable (opened for writing, as Windows needs to sync)."""
    fd = os.open(path, os.O_RDWR)
    try:
        os.chmod(path, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the names just placed in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_if_same(target: Path, written: os.stat_result) -> None:
    """Remove ``target`` if it is still the file that was ``written`` there, not one placed since."""
    with contextlib.suppress(OSError):
        now = os.lstat(target)
        if (now.st_dev, now.st_ino) == (written.st_dev, written.st_ino):
            os.unlink(target)


def _cannot_write(folder: Path, exc: OSError) -> RenderError:
    return RenderError(f"cannot write in {folder}: {_reason(exc, folder, 'the folder')}; choose another folder")


def write_atomic(target: Path, write: Callable[[Path], None], force: bool = False) -> None:
    """Run ``write(tmp_path)`` and place the result on ``target`` (see :func:`place` for ``force``)."""
    write_files([Planned(target, write)], force)


def anything_goes(_path: Path) -> str | None:
    """For :class:`Planned` files that nothing forbids replacing with ``--force``."""
    return None


class Planned(NamedTuple):
    """A file to write: its target, how to write it to a path, and why an existing file there must be kept."""

    target: Path
    write: Callable[[Path], None]
    protected: Callable[[Path], str | None] = anything_goes
    others: tuple[str, ...] = ()  # the other formats of its packet, named if this file must be kept


def write_files(planned: Sequence[Planned], force: bool = False) -> list[Path]:
    """Write every planned file as one :class:`FileSet`; returns the targets, in order.

    All or nothing: every target is checked (:func:`check_overwrite`) before anything is written, and every
    file is written to a temporary file before any is placed, so a refused overwrite, a file that cannot be
    made (a cheat sheet that does not fit) or another run that placed one of the files first writes nothing.
    """
    for file in planned:
        check_overwrite(file.target, force, file.protected, others=file.others)
    writing = Path(".")
    try:
        with FileSet(force) as files:
            for file in planned:
                writing = file.target
                file.write(files.enter_context(atomic_path(file.target)))
    except OSError as exc:
        raise _cannot_write(writing.parent, exc) from exc
    return [file.target for file in planned]


def other_formats(formats: Sequence[str], name: str) -> tuple[str, ...]:
    """The formats of ``formats`` but ``name``: what could still be made when a file of ``name`` is in the way."""
    return tuple(other for other in formats if other != name)


def check_overwrite(
    target: Path,
    force: bool,
    protected: Callable[[Path], str | None] = anything_goes,
    option: str = "--out",
    others: Sequence[str] = (),
) -> None:
    """Refuse to replace ``target`` without ``force``, and a file ``protected`` objects to, ever; a folder
    in its place, even with ``force``. A symbolic link counts as a file, even a broken one: ``force``
    replaces the link, never the file it points to. ``option`` is what the user changes to choose another;
    ``others`` are the formats that could be made without ``target``'s, named in the message about a
    protected file."""
    if not os.path.lexists(target):
        return
    if target.is_dir():
        raise OutputExists(f"{target}: is a folder, not a file; move it away or choose another {option}")
    reason = protected(target)
    if reason:
        instead = f", or make the other files alone: --format {','.join(others)}" if others else ""
        raise OutputExists(
            f"{target}: {reason}; it was not overwritten. Move it away or choose another {option}{instead}"
        )
    if not force:
        raise OutputExists(f"{target} exists; use --force to overwrite it, or choose another {option}")


def write_packet(
    packet: Packet,
    formats: list[str],
    out_dir: Path,
    force: bool = False,
    memo: RenderMemo | None = None,
    base: str | None = None,
) -> list[Path]:
    """Render ``packet`` in each format into ``out_dir``; returns the paths written, in order.

    ``base`` replaces the file stem (a loop names its files by slot). All or nothing: every target is
    checked before anything is written, and every format is rendered to a temporary file before any is
    moved into place, so a refused overwrite, a failing format (a cheat sheet that does not fit) or another
    run that placed one of the files first writes nothing.

    ``memo`` is a batch's shared rendering work, passed to every renderer; None for a single packet.
    """
    return write_files(packet_files(packet, formats, out_dir, memo, base), force)


def packet_files(
    packet: Packet, formats: list[str], out_dir: Path, memo: RenderMemo | None = None, base: str | None = None
) -> list[Planned]:
    """The files of ``packet`` in each format, as :func:`write_files` writes them (see :func:`write_packet`)."""
    from .render import get_renderer

    base = base or stem(packet)
    renderers = [get_renderer(name) for name in formats]
    return [
        Planned(
            out_dir / r.filename(base),
            functools.partial(r.render, packet, memo=memo),
            r.protected,
            other_formats(formats, r.name),
        )
        for r in renderers
    ]


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Ctrl-C, `kill` and a closed terminal: each stops `packet` by unwinding, which removes temporary files."""

_stopped_by: list[int] = []  # the signal that stopped this process, once one has


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals for a few system calls that must not be cut in two; one that arrives meanwhile
    is acted on right after."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _unwind(signum: int, _frame: object) -> None:
    """Stop as Ctrl-C does, by unwinding, so every temporary file of a half-made packet is removed; the
    exit code is the usual one for the signal (143 for SIGTERM)."""
    _stopped_by.append(signum)
    raise SystemExit(128 + signum)


def unwind_on_termination() -> Callable[[], None]:
    """Make SIGTERM and SIGHUP (`kill`, a stopped container, a closed terminal) unwind like Ctrl-C, whose
    KeyboardInterrupt already removes temporary files; by default they end the process on the spot and
    leave ``.part`` files behind.

    Returns the function to call when the command ends: it puts the previous handlers back and, after such
    a signal, exits with its code even where a library turned the unwinding into an error of its own
    (reportlab reports any exception inside a paragraph as bad paragraph text).
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers
    numbers = [number for number in STOP_SIGNALS if number != signal.SIGINT]
    previous = {number: signal.signal(number, _unwind) for number in numbers}

    def finish() -> None:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        if _stopped_by:
            signum = _stopped_by[-1]
            _stopped_by.clear()
            raise SystemExit(128 + signum)

    return finish
