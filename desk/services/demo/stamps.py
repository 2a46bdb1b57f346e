"""Times as text, fast: a bulk writer formats millions of timestamps (a history row's time as it is
stored, "2026-11-02 09:00:00", and as its hash covers it, "2026-11-02T09:00:00.000000"); a
strftime each was a tenth of the demo's time. Whole seconds since the epoch (naive UTC) in."""

from __future__ import annotations

from datetime import datetime, timedelta

HMS: list[str] = []  # "HH:MM:SS" of each second of a day
DAYS: dict[int, tuple[str, str]] = {}  # day since the epoch -> ("YYYY-MM-DD ", "YYYY-MM-DDT")


def hms() -> list[str]:
    if not HMS:
        HMS.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400))
    return HMS


def day(number: int) -> tuple[str, str]:
    found = DAYS.get(number)
    if found is None:
        text = (datetime(1970, 1, 1) + timedelta(days=number)).strftime("%Y-%m-%d")
        found = DAYS[number] = (text + " ", text + "T")
    return found


def stamp(seconds: int) -> tuple[str, str]:
    """(the time as stored, as history_chain.canonical_time writes it) of an epoch second."""
    d, r = divmod(seconds, 86400)
    first, second = DAYS.get(d) or day(d)
    clock = (HMS or hms())[r]
    return first + clock, second + clock + ".000000"
