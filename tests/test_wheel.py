"""The built wheel ships its bank and layouts: `packet make` works from any folder after `pip install`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from .conftest import REPO


def test_wheel_installed_in_a_fresh_venv_makes_a_packet_outside_the_repo(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("packet-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # The fresh environment borrows the runtime libraries installed here (a plain path entry, so this
    # environment's own .pth files, such as an editable install of packet, are not read), so the test needs
    # no network; the package itself comes only from the wheel.
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "borrowed.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [python, "-c", "import exporter; print(exporter.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert Path(where).is_relative_to(env_dir), where
    result = subprocess.run(
        [env_dir / "bin" / "packet", "make", "--role", "infra-m3", "--format", "all"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        f"infra-m3-{kind}" for kind in ("guide.docx", "cheatsheet.pdf", "scorecard.xlsx", "packet.json", "kit.html")
    ]
    packet = json.loads((elsewhere / "infra-m3-packet.json").read_text(encoding="utf-8"))
    assert packet["minutes"] == 30
