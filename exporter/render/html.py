"""The on-screen kit for video interviews: ``packet make --format html`` writes ``…-kit.html``.

Owns the kit's page: one self-contained file (the style sheet ``kit.css`` and the script ``kit.js`` beside
this module are put inline, with a Content-Security-Policy that lets the page load nothing at all), holding
what the cheat sheet holds (every question, follow-up, goal, great and negative signal, technologies, the
backup and when to use it, the rating scale) with controls to mark them as the scorecard has them: a tick
per signal, Asked, the rating, notes, and the interviewer's vote and take-aways. Every control's ``name`` is
the scorecard's cell name (from :mod:`exporter.marks`, through :mod:`exporter.scorecard_format`), so the
script knows no naming scheme: it saves each named control's value under its name.

The script runs the live time budget (Start, the clock, the budget bar with the current section, on time or
behind) and keeps everything in the browser's storage under a key made of the packet's identity and who is
interviewed by whom, so a reload loses nothing; "Save marks" downloads ``…-marks.json``.

All bank and user text goes through :func:`exporter.text.typeset` and is HTML-escaped; the page data the
script reads is JSON with ``<`` escaped, so no text can close a tag. No date or time of the run is written:
the file is byte-identical from run to run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import marks
from .. import scorecard_format as form
from ..model import Packet, PacketQuestion, Section
from ..scoring import VOTES
from ..text import typeset
from . import Renderer, RenderMemo

HERE = Path(__file__).parent


def esc(value: str) -> str:
    """Bank or user text as the page shows it: typeset, then escaped for HTML text and attribute values."""
    return html.escape(typeset(value), quote=True)


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def page_data(packet: Packet) -> str:
    """What the script needs beyond the page itself, as JSON that cannot end the ``<script>`` it stands in."""
    who = [packet.identity, packet.candidate, packet.interviewer, packet.date.isoformat() if packet.date else ""]
    data: dict[str, Any] = {
        "storage": "packet-kit:" + hashlib.sha256("\0".join(who).encode()).hexdigest()[:24],
        "format": marks.FORMAT,
        "identity": form.description(packet),
        "marksFile": f"{packet.role}{marks.SUFFIX}",
        # Saved with the marks, so the debrief can quote a signal several interviewers marked.
        "signals": {
            pq.label: {
                "great": [typeset(s) for s in pq.question.great_signals],
                "negative": [typeset(s) for s in pq.question.negative_signals],
            }
            for pq in packet.questions
        },
        "minutes": packet.minutes,
        "sections": [
            {
                "title": typeset(s.title),
                "label": s.question.label if s.question else "",
                "start": s.start,
                "end": s.end,
                "backup": s.backup is not None,
            }
            for s in packet.sections
        ],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def section_id(index: int) -> str:
    return f"section-{index + 1}"


class Page:
    """The kit's HTML for one packet, built line by line."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet

    def render(self) -> str:
        style = (HERE / "kit.css").read_text(encoding="utf-8")
        script = (HERE / "kit.js").read_text(encoding="utf-8")
        policy = (
            f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
            "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
        )
        p = self.packet
        head = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(f'{p.title} — interview kit')}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
        ]
        body = [*self.top(), '<main id="main">', *self.sections(), *self.verdict(), *self.scale(), "</main>"]
        tail = [
            f'<script type="application/json" id="kit-data">{page_data(p)}</script>',
            f"<script>{script}</script>",
            "</body>",
            "</html>",
        ]
        return "\n".join([*head, *body, *tail]) + "\n"

    # -- the bar at the top: who, the clock, the budget ---------------------------------------------------------

    def top(self) -> Iterator[str]:
        p = self.packet
        when = [f"{p.date:%a} {p.date.day} {p.date:%b %Y}" if p.date else "", f"{p.minutes} min"]
        if p.start:
            when.append(f"starts {p.start}")
        yield '<header class="top">'
        yield '<div class="who">'
        yield f'<h1>{esc(p.title)} <span class="level">{esc(p.level)}</span></h1>'
        yield f'<p class="when">{esc(" · ".join(w for w in when if w))}</p>'
        yield '<div class="people">'
        yield from self.text_field(form.CANDIDATE, "Candidate", p.candidate)
        yield from self.text_field(form.INTERVIEWER, "Interviewer", p.interviewer)
        date = p.date.isoformat() if p.date else ""
        yield f'<input type="hidden" name="{form.INTERVIEW_DATE}" value="{date}" data-cell>'
        yield "</div></div></header>"
        yield '<div class="live">'
        yield '<div class="clock" role="group" aria-label="Clock">'
        yield '<button type="button" id="start" class="primary">Start</button>'
        yield '<p class="time"><span id="elapsed">0:00</span> elapsed · <span id="remaining">'
        yield f"{p.minutes}:00</span> left</p>"
        yield '<p id="status" class="status" role="status" aria-live="polite">Not started</p>'
        yield "</div>"
        yield '<nav class="budget" aria-label="Sections: time budget"><ol id="bar">'
        for index, section in enumerate(p.sections):
            yield from self.bar_entry(index, section)
        yield '</ol><div class="now" id="now" aria-hidden="true"></div></nav>'
        yield '<p class="keys">Keys: <kbd>←</kbd> <kbd>→</kbd> section · <kbd>x</kbd> tick the focused signal · '
        yield '<kbd>n</kbd> notes · <kbd>p</kbd> start or pause · <button type="button" id="save">Save marks</button>'
        yield '<span id="saved" role="status" aria-live="polite"></span></p>'
        yield "</div>"

    def text_field(self, name: str, caption: str, value: str) -> Iterator[str]:
        yield f'<label>{caption} <input type="text" name="{name}" value="{esc(value)}" data-cell></label>'

    def bar_entry(self, index: int, section: Section) -> Iterator[str]:
        label = section.question.label if section.question else ""
        badge = f'<span class="badge">{esc(label)}</span> ' if label else ""
        yield (
            f'<li data-minutes="{section.minutes}">'
            f'<a href="#{section_id(index)}" data-section="{index}">{badge}'
            f'<span class="name">{esc(section.title)}</span> '
            f'<span class="span">{esc(section.time_range)}</span></a></li>'
        )

    # -- the sections ---------------------------------------------------------------------------------------------

    def sections(self) -> Iterator[str]:
        for index, section in enumerate(self.packet.sections):
            yield f'<section id="{section_id(index)}" class="section {section.kind}" data-index="{index}">'
            if section.question is None:
                yield f'<h2 tabindex="-1">{esc(section.title)} {self.timing(section)}</h2>'
            else:
                yield from self.question(section.question, section, level=2)
                if section.backup is not None:
                    yield from self.backup(section.backup, section.question)
            yield "</section>"

    def timing(self, section: Section) -> str:
        return f'<span class="timing">{esc(f"{section.minutes} min · {section.time_range}")}</span>'

    def question(self, pq: PacketQuestion, section: Section | None, level: int) -> Iterator[str]:
        entry = pq.question
        key = marks.packet_key(pq)
        timing = f" {self.timing(section)}" if section else ""
        yield (
            f'<h{level} tabindex="-1"><span class="badge">{esc(pq.label)}</span> {esc(entry.title)}{timing}</h{level}>'
        )
        yield f'<p class="goal"><strong>Goal — {esc(pq.category.label)}:</strong> {esc(entry.goal)}</p>'
        yield f'<p class="ask">{esc(entry.text)}</p>'
        if entry.follow_ups:
            yield '<ul class="follow-ups">'
            yield from (f"<li><strong>Follow-up:</strong> {esc(f)}</li>" for f in entry.follow_ups)
            yield "</ul>"
        great, negative = form.signal_names(key, len(entry.great_signals), len(entry.negative_signals))
        yield '<div class="signals">'
        yield from self.signal_list("great", "Great answer", great, entry.great_signals)
        yield from self.signal_list("negative", "Negative signals", negative, entry.negative_signals)
        yield "</div>"
        if entry.technologies:
            groups = " · ".join(
                f"<strong>{esc(group)}:</strong> {esc(', '.join(names))}" for group, names in entry.technologies.items()
            )
            yield f'<p class="tech">{groups}</p>'
        yield '<div class="judge">'
        yield (
            f'<label class="asked"><input type="checkbox" name="{form.asked(key)}" value="Yes" data-cell> '
            f"Asked question {esc(pq.label)}</label>"
        )
        yield from self.rating(pq, key)
        yield "</div>"
        notes = form.notes(key)
        yield f'<label class="notes-label" for="{notes}">Notes on {esc(pq.label)}</label>'
        yield f'<textarea id="{notes}" name="{notes}" rows="3" class="notes" data-cell></textarea>'
        yield f'<div class="printed" data-mirror="{notes}"></div>'

    def signal_list(self, kind: str, caption: str, names: Sequence[str], signals: Sequence[str]) -> Iterator[str]:
        sign = "+" if kind == "great" else "\u2212"
        yield f'<fieldset class="{kind}"><legend>{caption}</legend>'
        for name, signal in zip(names, signals):
            yield (
                f'<label class="signal"><input type="checkbox" name="{name}" value="Yes" data-cell>'
                f'<span class="sign" aria-hidden="true">{sign}</span> {esc(signal)}</label>'
            )
        yield "</fieldset>"

    def rating(self, pq: PacketQuestion, key: form.Key) -> Iterator[str]:
        name = form.rating(key)
        anchors = pq.question.rating_anchors or tuple(level.anchor for level in self.packet.layout.rating_scale)
        yield f'<fieldset class="rating"><legend>Rating for {esc(pq.label)}</legend>'
        yield f'<label><input type="radio" name="{name}" value="" data-cell checked> none</label>'
        for level, anchor in zip(self.packet.layout.rating_scale, anchors):
            yield (
                f'<label title="{esc(anchor)}"><input type="radio" name="{name}" value="{level.score}" data-cell> '
                f"{level.score} {esc(level.label)}</label>"
            )
        yield "</fieldset>"

    def backup(self, backup: PacketQuestion, main: PacketQuestion) -> Iterator[str]:
        when = backup.backup_when or f"question {main.label} does not suit"
        yield '<details class="backup">'
        yield f"<summary>Backup {esc(backup.label)} — use when: {esc(when)}</summary>"
        yield from self.question(backup, None, level=3)
        yield "</details>"

    # -- the verdict and the scale --------------------------------------------------------------------------------

    def verdict(self) -> Iterator[str]:
        yield '<section id="verdict" class="verdict" aria-labelledby="verdict-heading">'
        yield '<h2 id="verdict-heading" tabindex="-1">Your vote and take-aways</h2>'
        yield '<fieldset class="vote"><legend>Vote</legend>'
        vote = form.VOTE
        yield f'<label><input type="radio" name="{vote}" value="" data-cell checked> not yet</label>'
        for choice in VOTES:
            yield f'<label><input type="radio" name="{vote}" value="{choice}" data-cell> {choice}</label>'
        yield "</fieldset>"
        takeaways = form.TAKEAWAYS
        yield f'<label class="notes-label" for="{takeaways}">Key take-aways</label>'
        yield f'<textarea id="{takeaways}" name="{takeaways}" rows="4" class="notes" data-cell></textarea>'
        yield f'<div class="printed" data-mirror="{takeaways}"></div>'
        yield "</section>"

    def scale(self) -> Iterator[str]:
        yield '<section class="scale" aria-labelledby="scale-heading"><h2 id="scale-heading">Rating scale</h2><dl>'
        for level in self.packet.layout.rating_scale:
            yield f"<dt>{level.score} {esc(level.label)}</dt><dd>{esc(level.anchor)}</dd>"
        yield "</dl></section>"


class KitRenderer(Renderer):
    name = "html"
    extension = "html"
    suffix = "-kit"

    def render(self, packet: Packet, path: Path, memo: RenderMemo | None = None) -> None:
        path.write_bytes(Page(packet).render().encode("utf-8"))
