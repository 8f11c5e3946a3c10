"""Workbooks that come back from other people, checked before anything parses them.

A scorecard (or any .xlsx handed to ``packet``) is read only when it is a regular file (a named pipe would block
the read forever, a device never end it) of at most :data:`MAX_FILE_BYTES`, and a zip of at most
:data:`MAX_PARTS` parts that declare at most :data:`MAX_PART_BYTES` each and :data:`MAX_UNPACKED_BYTES`
together. The declarations bind: Python's zipfile stops inflating a part at its declared size (and then fails
its checksum), so a part that lies about its size cannot inflate further.

The bounds are far beyond any scorecard: a blank one is 20 kB and unpacks to 60 kB, pasted photos add a few
MB. They keep a 4.5 MB file that inflates to a gigabyte from being parsed at all, and bound the parse of what
passes: openpyxl parses about 4 MB of a part a second.
"""

import io
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import NamedTuple

from .errors import ScorecardError

MB = 1024 * 1024
MAX_FILE_BYTES = 32 * MB
MAX_UNPACKED_BYTES = 64 * MB
MAX_PART_BYTES = 8 * MB
MAX_PARTS = 1000
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls, or an .xlsx that Excel encrypted with a password to open
# A named pipe opened without O_NONBLOCK waits for a writer; O_BINARY keeps Windows from translating bytes.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotAFile(Exception):
    """Something other than a regular file stands at the path: it is not read."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind  # "a folder", "a named pipe", …


def file_bytes(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, at most ``MAX_FILE_BYTES + 1`` of them (more means too large).

    Raises NotAFile for a folder, a named pipe, a device or a socket, without waiting on it, and OSError
    (FileNotFoundError, PermissionError, …) when the file cannot be opened.
    """
    fd = os.open(path, READ_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(_kind(mode))
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


class Refusal(NamedTuple):
    """Why bytes are not opened as a workbook: ``cause`` in a few words, ``message`` in full for an error."""

    cause: str
    message: str


OLD_STYLE = Refusal(
    "an old-style .xls file, or saved with a password to open",
    "not an .xlsx workbook: it is an old-style .xls file or was saved with a password to open; "
    "open it in Excel and save it as an .xlsx workbook without a password",
)
NOT_A_WORKBOOK = Refusal(
    "not an Excel workbook, or damaged", "not an Excel workbook (the file is damaged, or is not a spreadsheet)"
)


def looks_like_a_zip(data: bytes) -> bool:
    """Whether ``data`` may be a zip package, damaged or encrypted included (a text file is not)."""
    return data.startswith((b"PK", OLE_MAGIC)) or zipfile.is_zipfile(io.BytesIO(data))


def refusal(data: bytes) -> Refusal | None:
    """What keeps ``data`` from being opened as a workbook: its kind, its size, or what it unpacks to."""
    if data[:4] == OLE_MAGIC:
        return OLD_STYLE
    if len(data) > MAX_FILE_BYTES:
        return _too_large(f"the file is larger than {MAX_FILE_BYTES // MB} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except Exception:  # zipfile raises what its struct and zlib layers raise on a damaged file
        return NOT_A_WORKBOOK
    if len(parts) > MAX_PARTS:
        return _too_large(f"it holds {len(parts):,} parts, more than {MAX_PARTS:,}")
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if largest is not None and largest.file_size > MAX_PART_BYTES:
        name = json.dumps(largest.filename[:60], ensure_ascii=False)  # quoted, control characters escaped
        size = largest.file_size / MB
        return _too_large(f"its part {name} unpacks to {size:,.0f} MB, more than {MAX_PART_BYTES // MB} MB")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        return _too_large(f"it unpacks to {unpacked / MB:,.0f} MB, more than {MAX_UNPACKED_BYTES // MB} MB")
    return None


def _too_large(why: str) -> Refusal:
    return Refusal(why, f"too large to be a scorecard: {why}; a scorecard is well under 1 MB")


def parts(data: bytes) -> list[tuple[str, bytes]] | None:
    """Every part of the zip ``data`` (which :func:`refusal` passed), in its order; None when one is damaged."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            return [(part.filename, archive.read(part)) for part in archive.infolist()]
        except Exception:  # a part that fails its checksum, or inflates past its declared size
            return None


def returned_file(path: Path, give: str) -> bytes:
    """The bytes of a file someone handed back (a scorecard, a marks file), or a ScorecardError naming ``path``
    and why it cannot be read; ``give`` says what to give instead of something that is not a file."""
    try:
        return file_bytes(path)
    except FileNotFoundError:
        raise ScorecardError(f"{path}: no such file") from None
    except NotAFile as exc:
        raise ScorecardError(f"{path}: {exc.kind}, not a file; give {give}") from None
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
