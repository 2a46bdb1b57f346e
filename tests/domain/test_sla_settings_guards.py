"""The [sla] settings' checks and look-ups (desk/domain/sla_settings.py; issue 19,
tools/mutants/domain_sla_settings.toml): each bad setting refused (a typo never passes silently),
each limit at its edge, and what a ticket's calendar, labels and targets fall back to."""

from __future__ import annotations

from datetime import date

import pytest

from desk.domain.sla import Targets
from desk.domain.sla_calendar import CalendarError
from desk.domain.sla_settings import SlaSettings

DEFAULTS = {"1": Targets(15, 240), "4": Targets(480, 4320)}
OFFICE = {"office": {"en": "Office hours", "zh": "办公时间", "hours": "08:00-18:00 Mon-Fri"},
          "night": {"en": "Night shift", "hours": "20:00-23:00 daily"}}


def settings(**section) -> SlaSettings:
    return SlaSettings(section, DEFAULTS)


@pytest.mark.parametrize("section", [
    {"colour": "red"},
    {"pause_reasons": "caller"},
    {"warning": 0},
    {"warning": 1},
    {"default_calendar": "business"},  # not defined here
    {"reopen_gap": "sometimes"},
    {"escalation": {"raised_priority": True}},
    {"escalation": {"late": ["assignee"]}},
    {"escalation": {"breach": ["assignee", "the_ceo"]}},
    {"pausing": {"problem": {"known_error": "vendor"}}},
    {"pausing": {"request": "awaiting_cost"}},
    {"pausing": {"request": {"closed": "caller"}}},
    {"pausing": {"request": {"awaiting_cost": "lunch"}}},
])
def test_each_bad_setting_is_refused(section):
    with pytest.raises(CalendarError):
        SlaSettings(section, DEFAULTS)


def test_the_edges_and_defaults_that_are_accepted():
    s = settings(warning=0.99, escalation={"raised_priority": 2, "breach": ["assignee", "shift_lead"]},
                 pausing={"request": {"awaiting_cost": "vendor"}})
    assert s.warning == 0.99 and s.pausing("request") == {"awaiting_cost": "vendor"} and s.pausing("incident") == {}
    assert settings(warning=0.01).warning == 0.01
    assert settings().reopen_gap == "paused"  # the time a ticket stood resolved does not count


def test_a_calendar_is_labelled_in_the_readers_language_else_in_english():
    s = settings(calendars=OFFICE)
    assert (s.calendar_label("office", "en"), s.calendar_label("office", "zh")) == ("Office hours", "办公时间")
    assert s.calendar_label("night", "zh") == "Night shift"
    assert s.calendar_label("24x7", "zh") is None and s.calendar_label("nowhere", "en") is None


def test_a_calendar_unknown_or_unreadable_falls_back_to_the_default():
    s = settings(calendars=OFFICE, default_calendar="office")
    assert s.calendar("nowhere").name == "office"
    assert s.calendar(None, "whenever the engineer is free").name == "office"
    assert s.calendar("night").name == "night"


def test_a_calendar_read_from_a_services_hours_keeps_the_make_up_working_days():
    s = settings(holidays={"cn": {"off": [], "work": ["2026-10-10"]}},
                 calendars={"office": {**OFFICE["office"], "holidays": "cn"}})
    assert date(2026, 10, 10) in s.calendar(None, "09:00-17:00 Mon-Fri").workdays


def test_a_priority_given_as_a_number_finds_its_default_targets():
    assert settings().targets(1) == settings().targets("1") == Targets(15, 240)
