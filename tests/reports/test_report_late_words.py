"""`desk report late` reads as people say it: each late report by its title (in the chosen language)
and its writer by name, not by the report's code and the writer's login; `--json` keeps the codes
(code, writer, status) and adds the words (writer_name, status_label) beside the titles it had."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def cli(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"}

    def call(*args, user="admin"):
        out = subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60,
                             env={**env, "DESK_USER": user})
        assert out.returncode == 0, out.stderr.decode()
        return out.stdout.decode()

    call("init")
    call("agent", "add", "repw", "--name", "Wu Fang", "--role", "report_writer")
    call("report", "generate", "incident-kpi-monthly", "--period", "2026-01", user="repw")  # long past its due day
    return call


def _row(text: str, word: str) -> str:
    rows = [line for line in text.splitlines() if word in line]
    assert len(rows) == 1, text
    return rows[0]


@pytest.mark.parametrize("lang,title,status", [("en", "Monthly incident KPI report", "draft"),
                                               ("zh", "月度事件管理KPI报告", "草稿")])
def test_late_names_the_report_by_its_title_and_the_writer_by_name(cli, lang, title, status):
    text = cli("--lang", lang, "report", "late")
    row = _row(text, "2026-01")
    assert title in row and "Wu Fang" in row and status in row
    assert "repw" not in text


def test_late_json_keeps_the_codes_and_gives_the_words(cli):
    late = [x for x in json.loads(cli("report", "late", "--json"))["late"] if x["period"] == "2026-01"]
    assert len(late) == 1
    row = late[0]
    assert (row["code"], row["writer"], row["status"]) == ("incident-kpi-monthly", "repw", "draft")
    assert (row["name_en"], row["writer_name"], row["status_label"]) == ("Monthly incident KPI report", "Wu Fang",
                                                                         "draft")


def test_a_late_report_s_writer_is_named_as_the_desk_holds_them_now(desk, clock):
    from datetime import datetime

    from desk.services import agents, report_review, reports

    clock.now = datetime(2026, 11, 3, 9, 0)
    agents.save_agent(desk, "admin", agent_login="repw", name="Wu Fang", roles=["report_writer"])
    reports.generate(desk, "repw", "customer-monthly", "2026-10")
    clock.now = datetime(2026, 12, 1, 9, 0)  # past its due day, not submitted
    agents.save_agent(desk, "admin", agent_login="repw", name="Wu Fang-Li", roles=["report_writer"])
    late = [x for x in report_review.late(desk) if x.code == "customer-monthly" and x.period == "2026-10"]
    assert [(x.writer, x.writer_name) for x in late] == [("repw", "Wu Fang-Li")]
