"""Change freezes (seed 004 §4.1, control): windows in which no change is carried out but an
emergency one, e.g. the year-end closing. Configured as `[[change_freeze]]` (code, en, zh, start,
end, and optionally allow_standard) in config/changes.toml; desk.config_rules checks them.

Scheduling a change, or approving a normal one, whose planned window overlaps a freeze is refused
with a message naming the freeze and its window. An emergency change goes ahead: its history row
records the freeze it was carried out in. A standard change is refused too by default (a freeze is
about risk in a critical period, and pre-approved is not risk-free), unless the freeze says
`allow_standard = true`: it then goes ahead like an emergency one, its history naming the freeze.
Pure rules, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from desk.domain.errors import ValidationError

EMERGENCY = "emergency"
STANDARD = "standard"


class Freeze(NamedTuple):
    code: str
    en: str
    zh: str
    start: datetime
    end: datetime
    allow_standard: bool = False  # standard changes go ahead in it (recorded, as emergency ones)

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
    found = [Freeze(str(e["code"]), str(e["en"]), str(e["zh"]), moment(e["start"]), moment(e["end"], end=True),
                    e.get("allow_standard", False) is True) for e in entries]
    return tuple(sorted(found, key=lambda f: (f.start, f.code)))


def overlapping(freezes, start: datetime | None, end: datetime | None) -> Freeze | None:
    """The first freeze the window [start, end) overlaps, if any."""
    met = meeting(freezes, start, end)
    return met[0] if met else None


def meeting(freezes, start: datetime | None, end: datetime | None) -> list[Freeze]:
    """Every freeze the window [start, end) overlaps, earliest first."""
    if start is None or end is None:
        return []
    return [freeze for freeze in freezes if start < freeze.end and end > freeze.start]


def lets_through(freeze: Freeze, change_type: str) -> bool:
    """Whether a change of this type goes ahead in the freeze (its history then names the freeze)."""
    return change_type == EMERGENCY or (change_type == STANDARD and freeze.allow_standard)


def check(freezes, change_type: str, start: datetime | None, end: datetime | None) -> dict:
    """What a step that fixes or approves this window must do about freezes: {} (none met), the
    history's record of the freeze (a change the freezes it meets let through), or Frozen (the
    first freeze met that refuses it: a window may span two freezes, one letting standard changes
    through and one not)."""
    met = meeting(freezes, start, end)
    if not met:
        return {}
    refusing = [freeze for freeze in met if not lets_through(freeze, change_type)]
    if not refusing:
        return {"_recorded": {"freeze": [None, met[0].code]}}
    freeze = refusing[0]
    raise Frozen("change.error.frozen_but_standard" if freeze.allow_standard else "change.error.frozen", code=freeze.code, freeze_en=freeze.en, freeze_zh=freeze.zh,
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
