"""Every CLI text output shows instants in the desk's zone ([sla] timezone: Asia/Shanghai in the
shipped config, 8 hours ahead of the stored UTC) and names the zone once; --json keeps UTC ISO.
Before, `show` and the lists printed the stored UTC instant while the SLA lines were local: the
same moment read 09:00 in one line and 17:00 in the next. Times typed (a change's planned window,
the catalogue's --at, the KPI days) are read in the same zone: typed 09:00 shows 09:00."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from desk import cli
from desk.services import changes, incidents, problems, requests, sla_tick

OPENED_LOCAL = "2026-11-02 17:00"  # the fixture clock's 09:00 UTC, in Asia/Shanghai
OPENED_UTC = "2026-11-02 09:00"
ZONE_LINE = "Times in Asia/Shanghai."


@pytest.fixture
def run(desk, db_url, capsys):
    def call(*args: str) -> str:
        capsys.readouterr()
        assert cli.main(["--db", db_url, *args, "--lang", "en"]) == 0, capsys.readouterr().err
        return capsys.readouterr().out
    return call


@pytest.fixture
def filled(desk):
    inc = incidents.create(desk, "li", title="VPN drops", impact=1, urgency=1)
    problems.create(desk, "admin", title="VPN tunnel resets", incidents_=[inc.id])
    changes.create(desk, "admin", title="Router swap", reason="r", services="network")
    requests.create(desk, "li", title="New laptop", requester="Zhang", checked=["all"])
    sla_tick.tick(desk)  # a priority-1 incident tells the shift leads (admin among them)
    return inc


@pytest.mark.parametrize("args", [
    ("incident", "show", "1"), ("problem", "show", "1"), ("problem", "list"), ("change", "show", "1"),
    ("request", "show", "1"), ("request", "list", "--view", "all"), ("notifications",),
])
def test_a_text_output_shows_its_times_in_the_desks_zone_and_names_it(filled, run, args):
    out = run(*args)
    assert OPENED_LOCAL in out and OPENED_UTC not in out
    assert out.rstrip("\n").endswith(ZONE_LINE) and out.count("Asia/Shanghai") == 1 + ("SLA pauses" in out)


def test_the_zone_line_in_chinese(filled, db_url, capsys):
    capsys.readouterr()
    assert cli.main(["--db", db_url, "problem", "show", "1", "--lang", "zh"]) == 0
    assert capsys.readouterr().out.rstrip("\n").endswith("时间为 Asia/Shanghai 时区。")


def test_json_keeps_utc(filled, run):
    shown = json.loads(run("incident", "show", "1", "--json"))
    assert shown["opened_at"].startswith("2026-11-02T09:00")
    assert json.loads(run("notifications", "--json"))["notifications"][0]["at"].startswith("2026-11-02T09:00")


def approved(desk, **window):
    c = changes.create(desk, "wang", title="Router swap", reason="r", services="network",
                       implementation_plan="swap", backout_plan="swap back", **window)
    changes.submit(desk, "wang", c.id)
    changes.assess(desk, "ops", c.id, risk="medium", impact="a minute")
    return changes.approve(desk, "appr", c.id)


def test_a_planned_window_typed_in_local_time_reads_back_as_typed_and_is_stored_in_utc(desk, run):
    approved(desk)
    run("change", "schedule", "1", "--start", "2026-12-08T09:00", "--end", "2026-12-08T10:30")
    stored = json.loads(run("change", "show", "1", "--json"))
    assert (stored["planned_start"], stored["planned_end"]) == ("2026-12-08T01:00:00", "2026-12-08T02:30:00")
    assert "2026-12-08 09:00" in run("change", "show", "1") and "2026-12-08 09:00" in run("change", "list")
    week = run("change", "calendar", "--week", "2026-W50")
    tuesday = week.split("2026-12-08 Tuesday", 1)[1].split("2026-12-09", 1)[0]
    assert "C1     12-08 09:00–12-08 10:30" in tuesday and week.rstrip("\n").endswith(ZONE_LINE)


def test_a_window_with_its_own_offset_keeps_it(desk, run):
    approved(desk)
    run("change", "schedule", "1", "--start", "2026-12-08T09:00+00:00", "--end", "2026-12-08T10:00+00:00")
    assert json.loads(run("change", "show", "1", "--json"))["planned_start"] == "2026-12-08T09:00:00"


def test_the_calendar_puts_a_change_on_the_desks_day(desk, run):
    """Tuesday 01:00 in Shanghai is Monday 17:00 UTC: the calendar shows it on Tuesday."""
    approved(desk, planned_start=datetime(2026, 12, 7, 17), planned_end=datetime(2026, 12, 7, 18))
    cal = json.loads(run("change", "calendar", "--week", "2026-W50", "--json"))
    assert [d["day"] for d in cal["days"] if d["changes"]] == ["2026-12-08"]


def test_a_new_change_refused_for_its_window_says_its_times_as_they_were_typed(desk, db_url, capsys):
    """`desk change new` checked the window before the refusal learnt the desk's zone: it said UTC."""
    capsys.readouterr()
    assert cli.main(["--db", db_url, "change", "new", "--title", "Router swap", "--reason", "r",
                     "--start", "2026-12-08T22:00", "--end", "2026-12-08T21:00", "--lang", "en"]) != 0
    err = capsys.readouterr().err
    assert "2026-12-08 21:00" in err and "2026-12-08 22:00" in err and "13:00" not in err, err
