"""`desk problem …` and `desk change …` as a user runs them: JSON, --expect-version, one-line
errors in the chosen language, exit codes."""

import json
import os
import re
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
    for login, role, group in (("wang", "l2", "network"), ("appr", "approver", None), ("li", "l1", "desk")):
        args = ["agent", "add", login, "--role", role] + (["--group", group] if group else [])
        assert call(*args).returncode == 0
    return call


def js(out):
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def test_a_problem_from_incidents_to_their_resolution(cli):
    for title in ("VPN drops", "VPN drops again"):
        cli("incident", "new", "--title", title, "--service", "network", "--category", "network")
    p = js(cli("problem", "new", "--title", "VPN tunnel resets", "--incident", "1", "--incident", "2", "--json"))
    assert (p["id"], p["status"], p["version"], [i["id"] for i in p["incidents"]]) == (1, "new", 1, [1, 2])
    stale = cli("problem", "investigate", "1", "--expect-version", "0")
    assert stale.returncode == 1 and stale.stderr.decode().count("\n") == 1
    assert js(cli("problem", "investigate", "1", "--expect-version", "1", "--json", user="wang"))["owner"] == "wang"
    assert cli("problem", "root-cause", "1", "--text", "firmware", user="wang").returncode == 0
    ke = js(cli("problem", "known-error", "1", "--workaround", "reconnect", "--json"))
    assert ke["status"] == "known_error" and ke["article"]
    cli("incident", "note", "2", "--text", "again")  # incident 2 moves on: the CLI resolves it as it is now
    doc = js(cli("problem", "resolve", "1", "--fix", "firmware 9.1", "--resolve-incidents", "--json"))
    assert doc["status"] == "resolved" and doc["incidents_resolved"]["done"] == [1, 2]
    shown = cli("--lang", "zh", "problem", "show", "1").stdout.decode()
    assert "状态" in shown and "已解决" in shown and "关联事件：2 个" in shown
    listed = js(cli("problem", "list", "--json"))
    assert listed["total"] == 1 and listed["problems"][0]["incidents"] == 2
    assert "linked to a problem" in cli("incident", "show", "1").stdout.decode()


def test_resolving_incidents_reports_the_refused_ones_and_exits_1(cli):
    cli("incident", "new", "--title", "VPN drops")
    cli("incident", "new", "--title", "VPN drops")
    cli("incident", "escalate", "2", "--to", "systems", "--reason", "L2")
    cli("problem", "new", "--title", "VPN", "--incident", "1", "--incident", "2")
    cli("problem", "investigate", "1")
    cli("problem", "root-cause", "1", "--text", "x")
    out = cli("problem", "resolve", "1", "--fix", "y", "--resolve-incidents", user="wang")
    lines = out.stdout.decode().splitlines()
    assert out.returncode == 1
    assert lines[1] == "linked incidents: 0 resolved, 2 refused"
    assert lines[2].startswith("  incident 1 refused: wang may not") and lines[3].startswith("  incident 2 refused")


def test_errors_are_one_line_in_the_users_language(cli):
    out = cli("--lang", "zh", "problem", "close", "7")
    assert out.returncode == 1 and out.stderr.decode() == "desk: 没有编号为 7 的问题。\n"
    cli("problem", "new", "--title", "x")
    out = cli("--lang", "zh", "problem", "close", "1")
    assert out.returncode == 1 and out.stderr.decode() == "desk: 无法关闭：该问题当前为“新建”\n"
    out = cli("problem", "root-cause", "1", "--text", "x", user="li")
    assert out.returncode == 1 and "li may not" in out.stderr.decode()
    assert cli("change", "new", "--title", "x", "--type", "weekly").returncode == 2  # usage


def test_a_change_through_its_workflow_with_conflicts_on_the_calendar(cli):
    new = ("change", "new", "--reason", "r", "--implementation", "i", "--backout", "b", "--json")
    a = js(cli(*new, "--title", "Core upgrade", "--services", "core-banking, network"))
    b = js(cli(*new, "--title", "Router swap", "--services", "network", user="wang"))
    for c in (a, b):
        cli("change", "submit", str(c["id"]), user="wang")
        assert cli("change", "assess", str(c["id"]), "--risk", "high", "--impact", "outage", user="wang").returncode == 0
    own = cli("change", "approve", str(a["id"]))  # admin (a shift lead) asked for it
    assert own.returncode == 1 and "own change" in own.stderr.decode()
    for c in (a, b):
        assert js(cli("change", "approve", str(c["id"]), "--json", user="appr"))["status"] == "approved"
    ok = cli("change", "schedule", str(a["id"]), "--start", "2026-12-07T22:00", "--end", "2026-12-08T02:00", user="wang")
    assert ok.returncode == 0 and ok.stderr == b""
    clash = cli("change", "schedule", str(b["id"]), "--start", "2026-12-08T01:00", "--end", "2026-12-08T03:00",
                user="wang")
    assert clash.returncode == 0 and clash.stderr.decode() == f"conflicts with change {a['id']} on service network\n"
    cal = js(cli("change", "calendar", "--week", "2026-W50", "--json"))
    assert [c["id"] for c in cal["days"][1]["changes"]] == [a["id"], b["id"]]
    assert cal["conflicts"][str(a["id"])] == [{"id": b["id"], "service": "network"}]
    text = cli("change", "calendar", "--week", "2026-W50").stdout.decode()
    assert f"!C{b['id']}" in text and "conflicts with change" in text
    bad = cli("change", "calendar", "--week", "50")
    assert bad.returncode == 1 and "ISO week" in bad.stderr.decode()
    assert cli("change", "start", str(a["id"]), "--expect-version", "5", user="wang").returncode == 0
    assert cli("change", "review", str(a["id"]), "--outcome", "failed", user="wang").returncode == 0
    cli("incident", "new", "--title", "core down")
    assert js(cli("change", "link-incident", str(a["id"]), "1", "--json"))["incidents"][0]["id"] == 1
    cli("incident", "new", "--title", "mail slow")
    assert len(js(cli("change", "link-incident", str(a["id"]), "2", "--json"))["incidents"]) == 2
    assert [i["id"] for i in js(cli("change", "unlink-incident", str(a["id"]), "2", "--json"))["incidents"]] == [1]
    assert js(cli("incident", "show", "1", "--json"))["caused_by_change"] == {"id": a["id"], "title": "Core upgrade"}
    assert js(cli("incident", "show", "2", "--json"))["caused_by_change"] is None
    assert re.search(rf"\n  Caused by change +{a['id']}: Core upgrade\n", cli("incident", "show", "1").stdout.decode())
    assert re.search(rf"\n  由变更引发 +{a['id']}：Core upgrade\n",
                     cli("incident", "show", "1", "--lang", "zh").stdout.decode())
    closed = js(cli("change", "close", str(a["id"]), "--review", "backed out at 01:30", "--json"))
    assert (closed["status"], closed["outcome"]) == ("closed", "failed")
    shown = cli("change", "show", str(a["id"])).stdout.decode()
    assert "Post-implementation review:" in shown and "Decisions:" in shown and "Incidents it caused: 1" in shown
    assert cli("check").returncode == 0


def test_show_dashes_a_field_with_nothing_in_it_yet(cli):
    js(cli("problem", "new", "--title", "Printers jam", "--json"))
    shown = cli("problem", "show", "1").stdout.decode().splitlines()
    fixed = [line for line in shown if line.strip().startswith("Fixed by change")][0]
    assert fixed.split()[-1] == "—", fixed  # (it printed nothing after the label)
