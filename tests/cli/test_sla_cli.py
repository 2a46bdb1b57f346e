"""`desk sla …` as a user runs it: hold and resume with the ledger shown, JSON, one-line refusals."""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ)
    env.update({"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
                "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"})

    def call(*args, user="admin"):
        return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60,
                              env={**env, "DESK_USER": user})

    assert call("init").returncode == 0
    assert call("incident", "new", "--title", "VPN drops", "--impact", "1", "--urgency", "1").returncode == 0
    return call


def test_hold_resume_and_the_ledger(cli):
    held = cli("sla", "hold", "1", "--reason", "caller", "--note", "calls back at 3", "--json")
    assert held.returncode == 0, held.stderr.decode()
    got = json.loads(held.stdout)
    assert got["sla"]["state"] == "paused" and got["sla"]["due_at"] is None
    assert got["sla"]["pauses"][0]["reason"] == "caller" and got["sla"]["pauses"][0]["ended_at"] is None
    again = cli("sla", "hold", "1", "--reason", "vendor")
    assert again.returncode == 1 and again.stderr.decode().strip() == \
        "desk: the SLA clock is paused already: resume it first"
    assert cli("sla", "resume", "1").returncode == 0
    shown = cli("sla", "show", "1", "--lang", "zh").stdout.decode()
    assert "暂停记录：1 次" in shown and "等待报告人" in shown and "admin → admin" in shown
    detail = cli("incident", "show", "1").stdout.decode()
    assert "SLA pauses" in detail and "waiting for the caller" in detail and "calls back at 3" in detail
    shown = json.loads(cli("incident", "show", "1", "--json").stdout)
    assert shown["sla"]["state"] == "running" and len(shown["sla"]["pauses"]) == 1


def test_a_bad_reason_is_one_line_in_the_users_language(cli):
    out = cli("sla", "hold", "1", "--reason", "lunch", "--lang", "zh")
    assert out.returncode == 1
    assert out.stderr.decode().strip() == "desk: “lunch”不是暂停 SLA 计时的原因（可用：caller, vendor, approval, cost）"


def test_tick_and_notifications(cli):
    ticked = cli("sla", "tick")
    assert ticked.returncode == 0 and ticked.stdout.decode().startswith("SLA tick: ")
    listed = json.loads(cli("notifications", "--json").stdout)
    assert listed["unread"] == 1 and listed["notifications"][0]["text"] == "priority 1: incident 1 raised: VPN drops"
    text = cli("notifications", "--read", "--lang", "zh").stdout.decode()
    assert "一级：事件 1 已登记：VPN drops" in text
    assert json.loads(cli("notifications", "--unread", "--json").stdout) == {"unread": 0, "notifications": []}


def test_notifications_read_by_id_or_all_and_refusals_change_nothing(cli):
    cli("incident", "new", "--title", "Core down", "--impact", "1", "--urgency", "1")
    listed = json.loads(cli("notifications", "--json").stdout)
    assert listed["unread"] == 2
    newest = listed["notifications"][0]["id"]
    assert f"* {newest:>5}  " in cli("notifications").stdout.decode()  # the text listing gives the IDs
    nothing = cli("notifications", "read")
    assert nothing.returncode == 1 and nothing.stderr.decode().strip() == \
        "desk: say which notifications to mark read: their IDs, or `--all`"
    other = cli("notifications", "read", str(newest), "999", "--lang", "zh")
    assert other.returncode == 1 and other.stderr.decode().strip() == \
        "desk: 通知 999 不是您的通知：运行 `desk notifications` 查看您的通知"
    assert json.loads(cli("notifications", "--json").stdout)["unread"] == 2  # (the good ID was not marked either)
    one = json.loads(cli("notifications", "read", str(newest), "--json").stdout)
    assert one == {"marked": 1, "unread": 1}
    unread = json.loads(cli("notifications", "--unread", "--json").stdout)["notifications"]
    assert [n["id"] for n in unread] == [listed["notifications"][1]["id"]]
    assert cli("notifications", "read", "--all").stdout.decode().strip() == \
        "1 notifications marked read; 0 unread left"


def test_a_request_is_named_with_an_r_and_held_shown_and_resumed_like_an_incident(cli):
    made = cli("request", "new", "--title", "Token for the VPN", "--checked", "all", "--accept", "--json")
    assert made.returncode == 0, made.stderr.decode()
    held = cli("sla", "hold", "R1", "--reason", "vendor")
    assert held.returncode == 0, held.stderr.decode()
    assert held.stdout.decode().strip() == "service request R1: SLA clock paused (version 2)"
    shown = json.loads(cli("sla", "show", "r1", "--json").stdout)
    assert shown["entity"] == "request" and shown["sla"]["pauses"][0]["reason"] == "vendor"
    assert json.loads(cli("sla", "show", "1", "--json").stdout)["sla"]["pauses"] == []  # incident 1: not held
    assert "R1  resolution: paused" in cli("sla", "show", "R1").stdout.decode()
    by_status = cli("sla", "hold", "R1", "--reason", "caller")
    assert by_status.returncode == 1 and "by its status" in by_status.stderr.decode()
    assert cli("sla", "resume", "R1", "--json").returncode == 0
    bad = cli("sla", "show", "X1")
    assert bad.returncode == 2 and "`X1` is not a ticket" in bad.stderr.decode()


def test_show_names_the_calendar_by_its_label_in_the_users_language(cli):
    made = cli("incident", "new", "--title", "Printer jams", "--service", "desktop")
    assert made.returncode == 0, made.stderr.decode()
    shown = cli("sla", "show", "2").stdout.decode()
    assert "business hours: Office hours, 08:00–18:00 Mon–Fri (office)" in shown
    assert "服务时间：办公时间，周一至周五 08:00–18:00 (office)" in cli("sla", "show", "2", "--lang", "zh").stdout.decode()
    # the built-in calendar has its label in config/sla.toml too (it read "business hours: 24x7")
    assert "business hours: Round the clock, every day (24x7)" in cli("sla", "show", "1").stdout.decode()
    assert "服务时间：全天候，每天 24 小时 (24x7)" in cli("sla", "show", "1", "--lang", "zh").stdout.decode()
