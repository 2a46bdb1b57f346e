"""incident list's caller column (issue 11, item 15): an incident with an organisation and no
caller shows the organisation alone, not "/ 数据中心"."""

from __future__ import annotations

from datetime import datetime

from desk.commands.incident import _queue_table
from desk.services.views import IncidentRow


def _row(caller: str, organisation: str) -> IncidentRow:
    at = datetime(2026, 11, 2, 8, 0)
    return IncidentRow(id=1, priority=3, status="new", title="Printer jam", caller=caller, organisation=organisation,
                       group="desk", assignee="", tier=1, opened_at=at, updated_at=at, due_at=None, resolved_at=None,
                       category="hardware", version=1)


def test_no_caller_shows_the_organisation_alone(desk):
    fields = IncidentRow._fields
    assert "caller" in fields and "organisation" in fields
    text = _queue_table(desk, [_row("", "数据中心")], datetime(2026, 11, 2, 9, 0))
    assert "数据中心" in text and "/ 数据中心" not in text
    text = _queue_table(desk, [_row("Wang Wei", "数据中心")], datetime(2026, 11, 2, 9, 0))
    assert "Wang Wei / 数据中心" in text


def test_show_names_who_resolved_it(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESK_DB": str(tmp_path / "d.db"), "DESK_USER": "admin", "XDG_CONFIG_HOME": str(tmp_path)}
    run = lambda *a: subprocess.run([sys.executable, "-m", "desk", *a], capture_output=True, env=env, timeout=60)  # noqa: E731
    assert run("init").returncode == 0
    assert run("incident", "new", "--title", "x").returncode == 0
    assert run("incident", "resolve", "1", "--code", "fixed", "--note", "rebooted").returncode == 0
    out = run("incident", "show", "1").stdout.decode()
    assert any(line.split() == ["Resolved", "by", "admin"] for line in out.splitlines()), out


def test_a_cut_on_a_double_width_character_keeps_the_next_column_in_line(desk):
    from desk.cli_format import cell_width, fit

    for width in range(1, 14):
        for text in ("打印机无法打印 - 天津分行", "ab打印机", "Printer 打印"):
            assert cell_width(fit(text, width)) == width, (text, width)
    rows = [_row("罗建国", "苏州分行")._replace(title="邮箱已满" * 12),
            _row("Wang", "HQ")._replace(title="a" + "邮箱已满" * 12)]
    lines = _queue_table(desk, rows, datetime(2026, 11, 2, 9, 0)).splitlines()
    starts = {cell_width(line[:line.index(caller)]) for line, caller in zip(lines[1:], ("罗建国", "Wang"))}
    assert len(starts) == 1, lines  # the caller column starts in the same cell on both rows


def test_nobody_assigned_reads_as_a_dash_in_the_list(desk):
    text = _queue_table(desk, [_row("Wang Wei", "HQ")], datetime(2026, 11, 2, 9, 0))
    header, line = text.splitlines()
    assert line[header.index("Assignee"):].split()[0] == "—", text


def test_show_after_an_escalation_reads_a_dash_for_the_assignee(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESK_DB": str(tmp_path / "d.db"), "DESK_USER": "admin", "XDG_CONFIG_HOME": str(tmp_path)}
    run = lambda *a: subprocess.run([sys.executable, "-m", "desk", *a], capture_output=True, env=env, timeout=60)  # noqa: E731
    assert run("init").returncode == 0
    assert run("incident", "new", "--title", "x").returncode == 0
    assert run("incident", "assign", "1", "--to", "me").returncode == 0
    out = run("incident", "escalate", "1", "--to", "network", "--reason", "switch port").stderr.decode()
    assert not out, out
    lines = run("incident", "show", "1").stdout.decode().splitlines()
    assert ["Assignee", "—"] in [line.split() for line in lines], lines
    assert ["Closure", "code", "—"] in [line.split() for line in lines], lines
