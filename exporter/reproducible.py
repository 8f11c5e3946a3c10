"""The build time: ``SOURCE_DATE_EPOCH`` when it is set and sane, else now.

Every output that records when it was made (the guide's and the scorecard's properties and zip entries, the
cheat sheet's PDF dates) and the default interview date take it from here, so two runs with the same
``SOURCE_DATE_EPOCH`` give byte-identical files (https://reproducible-builds.org/specs/source-date-epoch/).

A value that is not a whole number of seconds from 0 to 253402300799 (9999-12-31 23:59:59 UTC, the last
moment Python's datetime holds) is ignored with one warning, as if it were unset. A valid value is clamped
to what a zip file (.docx, .xlsx) can record, 1980-01-01 to 2107-12-31, so ``SOURCE_DATE_EPOCH=0`` still
gives reproducible files.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import warn

LATEST_EPOCH = 253402300799
"""9999-12-31 23:59:59 UTC."""

ZIP_EARLIEST = 315532800
"""1980-01-01 00:00:00 UTC: a zip entry's time cannot be earlier."""

ZIP_LATEST = 4354819199
"""2107-12-31 23:59:59 UTC: a zip entry's time cannot be later."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds, clamped to 1980-2107; None when unset, empty or not valid."""
    return _parse(os.environ.get("SOURCE_DATE_EPOCH", ""))


@functools.lru_cache(maxsize=8)  # also says "ignored" once, not once per file written
def _parse(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+", text) or int(text) > LATEST_EPOCH:
        warn(
            f"SOURCE_DATE_EPOCH={raw!r} is not a whole number of seconds since 1970 from 0 to {LATEST_EPOCH}; "
            "it is ignored, so the files record the current time"
        )
        return None
    return min(max(int(text), ZIP_EARLIEST), ZIP_LATEST)


def build_time() -> dt.datetime:
    """When the outputs were made: ``SOURCE_DATE_EPOCH`` or now, in UTC without tzinfo and whole seconds."""
    epoch = source_date_epoch()
    moment = dt.datetime.now(dt.timezone.utc) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0)


def settle_environment() -> None:
    """Leave ``SOURCE_DATE_EPOCH`` in the environment only as the value :func:`source_date_epoch` uses.

    reportlab reads the variable itself and fails on anything but an integer; worker processes inherit the
    environment. So an ignored value is removed and a clamped one replaced, and every reader agrees.
    """
    if "SOURCE_DATE_EPOCH" not in os.environ:
        return
    epoch = source_date_epoch()
    if epoch is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def write_zip(target: Path | BinaryIO, entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> None:
    """A zip package (.docx, .xlsx) whose bytes depend only on ``entries`` and ``when``: every entry dated
    ``when`` (zip dates start in 1980), deflated, with the same permissions."""
    import zipfile  # here, not at the top: a cheat sheet alone never writes a zip

    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
