"""Where outputs go and how they are written: file names, overwrite rules, atomic writes.

A crash or Ctrl-C never leaves a half-written file (write to a temporary file beside the target, then
``os.replace``), and an existing file is only replaced with ``--force`` — never a filled-in scorecard.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import OutputExists, RenderError
from .model import Packet


def slug(text: str) -> str:
    """``"Zoë Ødegård"`` → ``"zoe-odegard"``; empty when nothing printable is left."""
    folded = unicodedata.normalize("NFKD", text.replace("Ø", "O").replace("ø", "o"))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def stem(packet: Packet) -> str:
    """The common start of a packet's file names: role, then candidate and interviewer when given."""
    parts = [packet.role, slug(packet.candidate), slug(packet.interviewer)]
    return "-".join(p for p in parts if p)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual permissions
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Run ``write(tmp_path)`` and move the result onto ``target`` in one step."""
    try:
        with atomic_path(target) as tmp:
            write(tmp)
    except OSError as exc:
        raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from exc


def check_overwrite(target: Path, force: bool, protected: Callable[[Path], str | None]) -> None:
    """Refuse to replace ``target`` without ``force``, and a file ``protected`` objects to, ever."""
    if not target.exists():
        return
    reason = protected(target)
    if reason:
        raise OutputExists(f"{target}: {reason}; it was not overwritten. Move it away or choose another --out")
    if not force:
        raise OutputExists(f"{target} exists; use --force to overwrite it, or choose another --out")


def write_packet(
    packet: Packet, formats: list[str], out_dir: Path, force: bool = False, base: str | None = None
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
                renderer.render(packet, stack.enter_context(atomic_path(target)))
    except OSError as exc:
        raise RenderError(f"{out_dir}: cannot write: {exc.strerror or exc}") from exc
    return targets
