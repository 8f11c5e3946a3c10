"""Text hygiene shared by every output (exporter/text.py): here, how bank and scorecard text reads in Markdown."""

from __future__ import annotations

import pytest

from exporter.text import markdown_text


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
