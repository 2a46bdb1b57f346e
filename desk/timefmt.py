"""Instants as a person reads and types them: in the desk's zone, the `[sla] timezone`.

Every instant is stored as naive UTC. Shown as stored, the same moment read "due 03:00" on one
screen and "due 11:00" on another (the SLA texts were already local); so every screen and every
CLI text output formats instants here, and every time a user types is read here, in the one zone
the business hours are read in. A second display setting would let the two disagree again, so
there is none. JSON output and exports keep UTC ISO (a format scripts depend on).

Pure: no textual, no database. `zone(config)` reads the name without building the SLA calendars
(the header clock needs it while the app starts)."""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache

MINUTE = "%Y-%m-%d %H:%M"
SHORT = "%m-%d %H:%M"
EMPTY = "—"


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    from desk.domain.sla_calendar import zone as named  # the same lookup the calendars use

    return named(name)


def zone(config) -> tzinfo:
    """The zone a desk shows times in (its `[sla] timezone`; UTC when none is set)."""
    data = getattr(config, "data", None) or {}
    return _zone(str((data.get("sla") or {}).get("timezone", "UTC")))


def zone_label(tz) -> str:
    """'Asia/Shanghai' (a zone's name as the config gives it), or 'UTC'."""
    return str(getattr(tz, "key", None) or tz or "UTC")


def local(value: datetime | None, tz) -> datetime | None:
    """A stored instant (naive UTC) as the wall-clock time of `tz` (naive); None stays None."""
    if value is None or tz is None:
        return value
    return value.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)


def when(value: datetime | None, tz, fmt: str = MINUTE, empty: str = EMPTY) -> str:
    """'2026-11-02 17:00' for 09:00 UTC in Asia/Shanghai; `empty` for no instant."""
    return local(value, tz).strftime(fmt) if value else empty


def short(value: datetime | None, tz, empty: str = "") -> str:
    """'11-02 17:00': a list cell's or a calendar's time."""
    return when(value, tz, SHORT, empty)


def local_day(value: datetime, tz) -> date:
    """The day of `tz` an instant falls on."""
    return local(value, tz).date()


def to_utc(value: datetime | None, tz) -> datetime | None:
    """A time a user typed (the zone's wall clock; or aware, then its own offset) as stored UTC."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=tz or timezone.utc)
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def parse(text: str, tz) -> datetime:
    """'2026-11-03 09:00' (or ISO with 'T', seconds, an offset) typed in `tz` -> stored UTC.
    ValueError for text that is not a time."""
    return to_utc(datetime.fromisoformat(text.strip().replace("T", " ", 1)), tz)


# History fields whose values are instants (recorded as ISO text in UTC: change windows)
INSTANT_FIELDS = frozenset({"planned_start", "planned_end", "actual_start", "actual_end"})


def recorded(name: str, value, tz) -> str | None:
    """A history row's value of an instant field, as shown ('2026-12-08 09:00'); None when the
    field holds no instant (the caller shows the value as it is)."""
    if name not in INSTANT_FIELDS or not isinstance(value, str):
        return None
    try:
        return when(datetime.fromisoformat(value).replace(tzinfo=None), tz)
    except ValueError:
        return None
