"""Where outputs go and how they are written: file names, overwrite rules, atomic writes.

A crash, Ctrl-C, SIGTERM or SIGHUP never leaves a half-written file (write to a temporary file beside the
target, then ``os.replace``), and an existing file is only replaced with ``--force`` — never a filled-in
scorecard.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

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
    Empty only for an empty name.
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
    name = name.encode()[:SLUG_BYTES].decode("utf-8", "ignore").strip("-")
    if not name and text.strip():
        name = "name-" + hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode()).hexdigest()[:8]
    return name


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


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        reason = _reason(exc, existing, str(existing)) if existing.is_dir() else f"{existing} is a file, not a folder"
        raise RenderError(f"cannot make the folder {folder}: {reason}; choose another folder") from exc


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    _make_folder(target.parent)
    tmp = None
    try:
        # Held, a signal cannot land between the file's creation and `tmp` naming it for the cleanup below.
        with _signals_held():
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            except OSError as exc:
                raise _cannot_write(target.parent, exc) from exc
            os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual permissions
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with _signals_held(), contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


def _cannot_write(folder: Path, exc: OSError) -> RenderError:
    return RenderError(f"cannot write in {folder}: {_reason(exc, folder, 'the folder')}; choose another folder")


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Run ``write(tmp_path)`` and move the result onto ``target`` in one step."""
    try:
        with atomic_path(target) as tmp:
            write(tmp)
    except OSError as exc:
        raise _cannot_write(target.parent, exc) from exc


def check_overwrite(target: Path, force: bool, protected: Callable[[Path], str | None]) -> None:
    """Refuse to replace ``target`` without ``force``, and a file ``protected`` objects to, ever; a folder
    in its place, even with ``force``."""
    if not target.exists():
        return
    if target.is_dir():
        raise OutputExists(f"{target}: is a folder, not a file; move it away or choose another --out")
    reason = protected(target)
    if reason:
        raise OutputExists(f"{target}: {reason}; it was not overwritten. Move it away or choose another --out")
    if not force:
        raise OutputExists(f"{target} exists; use --force to overwrite it, or choose another --out")


def write_packet(
    packet: Packet,
    formats: list[str],
    out_dir: Path,
    force: bool = False,
    base: str | None = None,
    memo: RenderMemo | None = None,
) -> list[Path]:
    """Render ``packet`` in each format into ``out_dir``; returns the paths written, in order.

    ``base`` replaces the file stem (a loop names its files by slot). All or nothing: every target is
    checked before anything is written, and every format is rendered to a temporary file before any is
    moved into place, so a refused overwrite or a failing format (a cheat sheet that does not fit) writes
    nothing.
    """
    from .render import get_renderer

    renderers = [get_renderer(name) for name in formats]
    base = base or stem(packet)
    targets = [out_dir / r.filename(base) for r in renderers]
    for renderer, target in zip(renderers, targets):
        check_overwrite(target, force, renderer.protected)
    try:
        with contextlib.ExitStack() as stack:
            for renderer, target in zip(renderers, targets):
                renderer.render(packet, stack.enter_context(atomic_path(target)), memo)
    except OSError as exc:
        raise _cannot_write(out_dir, exc) from exc
    return targets


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
