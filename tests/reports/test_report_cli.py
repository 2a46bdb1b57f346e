"""`desk report …` as a user runs it: the report list's change-and-confirm through the command
line, JSON, --expect-version, one-line errors in the chosen language, exit codes; a bad [[report]]
entry in a config file is one line with its path and line."""

import json
import os
import subprocess
import sys
import zipfile

import pytest

from desk.config import load_config
from desk.domain.errors import ConfigError


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ)
    env.update({"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
                "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"})

    def call(*args, user="admin"):
        return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60,
                              env={**env, "DESK_USER": user})

    assert call("init").returncode == 0
    for login, role in (("repm", "report_manager"), ("repr", "report_reviewer"), ("repw", "report_writer")):
        assert call("agent", "add", login, "--role", role).returncode == 0
    return call


def js(out):
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def test_the_report_list_through_the_command_line(cli):
    listed = js(cli("report", "spec", "list", "--json"))
    assert [e["code"] for e in listed["entries"]] == ["customer-monthly", "incident-kpi-monthly", "requests-weekly",
                                                      "sla-quarterly"]
    drafted = js(cli("report", "spec", "edit", "incident-kpi-monthly", "--writer", "repw", "--reviewer", "repr",
                     "--section", "volume", "--section", "escalation", "--json", user="repm"))
    assert drafted["pending"]["sections"] == ["volume", "escalation"] and drafted["version"] == 2
    refused = cli("--lang", "zh", "report", "spec", "confirm", "incident-kpi-monthly", user="repm")
    assert refused.returncode == 1 and refused.stderr.decode().count("\n") == 1
    stale = cli("report", "spec", "confirm", "incident-kpi-monthly", "--expect-version", "1", user="repr")
    assert stale.returncode == 1 and "repm" in stale.stderr.decode()
    done = js(cli("report", "spec", "confirm", "incident-kpi-monthly", "--expect-version", "2", "--json", user="repr"))
    assert done["content"]["writer"] == "repw" and done["pending"] is None
    shown = cli("--lang", "zh", "report", "spec", "show", "incident-kpi-monthly").stdout.decode()
    assert "确认变更" in shown and "起草变更" in shown and "repr" in shown
    bad = cli("report", "spec", "edit", "incident-kpi-monthly", "--period", "daily", user="repm")
    assert bad.returncode == 1 and "period" in bad.stderr.decode() and bad.stderr.decode().count("\n") == 1
    unknown = cli("report", "spec", "show", "nope")
    assert unknown.returncode == 1 and "nope" in unknown.stderr.decode()


@pytest.mark.parametrize("text,line,what", [
    ('[[report]]\ncode = "x"\nen = "X"\nzh = "叉"\naudience = "customer"\nbasis = "sla"\nperiod = "daily"\n'
     'sections = ["sla"]\n', 7, "`period` must be one of `weekly`, `monthly`, `quarterly`"),
    ('[[report]]\ncode = "x"\nen = "X"\nzh = "叉"\naudience = "customer"\nbasis = "sla"\nperiod = "weekly"\n'
     'sections = ["sla", "tarot"]\n', 8, "unknown section 'tarot'"),
    ('[[report]]\ncode = "x"\nen = "X"\n', 1, "`zh` is missing"),
])
def test_a_bad_report_list_entry_in_config_is_one_line_with_its_line(tmp_path, text, line, what):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = err.value.message()
    assert message.startswith(f"{path}:{line}:") and what in message, message


def test_generate_show_and_edit_a_report(cli, tmp_path):
    assert cli("incident", "new", "--title", "VPN down", "--impact", "2", "--urgency", "2").returncode == 0
    out = cli("report", "generate", "incident-kpi-monthly", "--period", "2026-13", user="repw")
    assert out.returncode == 1 and "2026-13" in out.stderr.decode() and out.stderr.decode().count("\n") == 1
    period = __import__("datetime").datetime.now().strftime("%Y-%m")
    draft = js(cli("report", "generate", "incident-kpi-monthly", "--period", period, "--json", user="repw"))
    assert draft["status"] == "draft" and draft["figures"]["sections"]["volume"]["opened"] >= 1
    note = tmp_path / "commentary.md"
    note.write_text("Quiet month; **one** VPN outage.", encoding="utf-8")
    edited = js(cli("report", "edit", str(draft["id"]), "--commentary-file", str(note), "--expect-version", "1",
                    "--json", user="repw"))
    assert edited["commentary"].startswith("Quiet month") and edited["version"] == 2
    stale = cli("report", "edit", str(draft["id"]), "--commentary", "x", "--expect-version", "1", user="repw")
    assert stale.returncode == 1
    shown = cli("--lang", "zh", "report", "show", str(draft["id"])).stdout.decode()
    assert "月度事件管理KPI报告" in shown and "一次解决率" in shown and "Quiet month" in shown
    listed = js(cli("report", "list", "--json"))["reports"]
    assert [(r["code"], r["period"], r["late"]) for r in listed] == [("incident-kpi-monthly", period, False)]


def test_the_review_late_reports_feedback_and_export_through_the_command_line(cli, tmp_path):
    from html.parser import HTMLParser

    js(cli("report", "spec", "edit", "incident-kpi-monthly", "--writer", "repw", "--reviewer", "repr", "--json",
           user="repm"))
    js(cli("report", "spec", "confirm", "incident-kpi-monthly", "--json", user="repr"))
    draft = js(cli("report", "generate", "incident-kpi-monthly", "--period", "2026-01", "--json", user="repw"))
    rid = str(draft["id"])
    assert js(cli("report", "submit-for-review", rid, "--json", user="repw"))["status"] == "reviewing"
    own = cli("--lang", "zh", "report", "approve", rid, user="repw")
    assert own.returncode == 1 and own.stderr.decode().count("\n") == 1
    assert js(cli("report", "return", rid, "--comments", "add the context", "--json", user="repr"))["status"] == \
        "returned"
    js(cli("report", "submit-for-review", rid, "--json", user="repw"))
    js(cli("report", "approve", rid, "--expect-version", "4", "--json", user="repr"))
    sent = js(cli("report", "submit", rid, "--channel", "portal", "--recipient", "CIO", "--json", user="repr"))
    assert (sent["status"], sent["channel"], sent["recipients"]) == ("submitted", "portal", ["CIO"])
    late = js(cli("report", "late", "--json"))["late"]
    assert [(x["code"], x["period"], x["status"]) for x in late if x["code"] == "incident-kpi-monthly"][0] == \
        ("incident-kpi-monthly", "2026-01", "submitted")  # submitted long after it was due
    fb = js(cli("report", "feedback", "add", rid, "--source", "CIO", "--text", "More on vendors", "--json", user="repm"))
    assert cli("report", "feedback", "close", str(fb["id"]), user="repm").returncode == 1  # no action yet
    js(cli("report", "feedback", "action", str(fb["id"]), "--text", "vendor table", "--json", user="repm"))
    assert js(cli("report", "feedback", "close", str(fb["id"]), "--json", user="repm"))["status"] == "closed"
    assert js(cli("report", "archive", rid, "--json", user="repm"))["status"] == "archived"
    assert cli("report", "edit", rid, "--commentary", "x", user="repw").returncode == 1
    out = tmp_path / "report.html"
    assert cli("--lang", "zh", "report", "export", rid, "--format", "html", "--out", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    HTMLParser().feed(page)  # parses
    assert "http" not in page and "src=" not in page and "<script" not in page
    for heading in ("事件数量（按优先级、类别、来源、工作组）", "解决情况", "升级", "响应与解决时间", "重新打开的事件",
                    "期末积压", "工作量", "与上期对比", "评述", "附录：指标定义"):
        assert f"<h2>{heading}</h2>" in page, heading
    csv_out = cli("report", "export", rid, "--format", "csv").stdout.decode()
    assert csv_out.splitlines()[0] == "report,period,section,figure,key,value,label"
    assert "incident-kpi-monthly,2026-01,resolution,resolution_rate" in csv_out
    book = tmp_path / "report.xlsx"
    assert cli("report", "export", rid, "--format", "xlsx", "--out", str(book)).returncode == 0
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None and "xl/worksheets/sheet2.xml" in z.namelist()
    assert cli("report", "export", rid, "--format", "xlsx").stdout[:2] == b"PK"  # to stdout as bytes
