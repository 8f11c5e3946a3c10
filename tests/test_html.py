"""The on-screen kit (``packet make --format html``): the file itself, then the page in a real browser.

The browser tests drive Debian's Chromium headless through chromedriver, with the network switched off; any
request the page makes beyond its own file (and the blob of a saved marks file), and any console error
(a Content-Security-Policy refusal among them), fails them. The clock is faked: ``Date.now`` is replaced
before the page's script runs, and kept in the tab's session storage so that a reload goes on from it.
They skip with the reason when Chromium is missing, and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from exporter.cli import main
from exporter.packet import make_packet
from exporter.render.html import KitRenderer

from .conftest import EPOCH, MINI, MINI_BANK, MINI_LAYOUTS

HOSTILE = "</style></script><script>window.hacked=1</script> \"quoted\" & 'single' <b>bold</b>"


def kit(folder: Path, bank: Path = MINI_BANK, **options: Any) -> Path:
    packet = make_packet(
        "mini",
        bank_dir=bank,
        layouts_dir=MINI_LAYOUTS,
        candidate=options.pop("candidate", "Zoë Ødegård"),
        interviewer=options.pop("interviewer", "Sam Lee"),
        **options,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mini-zoe-odegard-sam-lee-kit.html"
    KitRenderer().render(packet, path)
    return path


def hostile_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    questions = bank / "questions" / "mini.yaml"
    text = questions.read_text(encoding="utf-8")
    text = text.replace("Concrete pipeline changes.", json.dumps(HOSTILE), 1)
    questions.write_text(text.replace("Assess depth in build & release.", json.dumps(HOSTILE), 1), encoding="utf-8")
    return bank


# -- the file -----------------------------------------------------------------------------------------------------


def test_the_kit_is_byte_identical_from_run_to_run(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    made = []
    for name in ("a", "b"):
        result = runner.invoke(
            main, ["make", "--role", "mini", *MINI, "-f", "html", "-o", str(tmp_path / name), "--start", "14:00"]
        )
        assert result.exit_code == 0, result.output
        made.append((tmp_path / name / "mini-kit.html").read_bytes())
    assert made[0] == made[1]


def test_all_includes_the_kit(tmp_path, runner):
    result = runner.invoke(main, ["make", "--role", "mini", *MINI, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mini-kit.html").exists()


def test_the_kit_loads_nothing_from_anywhere(tmp_path):
    page = kit(tmp_path).read_text(encoding="utf-8")
    assert "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(?!#)", page), "every link is to a place on the page"
    assert not re.search(r"https?://|//[a-z]", page.replace("http-equiv", ""))
    assert "@import" not in page and "url(" not in page


def test_bank_text_is_escaped_everywhere(tmp_path):
    page = kit(tmp_path, bank=hostile_bank(tmp_path)).read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the page data and the page's own script
    assert page.count("</style>") == 1
    assert "window.hacked" in page  # as text
    assert "&lt;/script&gt;&lt;script&gt;window.hacked=1&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_what_the_cheat_sheet_holds_is_on_the_page(tmp_path):
    packet = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS)
    page = kit(tmp_path).read_text(encoding="utf-8")
    for pq in packet.questions:
        entry = pq.question
        for text in (entry.title, entry.goal, entry.text, *entry.follow_ups, *entry.great_signals):
            assert _escaped(text) in page, text
        for text in (*entry.negative_signals, *(name for names in entry.technologies.values() for name in names)):
            assert _escaped(text) in page, text
        if pq.backup_when:
            assert _escaped(pq.backup_when) in page
    for level in packet.layout.rating_scale:
        assert _escaped(level.anchor) in page


def test_controls_carry_the_scorecard_cell_names_as_printed(tmp_path):
    page = kit(tmp_path).read_text(encoding="utf-8")
    for name in ("q1_asked", "q1_great_1", "q1_neg_1", "q1b_great_1", "q1b_notes", "q2_rating", "vote", "takeaways"):
        assert f'name="{name}"' in page, name


def _escaped(text: str) -> str:
    from exporter.render.html import esc

    return esc(text)


# -- in the browser -----------------------------------------------------------------------------------------------

FAKE_CLOCK = """
(function () {
  var key = "test-fake-now";
  if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, "1767258000000");
  Date.now = function () { return parseFloat(sessionStorage.getItem(key)); };
  window.advanceClock = function (seconds) {
    sessionStorage.setItem(key, String(Date.now() + seconds * 1000));
  };
})();
"""


def _browser_missing(what: str) -> None:
    message = f"{what} is not installed (apt-get install chromium chromium-driver; pip install selenium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


@pytest.fixture()
def browser(tmp_path):  # type: ignore[no-untyped-def]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _browser_missing("selenium")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        _browser_missing("chromium" if not chromium else "chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=720,800"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FAKE_CLOCK})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    try:
        _assert_quiet(driver)
    finally:
        driver.quit()


def _assert_quiet(driver: Any) -> None:
    """No console error, and no request but for file: pages and the blob of a saved marks file."""
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    assert requests, "the request log works"
    assert all(url.startswith(("file:", "blob:")) for url in requests), requests


def js(driver: Any, code: str, *args: Any) -> Any:
    return driver.execute_script(code, *args)


def status(driver: Any) -> str:
    time.sleep(0.4)  # the page updates its clock four times a second
    return js(driver, "return document.getElementById('status').textContent")


def test_the_live_time_budget(browser, tmp_path):
    page = kit(tmp_path, start="14:00")
    browser.get(page.as_uri())
    assert status(browser) == "Not started: press Start when the interview begins"
    assert "14:00\u201314:02" in js(browser, "return document.getElementById('bar').textContent")
    browser.find_element("id", "start").click()
    js(browser, "advanceClock(60)")
    assert status(browser).startswith("On time: 1:00 left for Introductions")
    js(browser, "advanceClock(120)")  # 3 min in: the opening's 2 min are over
    assert status(browser) == "1 min behind: move to question 1"
    browser.find_element("css selector", "#bar a[data-section='1']").click()
    assert status(browser).startswith("On time:")
    assert js(browser, "return document.querySelector('#bar li.current').textContent").startswith("1")
    js(browser, "advanceClock(60 * 8)")  # 11 min: question 1 (with a backup) ran over
    assert status(browser).endswith("min behind: consider the backup, or move to question 2")
    assert "behind" in js(browser, "return document.getElementById('status').className")
    browser.find_element("id", "start").click()  # pause
    js(browser, "advanceClock(600)")
    assert status(browser).startswith("Paused. ")
    assert js(browser, "return document.getElementById('elapsed').textContent") == "11:00"
    browser.refresh()
    assert js(browser, "return document.getElementById('elapsed').textContent") == "11:00"
    assert js(browser, "return document.getElementById('start').textContent") == "Resume"
    browser.find_element("id", "start").click()
    js(browser, "advanceClock(30)")
    assert status(browser) and js(browser, "return document.getElementById('elapsed').textContent") == "11:30"


def test_keys_move_between_sections_and_to_the_notes(browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    browser.get(kit(tmp_path).as_uri())
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert js(browser, "return document.activeElement.textContent").startswith("1 ")
    body = browser.switch_to.active_element
    body.send_keys("n")
    assert js(browser, "return document.activeElement.name") == "q1_notes"
    browser.switch_to.active_element.send_keys("Strong on rollouts", Keys.ESCAPE)
    signal = browser.find_element("css selector", "input[name='q1_great_1']")
    signal.send_keys("x")
    assert signal.is_selected()
    assert js(browser, "return getComputedStyle(document.activeElement).outlineStyle") == "solid"


def mark_a_question(driver: Any) -> None:
    for name in ("q1_asked", "q1_great_1", "q1_neg_1", "q2_asked", "q2_great_1"):
        driver.find_element("css selector", f"input[name='{name}']").click()
    driver.find_element("css selector", "input[name='q1_rating'][value='3']").click()
    driver.find_element("css selector", "input[name='q2_rating'][value='2']").click()
    driver.find_element("name", "q1_notes").send_keys("Talked about <canary> releases & rollbacks")
    driver.find_element("css selector", "input[name='vote'][value='Yes']").click()
    driver.find_element("name", "takeaways").send_keys("Solid on release engineering.")


def test_marks_survive_a_reload(browser, tmp_path):
    browser.get(kit(tmp_path).as_uri())
    mark_a_question(browser)
    browser.refresh()
    time.sleep(0.3)
    checked = js(
        browser, "return Array.from(document.querySelectorAll('input:checked')).map(i => i.name + '=' + i.value)"
    )
    assert {"q1_asked=Yes", "q1_great_1=Yes", "q1_neg_1=Yes", "q1_rating=3", "vote=Yes"} <= set(checked)
    assert browser.find_element("name", "q1_notes").get_attribute("value").startswith("Talked about <canary>")
    assert browser.find_element("name", "takeaways").get_attribute("value") == "Solid on release engineering."


def save_marks(driver: Any) -> Path:
    driver.find_element("id", "save").click()
    wanted = driver.downloads / "mini-zoe-odegard-sam-lee-marks.json"
    for _ in range(50):
        if wanted.exists():
            return wanted
        time.sleep(0.1)
    raise AssertionError(f"no {wanted.name} in {sorted(p.name for p in driver.downloads.iterdir())}")


def test_saved_marks_tally_like_the_scorecard_filled_with_them(browser, tmp_path, runner):
    from exporter.render.xlsx import ScorecardRenderer

    browser.get(kit(tmp_path).as_uri())
    mark_a_question(browser)
    marks_file = save_marks(browser)
    saved = json.loads(marks_file.read_text(encoding="utf-8"))
    assert saved["format"] == "packet-marks/1"
    assert saved["cells"]["q1_rating"] == 3 and saved["cells"]["candidate"] == "Zoë Ødegård"
    assert saved["signals"]["1"]["great"][0] == "Concrete pipeline changes."  # for the debrief to quote

    packet = make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS, candidate="Zoë Ødegård")
    card = tmp_path / "card.xlsx"
    ScorecardRenderer().render(packet._replace(interviewer="Sam Lee"), card)
    filled = runner.invoke(main, ["fill", str(card), str(marks_file)])
    assert filled.exit_code == 0, filled.output

    def figures(path: Path) -> Any:
        result = runner.invoke(main, ["tally", str(path), "--json"])
        assert result.exit_code == 0, result.output
        return [
            {k: v for k, v in s.items() if k not in ("file", "warnings")}
            for s in json.loads(result.stdout)["scorecards"]
        ]

    assert figures(marks_file) == figures(card)
    both = runner.invoke(main, ["tally", str(marks_file), str(card)])
    assert "Sam Lee has more than one scorecard for Zoë Ødegård" in both.output


def test_hostile_bank_text_stays_text_in_the_browser(browser, tmp_path):
    browser.get(kit(tmp_path, bank=hostile_bank(tmp_path)).as_uri())
    assert js(browser, "return window.hacked") is None
    assert HOSTILE.split(" ")[0] in browser.find_element("css selector", ".goal").text


def test_no_serious_accessibility_violations(browser, tmp_path):
    try:
        from axe_selenium_python import Axe
    except ImportError:
        _browser_missing("axe-selenium-python")
    browser.get(kit(tmp_path, start="14:00").as_uri())
    mark_a_question(browser)
    axe = Axe(browser)
    axe.inject()  # the axe-core script that ships inside the package, no network
    results = axe.run()
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, axe.report(serious)
