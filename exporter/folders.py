"""The bank's and the layouts' folders on disk: where the shipped ones are, which entries are roles and loops,
and what keeps a file or folder from being read.

Below :mod:`exporter.loading`, which reads the files, and :mod:`exporter.loops`, which reads the loop files.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .errors import BankError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
"""A role's or a loop's name (matched whole): its file's name in the layouts folder, so nothing that could lead
out of the folder (``../outside``) or be taken for an option."""
NAME_RULE = "only letters, digits and hyphens"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # Installed: the data sits inside the package; in a source checkout, beside it.
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def default_bank_dir() -> Path:
    return _shipped("bank")


def default_layouts_dir() -> Path:
    return _shipped("layouts")


def display_path(directory: Path, file: Path) -> str:
    """How a file is named in messages: as the user gave the folder, or ``bank/…`` for shipped data."""
    try:
        relative = file.relative_to(directory)
    except ValueError:
        return str(file)
    if directory in (default_bank_dir(), default_layouts_dir()):
        return f"{directory.name}/{relative.as_posix()}"
    return str(directory / relative)


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a bank or layout file, or None for a regular file (or a link to one).

    Only regular files are read: a named pipe would block forever and a folder cannot be read at all.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a link to '{os.readlink(path)}', which does not exist; fix the link or remove it"
        return "is missing"
    except OSError as exc:
        return cannot_read(exc, "allow opening its folder (chmod u+x), or move it away")
    if stat.S_ISREG(mode):
        return None
    kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"is not a regular file ({kind}); move it away or replace it with a YAML file"


def folder_problem(folder: Path) -> str | None:
    """Why the files of ``folder`` cannot be listed (``is missing``, ``is not a folder``, or the system's reason
    with the fix), or None. Python's glob sees an unreadable folder as an empty one; this tells them apart."""
    try:
        with os.scandir(folder):
            return None
    except FileNotFoundError:
        return "is missing"
    except NotADirectoryError:
        return "is not a folder"
    except OSError as exc:
        return cannot_read(exc, "allow reading it (chmod u+rx), or choose another folder")


def cannot_read(exc: OSError, fix: str = "allow reading it (chmod u+r), or move it away") -> str:
    """The system's reason a file or folder cannot be read, and ``fix`` when the reason is a permission."""
    reason = f"cannot be read ({exc.strerror or exc})"
    return f"{reason}; {fix}" if isinstance(exc, PermissionError) else reason


def yaml_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` entries of ``folder`` in name order, whatever their kind (see :func:`file_problem`);
    none when it cannot be listed (see :func:`folder_problem`)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(folder / entry.name for entry in entries if entry.name.endswith(".yaml"))
    except OSError:
        return []


def _names(folder: Path) -> list[str]:
    """The names of the regular ``*.yaml`` files of ``folder`` that are proper names (`packet validate` reports
    any other entry)."""
    return sorted(p.stem for p in yaml_files(folder) if file_problem(p) is None and NAME.fullmatch(p.stem))


def list_roles(layouts_dir: Path | None = None) -> list[str]:
    """The roles of the layouts folder: its layout files."""
    return _names(Path(layouts_dir) if layouts_dir is not None else default_layouts_dir())


LOOPS_FOLDER = "loops"  # inside the layouts folder, so loops ship and move with the layouts they use


def loops_dir(layouts_dir: Path | None = None) -> Path:
    """The folder of the onsite loops (``layouts/loops/<name>.yaml``; :mod:`exporter.loops` reads them)."""
    return (Path(layouts_dir) if layouts_dir is not None else default_layouts_dir()) / LOOPS_FOLDER


def list_loops(layouts_dir: Path | None = None) -> list[str]:
    """The onsite loops of the layouts folder: the files in its loops folder."""
    return _names(loops_dir(layouts_dir))


def known_names(kind: str, names: list[str], folder: Path) -> str:
    """``known roles: a, b (in layouts)``: the end of a message about a name that is not one of them."""
    return f"known {kind}s: {', '.join(names) if names else 'none'} (in {folder})"


def layouts_folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot serve as the layouts folder, or None."""
    unlisted = folder_problem(folder)
    return NOT_A_LAYOUTS_FOLDER if unlisted in ("is missing", "is not a folder") else unlisted


def layouts_folder(layouts_dir: Path | None = None) -> Path:
    """The layouts folder, or a :class:`~exporter.errors.BankError` when ``--layouts`` names no folder, or one
    that cannot be read."""
    folder = Path(layouts_dir) if layouts_dir is not None else default_layouts_dir()
    unlisted = layouts_folder_problem(folder)
    if unlisted:
        raise BankError([f"{folder}: {unlisted}"])
    return folder


NOT_A_LAYOUTS_FOLDER = "is not a folder; --layouts needs the folder holding <role>.yaml files"
