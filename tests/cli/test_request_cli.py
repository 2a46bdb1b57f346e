"""`desk request …` as a user runs it: a request from intake to close, JSON, --expect-version,
one-line errors in the chosen language, exit codes, auto-close from two processes at once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ)
    env.update({"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
                "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"})

    def call(*args, user="admin", wait=True):
        command = [sys.executable, "-m", "desk", *args]
        if not wait:
            return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env={**env, "DESK_USER": user})
        return subprocess.run(command, capture_output=True, timeout=60, env={**env, "DESK_USER": user})

    assert call("init").returncode == 0
    for login, role, group in (("chen", "l2", "systems"), ("boss", "approver", None), ("sub", "approver", None),
                               ("li", "l1", "desk")):
        args = ["agent", "add", login, "--role", role] + (["--group", group] if group else [])
        assert call(*args).returncode == 0
    return call


def js(out):
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def refused(out, needle=""):
    err = out.stderr.decode()
    assert out.returncode == 1 and out.stdout == b"" and err.count("\n") == 1 and needle in err, err
    return err


def test_a_request_from_intake_to_close(cli):
    refused(cli("request", "new", "--title", "New laptop", "--checked", "identity,details", user="li"),
            "Type and priority set")
    r = js(cli("request", "new", "--title", "New laptop", "--requester", "Zhang Wei", "--checked", "all",
               "--approval", "--cost", "--accept", "--channel", "email", "--json", user="li"))
    assert (r["id"], r["status"], r["owner"], r["approval_levels"], r["needs_cost"]) == (1, "accepted", "li", 1, True)
    refused(cli("request", "dispatch", "1", "--to", "chen", "--expect-version", "0", user="li"))
    assert js(cli("request", "dispatch", "1", "--to", "chen", "--expect-version", "1", "--json", user="li"))[
        "handler"] == "chen"
    out = cli("request", "return", "1", "--reason", "not ours", user="chen")
    assert out.returncode == 2 and "--suggest" in out.stderr.decode()  # (argparse: a required option)
    refused(cli("request", "fulfil", "1", "--note", "done", user="chen"), "approval")
    assert cli("request", "ask-approval", "1", "--approver", "boss", user="chen").returncode == 0
    refused(cli("request", "approve", "1", user="chen"))  # not an approver
    assert "boss" in cli("request", "inbox", user="boss").stdout.decode()
    assert cli("request", "delegate", "--to", "sub", "--from", "2000-01-01", "--until", "2999-12-31",
               user="boss").returncode == 0
    approved = js(cli("request", "approve", "1", "--json", user="sub"))
    assert approved["status"] == "dispatched" and approved["approvals"][0]["on_behalf_of"] == "boss"
    assert cli("request", "ask-cost", "1", user="chen").returncode == 0
    refused(cli("request", "confirm-cost", "1", "--amount", "abc", "--with", "Zhang", user="chen"), "amount")
    cost = js(cli("request", "confirm-cost", "1", "--amount", "5200", "--with", "Zhang Wei", "--json", user="chen"))
    assert (cost["cost_amount"], cost["cost_currency"], cost["cost_confirmed_by"]) == ("5200.00", "CNY", "chen")
    assert js(cli("request", "fulfil", "1", "--note", "delivered", "--json", user="chen"))["status"] == "resolved"
    refused(cli("request", "close", "1", user="li"), "callback")
    refused(cli("--lang", "zh", "request", "close", "1", user="li"), "回访")
    assert cli("request", "callback", "1", "--satisfaction", "5", "--comment", "fast", user="li").returncode == 0
    done = js(cli("request", "close", "1", "--json", user="li"))
    assert (done["status"], done["close_code"], done["satisfaction"]) == ("closed", "succeeded", 5)
    shown = cli("--lang", "zh", "request", "show", "1").stdout.decode()
    assert "已关闭" in shown and "受理检查单" in shown and "（sub 代 boss）" in shown and "处理成功" in shown
    listed = js(cli("request", "list", "--view", "all", "--json"))
    assert listed["total"] == 1 and listed["requests"][0]["status"] == "closed"
    kpis = js(cli("request", "kpis", "--from", "2000-01-01", "--until", "2999-01-01", "--json"))
    assert (kpis["total"], kpis["closed"], kpis["succeeded"], kpis["mean_satisfaction"]) == (1, 1, 1, 5.0)


def test_usage_errors_exit_2_and_unknown_requests_1(cli):
    assert cli("request", "callback", "1").returncode == 2  # --satisfaction is required
    refused(cli("request", "show", "99"), "99")
    refused(cli("request", "delegate", "--to", "sub", "--from", "soon", "--until", "2026-01-01", user="boss"),
            "YYYY-MM-DD")


def test_auto_close_from_two_processes_at_once_closes_each_once(cli, tmp_path):
    from datetime import datetime, timedelta

    from desk.config import load_config
    from desk.models import ServiceRequest
    from desk.services.context import open_desk

    for n in range(6):
        cli("request", "new", "--title", f"r{n}", "--checked", "all", "--accept", user="li")
        cli("request", "dispatch", str(n + 1), "--to", "chen", user="li")
        cli("request", "fulfil", str(n + 1), "--note", "done", user="chen")
    desk = open_desk(str(tmp_path / "desk.db"), load_config(), user="admin")
    ServiceRequest.update(resolved_at=datetime.now() - timedelta(days=30)).execute()  # long silent
    desk.close()
    runs = [cli("request", "auto-close", "--json", user="li", wait=False) for _ in range(2)]
    closed = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err.decode()
        closed += json.loads(out)["closed"]
    assert sorted(closed) == [1, 2, 3, 4, 5, 6]
    assert js(cli("request", "auto-close", "--json", user="li"))["closed"] == []


def test_to_incident_closes_the_request_as_converted_and_prints_the_link(cli):
    js(cli("request", "new", "--title", "Printer prints blank pages", "--requester", "Zhang Wei", "--checked", "all",
           "--accept", "--json", user="li"))
    refused(cli("request", "to-incident", "1", user="li"), "reason is required")
    done = js(cli("request", "to-incident", "1", "--reason", "a fault", "--impact", "2", "--json", user="li"))
    assert (done["status"], done["close_code"]) == ("closed", "converted") and done["incident"]
    shown = js(cli("incident", "show", str(done["incident"]), "--json"))
    assert shown["title"] == "Printer prints blank pages" and shown["caller"] == "Zhang Wei"
    refused(cli("request", "to-incident", "1", "--reason", "again", user="li"), "closed")


def test_incident_to_request_closes_the_incident_and_both_show_the_link(cli):
    js(cli("incident", "new", "--title", "New laptop for the new starter", "--caller", "Wang Fang", "--json",
           user="li"))
    refused(cli("incident", "to-request", "1", "--reason", "asks for a laptop", user="li"),
            "intake checklist is not complete")
    made = js(cli("incident", "to-request", "1", "--reason", "asks for a laptop", "--checked", "all", "--json",
                  user="li"))
    assert (made["status"], made["owner"], made["incident"], made["requester"]) == ("accepted", "li", 1, "Wang Fang")
    shown = cli("incident", "show", "1").stdout.decode()
    assert "Converted to a service request" in shown
    assert f"Service request  R{made['id']} (this incident became it)" in shown
    assert "#1 (this request came from it)" in cli("request", "show", str(made["id"])).stdout.decode()
    refused(cli("incident", "to-request", "1", "--reason", "again", "--checked", "all", user="li"), "cannot convert an incident that is Closed")


def test_the_request_status_labels_of_the_config_file_name_the_status_in_lists_and_details(cli, tmp_path):
    """The statuses are a code table (config/requests.toml): a desk that renames one sees its own
    word in `request list` and `request show`; sentences keep the workflow's words."""
    import tomllib

    import tomli_w

    shipped = tomllib.loads((Path(__file__).parents[2] / "config" / "requests.toml").read_text())
    table = [dict(entry) for entry in shipped["request_status"]]
    for entry in table:
        if entry["code"] == "dispatched":
            entry["en"], entry["zh"] = "With the team", "处理组处理中"
    (tmp_path / "cfg" / "desk").mkdir(parents=True, exist_ok=True)
    (tmp_path / "cfg" / "desk" / "config.toml").write_text(tomli_w.dumps({"request_status": table}))
    js(cli("request", "new", "--title", "New laptop", "--requester", "Zhang Wei", "--checked", "all", "--accept",
           "--json", user="li"))
    said = cli("request", "dispatch", "1", "--to", "chen", user="li").stdout.decode()
    assert "dispatched" in said and "With the team" not in said  # a sentence: the workflow's word
    listed = cli("request", "list", "--view", "all").stdout.decode()
    assert "With the team" in listed and "dispatched" not in listed.lower().replace("with the team", "")
    assert "With the team" in cli("request", "show", "1").stdout.decode()
    assert "处理组处理中" in cli("--lang", "zh", "request", "list", "--view", "all").stdout.decode()


def test_the_list_marks_a_request_nobody_holds_yet_with_a_dash_as_the_incident_list_does(cli):
    js(cli("request", "new", "--title", "Toner", "--requester", "Li Na", "--checked", "all", "--json", user="li"))
    row = [line for line in cli("request", "list", "--view", "all").stdout.decode().splitlines()
           if line.startswith("1 ")][0]
    assert row.split()[-4:-2] == ["—", "—"], row  # owner, handler (then the registered date and time)


def test_show_names_coded_history_values_by_their_labels_and_dashes_what_is_not_there_yet(cli):
    js(cli("request", "new", "--title", "Toner", "--requester", "Li Na", "--checked", "all", "--service", "desktop",
           "--json", user="li"))
    shown = cli("request", "show", "1").stdout.decode()
    created = [line for line in shown.splitlines() if " created " in line][0]
    assert "Service: — → Desktop and printing" in created and "→ desktop" not in created  # (it showed the code)
    contact = [line for line in shown.splitlines() if line.strip().startswith("Contact")][0]
    assert contact.split()[-1] == "—"
    zh = cli("--lang", "zh", "request", "show", "1").stdout.decode()
    assert "服务: — → 桌面与打印" in zh
