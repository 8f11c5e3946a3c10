"""`packet import` and `packet export --markdown`: questions drafted in Markdown, read into bank YAML and back.

The seed conversation (when it is beside the repo) gives every question the shipped bank took from it, with the
same text and rubric; three other Markdown styles give the YAML in ``tests/fixtures/markdown/``; malformed
Markdown is an error by line; and the whole shipped bank, exported and imported again, loads as the same bank.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from exporter.cli import main
from exporter.loading import load_bank

from .conftest import FIXTURES, MINI, REPO
from .test_bank_content import bank_questions, normalise, seed_conversations_or_skip

MARKDOWN = FIXTURES / "markdown"
SHIPPED_TAXONOMY = REPO / "bank" / "taxonomy.yaml"


def empty_bank(tmp_path: Path) -> Path:
    """A bank folder with the shipped taxonomy and no questions yet."""
    bank = tmp_path / "bank"
    (bank / "questions").mkdir(parents=True)
    shutil.copy(SHIPPED_TAXONOMY, bank / "taxonomy.yaml")
    return bank


def imported(result) -> list[dict]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)["questions"]


# --- the seed conversation --------------------------------------------------------------------------------


def test_the_seed_conversation_gives_every_seed_question_of_the_bank(runner):
    conversations = seed_conversations_or_skip()
    seeded = [q for _, q in bank_questions() if q["source"] == "seed"]
    assert len(seeded) >= 7
    for path in conversations:
        questions = imported(runner.invoke(main, ["import", str(path)]))
        by_text = {normalise(q["text"]): q for q in questions}
        for expected in seeded:
            found = by_text.get(normalise(expected["text"]))
            assert found is not None, f"{path.name}: no imported question reads {expected['text']!r}"
            # The conversation's rubric for it, and every earlier wording, came through too.
            for name in ("goal", "great", "negative"):
                assert list(map(normalise, _listed(found[name]))) == list(map(normalise, _listed(expected[name])))
            assert {normalise(v["text"]) for v in found.get("variants", [])} == {
                normalise(v["text"]) for v in expected.get("variants", [])
            }
            assert found["categories"] == expected["categories"], expected["id"]


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


# --- other styles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["headed", "numbered", "gdocs"])
def test_each_markdown_style_gives_the_expected_yaml(runner, style):
    result = runner.invoke(main, ["import", str(MARKDOWN / f"{style}.md")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (MARKDOWN / f"{style}.yaml").read_text(encoding="utf-8")


def test_what_is_not_placed_is_named_by_line(runner):
    source = MARKDOWN / "headed.md"
    result = runner.invoke(main, ["import", str(source)])
    assert result.stderr == (
        f'Warning: {source}:3: not part of a question, left out: "Drafted for the release & deployment half of the loop."\n'
        f"Warning: {source}: 1 question without teams or domains; name them from the bank's taxonomy.yaml\n"
    )


def test_malformed_markdown_is_reported_by_line_and_nothing_is_written(runner, tmp_path):
    source = MARKDOWN / "malformed.md"
    into = tmp_path / "questions.yaml"
    result = runner.invoke(main, ["import", str(source), "--into", str(into)])
    assert result.exit_code == 1
    categories = (
        "World-class at running this team, Outstanding operationally, Strategic direction, Effective team member, "
        "Reliability engineering, Incident handling and debugging, Operability by design, Influence without authority"
    )
    assert result.stderr == (
        f"Error: {source}: 5 problems:\n"
        f"  {source}:3: the question's quotation marks are not closed; end the question with '\"'\n"
        f"  {source}:6: 'A great answer will mention:' lists nothing; put its items under it as '- …' lines\n"
        f"  {source}:9: no category 'Speed' in the bank; the categories are: {categories}\n"
        f"  {source}:10: a second 'Goal:' for the question at line 3\n"
        f"  {source}:14: 'Teams:' comes before any question; put it under the question it is for\n"
    )
    assert not into.exists()


def test_one_problem_is_one_error_line(runner, tmp_path):
    source = tmp_path / "q.md"
    source.write_text('### Budget\n\n**Question:** "How do you plan a budget?"\n\n- **Goal:**\n', encoding="utf-8")
    result = runner.invoke(main, ["import", str(source)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {source}:5: 'Goal:' is empty; write its text after the colon\n",
    )


def test_a_file_with_no_question_says_where_the_shape_is(runner, tmp_path):
    source = tmp_path / "notes.md"
    source.write_text("Just a note to self.\n", encoding="utf-8")
    result = runner.invoke(main, ["import", str(source)])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: {source}: holds no question; docs/formats.md shows the shape `packet import` reads\n"
    )


def test_restated_questions_merge_into_one_with_the_earlier_wording_as_a_variant(runner, tmp_path):
    source = tmp_path / "drafts.md"
    source.write_text(
        "1. **Will the hire be world-class at running this team?**\n"
        '   - *Question:* "Tell me about a migration you led. What went wrong?"\n'
        "\n"
        "### 1. Migrations\n"
        '*Question:* "Tell me about a migration you and your team led. What went wrong, and who fixed it?"\n'
        "- **Goal:** Ownership.\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", str(source)])
    [question] = imported(result)
    assert question["text"] == "Tell me about a migration you and your team led. What went wrong, and who fixed it?"
    assert question["variants"] == [
        {"label": "original", "text": "Tell me about a migration you led. What went wrong?"}
    ]
    assert question["categories"] == {"world-class": 1}  # from the heading it was first stated under
    assert (question["id"], question["title"], question["goal"]) == ("migrations", "Migrations", "Ownership.")
    assert f"Warning: {source}:2, 5: one question stated 2 times" in result.stderr


# --- ids and files ---------------------------------------------------------------------------------------


def test_an_id_the_bank_holds_is_never_overwritten(runner, tmp_path):
    source = tmp_path / "q.md"
    source.write_text('### Incident Response\n\n**Question:** "How do you run an incident?"\n', encoding="utf-8")
    into = tmp_path / "questions.yaml"
    result = runner.invoke(main, ["import", str(source), "--into", str(into)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {source}:3: id 'incident-response' is already a question in bank/questions/technical-attributes.yaml, "
        "which an import never overwrites; give this question another title, or an 'Id:' line with an id of its own\n",
    )
    assert not into.exists()


def test_into_writes_the_bank_file_once_and_again_with_force(runner, tmp_path):
    bank = empty_bank(tmp_path)
    into = bank / "questions" / "release.yaml"
    source = str(MARKDOWN / "headed.md")
    result = runner.invoke(main, ["import", source, "--into", str(into)])  # the bank --into is in
    assert (result.exit_code, result.stdout) == (0, f"{into}\n")
    assert into.read_text(encoding="utf-8") == (MARKDOWN / "headed.yaml").read_text(encoding="utf-8")
    again = runner.invoke(main, ["import", source, "--into", str(into)])
    assert (again.exit_code, again.stderr) == (
        1,
        f"Error: {into} exists; use --force to replace it, or choose another --into file\n",
    )
    # With --force, the file's own questions are the ones being replaced, not ids the bank holds.
    assert runner.invoke(main, ["import", source, "--into", str(into), "--force"]).exit_code == 0
    other = runner.invoke(main, ["import", source, "--into", str(bank / "questions" / "copy.yaml")])
    assert other.exit_code == 1 and "id 'rollback-under-pressure' is already a question in" in other.stderr


def test_into_must_be_a_yaml_file(runner, tmp_path):
    result = runner.invoke(main, ["import", str(MARKDOWN / "headed.md"), "--into", str(tmp_path / "q.yml")])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --into {tmp_path / 'q.yml'}: the bank reads only *.yaml files; name it q.yaml\n",
    )


def test_an_imported_file_with_its_teams_and_domains_filled_in_validates(runner, tmp_path):
    bank = empty_bank(tmp_path)
    into = bank / "questions" / "release.yaml"
    assert runner.invoke(main, ["import", str(MARKDOWN / "headed.md"), "--into", str(into)]).exit_code == 0
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    invalid = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert invalid.exit_code == 1
    assert "questions[1].teams: is empty; give at least one" in invalid.stderr
    into.write_text(
        into.read_text(encoding="utf-8")
        .replace("teams: []", "teams: [release-deployment]")
        .replace("domains: []", "domains: [build-release]"),
        encoding="utf-8",
    )
    valid = runner.invoke(main, ["validate", "--bank", str(bank), "--layouts", str(layouts)])
    assert valid.exit_code == 0, valid.output
    assert valid.stdout.startswith("OK: 2 questions")


# --- export ---------------------------------------------------------------------------------------------


def test_the_whole_bank_exported_and_imported_again_is_the_same_bank(runner, tmp_path):
    exported = tmp_path / "bank.md"
    result = runner.invoke(main, ["export", "--markdown", "--out", str(exported)])
    assert (result.exit_code, result.stdout) == (0, f"{exported}\n")
    bank = empty_bank(tmp_path)
    into = bank / "questions" / "all.yaml"
    again = runner.invoke(main, ["import", str(exported), "--into", str(into)])
    assert (again.exit_code, again.stderr) == (0, "")  # every line placed, nothing to fill in
    shipped, round_trip = load_bank(None), load_bank(bank)
    assert list(round_trip.questions) == list(shipped.questions)
    for qid, question in shipped.questions.items():
        assert round_trip.questions[qid] == question, qid


def test_a_role_exports_its_questions_in_interview_order_with_backups(runner):
    result = runner.invoke(main, ["export", "--markdown", "--role", "mini", *MINI])
    assert result.exit_code == 0, result.output
    layout = yaml.safe_load((FIXTURES / "mini" / "layouts" / "mini.yaml").read_text(encoding="utf-8"))
    expected = []
    for section in (s for s in layout["sections"] if s["kind"] == "question"):
        expected.append(section["question"])
        if "backup" in section:
            expected.append(section["backup"])
    assert re.findall(r"^- \*\*Id:\*\* (\S+)$", result.stdout, flags=re.MULTILINE) == expected
    assert result.stdout.startswith("# ")
    headings = re.findall(r"^### (\S+) ", result.stdout, flags=re.MULTILINE)
    assert headings[0] == "1." and all(re.fullmatch(r"\d+b?\.", h) for h in headings)


def test_export_asks_for_a_format_and_never_clobbers(runner, tmp_path):
    result = runner.invoke(main, ["export"])
    assert result.exit_code == 2 and "say which format: --markdown" in result.stderr
    out = tmp_path / "bank.md"
    out.write_text("mine", encoding="utf-8")
    refused = runner.invoke(main, ["export", "--markdown", "--out", str(out)])
    assert refused.exit_code == 1 and out.read_text(encoding="utf-8") == "mine"
    assert runner.invoke(main, ["export", "--markdown", "--out", str(out), "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Question bank\n")
