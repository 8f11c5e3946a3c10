"""The shipped question bank holds every question of the source conversation, word for word.

``tests/fixtures/seed_questions.txt`` lists every interview question and follow-up of the conversation the
bank was built from (one per line, straight quotes). These tests check that each of them is a question's
text, one of its variants or one of its follow-ups; that a fresh extraction from the conversation itself
(when it is available) finds nothing the list lacks; that the bank and layouts hang together; and that every
question a shipped layout asks, or keeps as a backup, says what each rating looks like for it.

They read the YAML with ``yaml.safe_load`` only and do not import ``exporter``, so they check the data
independently of the loader. The second shipped role, a senior site reliability engineer who leads no team, is
checked the same way, and through `packet` as a user runs it: it lints clean and prints no team.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
BANK = REPO / "bank"
LAYOUTS = REPO / "layouts"
SEED_QUESTIONS = REPO / "tests" / "fixtures" / "seed_questions.txt"

RATING_LEVELS = (1, 2, 3, 4)
# The scorecard shows a question's anchors as its rating cell's input message, "1: …" to "4: …" on four
# lines, and Excel refuses an input message over 255 characters: so much is left for the four anchors.
ANCHORS_LIMIT = 255 - sum(len(f"{level}: ") for level in RATING_LEVELS) - (len(RATING_LEVELS) - 1)

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Curly quotes made straight and whitespace collapsed, so a folded YAML string compares equal."""
    return " ".join(text.translate(_QUOTES).split())


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: the top level should be a mapping"
    return data


def bank_questions() -> list[tuple[str, dict]]:
    """(file name, question) for every question in the bank, in file order."""
    files = sorted((BANK / "questions").glob("*.yaml"))
    assert files, "bank/questions holds no *.yaml files"
    return [(f.name, q) for f in files for q in load(f)["questions"]]


def bank_wordings() -> set[str]:
    """Every wording the bank holds: texts, variants and follow-ups, normalised."""
    wordings = set()
    for _, question in bank_questions():
        wordings.add(normalise(question["text"]))
        wordings.update(normalise(v["text"]) for v in question.get("variants") or [])
        wordings.update(normalise(f) for f in question.get("follow_ups") or [])
    return wordings


def seed_lines() -> list[str]:
    lines = [normalise(line) for line in SEED_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


# --- extraction from the conversation -------------------------------------------------------------

_QUOTED = r'"([^"\n]+)"'
_INLINE_PATTERNS = [
    re.compile(r"\*Question:\*\s*" + _QUOTED),  # *Question:* "..." (the quote may start on the next line)
    re.compile(r"\*\*Main Question:\*\*\s*" + _QUOTED),
    re.compile(r"\*Follow-up:\*\s*" + _QUOTED),
    re.compile(r"\*Interview Question:\*[ \t]*(\S[^\n]*)"),  # the categorised list: unquoted
    re.compile(r"\*\*" + _QUOTED + r"\*\*"),  # the consolidated list: **"..."**
    re.compile(r"\*\*Question \d+:\*\*\s*" + _QUOTED),  # the orderings
]


def extract_questions(conversation: str) -> list[str]:
    """Every question and follow-up the conversation states, normalised, in order, without repeats."""
    found: list[str] = []
    for pattern in _INLINE_PATTERNS:
        found += [m.group(1) for m in pattern.finditer(conversation)]

    # The first answer lists each attribute's questions as "- ..." under "**Interview Questions:**".
    in_list = False
    for line in conversation.splitlines():
        stripped = line.strip()
        if stripped == "**Interview Questions:**":
            in_list = True
        elif in_list and stripped.startswith("- "):
            found.append(stripped[2:])
        elif in_list and stripped.startswith("#"):
            in_list = False

    # The user pasted earlier questions back as plain text: `Question: "..."` lines, and the attribute
    # questions as bare lines under "Interview Questions:" up to the next numbered attribute.
    for message in re.split(r"(?m)^### ", conversation):
        if not message.startswith("User - "):
            continue
        in_list = False
        for line in message.splitlines():
            stripped = line.strip()
            quoted = re.fullmatch(r"Question:\s*" + _QUOTED, stripped)
            if quoted:
                found.append(quoted.group(1))
            elif stripped == "Interview Questions:":
                in_list = True
            elif in_list and (re.match(r"\d+\.\s", stripped) or stripped.startswith("By focusing")):
                in_list = False
            elif in_list and stripped:
                found.append(stripped)

    return list(dict.fromkeys(normalise(q) for q in found))


def seed_conversations() -> list[Path]:
    """The source conversation: $PACKET_SEED_CONVERSATION, else ../shared/seeds/*.txt beside the repo."""
    configured = os.environ.get("PACKET_SEED_CONVERSATION")
    if configured:
        path = Path(configured)
        assert path.is_file(), f"PACKET_SEED_CONVERSATION={configured} is not a file"
        return [path]
    candidates = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    return [p for p in candidates if "infrastructure manager" in p.read_text(encoding="utf-8").lower()]


def seed_conversations_or_skip() -> list[Path]:
    """The source conversation, or a visible skip when it is not beside the repo: a fresh clone with nothing
    beside it (CI included) passes without it, and the curated list of its questions is still checked."""
    conversations = seed_conversations()
    if not conversations:
        pytest.skip(
            "source conversation not found: set PACKET_SEED_CONVERSATION or place it in "
            f"{REPO.parent / 'shared' / 'seeds'}"
        )
    return conversations


# --- tests ----------------------------------------------------------------------------------------


def test_fixture_lists_questions_once() -> None:
    lines = seed_lines()
    assert lines, "seed_questions.txt is empty"
    repeated = [line for line, n in Counter(lines).items() if n > 1]
    assert not repeated, f"listed more than once: {repeated}"


def test_every_seed_question_is_in_the_bank_word_for_word() -> None:
    wordings = bank_wordings()
    missing = [line for line in seed_lines() if line not in wordings]
    assert not missing, "not a text, variant or follow-up of any bank question:\n" + "\n".join(missing)


def test_extraction_from_the_conversation_finds_nothing_new() -> None:
    conversations = seed_conversations_or_skip()
    listed = set(seed_lines())
    for path in conversations:
        conversation = path.read_text(encoding="utf-8")
        extracted = extract_questions(conversation)
        assert len(extracted) > 50, f"{path}: the extraction found only {len(extracted)} questions"
        missing = [q for q in extracted if q not in listed]
        assert not missing, f"{path}: missing from seed_questions.txt:\n" + "\n".join(missing)
        # And the list holds nothing the conversation does not say.
        text = normalise(conversation)
        invented = [line for line in seed_lines() if line not in text]
        assert not invented, f"not in {path}:\n" + "\n".join(invented)


def test_question_ids_are_unique() -> None:
    counts = Counter(q["id"] for _, q in bank_questions())
    assert not [i for i, n in counts.items() if n > 1], f"duplicate ids: {counts.most_common(3)}"


def category_sets() -> dict[str, list[str]]:
    """The taxonomy's category sets by name, `default` first: set name -> its category ids, in order."""
    taxonomy = load(BANK / "taxonomy.yaml")
    sets = {"default": taxonomy["categories"], **(taxonomy.get("category_sets") or {})}
    return {name: [c["id"] for c in categories] for name, categories in sets.items()}


def test_questions_refer_to_the_taxonomy() -> None:
    taxonomy = load(BANK / "taxonomy.yaml")
    sets = category_sets()
    assert sets["default"] == ["world-class", "operational", "strategic", "team-member"]
    teams = {t["id"] for t in taxonomy["teams"]}
    domains = {d["id"] for d in taxonomy["domains"]}
    ids = {q["id"] for _, q in bank_questions()}
    for name, q in bank_questions():
        where = f"{name}: {q['id']}"
        weights = q["categories"]
        in_sets = [[w for c, w in weights.items() if c in categories] for categories in sets.values()]
        assert sum(map(len, in_sets)) == len(weights), f"{where}: a category no set has"
        for in_set in filter(None, in_sets):
            assert max(in_set) == 1 and in_set[0] == 1, f"{where}: primary first in each set, weight 1"
        assert all(w in (0.5, 1) for w in weights.values()), where
        assert q["teams"] and set(q["teams"]) <= teams, where
        assert q["domains"] and set(q["domains"]) <= domains, where
        assert len(set(q["domains"])) == len(q["domains"]), where
        assert q["source"] in ("seed", "authored"), where
        assert q["great"] and q["negative"] and q["goal"].strip(), where
        for signal in [*q["great"], *q["negative"]]:
            assert signal.endswith("."), f"{where}: signals end with a period: {signal!r}"
        if q.get("backup_for"):
            assert q["backup_for"] in ids and q.get("backup_when"), where


def test_infra_m3_sections_add_up_to_the_slot() -> None:
    layout = load(LAYOUTS / "infra-m3.yaml")
    assert sum(s["minutes"] for s in layout["sections"]) == layout["minutes"] == 30


@pytest.mark.parametrize("path", sorted(LAYOUTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_layouts_fit_their_slot_and_use_bank_questions(path: Path) -> None:
    layout = load(path)
    questions = {q["id"]: q for _, q in bank_questions()}
    assert sum(s["minutes"] for s in layout["sections"]) == layout["minutes"]
    asked = [s for s in layout["sections"] if s["kind"] == "question"]
    assert asked
    allowed = set((layout.get("lint") or {}).get("allow_repeated_domains") or [])
    primary_domains = Counter(questions[s["question"]]["domains"][0] for s in asked)
    for section in asked:
        question = questions[section["question"]]
        assert section["minutes"] >= 5, f"{section['question']}: at least 5 minutes"
        if "category" in section:
            assert section["category"] in question["categories"], section["question"]
        if "backup" in section:
            assert questions[section["backup"]].get("backup_for") == section["question"]
    repeated = {d for d, n in primary_domains.items() if n > 1} - allowed
    assert not repeated, f"{path.name}: primary domain probed twice: {repeated}"


# --- rating anchors -------------------------------------------------------------------------------


def shipped_questions() -> dict[str, list[str]]:
    """Every question and backup the shipped layouts use: id -> the layouts that use it."""
    used: dict[str, list[str]] = {}
    for path in sorted(LAYOUTS.glob("*.yaml")):
        for section in load(path)["sections"]:
            for key in ("question", "backup"):
                if key in section:
                    used.setdefault(section[key], []).append(path.name)
    return used


def anchored_questions() -> list[tuple[str, list[str]]]:
    """(question id, its anchors 1 to 4) for every bank question that has rating_anchors."""
    return [
        (q["id"], [q["rating_anchors"].get(level) for level in RATING_LEVELS])
        for _, q in bank_questions()
        if "rating_anchors" in q
    ]


def test_shipped_layouts_ask_questions_and_backups() -> None:
    used = shipped_questions()
    assert "hybrid-deployments" in used and "build-release-pipeline" in used, sorted(used)


def test_every_shipped_question_and_backup_has_rating_anchors() -> None:
    anchored = dict(anchored_questions())
    missing = [
        f"{qid} (in {', '.join(layouts)})" for qid, layouts in shipped_questions().items() if qid not in anchored
    ]
    assert not missing, "no rating_anchors:\n" + "\n".join(missing)


def test_rating_anchors_are_levels_1_to_4_one_line_each() -> None:
    for name, q in bank_questions():
        anchors = q.get("rating_anchors")
        if anchors is None:
            continue
        where = f"{name}: {q['id']}"
        assert isinstance(anchors, dict) and sorted(anchors) == list(RATING_LEVELS), f"{where}: keys 1 to 4"
        for level, anchor in anchors.items():
            assert isinstance(anchor, str) and anchor.strip(), f"{where}: {level} is not a text"
            assert anchor == " ".join(anchor.split()), f"{where}: {level} is one line: {anchor!r}"
            assert anchor.endswith("."), f"{where}: {level} ends with a period: {anchor!r}"


def test_rating_anchors_differ_between_levels() -> None:
    for qid, anchors in anchored_questions():
        texts = [normalise(a).lower() for a in anchors]
        assert len(set(texts)) == len(texts), f"{qid}: two levels read the same: {anchors}"


def test_no_two_questions_share_an_anchor() -> None:
    owners: dict[str, list[str]] = {}
    for qid, anchors in anchored_questions():
        for anchor in anchors:
            owners.setdefault(normalise(anchor).lower(), []).append(qid)
    shared = {anchor: qids for anchor, qids in owners.items() if len(qids) > 1}
    assert not shared, f"anchors shared between questions: {shared}"


def test_rating_anchors_fit_the_scorecard_input_message() -> None:
    assert ANCHORS_LIMIT == 240
    for qid, anchors in anchored_questions():
        total = sum(len(a) for a in anchors)
        assert total <= ANCHORS_LIMIT, f"{qid}: the four anchors take {total} characters, over {ANCHORS_LIMIT}"


# --- the individual contributor's role ------------------------------------------------------------

SRE_ROLE = "sre-senior"  # the shipped role that leads no team, scored on its own category set


def sre_layout() -> dict:
    return load(LAYOUTS / f"{SRE_ROLE}.yaml")


def sre_questions() -> list[dict]:
    """The bank questions with a weight in the `sre` set: the ones the role can ask."""
    sre = set(category_sets()["sre"])
    return [q for _, q in bank_questions() if sre & set(q["categories"])]


def packet_says(*args: str) -> str:
    """What `packet` prints, run as a user runs it (so this module still reads the data without the loader)."""
    done = subprocess.run(
        [sys.executable, "-m", "exporter", *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_sre_role_is_scored_on_its_own_set_and_leads_no_team() -> None:
    layout = sre_layout()
    assert (layout["category_set"], layout["leads_teams"], layout["minutes"]) == ("sre", False, 30)
    assert 3 <= len(category_sets()["sre"]) <= 5
    assert not set(category_sets()["sre"]) & set(category_sets()["default"])
    assert "lint" not in layout, "a role that leads no team needs no team-lean allowance"


def test_sre_layout_opens_asks_four_questions_one_with_a_backup_and_closes() -> None:
    sections = sre_layout()["sections"]
    assert [s["kind"] for s in sections] == ["opening", *["question"] * 4, "closing"]
    assert sum("backup" in s for s in sections) == 1
    rationale = sre_layout()["rationale"]
    assert rationale["summary"].strip() and rationale["pros"] and rationale["cons"]


def test_sre_bank_has_eight_authored_questions_and_a_backup_each_with_anchors() -> None:
    questions = sre_questions()
    assert len(questions) >= 8, [q["id"] for q in questions]
    for q in questions:
        assert q["source"] == "authored", q["id"]
        assert q["text"].startswith("Tell me about "), f"{q['id']}: behavioural, about what they did"
        assert q.get("technologies") and q.get("follow_ups"), q["id"]
        anchors = q.get("rating_anchors") or {}
        assert sorted(anchors) == list(RATING_LEVELS), f"{q['id']}: rating anchors 1 to 4"
        assert sum(len(a) for a in anchors.values()) <= 230, f"{q['id']}: anchors over 230 characters"
    assert any(q.get("backup_for") and q.get("backup_when") for q in questions)


def test_sre_layout_asks_every_category_by_a_primary_question_in_a_different_domain() -> None:
    questions = {q["id"]: q for q in sre_questions()}
    asked = [s for s in sre_layout()["sections"] if s["kind"] == "question"]
    primaries = {next(iter(questions[s["question"]]["categories"])) for s in asked}
    assert primaries == set(category_sets()["sre"])
    assert [s["category"] for s in asked] == [next(iter(questions[s["question"]]["categories"])) for s in asked]
    assert len({questions[s["question"]]["domains"][0] for s in asked}) == len(asked)


def test_sre_role_lints_clean_under_strict() -> None:
    assert packet_says("lint", "--strict", "--role", SRE_ROLE) == "OK: no warnings in 5 questions, 1 layout\n"


def test_nothing_the_sre_role_prints_speaks_of_the_teams_in_the_bank() -> None:
    teams = [t["name"] for t in load(BANK / "taxonomy.yaml")["teams"]]
    for command in (["show"], ["coverage"]):
        printed = packet_says(*command, "--role", SRE_ROLE)
        assert not [t for t in teams if t.lower() in printed.lower()], (command, teams)
        assert "team balance" not in printed.lower() and "teams:" not in printed.lower(), command
