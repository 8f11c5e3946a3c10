"""Workspaces: `packet init`, packet.toml, and every command finding its workspace from the current folder up.

The last test is the README's "Adding a role" walk-through, typed as a user would after `pip install .`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from exporter import workspace
from exporter.cli import main
from exporter.errors import WorkspaceError
from exporter.loading import validate
from exporter.workspace import find_workspace, parse_simple_toml, resolve_folders

from .conftest import MINI_BANK, MINI_LAYOUTS, REPO, SHIPPED_ROLES

SHIPPED = "Reading the shipped bank and layouts (no packet.toml in {start} or above; `packet init` makes a workspace)"


def make_workspace(root: Path, text: str = 'bank = "bank"\nlayouts = "layouts"\n') -> Path:
    shutil.copytree(MINI_BANK, root / "bank")
    shutil.copytree(MINI_LAYOUTS, root / "layouts")
    (root / "packet.toml").write_text(text, encoding="utf-8")
    return root


# ----------------------------------------------------------------------------------------------- discovery


def test_the_nearest_packet_toml_from_the_current_folder_up_is_the_workspace(tmp_path):
    outer = make_workspace(tmp_path)
    inner = make_workspace(tmp_path / "roles" / "sre")
    (inner / "layouts" / "loops").mkdir()
    assert find_workspace(inner / "layouts" / "loops") == (inner, inner / "bank", inner / "layouts")
    assert find_workspace(tmp_path / "roles") == (outer, outer / "bank", outer / "layouts")
    assert find_workspace(Path("/")) is None


def test_options_win_over_the_workspace_each_on_its_own(tmp_path):
    root = make_workspace(tmp_path)
    assert resolve_folders(None, None, root / "bank") == (
        root / "bank",
        root / "layouts",
        find_workspace(root),
        root / "bank",
    )
    other = Path("elsewhere")
    assert resolve_folders(other, None, root)[:2] == (other, root / "layouts")
    assert resolve_folders(None, other, root)[:2] == (root / "bank", other)
    assert resolve_folders(other, other, root) == (other, other, None, None)  # no packet.toml is read


def test_outside_a_workspace_the_shipped_data_serves(tmp_path):
    assert resolve_folders(None, None, tmp_path) == (None, None, None, tmp_path)


def test_folders_are_relative_to_packet_toml_and_may_be_shared(tmp_path):
    make_workspace(tmp_path / "shared")
    role = tmp_path / "sre"
    (role / "layouts").mkdir(parents=True)
    (role / "packet.toml").write_text("# sre\nbank = '../shared/bank'\n", encoding="utf-8")
    assert find_workspace(role) == (role, role / "../shared/bank", role / "layouts")


def test_commands_in_a_workspace_read_its_folders_and_list_and_validate_say_so(runner, tmp_path, monkeypatch):
    root = make_workspace(tmp_path)
    monkeypatch.chdir(root / "layouts")
    said = f"Reading bank/ and layouts/ of the workspace {root}\n"
    result = runner.invoke(main, ["validate"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "OK: 4 questions, 1 layout, 0 loops\n", said)
    result = runner.invoke(main, ["list"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "mini  Test Manager, M3 (20 min)\n", said)
    result = runner.invoke(main, ["make", "--role", "mini", "-f", "json", "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.stdout) == (0, f"{tmp_path}/out/mini-packet.json\n")
    result = runner.invoke(main, ["list", "--bank", str(MINI_BANK)])
    assert result.stderr == f"Reading the bank {MINI_BANK} (--bank) and layouts/ of the workspace {root}\n"


def test_the_shipped_roles_are_not_read_in_a_workspace(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(make_workspace(tmp_path))
    result = runner.invoke(main, ["make", "--role", "infra-m3", "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: unknown role 'infra-m3'; known roles: mini (in {tmp_path}/layouts); the shipped roles are not read "
        "in a workspace: `packet init DIR --from infra-m3` copies this one\n"
    )
    result = runner.invoke(main, ["show", "--role", "infra-m4"])
    assert result.stderr == f"Error: unknown role 'infra-m4'; known roles: mini (in {tmp_path}/layouts)\n"


def test_outside_a_workspace_list_and_validate_say_they_read_the_shipped_data(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == SHIPPED_ROLES
    assert result.stderr == SHIPPED.format(start=tmp_path) + "\n"
    result = runner.invoke(main, ["validate", "--layouts", str(MINI_LAYOUTS), "--bank", str(MINI_BANK)])
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bank = bank\n", "line 1, column 8: Invalid value; " + workspace.FORMAT_FIX),
        ('bnak = "bank"\n', "line 1: unknown key 'bnak' (did you mean 'bank'?); packet.toml knows: bank, layouts"),
        ("[paths]\nbank = 'b'\n", "line 1: unknown key 'paths'; packet.toml knows: bank, layouts"),
        ("# mine\nbank = 3\n", 'line 2: bank: should be a folder in quotes, e.g. bank = "bank"'),
        ('layouts = " "\n', 'line 1: layouts: is empty; name the folder, e.g. layouts = "layouts"'),
        (
            'bank = "bnak"\n',
            "line 1: bank: no folder at {root}/bnak; create it, or name the folder (relative to packet.toml)",
        ),
        (
            "",
            "bank (by default 'bank'): no folder at {root}/bank; create it, or name the folder (relative to packet.toml)",
        ),
    ],
)
def test_a_malformed_packet_toml_names_the_file_the_line_and_the_fix(runner, tmp_path, monkeypatch, text, message):
    root = tmp_path / "role"
    (root / "layouts").mkdir(parents=True)
    (root / "packet.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root / "layouts")
    result = runner.invoke(main, ["lint"])
    assert (result.exit_code, result.output) == (1, f"Error: {root}/packet.toml: {message.format(root=root)}\n")


def test_a_packet_toml_that_cannot_be_read(runner, tmp_path, monkeypatch):
    (tmp_path / "packet.toml").write_bytes(b"bank = '\xff'\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["list"])
    assert result.output == f"Error: {tmp_path}/packet.toml: is not UTF-8 text (byte 8); save it as UTF-8\n"
    (tmp_path / "packet.toml").unlink()
    (tmp_path / "packet.toml").mkdir()
    result = runner.invoke(main, ["list"])
    assert (
        result.output
        == f"Error: {tmp_path}/packet.toml: is a folder; packet.toml is the file naming a workspace's folders\n"
    )


@pytest.mark.parametrize(
    "text",
    ['bank = "bank"\nlayouts = "layouts"\n', "# c\n\n  bank='b a' # folder\n", 'bank = "caf\\u00e9 \\"q\\""\n', ""],
)
def test_the_small_parser_reads_what_tomllib_reads(text):
    tomllib = pytest.importorskip("tomllib")
    assert parse_simple_toml(text, Path("packet.toml")) == tomllib.loads(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bank = bank\n", f"packet.toml: line 1: cannot be read; {workspace.FORMAT_FIX}"),
        ("[paths]\n", f"packet.toml: line 1: cannot be read; {workspace.FORMAT_FIX}"),
        ("bank = 'a'\nbank = 'b'\n", "packet.toml: line 2: bank is set twice; keep one"),
    ],
)
def test_the_small_parser_names_the_line(text, message):
    with pytest.raises(WorkspaceError, match=re.escape(message)):
        parse_simple_toml(text, Path("packet.toml"))


def test_suggest_writes_into_the_workspace_layouts_where_make_finds_it(runner, tmp_path, monkeypatch):
    root = make_workspace(tmp_path)
    monkeypatch.chdir(root / "bank")
    result = runner.invoke(main, ["suggest", "-k", "2", "-s", "1", "--write-layout", "pair", "--like", "mini"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"\n{root}/layouts/pair.yaml\n")
    result = runner.invoke(main, ["make", "--role", "pair", "-f", "json", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------------------------- packet init


def written(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


BLANK = [
    ".gitignore",
    ".packet/schemas/layout.json",
    ".packet/schemas/loop.json",
    ".packet/schemas/questions.json",
    ".packet/schemas/taxonomy.json",
    "bank/questions/questions.yaml",
    "bank/taxonomy.yaml",
    "layouts/staff-backend.yaml",
    "packet.toml",
]


def test_init_blank_writes_a_skeleton_that_validates_and_lints_clean(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["init", "staff-backend", "--blank"])
    assert result.exit_code == 0, result.output
    root = tmp_path / "staff-backend"
    assert written(root) == BLANK
    assert sorted(result.stdout.split()) == sorted(f"staff-backend/{name}" for name in BLANK)
    assert result.stderr == (
        "Next: cd staff-backend, edit the files, then `packet validate` and `packet make --role staff-backend`\n"
    )
    assert (
        (root / "layouts" / "staff-backend.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../.packet/schemas/layout.json\n# A role's interview")
    )
    assert (
        (root / "bank" / "questions" / "questions.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../../.packet/schemas/questions.json\n")
    )
    bank, layouts = validate(root / "bank", root / "layouts")
    assert (len(bank.categories), len(bank.questions), [layout.role for layout in layouts]) == (3, 2, ["staff-backend"])
    monkeypatch.chdir(root)
    result = runner.invoke(main, ["lint", "--strict"])
    assert (result.exit_code, result.stdout) == (0, "OK: no warnings in 2 questions, 1 layout, 0 loops\n")


def test_init_names_the_blank_role_after_its_folder(runner, tmp_path, monkeypatch):
    folder = tmp_path / "My SRE role!"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert (folder / "layouts" / "My-SRE-role.yaml").is_file()
    assert workspace.role_name(Path("...")) == "new-role"


ONSITE = [
    "infra-m3-onsite-dev-infra.yaml",
    "infra-m3-onsite-release.yaml",
    "infra-m3-onsite.yaml",
    "infra-m3-people.yaml",
    "infra-m3.yaml",
]


def test_init_from_a_shipped_role_copies_the_bank_its_layout_and_its_loop(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["init", "--from", "infra-m3"])
    assert result.exit_code == 0, result.output
    layouts = sorted(p.name for p in (tmp_path / "layouts").rglob("*.yaml"))
    assert layouts == ONSITE
    shipped = sorted(p.relative_to(REPO) for p in (REPO / "bank").rglob("*.yaml"))
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "bank").rglob("*.yaml")) == shipped
    loop = (tmp_path / "layouts" / "loops" / "infra-m3-onsite.yaml").read_text(encoding="utf-8")
    assert loop == "# yaml-language-server: $schema=../../.packet/schemas/loop.json\n" + (
        REPO / "layouts" / "loops" / "infra-m3-onsite.yaml"
    ).read_text(encoding="utf-8")
    result = runner.invoke(main, ["validate"])
    assert (result.exit_code, result.stdout) == (0, "OK: 54 questions, 4 layouts, 1 loop\n")
    # A layout no loop uses comes alone; one of the loop's brings the loop and its other layouts.
    assert runner.invoke(main, ["init", "technical", "--from", "infra-m3-technical"]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "technical" / "layouts").rglob("*.yaml")) == ["infra-m3-technical.yaml"]
    assert runner.invoke(main, ["init", "people", "--from", "infra-m3-people"]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "people" / "layouts").rglob("*.yaml")) == ONSITE


def test_init_from_an_unknown_role_or_with_both_options(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["init", "--from", "infra-m4"])
    roles = ", ".join(SHIPPED_ROLES)
    assert (
        result.output == f"Error: --from: unknown role 'infra-m4' (did you mean 'infra-m3'?); shipped roles: {roles}\n"
    )
    result = runner.invoke(main, ["init", "--from", "infra-m3", "--blank"])
    assert result.exit_code == 2
    assert "Error: --from and --blank exclude each other; give one of them" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        ("packet.toml", "{root}/packet.toml: {root} is a workspace already; edit its files, or init another folder"),
        (
            "bank/taxonomy.yaml",
            "{root}/bank: exists and is not empty; init another folder, or move it away to start afresh",
        ),
        ("layouts", "{root}/layouts: exists and is not empty; init another folder, or move it away to start afresh"),
    ],
)
def test_init_never_overwrites_a_workspace(runner, tmp_path, existing, message):
    root = tmp_path / "role"
    (root / existing).parent.mkdir(parents=True, exist_ok=True)
    (root / existing).write_text("mine\n", encoding="utf-8")
    before = written(root)
    result = runner.invoke(main, ["init", str(root)])
    assert (result.exit_code, result.output) == (1, f"Error: {message.format(root=root)}\n")
    assert written(root) == before


def test_init_fills_empty_folders_keeps_a_gitignore_and_refuses_links(runner, tmp_path):
    root = tmp_path / "role"
    (root / "bank").mkdir(parents=True)
    (root / ".gitignore").write_text("secrets/\n", encoding="utf-8")
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    assert (root / ".gitignore").read_text(encoding="utf-8") == "secrets/\n"
    assert (root / "bank" / "taxonomy.yaml").is_file()

    linked = tmp_path / "linked"
    linked.mkdir()
    (tmp_path / "outside").mkdir()
    (linked / "layouts").symlink_to(tmp_path / "outside")
    result = runner.invoke(main, ["init", str(linked)])
    assert (
        result.output
        == f"Error: {linked}/layouts: is a link; init writes only inside {linked}: remove the link first\n"
    )
    assert list((tmp_path / "outside").iterdir()) == []


def test_init_writes_all_or_nothing(runner, tmp_path, monkeypatch):
    root = tmp_path / "new" / "role"
    moves = []
    real_rename = os.rename

    def rename(source, destination):  # the third entry cannot be moved into place
        moves.append(destination)
        if len(moves) == 3:
            raise PermissionError(13, "Permission denied")
        real_rename(source, destination)

    monkeypatch.setattr(workspace.os, "rename", rename)
    result = runner.invoke(main, ["init", str(root)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {root}: cannot write the workspace (Permission denied); nothing was written\n",
    )
    assert list(tmp_path.iterdir()) == []

    (root / "layouts").mkdir(parents=True)
    moves.clear()
    assert runner.invoke(main, ["init", str(root)]).exit_code == 1
    assert [p.name for p in root.iterdir()] == ["layouts"]  # the empty folder that was there is back


# ------------------------------------------------------------------------ the README's walk-through, installed


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with packet installed from the repository as a user installs it (not
    editable). It borrows this environment's libraries and build backend, so no network is needed."""
    env_dir = tmp_path_factory.mktemp("walkthrough") / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site_packages) / "borrowed.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-build-isolation", "-q"]
        + [str(REPO)],
        check=True,
        capture_output=True,
    )
    return env_dir / "bin"


def readme_walkthrough() -> list[str]:
    """The lines of the shell block in the README's "Adding a role", comments and all."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a role\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return block.splitlines()


def fill_every_scorecard(python: Path, folder: Path) -> None:
    """What the interviewer does in Excel: asked both questions, marked and rated them."""
    code = (
        "import sys; from pathlib import Path; from exporter.readback import fill_scorecard\n"
        "marks = {'q1_asked': 'Yes', 'q1_great_1': 'Yes', 'q1_great_2': 'Yes', 'q1_rating': 4,\n"
        "         'q2_asked': 'Yes', 'q2_great_1': 'Yes', 'q2_neg_1': 'Yes', 'q2_rating': 2}\n"
        "for card in Path(sys.argv[1]).glob('*-scorecard.xlsx'): fill_scorecard(card, card, marks)\n"
    )
    subprocess.run([python, "-c", code, str(folder)], check=True, capture_output=True, cwd=folder)


@pytest.mark.real_client
def test_the_readmes_new_role_walkthrough_works_as_typed(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{installed}{os.pathsep}{env.get('PATH', '')}"
    here = tmp_path
    commands = [line for line in readme_walkthrough() if line and not line.startswith("#")]
    assert [shlex.split(line)[:2] for line in commands] == [
        ["packet", "init"],
        ["cd", "staff-backend"],
        ["packet", "validate"],
        ["packet", "make"],
        ["packet", "tally"],
    ]
    for line in commands:
        words = shlex.split(line)
        assert "--bank" not in words and "--layouts" not in words
        if words[0] == "cd":
            here = here / words[1]
            # The user writes their first question (as an editor would, in place of the example's wording).
            questions = here / "bank" / "questions" / "questions.yaml"
            text = questions.read_text(encoding="utf-8")
            edited = text.replace("title: Delivering under pressure", "title: Shipping the billing rewrite")
            assert edited != text
            questions.write_text(edited, encoding="utf-8")
            continue
        if words[1] == "tally":
            fill_every_scorecard(installed / "python", here / "packets")
        done = subprocess.run(words, cwd=here, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (line, done.stderr)
        if words[1] == "validate":
            assert done.stdout == "OK: 2 questions, 1 layout, 0 loops\n"
            assert done.stderr == f"Reading bank/ and layouts/ of the workspace {here}\n"
        if words[1] == "make":
            assert [Path(p).name for p in done.stdout.split()] == [
                f"staff-backend-zoe-odegard-{kind}"
                for kind in ("guide.docx", "cheatsheet.pdf", "scorecard.xlsx", "packet.json", "kit.html")
            ]
            assert "Shipping the billing rewrite" in (
                here / "packets" / "staff-backend-zoe-odegard-packet.json"
            ).read_text(encoding="utf-8")
    assert done.stdout.startswith("Zoë Ødegård — New role — 1 scorecard\n")
    assert re.search(r"staff-backend-zoe-odegard-scorecard\.xlsx +\+100% +\+50% +0% +\+50% +Strong yes", done.stdout), (
        done.stdout
    )
    where = subprocess.run(
        [installed / "python", "-c", "import exporter; print(exporter.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout  # the installed copy ran
