"""Text hygiene shared by every output: characters XML cannot hold are dropped, with a warning."""

from __future__ import annotations

import re

from .errors import warn

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates,
# U+FFFE and U+FFFF. Word and Excel files are XML, so anything else would corrupt them.
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str, field: str) -> str:
    """``text`` without XML-forbidden characters; warns naming ``field`` when any were dropped."""
    found = _FORBIDDEN.findall(text)
    if not found:
        return text
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    warn(f"{field}: dropped {len(found)} control character{'s' if len(found) > 1 else ''} ({codes})")
    return _FORBIDDEN.sub("", text)
