"""Regenerate everything under samples/: the infra-m3 packet and PNGs of it, a filled scorecard, a filled loop
and its debrief, the onsite loop's packets, coverage, suggest and lint output, and the packet of the
individual contributor's role (sre-senior) with a PNG of its cheat sheet.

Run from the repository: ``python scripts/make_samples.py``. Needs LibreOffice (soffice) and poppler
(pdftoppm) for the PNGs. Outputs are reproducible: SOURCE_DATE_EPOCH is fixed here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sample_loop import LOOP, debrief_png, make_sample_loop, marks  # noqa: E402

from exporter.readback import fill_scorecard, scorecard_questions  # noqa: E402

SAMPLES = REPO / "samples"
EPOCH = "1764547200"  # 2025-12-01 00:00 UTC
DATE = "2026-12-01"


def run(*args: str) -> str:
    """Run `packet` as a user would; returns what it printed on stdout."""
    result = subprocess.run(
        [sys.executable, "-m", "exporter", *args],
        cwd=REPO,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def packet(*args: str) -> list[Path]:
    """Run `packet make`; returns the paths it wrote."""
    return [Path(line) for line in run(*args).splitlines() if line.strip()]


def soffice(files: list[Path], to: str, outdir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="lo-samples-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
        )


def png(pdf: Path, out: Path, first: int = 1, last: int = 1, resolution: int = 60) -> None:
    """Pages ``first``..``last`` of ``pdf`` as ``out`` (one page) or ``out-1.png``, ``out-2.png``, …"""
    args = ["pdftoppm", "-png", "-r", str(resolution), "-f", str(first), "-l", str(last)]
    if first == last:
        subprocess.run([*args, "-singlefile", str(pdf), str(out)], check=True)
    else:
        subprocess.run([*args, str(pdf), str(out)], check=True)


def make_ic_sample() -> None:
    """The individual contributor's packet, a role that leads no team: guide, cheat sheet and scorecard."""
    role = "sre-senior"
    made = packet(
        "make", "--role", role, "--date", DATE, "--start", "14:00", "--out", str(SAMPLES), "-f", "docx,pdf,xlsx"
    )
    [sheet] = [path for path in made if path.suffix == ".pdf"]
    png(sheet, SAMPLES / f"{role}-cheatsheet", resolution=80)


KIT_CLOCK = """
(function () {
  var now = 1767258000000;  // a fixed instant, moved on by advanceClock: the screenshot is the same each time
  Date.now = function () { return now; };
  window.advanceClock = function (seconds) { now += seconds * 1000; };
})();
"""


def kit_png(target: Path) -> None:
    """The on-screen kit mid-interview, at half a 13-inch laptop's width: 9 min 40 s in, question 1 marked.

    Needs Chromium and chromedriver (Debian's `chromium`, `chromium-driver`) and selenium; offline."""
    import shutil as which
    import time

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        [page] = packet("make", "--role", "infra-m3", "--date", DATE, "--start", "14:00", "-f", "html", "--out", tmp)
        options = webdriver.ChromeOptions()
        options.binary_location = which.which("chromium") or "chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=720,900"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(which.which("chromedriver")), options=options)
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KIT_CLOCK})
            driver.get(page.resolve().as_uri())
            driver.find_element("id", "start").click()
            driver.find_element("css selector", "#bar a[data-section='1']").click()
            for name in ("q1_asked", "q1_great_1", "q1_great_2", "q1_neg_2"):
                driver.find_element("css selector", f"input[name='{name}']").click()
            driver.find_element("css selector", "input[name='q1_rating'][value='3']").click()
            driver.find_element("name", "q1_notes").send_keys(
                "Ran a hybrid rollout at Acme: Helm for SaaS, signed bundles for on-prem. Delegated the pipeline work."
            )
            driver.execute_script("advanceClock(580); window.scrollTo(0, 0);")
            time.sleep(0.6)  # the page redraws its clock four times a second
            driver.save_screenshot(str(target))
        finally:
            driver.quit()


def main() -> None:
    subprocess.run([sys.executable, "-m", "exporter.render.docx_guide", "--write-template"], cwd=REPO, check=True)
    if SAMPLES.exists():
        shutil.rmtree(SAMPLES)
    SAMPLES.mkdir()
    common = ["--role", "infra-m3", "--date", DATE, "--start", "14:00", "--out", str(SAMPLES)]
    guide, sheet, scorecard, _ = packet("make", *common, "--format", "docx,pdf,xlsx,json")
    packet("make", *common, "--format", "pdf", "--paper", "a4", "--out", str(SAMPLES / "a4"))
    a4 = SAMPLES / "infra-m3-cheatsheet-a4.pdf"
    (SAMPLES / "a4" / sheet.name).rename(a4)
    (SAMPLES / "a4").rmdir()

    filled = SAMPLES / "infra-m3-scorecard-filled.xlsx"
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # fill_scorecard saves in this process
    fill_scorecard(
        scorecard,
        filled,
        {"candidate": "Zoë Ødegård", "interviewer": "Sam Lee", **marks(scorecard_questions(scorecard), LOOP[0])},
    )
    make_sample_loop(SAMPLES / "loop")
    debrief_png(SAMPLES / "loop")
    make_ic_sample()
    kit_png(SAMPLES / "infra-m3-kit.png")
    packet(
        "make",
        "--loop",
        "infra-m3-onsite",
        "--candidate",
        "Zoë Ødegård",
        "--date",
        DATE,
        "--format",
        "json",
        "--out",
        str(SAMPLES / "onsite"),
    )

    png(sheet, SAMPLES / "infra-m3-cheatsheet", resolution=80)
    png(a4, SAMPLES / "infra-m3-cheatsheet-a4", resolution=80)
    with tempfile.TemporaryDirectory() as tmp:
        soffice([guide], "pdf", Path(tmp))
        png(Path(tmp) / f"{guide.stem}.pdf", SAMPLES / "infra-m3-guide-page", first=1, last=2, resolution=60)
        soffice([filled], "pdf", Path(tmp))
        summary = Path(tmp) / f"{filled.stem}.pdf"
        last = len(PdfReader(summary).pages)  # the Summary sheet prints last
        png(summary, SAMPLES / "infra-m3-scorecard-summary", first=last, last=last, resolution=80)
    [overview] = (SAMPLES / "onsite").rglob("0-*-overview.pdf")
    png(overview, SAMPLES / "onsite-overview", resolution=80)
    for name, args in {
        "coverage-infra-m3.md": ["coverage", "--role", "infra-m3", "--format", "md"],
        "suggest-4x3.txt": ["suggest", "--size", "4", "--sets", "3", "--minutes", "30"],
        "lint.txt": ["lint"],
    }.items():
        (SAMPLES / name).write_text(run(*args), encoding="utf-8")

    print("\n".join(sorted(str(p.relative_to(REPO)) for p in SAMPLES.rglob("*") if p.is_file())))


if __name__ == "__main__":
    main()
