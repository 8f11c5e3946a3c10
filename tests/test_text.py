"""Text shared by every output (exporter/text.py): typography for printed text (what changes, what never does,
and that nothing is lost on the way) and how bank and scorecard text reads in Markdown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.text import MINUS, NBSP, markdown_text, plain, typeset


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('the team\'s "north star"', "the team\u2019s \u201cnorth star\u201d"),
        ("years' experience", "years\u2019 experience"),
        ("'quoted' and the '90s", "\u2018quoted\u2019 and the \u201990s"),
        ('("Zoë")', "(\u201cZoë\u201d)"),
        ("-20% to +50%, no below -0.2", f"{MINUS}20% to +50%, no below {MINUS}0.2"),
        ("7 min, then 15 minutes", f"7{NBSP}min, then 15{NBSP}minutes"),
        ("Q 1b replaces Q 1", f"Q{NBSP}1b replaces Q{NBSP}1"),
        ("0-5 years, a-b, x - y", "0-5 years, a-b, x - y"),  # ranges, words and dashes are not numbers
    ],
)
def test_what_typesetting_changes(text, printed):
    assert typeset(text) == printed


@pytest.mark.parametrize(
    "code",
    [
        "kubectl --dry-run=client -o yaml",
        "`git log --since='2 weeks'`",
        'helm upgrade --set image.tag="v1"',
        "terraform_state and ./deploy/run.sh",
        "values.yaml",
        "-v",
    ],
)
def test_code_and_identifiers_are_left_untouched(code):
    assert typeset(code) == code


def test_code_inside_a_sentence_is_left_alone_while_the_sentence_is_typeset():
    assert typeset('Ask "why" before `kubectl --dry-run` runs') == "Ask \u201cwhy\u201d before `kubectl --dry-run` runs"


@given(st.lists(st.sampled_from([*"ab1 -'\"`_/=.%(\n", "min", "Q", "\u2019"]), max_size=30).map("".join))
def test_typesetting_only_swaps_characters_and_is_idempotent(text):
    printed = typeset(text)
    assert len(printed) == len(text)
    assert plain(printed) == plain(text)
    assert typeset(printed) == printed


@given(st.text(max_size=80))
def test_any_text_typesets_without_error(text):
    assert plain(typeset(text)) == plain(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a | b", "a \\| b"),
        ("*not bold* _nor this_", "\\*not bold\\* \\_nor this\\_"),
        ("`code` <b>tag</b> [link](x)", "\\`code\\` \\<b\\>tag\\</b\\> \\[link\\](x)"),
        ("# not a heading", "\\# not a heading"),
        ("back\\slash", "back\\\\slash"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("-1 (a formula)", "'-1 (a formula)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("two\nlines\r\n and\ttabs ", "two lines and tabs"),
        ("\t=1+1", "'=1+1"),  # the tab goes, and what it hid is still a formula
        ("50\u00a0pts", "50\u00a0pts"),
        ("plain words, 3.5", "plain words, 3.5"),
    ],
)
def test_markdown_text_shows_text_as_itself(text, shown):
    assert markdown_text(text) == shown
