"""The Markdown shape of a bank question: the labels `packet export --markdown` writes and `packet import` reads.

One source of truth for both directions. Labels are the hiring manager's own words from the conversation the
bank was drafted in ("Goal", "A great answer will mention", "Negative signals to look out for include",
"Technologies that may be mentioned"); :func:`field_of` also knows the other ways people write them ("Warning
signs", "Technologies that may come up", "Main Question", "Categories Covered", …). docs/formats.md shows the
shape with an example.
"""

from __future__ import annotations

import re
import unicodedata

# The label each field is written with, in the order a question's block lists them.
LABELS = {
    "question": "Question",
    "goal": "Goal",
    "great": "A great answer will mention",
    "negative": "Negative signals to look out for include",
    "technologies": "Technologies that may be mentioned",
    "follow_ups": "Follow-ups",
    "variants": "Earlier wordings",
    "rating_anchors": "Rating anchors",
    "categories": "Categories",
    "teams": "Teams",
    "domains": "Domains",
    "backup_for": "Backup for",
    "backup_when": "Use when",
    "id": "Id",
    "source": "Source",
}

# How people write each label: matched against the label lower-cased, its spaces collapsed and its
# parenthesis kept, except an earlier wording's label: "Earlier wording (original)". First match wins.
_FIELD_PATTERNS = [
    ("question", r"(main |interview |the )?question( \d+)?"),
    ("questions", r"(main |interview |sample |the )?questions"),
    ("follow_ups", r"follow[- ]?ups?( questions?)?"),
    ("goal", r"(the )?goals?"),
    ("great", r"((a|what a) )?(great|strong|good) answers?\b.*|(positive|green) (signals?|flags?)\b.*"),
    ("negative", r"(negative|warning|red) (signals?|signs?|flags?)\b.*"),
    ("technologies", r"technolog(y|ies)\b.*"),
    ("categories", r"categor(y|ies)\b.*"),
    ("variants", r"(earlier|original|previous|other|alternative) wordings?|variants?"),
    ("rating_anchors", r"rating anchors?|ratings"),
    ("teams", r"teams?"),
    ("domains", r"domains?"),
    ("backup_for", r"backup for|back-up for"),
    ("backup_when", r"use when|backup when|switch when"),
    ("id", r"id"),
    ("title", r"title"),
    ("source", r"source"),
]
_FIELDS = [(field, re.compile(pattern)) for field, pattern in _FIELD_PATTERNS]
_VARIANTS = dict(_FIELDS)["variants"]

TEXT_FIELDS = frozenset({"question", "goal", "backup_for", "backup_when", "id", "title", "source"})
"""Fields that hold one text; the others hold a list (or, for categories, weights)."""


def field_of(label: str) -> tuple[str | None, str]:
    """The field a label names, or None, and the label's parenthesis: ``"Earlier wording (original)"`` →
    ``("variants", "original")``."""
    words = " ".join(label.lower().split())
    bracketed = re.fullmatch(r"(.*?)\s*\((.*)\)", words)
    if bracketed and _VARIANTS.fullmatch(bracketed.group(1)):
        return "variants", label[label.index("(") + 1 : label.rindex(")")].strip()
    for field, pattern in _FIELDS:
        if pattern.fullmatch(words):
            return field, ""
    return None, ""


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased and without accents, for matching names loosely."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("\u2019", ""))
    return re.findall(r"[a-z0-9]+", "".join(c for c in folded if c.isascii()))


def format_weights(weights: dict[str, float], names: dict[str, str]) -> str:
    """A category note: ``World-class at running this team: 1, Outstanding operationally: 0.5``."""
    return ", ".join(f"{names.get(cid, cid)}: {weight:g}" for cid, weight in weights.items())
