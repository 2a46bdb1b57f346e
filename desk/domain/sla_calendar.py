"""Business-hours calendars and business-time arithmetic (pure: no database, no clock).

A calendar says which instants count towards an SLA: working hours per weekday in a time zone,
public holidays (no hours) and make-up working days (调休: a Saturday or Sunday that is worked,
with the hours of a normal working day). "24x7" counts every instant.

Instants are naive UTC datetimes (what every timestamp column holds); the calendar turns each
local working day into UTC intervals, so a zone with daylight saving is handled day by day.

    hours spec: "24x7" | "HH:MM-HH:MM[,HH:MM-HH:MM…] DAYS", DAYS = daily | Mon-Fri | Mon,Wed,Sat
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from desk.domain.errors import Said

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_MAX_DAYS = 3700  # a target that no working hour within ten years can meet has no due time
_PAD_DAYS = 31  # days the running sum of working seconds starts before the first day asked for

Interval = tuple[int, int]  # minutes of the local day, [start, end); end may be 1440


class CalendarError(ValueError):
    """A calendar or an [sla] setting that cannot be used. `said`: why, as a message key and its
    values (config.sla.* and config.rule.*), put into the reader's language where it is shown;
    `where`: the setting at fault (`sla.calendars.office.hours`), whose line config validation
    names. str() is the English, for logs and tests."""

    def __init__(self, key: str, where: str = "sla", **params):
        super().__init__(key)
        self.where = where
        self.said = Said(key, {"setting": where, **params})

    def __str__(self) -> str:
        return self.said.text("en")


def listed(codes) -> str:
    """Codes a user may write, as a message lists them: `a`, `b`."""
    return ", ".join(f"`{c}`" for c in codes)


def parse_hours(spec: str, where: str = "sla") -> tuple[tuple[Interval, ...], ...] | None:
    """The weekly hours of a spec (seven tuples of intervals, Monday first); None for 24x7.
    `where`: the setting that gave it, for the CalendarError."""
    text = " ".join(str(spec).split()).lower()
    if text in ("24x7", "24/7", "always"):
        return None
    parts = text.split(" ")
    if len(parts) != 2:
        raise CalendarError("config.sla.hours_shape", where, value=repr(spec))
    spans, days = parts
    intervals = []
    for span in spans.split(","):
        m = _SPAN.match(span)
        if not m:
            raise CalendarError("config.sla.hours_span", where, value=repr(spec), span=repr(span))
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < end <= 1440) or m1 > 59 or m2 > 59:
            raise CalendarError("config.sla.hours_day", where, value=repr(spec), span=repr(span))
        intervals.append((start, end))
    intervals.sort()
    for (_, e1), (s2, _) in zip(intervals, intervals[1:]):
        if s2 < e1:
            raise CalendarError("config.sla.hours_overlap", where, value=repr(spec))
    return tuple(tuple(intervals) if on else () for on in _days(days, spec, where))


def _days(days: str, spec: str, where: str) -> list[bool]:
    if days in ("daily", "everyday"):
        return [True] * 7
    on = [False] * 7
    for part in days.split(","):
        ends = part.split("-")
        try:
            idx = [DAY_NAMES.index(e[:3]) for e in ends]
        except ValueError:
            raise CalendarError("config.sla.hours_days", where, value=repr(spec)) from None
        if len(idx) == 1:
            on[idx[0]] = True
        elif len(idx) == 2 and idx[0] <= idx[1]:
            for i in range(idx[0], idx[1] + 1):
                on[i] = True
        else:
            raise CalendarError("config.sla.hours_range", where, value=repr(spec), part=repr(part))
    return on


class Calendar:
    """Working time in one zone. `week`: None (24x7) or seven interval tuples, Monday first;
    `holidays`: dates without hours; `workdays`: make-up working days with `makeup` hours
    (default: the first weekday's hours that has any)."""

    __slots__ = ("name", "tz", "week", "holidays", "workdays", "makeup", "_days", "_cum", "_anchor")

    def __init__(self, name: str, tz: tzinfo, week, holidays=frozenset(), workdays=frozenset(), makeup=None):
        self.name = name
        self.tz = tz
        self.week = week
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        if makeup is None and week is not None:
            makeup = next((w for w in week if w), ())
        self.makeup = tuple(makeup or ())
        self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        self._cum: list[float] = []
        self._anchor: date | None = None

    @property
    def always(self) -> bool:
        return self.week is None

    def __repr__(self) -> str:
        return f"Calendar({self.name!r})"

    # --- one day ------------------------------------------------------------------------------
    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The local working intervals of a date."""
        if self.week is None:
            return ((0, 1440),)
        if day in self.holidays:
            return ()
        if day in self.workdays:
            return self.makeup
        return self.week[day.weekday()]

    def spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of a local date as naive UTC instants (cached)."""
        got = self._days.get(day)
        if got is None:
            got = tuple((self._utc(day, s), self._utc(day, e)) for s, e in self.hours_on(day))
            if len(self._days) > 20000:
                self._days.clear()
            self._days[day] = got
        return got

    def _utc(self, day: date, minute: int) -> datetime:
        local = datetime.combine(day, time()) + timedelta(minutes=minute)
        aware = local.replace(tzinfo=self.tz)
        return aware.astimezone(timezone.utc).replace(tzinfo=None)

    def local_date(self, instant: datetime) -> date:
        return instant.replace(tzinfo=timezone.utc).astimezone(self.tz).date()

    def _day_seconds(self, day: date) -> float:
        return sum((e - s).total_seconds() for s, e in self.spans(day))

    # --- cumulative working seconds, for long spans -------------------------------------------
    def _between(self, first: date, stop: date) -> float:
        """Working seconds of the local days [first, stop), from a running sum kept per calendar.
        The sum starts a little before the first day asked for and is extended backwards when an
        earlier one comes (it started 400 days back: ~500 days of zone arithmetic, ~3 ms of CPU
        before the queue's first frame could show its first business-hours clock)."""
        if self._anchor is None:
            self._anchor = first - timedelta(days=_PAD_DAYS)
            self._cum = [0.0]
        elif first < self._anchor:
            anchor = first - timedelta(days=max(_PAD_DAYS, (self._anchor - first).days))
            head = [0.0]
            day = anchor
            while day < self._anchor:
                head.append(head[-1] + self._day_seconds(day))
                day += timedelta(days=1)
            shift = head.pop()
            self._cum = head + [shift + c for c in self._cum]
            self._anchor = anchor
        index = (stop - self._anchor).days
        while len(self._cum) <= index:
            d = self._anchor + timedelta(days=len(self._cum) - 1)
            self._cum.append(self._cum[-1] + self._day_seconds(d))
        return self._cum[index] - self._cum[(first - self._anchor).days]

    # --- arithmetic ----------------------------------------------------------------------------
    def seconds(self, start: datetime, end: datetime) -> float:
        """Working seconds in [start, end) (0 when end <= start)."""
        if end <= start:
            return 0.0
        if self.week is None:
            return (end - start).total_seconds()
        first, last = self.local_date(start), self.local_date(end)
        # Spans of the days around each end, clipped; whole days between from the running sum.
        first -= timedelta(days=1)
        last += timedelta(days=1)
        if (last - first).days <= 4:
            return self._clipped(first, last, start, end)
        inner_from, inner_to = first + timedelta(days=2), last - timedelta(days=2)
        total = self._between(inner_from, inner_to)
        total += self._clipped(first, inner_from, start, end)
        total += self._clipped(inner_to, last + timedelta(days=1), start, end)
        return total

    def _clipped(self, first: date, stop: date, start: datetime, end: datetime) -> float:
        total = 0.0
        day = first
        while day < stop:
            for s, e in self.spans(day):
                lo, hi = max(s, start), min(e, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total

    def add(self, start: datetime, seconds: float) -> datetime | None:
        """The first instant at which `seconds` of working time have passed since `start`
        (`start` itself for 0). None when no working time within ten years suffices."""
        if seconds <= 0:
            return start
        if self.week is None:
            return start + timedelta(seconds=seconds)
        left = float(seconds)
        day = self.local_date(start) - timedelta(days=1)
        # Span by span while a day can hold `start` (the local day before its date, in UTC, can);
        # whole days after that are skipped through the running sum (a demo of a million
        # incidents added ~20 business days to most of them, day by day).
        for _ in range(2):
            for s, e in self.spans(day):
                if e <= start:
                    continue
                lo = max(s, start)
                have = (e - lo).total_seconds()
                if have >= left:
                    return lo + timedelta(seconds=left)
                left -= have
            day += timedelta(days=1)
        day = self._whole_days(day, left)
        if day is None:
            return None
        day, left = day
        for s, e in self.spans(day):
            have = (e - s).total_seconds()
            if have >= left:
                return s + timedelta(seconds=left)
            left -= have
        raise AssertionError("the running sum and the day's spans disagree")  # pragma: no cover

    def _whole_days(self, first: date, left: float) -> tuple[date, float] | None:
        """(the day, from `first` on, in which `left` working seconds run out; what is left of them
        at its start), or None when no day within _MAX_DAYS of the walk's start suffices. Sums of
        whole seconds, exact in floats: the same day and remainder as adding day by day."""
        self._between(first, first)  # anchors the running sum at or before `first`
        base = (first - self._anchor).days
        cum = self._cum
        at_base = cum[base]
        stop = base + _MAX_DAYS - 2
        while cum[-1] - at_base < left:
            if len(cum) - 1 >= stop:
                return None
            self._between(first, self._anchor + timedelta(days=min(stop, len(cum) - 1 + 64)))
            cum = self._cum
        end = bisect_left(cum, left, base + 1, key=lambda c: c - at_base)  # days [first, end) suffice
        if end > stop:
            return None
        return self._anchor + timedelta(days=end - 1), left - (cum[end - 1] - at_base)


def holiday_dates(values, where: str) -> frozenset[date]:
    """Dates from config: 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD' (inclusive ranges)."""
    out = set()
    for value in values or ():
        text = str(value).strip()
        try:
            if ".." in text:
                a, b = (date.fromisoformat(x.strip()) for x in text.split("..", 1))
                if b < a:
                    raise ValueError
                out.update(a + timedelta(days=i) for i in range((b - a).days + 1))
            else:
                out.add(date.fromisoformat(text))
        except ValueError:
            raise CalendarError("config.sla.holiday_date", where, value=repr(value)) from None
    return frozenset(out)


def zone(name: str, where: str = "sla.timezone") -> tzinfo:
    """The time zone of a name (`Asia/Shanghai`); CalendarError naming the setting `where`."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError("config.sla.zone", where, value=repr(name)) from None


def build_calendars(section: dict) -> dict[str, Calendar]:
    """The calendars of the [sla] section: `timezone`, `[sla.holidays.<set>]` (off, work) and
    `[sla.calendars.<name>]` (hours, holidays = set name or ""). '24x7' always exists."""
    tz = zone(section.get("timezone", "UTC"), "sla.timezone")
    sets: dict[str, tuple[frozenset, frozenset]] = {}
    for name, spec in (section.get("holidays") or {}).items():
        if not isinstance(spec, dict):
            raise CalendarError("config.sla.holidays_table", f"sla.holidays.{name}", value=repr(spec))
        off = holiday_dates(spec.get("off"), f"sla.holidays.{name}.off")
        work = holiday_dates(spec.get("work"), f"sla.holidays.{name}.work")
        both = off & work
        if both:
            raise CalendarError("config.sla.holiday_both", f"sla.holidays.{name}", day=min(both).isoformat())
        sets[name] = (off, work)
    calendars = {"24x7": Calendar("24x7", tz, None)}
    for name, spec in (section.get("calendars") or {}).items():
        if not isinstance(spec, dict) or "hours" not in spec:
            raise CalendarError("config.sla.calendar_table", f"sla.calendars.{name}", value=repr(spec))
        week = parse_hours(spec["hours"], f"sla.calendars.{name}.hours")
        set_name = spec.get("holidays", "")
        if not isinstance(set_name, str):  # (a list here would fail as an unhashable key below)
            raise CalendarError("config.sla.holiday_set", f"sla.calendars.{name}.holidays", value=repr(set_name))
        if set_name and set_name not in sets:
            raise CalendarError("config.sla.holiday_set", f"sla.calendars.{name}.holidays", value=repr(set_name))
        off, work = sets.get(set_name, (frozenset(), frozenset()))
        makeup = spec.get("makeup") or None
        if makeup is not None:
            if not isinstance(makeup, str):
                raise CalendarError("config.rule.wrong_type", f"sla.calendars.{name}.makeup", type=Said("config.type.str"),
                                    value=repr(makeup))
            makeup = parse_hours(makeup + " daily", f"sla.calendars.{name}.makeup")[0]
        calendars[name] = Calendar(name, tz, week, off, work, makeup)
    return calendars


def calendar_for_hours(spec: str, tz: tzinfo, holidays: tuple[frozenset, frozenset] | None = None) -> Calendar:
    """A calendar from a service's hours text ('08:00-18:00 Mon-Fri'), with a holiday set."""
    off, work = holidays or (frozenset(), frozenset())
    return Calendar(spec, tz, parse_hours(spec), off, work)


__all__ = ["Calendar", "CalendarError", "build_calendars", "calendar_for_hours", "holiday_dates", "listed",
           "parse_hours", "zone"]
