"""The screens show every instant in the desk's zone ([sla] timezone; Asia/Shanghai, 8 hours ahead
of the stored UTC), name it once (a history heading, a title line), and read the times a user types
in it: typed 09:00 shows 09:00 and is stored as 01:00 UTC. Before, the details, histories, the
notification list, the change cells and the header showed the stored UTC while the SLA lines were
local: "due 03:00" on one line and "11:00" on the next for the same moment."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from desk.domain.errors import StaleVersion
from desk.lists.change_cells import cell
from desk.lists.spec import CellEnv
from desk.screens.change_calendar import window_text
from desk.screens.dialogs.new_incident import parse_started
from desk.screens.record_history import history_text
from desk.screens.request_detail import render
from desk.domain import report_flow
from desk.services import incidents, reports, request_reads, requests
from desk.services.views import HistoryEntry
from desk.timefmt import parse, to_utc, when, zone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_desks_zone_is_the_sla_timezone_and_the_reports_days_agree(desk):
    assert zone(desk.config).key == "Asia/Shanghai"
    assert zone(SimpleNamespace(data={})).key == "UTC"  # none set: as stored
    assert zone(desk.config) == desk.config.sla.tz  # the zone the calendars and the report days are read in
    start, end = reports.bounds(desk, report_flow.parse_period("monthly", "2026-11"))
    assert (start, end) == (parse("2026-11-01 00:00", SHANGHAI), parse("2026-12-01 00:00", SHANGHAI))


def test_typed_local_time_round_trips():
    stored = parse("2026-11-03 09:00", SHANGHAI)
    assert stored == datetime(2026, 11, 3, 1, 0)
    assert when(stored, SHANGHAI) == "2026-11-03 09:00"
    assert parse("2026-11-03T09:00+00:00", SHANGHAI) == datetime(2026, 11, 3, 9, 0)  # its own offset kept
    with pytest.raises(ValueError):
        parse("tomorrow", SHANGHAI)


def test_a_history_reads_in_the_zone_it_names():
    entry = HistoryEntry(2, datetime(2026, 11, 2, 9, 10), "wang", "schedule",
                         {"planned_start": [None, "2026-11-03T01:00"]}, "")
    plain = history_text("change", [entry], "en", SHANGHAI).plain
    assert plain.startswith("History (times in Asia/Shanghai)\n2026-11-02 17:10")
    assert "Planned start: — → 2026-11-03 09:00" in plain  # the window as it was typed, not as stored
    assert history_text("change", [entry], "zh", SHANGHAI).plain.startswith("历史（时间为 Asia/Shanghai 时区）")


def test_a_change_cell_and_a_calendar_window_read_in_the_zone(desk):
    row = SimpleNamespace(planned_start=datetime(2026, 11, 3, 1, 0), planned_end=datetime(2026, 11, 3, 2, 30))
    assert cell(CellEnv(desk.config, "en"), row, "start", 11, None)[0] == "11-03 09:00"
    assert window_text(row, date(2026, 11, 3), SHANGHAI) == "09:00–10:30"


def test_when_it_started_is_read_in_the_zone():
    now = datetime(2026, 11, 2, 17, 30)  # stored: 01:30 on 11-03 in Shanghai
    assert parse_started("08:40", now, SHANGHAI) == datetime(2026, 11, 3, 0, 40)  # today there, 08:40 there
    assert parse_started("2026-11-02 08:40", now, SHANGHAI) == datetime(2026, 11, 2, 0, 40)
    assert parse_started("", now, SHANGHAI) is None


def test_the_request_detail_reads_in_the_zone(desk):
    r = requests.create(desk, "li", title="New laptop", requester="Zhang", checked=["all"])
    plain = render(request_reads.get(desk, r.id), desk.config, "en").plain
    assert "Registered: 2026-11-02 17:00" in plain and "09:00" not in plain
    assert "History (times in Asia/Shanghai)" in plain


def test_a_stale_refusal_says_when_in_the_zone_and_json_keeps_utc(desk, clock):
    inc = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    clock.advance(minutes=33)
    incidents.assign(desk, "zhao", inc.id, to="zhao")
    with pytest.raises(StaleVersion) as err:
        incidents.assign(desk, "li", inc.id, to="li", expect_version=inc.version)
    assert "by zhao at 2026-11-02 17:33:00" in err.value.message("en")
    assert err.value.to_json()["params"]["at"] == "2026-11-02T09:33:00"
    assert to_utc(datetime(2026, 11, 2, 17, 33), SHANGHAI) == datetime(2026, 11, 2, 9, 33)


def test_a_window_refused_says_its_times_as_they_were_typed(desk):
    from desk.domain.errors import ValidationError
    from desk.services import changes

    c = changes.create(desk, "wang", title="Router swap", reason="r", services="network",
                       implementation_plan="swap", backout_plan="swap back")
    changes.submit(desk, "wang", c.id)
    changes.assess(desk, "ops", c.id, risk="medium", impact="a minute")
    changes.approve(desk, "appr", c.id)
    with pytest.raises(ValidationError) as err:  # typed 22:00 to 21:00 in Shanghai
        changes.schedule(desk, "wang", c.id, start=datetime(2026, 11, 3, 14), end=datetime(2026, 11, 3, 13))
    assert err.value.message("en") == ("the planned end (2026-11-03 21:00:00) must come after "
                                       "the planned start (2026-11-03 22:00:00)")
