"""Change freezes (seed 004 §4.1, control): windows in which no change is carried out but an
emergency one, e.g. the year-end closing. Configured as `[[change_freeze]]` (code, en, zh, start,
end) in config/changes.toml; desk.config_rules checks them.

Scheduling a change, or approving a normal one, whose planned window overlaps a freeze is refused
with a message naming the freeze and its window. An emergency change goes ahead: its history row
records the freeze it was carried out in. Pure rules, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from desk.domain.errors import ValidationError

EMERGENCY = "emergency"


class Freeze(NamedTuple):
    code: str
    en: str
    zh: str
    start: datetime
    end: datetime

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Frozen(ValidationError):
    """A change's window overlaps a freeze: the message names the freeze in the reader's language."""

    def labelled(self, lang: str = "en") -> dict:
        params = super().labelled(lang)
        params["freeze"] = params.get("freeze_zh" if lang == "zh" else "freeze_en") or params.get("code", "")
        return params


def moment(value, end: bool = False) -> datetime | None:
    """A TOML local date-time, or a date (its start; as an end, the end of that day)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        day = datetime.combine(value, time())
        return day + timedelta(days=1) if end else day
    return None


def from_config(entries) -> tuple[Freeze, ...]:
    """The configured freezes (entries already checked by desk.config_rules), earliest first."""
    found = [Freeze(str(e["code"]), str(e["en"]), str(e["zh"]), moment(e["start"]), moment(e["end"], end=True))
             for e in entries]
    return tuple(sorted(found, key=lambda f: (f.start, f.code)))


def overlapping(freezes, start: datetime | None, end: datetime | None) -> Freeze | None:
    """The first freeze the window [start, end) overlaps, if any."""
    if start is None or end is None:
        return None
    for freeze in freezes:
        if start < freeze.end and end > freeze.start:
            return freeze
    return None


def check(freezes, change_type: str, start: datetime | None, end: datetime | None) -> dict:
    """What a step that fixes or approves this window must do about freezes: {} (none met), the
    history's record of the freeze (an emergency change), or Frozen (any other change)."""
    freeze = overlapping(freezes, start, end)
    if freeze is None:
        return {}
    if change_type == EMERGENCY:
        return {"_recorded": {"freeze": [None, freeze.code]}}
    raise Frozen("change.error.frozen", code=freeze.code, freeze_en=freeze.en, freeze_zh=freeze.zh,
                 start=freeze.start.strftime("%Y-%m-%d %H:%M"), end=freeze.end.strftime("%Y-%m-%d %H:%M"))


def days_frozen(freezes, first: date, count: int = 7) -> dict[date, Freeze]:
    """For a calendar: each of `count` days from `first` that a freeze covers (in part), and the freeze."""
    out: dict[date, Freeze] = {}
    for n in range(count):
        day = first + timedelta(days=n)
        found = overlapping(freezes, datetime.combine(day, time()), datetime.combine(day, time()) + timedelta(days=1))
        if found is not None:
            out[day] = found
    return out
