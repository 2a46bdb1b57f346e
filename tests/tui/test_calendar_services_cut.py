"""The change calendar's line keeps a change's services apart from its title: services longer than
their column are cut with an ellipsis (several services ran into the title: "databCore database")."""

from datetime import date, datetime
from types import SimpleNamespace

from desk.screens.change_calendar import entry_text


def test_long_services_are_cut_with_an_ellipsis_before_the_title():
    change = SimpleNamespace(id=9, status="scheduled", services="core-banking, database, storage",
                             title="Core database storage expansion", planned_start=datetime(2026, 12, 8, 22, 30),
                             planned_end=datetime(2026, 12, 9, 1, 30))
    line = entry_text(SimpleNamespace(change=change, conflicts=()), date(2026, 12, 8), "en", 120).plain
    assert "core-banking, dat… Core database storage expansion" in line


def test_services_and_conflicts_are_named_as_users_read_them(desk):
    # The calendar showed 'network' and 'conflicts with change 9 on service core-banking' where the
    # change's detail and the catalogue say "Office network and VPN"; in Chinese too.
    change = SimpleNamespace(id=8, status="scheduled", services="email", title="Move the mail gateway",
                             planned_start=datetime(2026, 12, 8, 22, 30), planned_end=datetime(2026, 12, 9, 1, 30))
    entry = SimpleNamespace(change=change, conflicts=((9, "email"),))
    line = entry_text(entry, date(2026, 12, 8), "en", 120, config=desk.config).plain
    assert "Email and calendar" in line and "on service Email and calendar" in line and "email " not in line
    line = entry_text(entry, date(2026, 12, 8), "zh", 120, config=desk.config).plain
    assert line.count("邮件与日历") == 2


def test_the_status_reads_like_the_list_s_status():
    # (the calendar read 'scheduled' under the change list's 'Scheduled')
    change = SimpleNamespace(id=8, status="scheduled", services="", title="Move the mail gateway",
                             planned_start=datetime(2026, 12, 8, 22, 30), planned_end=datetime(2026, 12, 9, 1, 30))
    line = entry_text(SimpleNamespace(change=change, conflicts=()), date(2026, 12, 8), "en", 120).plain
    assert " Scheduled " in line and "scheduled" not in line
