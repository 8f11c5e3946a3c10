"""Workspaces: a folder a hiring manager owns and versions, with its own bank and layouts, named by a
``packet.toml`` file.

Owns the ``packet.toml`` format (its keys, read with ``tomllib``, or a small parser of the same lines where
Python has none), finding the workspace from the current folder upward as git and ruff find theirs, which
folders a command reads (an option given wins, then the workspace's, then the shipped ones) and saying so,
and `packet init`, which writes a new workspace all at once or not at all.
"""

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .errors import WorkspaceError
from .folders import LOOPS_FOLDER, NAME, cannot_read, default_bank_dir, default_layouts_dir, list_roles, yaml_files
from .loading import Problems, did_you_mean, read_yaml

CONFIG = "packet.toml"
SETTINGS = {"bank": "bank", "layouts": "layouts"}
"""The keys of packet.toml and their defaults: folders, relative to the file (or absolute)."""
SCHEMAS = Path(".packet") / "schemas"  # in a workspace: the JSON Schemas its files name on their first line
SKELETON = Path(__file__).resolve().parent / "skeleton"
FORMAT_FIX = 'write each setting on a line of its own as key = "folder", e.g. bank = "bank"'


class Workspace(NamedTuple):
    """A workspace: its folder (holding packet.toml) and the bank and layouts folders it names, all absolute."""

    root: Path
    bank: Path
    layouts: Path


class Folders(NamedTuple):
    """The folders a command reads, and where they came from. ``None`` is the shipped bank or layouts."""

    bank: Path | None
    layouts: Path | None
    workspace: Workspace | None
    searched_from: Path | None  # where the search for packet.toml began; None when both options were given


def find_workspace(start: Path) -> Workspace | None:
    """The workspace of the nearest packet.toml in ``start`` or a folder above it, or None."""
    for folder in (start, *start.parents):
        config = folder / CONFIG
        if config.exists() or config.is_symlink():
            return read_workspace(config)
    return None


def read_workspace(config: Path) -> Workspace:
    """The workspace a packet.toml names, or a :class:`~exporter.errors.WorkspaceError` naming the file, the
    line and the fix."""
    try:
        text = config.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise WorkspaceError(f"{config}: is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except IsADirectoryError:
        raise WorkspaceError(f"{config}: is a folder; {CONFIG} is the file naming a workspace's folders") from None
    except OSError as exc:
        raise WorkspaceError(f"{config}: {cannot_read(exc)}") from None
    settings = parse_settings(text, config)
    root = config.parent.absolute()
    places, folders = {}, {}
    for key, default in SETTINGS.items():
        value = settings.get(key, default)
        line = line_of(text, key)
        places[key] = where = f"{config}: line {line}: {key}" if line else f"{config}: {key} (by default '{default}')"
        if not isinstance(value, str):
            raise WorkspaceError(f'{where}: should be a folder in quotes, e.g. {key} = "{default}"')
        if not value.strip():
            raise WorkspaceError(f'{where}: is empty; name the folder, e.g. {key} = "{default}"')
        folders[key] = root / value
    for key, folder in folders.items():
        if not folder.is_dir():
            raise WorkspaceError(
                f"{places[key]}: no folder at {folder}; create it, or name the folder (relative to {CONFIG})"
            )
    return Workspace(root, folders["bank"], folders["layouts"])


def parse_settings(text: str, config: Path) -> dict[str, Any]:
    """The settings of a packet.toml's ``text``: only the keys of :data:`SETTINGS` (an unknown key is an error
    naming its line)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        settings = parse_simple_toml(text, config)
    else:
        try:
            settings = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.fullmatch(r"(.*) \(at (line \d+, column \d+|end of document)\)", str(exc))
            reason, where = found.groups() if found else (str(exc), "")
            raise WorkspaceError(f"{config}: {where + ': ' if where else ''}{reason}; {FORMAT_FIX}") from None
    for key in settings:
        if key not in SETTINGS:
            line = line_of(text, key)
            raise WorkspaceError(
                f"{config}: {f'line {line}: ' if line else ''}unknown key '{key}'{did_you_mean(key, SETTINGS)}; "
                f"{CONFIG} knows: {', '.join(SETTINGS)}"
            )
    return settings


_SETTING = r"""\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?"""  # compiled when packet.toml is read


def parse_simple_toml(text: str, config: Path) -> dict[str, str]:
    """``key = "text"`` lines, comments and blank lines: all a packet.toml needs, read the way TOML reads
    them, for a Python without ``tomllib``."""
    settings: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(_SETTING, line)
        if match is None:
            raise WorkspaceError(f"{config}: line {number}: cannot be read; {FORMAT_FIX}")
        key, quoted = match.groups()
        if key in settings:
            raise WorkspaceError(f"{config}: line {number}: {key} is set twice; keep one")
        settings[key] = json.loads(quoted) if quoted.startswith('"') else quoted[1:-1]
    return settings


def line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is set (or opens a table), for messages."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"""\s*\[*\s*["']?{re.escape(key)}["']?\s*[=\]]""", line):
            return number
    return None


def resolve_folders(bank: Path | None, layouts: Path | None, start: Path | None = None) -> Folders:
    """The folders a command reads: ``--bank``/``--layouts`` when given, else the workspace's (the nearest
    packet.toml from ``start``, the current folder, upward), else the shipped ones (None)."""
    if bank is not None and layouts is not None:
        return Folders(bank, layouts, None, None)
    start = (start or Path.cwd()).absolute()
    workspace = find_workspace(start)
    if workspace is None:
        return Folders(bank, layouts, None, start)
    return Folders(
        bank if bank is not None else workspace.bank,
        layouts if layouts is not None else workspace.layouts,
        workspace,
        start,
    )


def reading(found: Folders) -> str | None:
    """What a command reads, said in one line (``Reading bank/ and layouts/ of the workspace /home/sam/sre``);
    None when both folders were given as options."""
    if found.searched_from is None:
        return None
    workspace = found.workspace

    def source(kind: str, folder: Path | None) -> str:
        if folder is None:
            return f"the shipped {kind}"
        if workspace is not None and folder == getattr(workspace, kind):
            return f"{os.path.relpath(folder, workspace.root)}/"
        return f"the {kind} {folder} (--{kind})"

    both = f"{source('bank', found.bank)} and {source('layouts', found.layouts)}"
    said = "the shipped bank and layouts" if found.bank is None and found.layouts is None else both
    if workspace is not None:
        return f"Reading {said} of the workspace {workspace.root}"
    return f"Reading {said} (no {CONFIG} in {found.searched_from} or above; `packet init` makes a workspace)"


def shipped_role_hint(found: Folders, role: object) -> str:
    """The end of an `unknown role` message for a shipped role asked for in a workspace, which does not read
    them; empty otherwise."""
    if found.workspace is None or found.layouts != found.workspace.layouts or role not in list_roles():
        return ""
    return f"; the shipped roles are not read in a workspace: `packet init DIR --from {role}` copies this one"


# `packet init` -----------------------------------------------------------------------------------------------

CONFIG_TEXT = f"""\
# A packet workspace. `packet` commands run in this folder or below it read the bank and layouts named
# here instead of the ones shipped with packet; --bank and --layouts still choose others. Paths are
# relative to this file. See docs/workspaces.md.
bank = "{SETTINGS["bank"]}"
layouts = "{SETTINGS["layouts"]}"
"""

GITIGNORE_TEXT = """\
# Packets and filled-in scorecards carry candidates' names: keep them out of the repository.
*.docx
*.pdf
*.xlsx
*-packet.json
"""

ENTRIES = (CONFIG, SETTINGS["bank"], SETTINGS["layouts"], SCHEMAS.parts[0], ".gitignore")
"""What init writes at the top of the workspace's folder."""


def schema_line(relative: Path) -> str:
    """The first line of a YAML file at ``relative`` in a workspace: the schema that editors check it with."""
    parts = relative.parts
    if parts[0] == SETTINGS["bank"]:
        kind = "taxonomy" if parts[1:] == ("taxonomy.yaml",) else "questions"
    else:
        kind = "loop" if parts[1:2] == (LOOPS_FOLDER,) else "layout"
    up = "../" * (len(parts) - 1)
    return f"# yaml-language-server: $schema={up}{SCHEMAS.as_posix()}/{kind}.json\n"


def role_name(folder: Path) -> str:
    """The blank role's name: its folder's name as a role name (`packet make --role NAME`), or ``new-role``."""
    name = re.sub(r"[^A-Za-z0-9-]+", "-", folder.absolute().name).strip("-")
    return name if NAME.fullmatch(name) else "new-role"


def blank_files(role: str) -> dict[Path, str]:
    """The YAML files of a blank workspace: a placeholder taxonomy, two example questions, one layout."""
    return {
        Path("bank", "taxonomy.yaml"): (SKELETON / "taxonomy.yaml").read_text(encoding="utf-8"),
        Path("bank", "questions", "questions.yaml"): (SKELETON / "questions.yaml").read_text(encoding="utf-8"),
        Path("layouts", f"{role}.yaml"): (SKELETON / "layout.yaml").read_text(encoding="utf-8"),
    }


def shipped_files(role: str) -> dict[Path, str]:
    """The YAML files of a workspace started from a shipped role: the whole bank, the role's layout, and each
    loop that uses it with the layouts of its other slots (so the loop still makes)."""
    layouts_dir = default_layouts_dir()
    roles = list_roles(layouts_dir)
    if role not in roles:
        raise WorkspaceError(
            f"--from: unknown role '{role}'{did_you_mean(role, roles)}; shipped roles: {', '.join(roles)}"
        )
    bank_dir = default_bank_dir()
    files = [bank_dir / "taxonomy.yaml", *yaml_files(bank_dir / "questions")]
    chosen = {role}
    loops_dir = layouts_dir / LOOPS_FOLDER
    for loop in yaml_files(loops_dir):
        slots = _slot_layouts(loop)
        if role in slots:
            files.append(loop)
            chosen.update(slots)
    files += [layouts_dir / f"{name}.yaml" for name in sorted(chosen)]
    texts = {}
    for path in files:
        base, folder = (bank_dir, "bank") if path.is_relative_to(bank_dir) else (layouts_dir, "layouts")
        texts[Path(folder, path.relative_to(base))] = path.read_text(encoding="utf-8")
    return texts


def _slot_layouts(loop: Path) -> set[str]:
    data = read_yaml(loop, loop.name, Problems(), ("slots",)) or {}
    return {slot["layout"] for slot in data.get("slots", []) if isinstance(slot, dict) and "layout" in slot}


def workspace_files(target: Path, role: str | None) -> dict[Path, str]:
    """Every file init writes into ``target``, by path relative to it: ``role``'s from the shipped data, or a
    blank role when None. YAML files start with their schema's line, and the schemas come along."""
    yaml = shipped_files(role) if role is not None else blank_files(role_name(target))
    files = {Path(CONFIG): CONFIG_TEXT}
    files.update({path: schema_line(path) + text for path, text in yaml.items()})
    from .schema import KINDS, schema_text  # only for `packet init`: not on every start

    files.update({SCHEMAS / f"{kind}.json": schema_text(kind) for kind in KINDS})
    if not (target / ".gitignore").exists():
        files[Path(".gitignore")] = GITIGNORE_TEXT
    return files


def check_target(target: Path) -> None:
    """Refuse a folder that holds a workspace already (or the start of one), or a link where init writes."""
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"{target}: is not a folder; give the folder to make the workspace in")
    for entry in ENTRIES[:4]:
        path = target / entry
        if path.is_symlink():
            raise WorkspaceError(f"{path}: is a link; init writes only inside {target}: remove the link first")
        if entry == CONFIG and path.exists():
            raise WorkspaceError(f"{path}: {target} is a workspace already; edit its files, or init another folder")
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise WorkspaceError(
                f"{path}: exists and is not empty; init another folder, or move it away to start afresh"
            )


def init_workspace(target: Path, role: str | None) -> list[Path]:
    """Write a workspace into ``target`` (made if need be): from shipped role ``role``, or a blank one when None.

    All or nothing: the files are written into a folder inside ``target`` first, then moved into place; on any
    failure, whatever was moved is taken back. Nothing is written outside ``target``. Returns the files
    written, under ``target`` as given.
    """
    check_target(target)
    files = workspace_files(target, role)
    undo: list[Callable[[], None]] = []
    try:
        _make_folder(target, undo)
        staging = Path(tempfile.mkdtemp(prefix=".packet-init-", dir=target))
        undo.append(lambda: shutil.rmtree(staging, ignore_errors=True))
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for entry in sorted({relative.parts[0] for relative in files}):
            _move_into_place(staging / entry, target / entry, undo)
    except OSError as exc:
        for step in reversed(undo):
            step()
        reason = exc.strerror or exc
        raise WorkspaceError(f"{target}: cannot write the workspace ({reason}); nothing was written") from None
    shutil.rmtree(staging, ignore_errors=True)
    return [target / relative for relative in files]


def _make_folder(target: Path, undo: list[Callable[[], None]]) -> None:
    """``target`` and the folders above it that are missing, each taken back on failure."""
    missing = [folder for folder in (target, *target.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir()
        undo.append(folder.rmdir)


def _move_into_place(source: Path, destination: Path, undo: list[Callable[[], None]]) -> None:
    if destination.is_dir():  # an empty bank/ or layouts/ (check_target refused any other)
        destination.rmdir()
        undo.append(destination.mkdir)
    os.rename(source, destination)
    undo.append(lambda: os.rename(destination, source))
