"""A small on-disk cache of what each run would otherwise work out again from the same files.

Two things are kept, each under a key made from the exact bytes it was worked out from, so an edited file
simply misses: the data of each bank and layout YAML file (PyYAML builds it in Python, about half the time
of loading the bank), and the parsed faces of the cheat sheet's TrueType font (reportlab reads a whole font
in Python, the slowest step of a cheat sheet). Checking the data is not cached: every run still reports
every problem of the bank.

The folder is ``$PACKET_CACHE_DIR``, else ``packet`` in the user's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache``; ``%LOCALAPPDATA%`` on Windows). ``PACKET_CACHE_DIR=`` (empty) turns the cache off. A cache
that cannot be read or written is passed over in silence: it only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

VERSION = b"1"  # part of every key: raise it when what is stored changes shape


def folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get("PACKET_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "packet" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "packet"


def key(*parts: bytes) -> str:
    """A file name for what was worked out from ``parts`` (the inputs' bytes and anything else it depends on)."""
    digest = hashlib.sha256(VERSION)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def read(kind: str, name: str) -> bytes | None:
    """The stored bytes, or None when there are none (or the cache is off or unreadable)."""
    where = folder()
    if where is None:
        return None
    try:
        return (where / kind / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Store ``data`` in one step, so a reader never sees half of it; any failure is ignored."""
    where = folder()
    if where is None:
        return
    tmp = None
    try:
        (where / kind).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=where / kind)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, where / kind / name)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
