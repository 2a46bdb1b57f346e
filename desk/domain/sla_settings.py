"""The [sla] section of the configuration as the engine uses it (pure: built from plain dicts).

`SlaSettings.from_config(section, priorities)` builds the calendars once; `calendar(name, hours)`
picks a ticket's calendar: the name its service version gives, else its service's hours text,
else the default. `targets(priority, service_sla)` falls back to the [[priority]] defaults.
`pausing(entity)`: the statuses of a kind of ticket that pause its clock, each with the reason
its ledger row records ([sla.pausing.<kind>]).
"""

from __future__ import annotations

from datetime import tzinfo

from desk.domain.errors import Said
from desk.domain.sla import Targets
from desk.domain.sla_calendar import Calendar, CalendarError, build_calendars, calendar_for_hours, listed
from desk.domain.sla_clock import DEFAULT_WARNING, REOPEN_PAUSED, REOPEN_POLICIES, targets_for

KEYS = {"timezone": str, "warning": (int, float), "default_calendar": str, "pause_reasons": list,
        "holidays": dict, "calendars": dict, "escalation": dict, "pausing": dict, "reopen_gap": str}
# A setting's type as config.type.NAME calls it.
TYPE_NAMES = {str: "str", (int, float): "number", list: "list", dict: "dict"}


class SlaSettings:
    def __init__(self, section: dict, defaults: dict[str, Targets]):
        for key, value in section.items():
            if key not in KEYS:
                raise CalendarError("config.rule.unknown_setting", f"sla.{key}")
            if not isinstance(value, KEYS[key]) or isinstance(value, bool):
                raise CalendarError("config.rule.wrong_type", f"sla.{key}", type=Said(f"config.type.{TYPE_NAMES[KEYS[key]]}"),
                                    value=repr(value))
        self.section = section
        self.calendars = build_calendars(section)
        self.tz: tzinfo = self.calendars["24x7"].tz
        self.warning = float(section.get("warning", DEFAULT_WARNING))
        if not 0 < self.warning < 1:
            raise CalendarError("config.sla.warning", "sla.warning", value=section.get("warning"))
        self.default_calendar = str(section.get("default_calendar", "24x7"))
        if self.default_calendar not in self.calendars:
            raise CalendarError("config.sla.default_calendar", "sla.default_calendar", value=repr(self.default_calendar),
                                known=listed(self.calendars))
        self.pause_reasons = tuple(str(r) for r in section.get("pause_reasons", ("caller", "vendor")))
        self.defaults = defaults
        _check_escalation(section.get("escalation", {}))
        self._pausing = _check_pausing(section.get("pausing", {}), self.pause_reasons)
        self.reopen_gap = str(section.get("reopen_gap", REOPEN_PAUSED))
        if self.reopen_gap not in REOPEN_POLICIES:
            raise CalendarError("config.sla.reopen_gap", "sla.reopen_gap", value=repr(self.reopen_gap),
                                known=listed(REOPEN_POLICIES))
        default_set = self._holiday_set()
        self._holidays = (default_set.holidays, default_set.workdays) if default_set else None
        self._by_hours: dict[str, Calendar] = {}
        self.row_terms: dict = {}  # service id -> its terms, for the queue's SLA column (desk.services.sla_terms.warm)

    def calendar_label(self, name: str | None, lang: str) -> str | None:
        """A calendar's name for readers, in `lang` (`en`, `zh` in its [sla.calendars.<name>]
        table), else None (no label: its name is what is shown)."""
        spec = (self.section.get("calendars") or {}).get(name or "")
        if not isinstance(spec, dict):
            return None
        label = spec.get(lang) or spec.get("en")
        return str(label) if label else None

    def _holiday_set(self) -> Calendar | None:
        return next((c for c in self.calendars.values() if c.holidays or c.workdays), None)

    def calendar(self, name: str | None = None, hours: str | None = None) -> Calendar:
        """The calendar named, else one from a service's hours text, else the default."""
        if name and name in self.calendars:
            return self.calendars[name]
        if hours:
            got = self._by_hours.get(hours)
            if got is None:
                try:
                    got = calendar_for_hours(hours, self.tz, self._holidays)
                except CalendarError:
                    got = self.calendars[self.default_calendar]
                self._by_hours[hours] = got
            return got
        return self.calendars[self.default_calendar]

    def targets(self, priority, service_sla: dict | None = None) -> Targets | None:
        return targets_for(priority, service_sla, self.defaults.get(str(priority)))

    def pausing(self, entity: str) -> dict[str, str]:
        """{status: pause reason} of a kind of ticket ({} : no status pauses its clock)."""
        return self._pausing.get(entity, {})


RECIPIENTS = ("assignee", "owner", "group_lead", "shift_lead")


def _check_escalation(table: dict) -> None:
    """[sla.escalation]: who is told at each stage, and which priority is announced when raised."""
    for key, value in table.items():
        if key == "raised_priority":
            if isinstance(value, bool) or not isinstance(value, int):
                raise CalendarError("config.sla.raised_priority", "sla.escalation.raised_priority", value=repr(value))
            continue
        if key not in ("warning", "breach", "raised"):
            raise CalendarError("config.sla.escalation_unknown", f"sla.escalation.{key}",
                                known=listed(("warning", "breach", "raised", "raised_priority")))
        if not isinstance(value, list) or any(v not in RECIPIENTS for v in value):
            raise CalendarError("config.sla.escalation_recipients", f"sla.escalation.{key}", value=repr(value),
                                known=listed(RECIPIENTS))


def _statuses() -> dict[str, frozenset[str]]:
    """The open statuses of each kind of ticket that has an SLA clock (a pausing status must be one)."""
    from desk.domain import incident_flow, request_statuses  # (not request_flow: see request_statuses)

    return {"incident": incident_flow.OPEN, "request": request_statuses.OPEN}


def _check_pausing(table: dict, reasons: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """[sla.pausing.<kind>]: status = "reason", for open statuses of that kind and reasons of
    sla.pause_reasons."""
    known = _statuses()
    out: dict[str, dict[str, str]] = {}
    for entity, statuses in table.items():
        if entity not in known:
            raise CalendarError("config.sla.pausing_kind", f"sla.pausing.{entity}", known=listed(sorted(known)))
        if not isinstance(statuses, dict):
            raise CalendarError("config.sla.pausing_table", f"sla.pausing.{entity}", value=repr(statuses))
        for status, reason in statuses.items():
            if status not in known[entity]:
                raise CalendarError("config.sla.pausing_status", f"sla.pausing.{entity}.{status}", status=status,
                                    kind=Said(f"entity.{entity}"), known=listed(sorted(known[entity])))
            if reason not in reasons:
                raise CalendarError("config.sla.pausing_reason", f"sla.pausing.{entity}.{status}", value=repr(reason),
                                    known=listed(reasons))
        out[entity] = {str(k): str(v) for k, v in statuses.items()}
    return out
