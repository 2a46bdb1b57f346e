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
