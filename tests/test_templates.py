"""The scorecard and the guide from a template of their kind: always the bytes of the file built whole.

A template is built once with stand-ins for the names and the moment (exporter/render/templates.py), kept in a
batch's memo and in packet's cache, and filled in for each candidate; these tests hold every filled file to the
file its packet alone builds, for names of every kind.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exporter import cache
from exporter.model import Packet
from exporter.packet import make_packet
from exporter.render import RenderMemo, docx, templates, xlsx
from exporter.render.docx_xml import has_east_asian

from .conftest import MINI_BANK, MINI_LAYOUTS, REPO

MOMENT = dt.datetime(2026, 11, 30, 14, 5, 9)

# Names that stress a template: XML's special characters, white space kept at either end or inside a run (a tab,
# a line break, a carriage return), quotes and hyphens the guide typesets, digits and units, what looks like a
# formula, a stand-in's character and the stand-ins' words, scripts beyond Latin, and a subject Word cuts.
NAMES = [
    ("Zoë Ødegård", "Sam Lee"),
    ("Al & <Bo> \"Li\" 'Wu'", ""),
    ("", "Kim Park"),
    ("", ""),
    ("  Padded Name\t", "\nSam\r\nLee "),
    ("   ", "x"),
    (" Ana Ruiz ", "Bo"),
    ("Seán O'Brien-Smith", "Mary-Kate 'MK' Doe"),
    ("Agent -7", "5 min Q 3"),
    ('=HYPERLINK("http://x","y")', "]]> &amp; &#13;"),
    ("\ue000packet interviewer 0\ue000", "\ue000packet candidate\ue000"),
    ("王伟 🙂", "Иван Петров"),
    ("x" * 300, "y"),
    ("Born 1999-12-31T23:59:58Z", "1999-12-31T23:59:58Z"),  # the moment's stand-in
]

Build = Callable[[Packet, dt.datetime], templates.Parts]
FORMATS: dict[str, tuple[Build, templates.Escape]] = {
    "xlsx": (xlsx.card_parts, xlsx._written),  # unsealed: the fingerprint is worked out after filling in
    "docx": (docx.guide_parts, docx._written),
}


def filled(name: str, packet: Packet, moment: dt.datetime = MOMENT) -> templates.Parts | None:
    build, escape = FORMATS[name]
    template = templates.made(packet, build, escape)
    assert template is not None
    return template.fill(packet, moment, escape)


@pytest.fixture(scope="module")
def mini() -> Packet:
    return make_packet("mini", bank_dir=MINI_BANK, layouts_dir=MINI_LAYOUTS, date=dt.date(2026, 12, 1))


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(("candidate", "interviewer"), NAMES)
def test_a_filled_template_is_the_file_built_whole(mini, name, candidate, interviewer):
    packet = mini._replace(candidate=candidate, interviewer=interviewer)
    build, _ = FORMATS[name]
    parts = filled(name, packet)
    if parts is not None:  # None: a name the format cannot put in, whose file is built whole
        assert parts == build(packet, MOMENT)
    else:
        written_otherwise = [
            len(v) > 255 or "\t" in v or "\n" in v or has_east_asian(v) for v in (candidate, interviewer)
        ]
        assert name == "docx" and any(written_otherwise)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    candidate=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("'\"-&<> 0"), max_size=20
    ),
    interviewer=st.text(st.sampled_from("ab &<>'\"-\r\ue000é5 "), max_size=12),
)
def test_any_names_give_the_guide_built_whole(mini, candidate, interviewer):
    packet = mini._replace(candidate=candidate, interviewer=interviewer)
    parts = filled("docx", packet)
    assert parts is None or parts == docx.guide_parts(packet, MOMENT)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The candidate of each guide built from here on: a stand-in for a template, a name for a guide built whole."""
    made: list[str] = []
    guide_parts = docx.guide_parts
    monkeypatch.setattr(
        docx, "guide_parts", lambda packet, when: made.append(packet.candidate) or guide_parts(packet, when)
    )
    return made


def test_a_template_is_kept_between_runs_and_a_damaged_one_passed_over(tmp_path, monkeypatch, epoch, built):
    monkeypatch.setenv("PACKET_CACHE_DIR", str(tmp_path / "cache"))
    packet = make_packet("infra-m3", candidate="Ana One", interviewer="Sam Lee")
    renderer = docx.GuideRenderer()
    renderer.render(packet, tmp_path / "first.docx")
    assert len(built) == 1 and built[0].startswith(templates.MARK)  # the template, filled in
    for candidate in ("Bo Two", "Zoë Ødegård"):  # later runs: the kept template
        renderer.render(packet._replace(candidate=candidate), tmp_path / f"{candidate}.docx")
    assert len(built) == 1
    monkeypatch.setenv("PACKET_CACHE_DIR", "")
    for candidate in ("Bo Two", "Zoë Ødegård"):
        renderer.render(packet._replace(candidate=candidate), tmp_path / "alone.docx")
        assert (tmp_path / "alone.docx").read_bytes() == (tmp_path / f"{candidate}.docx").read_bytes()
    monkeypatch.setenv("PACKET_CACHE_DIR", str(tmp_path / "cache"))
    source = (docx._template_source(packet),)
    kept = cache.load(templates.TEMPLATE_CACHE, source)
    edited = [
        {**kept, "candidate": "a"},  # a stand-in that is not one: every "a" would be a name
        {**kept, "candidate": kept["candidate"].replace("candidate", "interviewer")},
        {**kept, "interviewer": ""},  # of another shape than the packet's names
        {**kept, "parts": [[name, data] for name, data in kept["parts"] if name != "word/document.xml"]},  # no name
    ]
    for damaged in ({"parts": [["word/document.xml", "not base64!"]]}, {"parts": []}, [1, 2], None, *edited):
        cache.store(templates.TEMPLATE_CACHE, source, damaged)
        built.clear()
        renderer.render(packet._replace(candidate="Bo Two"), tmp_path / "again.docx")
        assert len(built) == 1 and (tmp_path / "again.docx").read_bytes() == (tmp_path / "Bo Two.docx").read_bytes()


def test_a_batch_builds_each_kind_once(tmp_path, monkeypatch, epoch, built):
    monkeypatch.setenv("PACKET_CACHE_DIR", "")
    packet = make_packet("infra-m3", interviewer="Sam Lee")
    memo = RenderMemo()
    for n, candidate in enumerate(["Ana One", "Bo Two", "Cy Three", "", "Di Four"]):
        docx.GuideRenderer().render(packet._replace(candidate=candidate), tmp_path / f"{n}.docx", memo)
    assert len(built) == 2  # a template with a candidate, and one with none


def test_a_name_written_otherwise_makes_its_file_whole_and_no_template(tmp_path, monkeypatch, epoch, built):
    monkeypatch.setenv("PACKET_CACHE_DIR", str(tmp_path / "cache"))
    packet = make_packet("infra-m3", candidate="王伟")
    docx.GuideRenderer().render(packet, tmp_path / "whole.docx")
    assert built == ["王伟"] and not (tmp_path / "cache" / templates.TEMPLATE_CACHE).exists()
    memo = RenderMemo()
    docx.GuideRenderer().render(packet._replace(candidate="Ana One"), tmp_path / "made.docx", memo)
    for name in ("Ana\tOne", "王伟"):  # in a batch whose template is made: built whole all the same
        docx.GuideRenderer().render(packet._replace(candidate=name), tmp_path / "batch.docx", memo)
        docx.GuideRenderer().render(packet._replace(candidate=name), tmp_path / "alone.docx")
        assert (tmp_path / "batch.docx").read_bytes() == (tmp_path / "alone.docx").read_bytes()


def test_the_moment_is_only_in_the_document_properties(mini):
    for name, (build, escape) in FORMATS.items():
        template = templates.made(mini._replace(candidate="Ana"), build, escape)
        assert template is not None, name
        found = [part for part, data in template.parts if templates.moment_text(templates.MOMENT) in data]
        assert found == [templates.PROPERTIES_PART], name


def test_a_stand_in_written_in_another_form_makes_no_template(mini):
    """As when openpyxl writes without lxml (OPENPYXL_LXML=False): the stand-ins are in the parts, but not as
    ``escape`` writes them, so filling in would find nothing to replace."""
    packet = mini._replace(candidate="Ana One", interviewer="Sam Lee")

    def other_form(_part: str, value: str) -> bytes:
        return value.encode()  # the private-use character as UTF-8, where openpyxl writes a character reference

    assert templates.made(packet, xlsx.card_parts, other_form) is None
    assert templates.made(packet, xlsx.card_parts, xlsx._written) is not None


@pytest.mark.parametrize("name", FORMATS)
def test_a_name_the_library_refuses_or_cuts_is_not_filled_in(mini, name):
    build, escape = FORMATS[name]
    template = templates.made(mini._replace(candidate="Ana One"), build, escape)
    assert template is not None
    for candidate in ("Ana\x01One", "Ana\ufffeOne", "x" * 40_000):
        assert template.fill(mini._replace(candidate=candidate), MOMENT, escape) is None, repr(candidate[:8])


def test_without_lxml_the_scorecard_holds_the_names(tmp_path):
    env = {**os.environ, "OPENPYXL_LXML": "False", "PACKET_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "exporter", "make", "--role", "infra-m3", "-f", "xlsx", "-o", str(tmp_path)]
    for candidate in ("Ana One", "Bo Two"):
        subprocess.run([*command, "--candidate", candidate], cwd=REPO, env=env, check=True, capture_output=True)
        (card,) = tmp_path.glob(f"*{candidate.split()[0].lower()}*.xlsx")
        assert load_workbook(card)["Scorecard"]["B2"].value == candidate
