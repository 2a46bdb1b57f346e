"""A problem's and a change's history (and `desk problem|change show/list`) read their values as
the incidents' and requests' do: statuses and workflow words as labels ("Status: New → Under
investigation", where "new → under investigation" read as codes), the priority by its label
("Important", not "2"), a change's services by the catalogue's names — in the TUI's detail and
the CLI alike, English and Chinese."""

from __future__ import annotations

import pytest

from desk import cli
from desk.screens.record_history import history_text
from desk.services import changes, problems


@pytest.fixture
def problem(desk):
    p = problems.create(desk, "lead", title="VPN resets", impact=2, urgency=2, service="network")
    return problems.investigate(desk, "lead", p.id)


@pytest.fixture
def change(desk):
    c = changes.create(desk, "wang", title="Firmware", reason="drops", services="network, made-up")
    return changes.submit(desk, "wang", c.id)


def _run(capsys, db_url, lang, *args):
    capsys.readouterr()
    assert cli.main(["--db", db_url, "--lang", lang, *args]) == 0
    return capsys.readouterr().out


def test_problem_history_by_labels_in_cli_and_tui(desk, db_url, capsys, problem):
    shown = _run(capsys, db_url, "en", "problem", "show", str(problem.id))
    assert "Status: New → Under investigation" in shown
    assert "Priority: — → Important" in shown and "Priority: — → 2" not in shown
    assert "Status             Under investigation" in shown
    tui = history_text("problem", problems.get(desk, problem.id).history, "en", None, desk.config).plain
    assert "Status: New → Under investigation" in tui and "Priority: — → Important" in tui
    zh = _run(capsys, db_url, "zh", "problem", "show", str(problem.id))
    assert "状态: 新建 → 调查中" in zh and "优先级: — → 重要" in zh


def test_change_show_and_list_by_labels(desk, db_url, capsys, change):
    shown = _run(capsys, db_url, "en", "change", "show", str(change.id))
    assert "Status: Draft → Assessment" in shown and "Type: — → Normal" in shown
    assert "Office network and VPN, made-up" in shown  # the typed word that is no service: as typed
    listed = _run(capsys, db_url, "en", "change", "list")
    assert "Assessment" in listed and "Normal" in listed and "Office network" in listed


def test_problem_list_status_as_a_label(db_url, capsys, problem):
    assert "Under investi" in _run(capsys, db_url, "en", "problem", "list")  # (cut to its column)


def test_the_tui_details_read_labels(desk, problem, change):
    """The detail's fields: "Status  Under investigation" (was "under investigation"), a change's
    services by their names (was "network, made-up")."""
    from desk.screens import changes as change_screen, problems as problem_screen

    p = dict(problem_screen.detail_lines(problems.get(desk, problem.id), "en", None, desk.config))
    assert p["Status"] == "Under investigation"
    c = dict(change_screen.detail_lines(changes.get(desk, change.id), "en", None, desk.config))
    assert (c["Status"], c["Type"], c["Services"]) == ("Assessment", "Normal", "Office network and VPN, made-up")
    zh = dict(change_screen.detail_lines(changes.get(desk, change.id), "zh", None, desk.config))
    assert "办公网络与VPN" in zh["服务"]
