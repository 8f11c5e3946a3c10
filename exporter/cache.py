"""A small on-disk cache of the data of each bank and layout YAML file, safe to keep where others may reach.

PyYAML builds a file's data in Python, about half the time of loading the bank; a later run with the same
bytes reads the data back as JSON instead. Checking the data is not cached: every run still reports every
problem of the bank.

Safe by construction, because a cache folder may be one another user or a CI job can write to:

- entries are plain data (JSON), which cannot run code when read, and only data JSON carries exactly is kept;
- an entry names the digest of the source it was made from and the digest of its own payload, so a damaged,
  truncated or misplaced entry is a miss and never changes an output;
- folders are made 0700 whatever the umask, opened without following a symbolic link (``O_NOFOLLOW``, each
  below the one before, by descriptor), and used only when they belong to the user and no one else can
  write to them. A folder that fails those checks turns the cache off for the run, with one warning.

The folder is ``$PACKET_CACHE_DIR``, else ``packet`` in the user's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache``). ``PACKET_CACHE_DIR=`` (empty) turns the cache off, and so does a system without the POSIX
calls the checks need (Windows). A cache that cannot be read or written for any other reason (missing, full,
read-only) is passed over in silence: it only ever saves time.

An entry is a file named by the source digest (hex), holding::

    packet-cache 2
    source <sha256 hex of the source>
    payload <sha256 hex of the payload>
    <payload: the data as UTF-8 JSON>
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import warn

FORMAT = b"packet-cache 2"  # the first line of every entry, and part of every digest: change it with the format

_SUPPORTED = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "getuid")
    # os.replace takes the same folder descriptors as os.rename, but is not listed itself
    and {os.open, os.mkdir, os.rename, os.unlink, os.stat} <= os.supports_dir_fd
    and os.listdir in os.supports_fd
)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: a named pipe planted as an entry must not block the open; reading a regular file ignores it.
_ENTRY_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_NEW_ENTRY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

_refused: set[str] = set()  # cache folders found unsafe in this run: not used again, and warned about once


class _Unsafe(Exception):
    """A cache folder that must not be used; the message says why."""


def folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get("PACKET_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "packet"


def load(kind: str, source: tuple[bytes, ...], touch: bool = False) -> Any:
    """The data stored for ``source`` (the exact bytes it was worked out from, and anything else it depends
    on), or None when there is none that checks out. ``touch``: an entry found is dated now, so a kind kept to
    a number of entries (:func:`store`) keeps the ones used last."""
    found = load_raw(kind, source, touch)
    return None if found is None or found[1] else found[0]


def load_raw(kind: str, source: tuple[bytes, ...], touch: bool = False) -> tuple[Any, memoryview] | None:
    """The data stored for ``source`` and the bytes stored with it (see :func:`store`), or None as for
    :func:`load`."""
    name = _source_digest(kind, source)
    with _kind_folder(kind, create=False) as where:
        stored = None if where is None else _read_entry(where, name, touch)
    return None if stored is None else _payload(stored, name)


def store(kind: str, source: tuple[bytes, ...], data: Any, keep: int | None = None, raw: bytes = b"") -> None:
    """Keep ``data`` for ``source``, when JSON gives it back exactly; written in one step, so a reader never
    sees half of it. Any failure is ignored. ``keep``: at most that many entries of ``kind`` stay, the ones
    written or (loaded with ``touch``) used last (for kinds whose entries are large and many, such as a
    template per interview date). ``raw``: bytes kept after the JSON, which :func:`load_raw` gives back as they
    are (a font face's thousands of numbers, which JSON would take longer to read than the font itself)."""
    payload = _as_json(data)
    if payload is None:
        return
    if raw:
        payload += b"\n" + raw  # JSON holds no line break of its own: its text escapes them
    name = _source_digest(kind, source)
    entry = b"%s\nsource %s\npayload %s\n%s" % (
        FORMAT,
        name.encode(),
        hashlib.sha256(payload).hexdigest().encode(),
        payload,
    )
    with _kind_folder(kind, create=True) as where:
        if where is not None:
            _write_entry(where, name, entry)
            if keep is not None:
                _prune(where, keep)


def code_stamps(code: Iterable[ModuleType | str]) -> list[tuple[int, int] | None]:
    """The size and date of each module's file (a module, or its file's path), for the source of an entry worked
    out by that code: a changed module is a miss. None where a module has no file of its own (a zip or a frozen
    program)."""
    stamps: list[tuple[int, int] | None] = []
    for module in code:
        path = module if isinstance(module, str) else getattr(module, "__file__", None)
        try:
            found = os.stat(path) if path else None
        except OSError:
            found = None
        stamps.append(None if found is None else (found.st_size, found.st_mtime_ns))
    return stamps


def _source_digest(kind: str, source: tuple[bytes, ...]) -> str:
    """The digest of what an entry was worked out from: its file name, and named inside the entry too, so an
    entry copied or renamed to another's name is a miss."""
    digest = hashlib.sha256(FORMAT)
    for part in (kind.encode(), *source):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def _as_json(data: Any) -> bytes | None:
    """``data`` as JSON, or None when JSON would give back something else (a date, a number as a mapping's
    key, a tuple, NaN): such data is read from the source each time."""
    import json  # only when storing: a warm run reads and parses with json's C decoder only

    try:
        payload = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):  # ValueError: NaN or infinity, or text Python cannot encode (a lone surrogate)
        return None
    return payload if json.loads(payload) == data else None


def _payload(stored: bytes, source_digest: str) -> tuple[Any, memoryview] | None:
    """The data of an entry whose header names ``source_digest`` and its payload's own digest, and the raw bytes
    after it (none for most entries), or None."""
    import json

    first = stored.find(b"\n")
    second = stored.find(b"\n", first + 1)
    third = stored.find(b"\n", second + 1)
    if first < 0 or second < 0 or third < 0:
        return None
    if stored[:first] != FORMAT or stored[first + 1 : second] != b"source " + source_digest.encode():
        return None
    payload = memoryview(stored)[third + 1 :]  # not copied: a font face's entry is a quarter of a megabyte
    if stored[second + 1 : third] != b"payload " + hashlib.sha256(payload).hexdigest().encode():
        return None
    end = stored.find(b"\n", third + 1)
    text, raw = (payload, payload[:0]) if end < 0 else (payload[: end - third - 1], payload[end - third :])
    try:
        return json.loads(bytes(text)), raw
    except (ValueError, RecursionError):  # not written by this module (it checks what it writes reads back)
        return None


@contextlib.contextmanager
def _kind_folder(kind: str, create: bool) -> Iterator[int | None]:
    """A descriptor of the checked folder for ``kind`` entries, or None when there is none to use."""
    root = folder()
    if root is None or not _SUPPORTED or str(root) in _refused:
        yield None
        return
    opened: list[int] = []
    checking = root
    try:
        if create:
            _make_folders(root)
        opened.append(_open_folder(str(root), None, create=False))
        checking = root / kind
        opened.append(_open_folder(kind, opened[-1], create))
    except _Unsafe as unsafe:
        _refuse(root, f"{checking} {unsafe}")
        yield None
    except OSError:  # missing, or not a folder, or not ours to read: a miss
        yield None
    else:
        yield opened[-1]
    finally:
        for fd in opened:
            os.close(fd)


def _make_folders(root: Path) -> None:
    """Make ``root`` and any missing folder above it, each 0700: ``Path.mkdir(parents=True)`` would make the
    ones above with the umask's permissions (0777 under umask 000)."""
    missing = []
    for path in (root, *root.parents):
        if os.path.lexists(path):
            break
        missing.append(path)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)


def _open_folder(name: str, parent: int | None, create: bool) -> int:
    """Open the folder ``name`` (inside the folder ``parent``, when given) without following a link there,
    and check it belongs to the user and no one else may write to it; raises :class:`_Unsafe` if not."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=parent)  # 0700 is narrowed by the umask, never widened
    try:
        fd = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except OSError as exc:
        # Linux and macOS say ELOOP for a link opened with O_NOFOLLOW, some BSDs another code: look.
        if exc.errno == errno.ELOOP or _is_link(name, parent):
            raise _Unsafe("is a symbolic link") from None
        raise
    found = os.fstat(fd)
    if found.st_uid != os.getuid():
        problem = "belongs to another user"
    elif found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = "can be written to by other users"
    else:
        return fd
    os.close(fd)
    raise _Unsafe(problem)


def _is_link(name: str, parent: int | None) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _refuse(root: Path, reason: str) -> None:
    """Turn the cache at ``root`` off for the rest of the run, saying why once."""
    _refused.add(str(root))
    warn(
        f"not using the cache: {reason}. Make it a folder of your own that only you can write to "
        f"(chmod 700), or set PACKET_CACHE_DIR to one, or to nothing to turn the cache off"
    )


def _read_entry(where: int, name: str, touch: bool = False) -> bytes | None:
    """The bytes of the regular file ``name`` in the folder ``where``, or None; ``touch`` dates it now."""
    try:
        fd = os.open(name, _ENTRY_FLAGS, dir_fd=where)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as entry:
            data = entry.read()
        if touch and os.utime in os.supports_fd:
            with contextlib.suppress(OSError):
                os.utime(fd)
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def _prune(where: int, keep: int) -> None:
    """Remove all but the ``keep`` entries of the folder ``where`` dated last; a temporary file (its name starts
    with a dot) is another run's, still writing. Any failure is ignored."""
    with contextlib.suppress(OSError):
        entries = [name for name in os.listdir(where) if not name.startswith(".")]
        if len(entries) <= keep:
            return
        written = {}
        for name in entries:
            with contextlib.suppress(OSError):
                written[name] = os.stat(name, dir_fd=where, follow_symlinks=False).st_mtime_ns
        for name in sorted(written, key=lambda entry: (written[entry], entry))[: max(0, len(written) - keep)]:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=where)


def _write_entry(where: int, name: str, entry: bytes) -> None:
    """Write ``entry`` to a new file beside ``name`` in the folder ``where``, synced to disk, then rename it
    into place. Whatever stops the write (a full disk, Ctrl-C, SIGTERM as packet unwinds it) removes the
    temporary file: its name is chosen before it is made, so even a stop right after ``open`` finds it."""
    import secrets  # only when writing: a warm run reads

    temporary = f".{name}.{secrets.token_hex(6)}"
    placed = False
    try:
        fd = os.open(temporary, _NEW_ENTRY_FLAGS, 0o600, dir_fd=where)
        with os.fdopen(fd, "wb") as out:
            out.write(entry)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, name, src_dir_fd=where, dst_dir_fd=where)
        placed = True
    except OSError:
        pass  # the cache only ever saves time
    finally:
        if not placed:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=where)
