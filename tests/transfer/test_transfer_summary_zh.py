"""What `desk migrate` and `desk import` say when they refuse something, in the reader's language
(issue 17): every reason of a refused ticket, of an event left out and of a bad line of an export is
a message of the catalogue, and the summary counts refused tickets apart from skipped events."""

from __future__ import annotations

import json

from conftest import make_desk
from desk.models import History, Incident
from desk.services.context import open_desk
from desk.services.transfer.export import FORMAT, VERSION
from desk.services.transfer.reader import ImportRefused, Reader
from reliability.helpers import run_cli

MAPPING = '''[migrate.old]
tool = "Old"
number = "id"
title = "{title}"
unknown = "refuse"
time_format = "%Y-%m-%d %H:%M"
[migrate.old.fields]
status = "state"
opened_at = "opened"
assignee = "owner"
[migrate.old.values.status]
Open = "new"
[migrate.old.events]
number = "id"
at = "when"
note = "{what}"
'''

TICKETS = '''id,title,state,opened,owner
T-1,Printer jam,Open,2026-01-02 10:00,nobody
T-2,VPN drops,Open,yesterday,
T-3,Mail slow,Weird,2026-01-02 10:00,
T-4,Disk full,,2026-01-02 10:00,
'''

EVENTS = '''id,when,what
T-1,2026-01-02 10:05,called back
T-1,soon,lost
'''


def _files(tmp_path):
    config, tickets, events = tmp_path / "config.toml", tmp_path / "tickets.csv", tmp_path / "events.csv"
    config.write_text(MAPPING, encoding="utf-8")
    tickets.write_text(TICKETS, encoding="utf-8")
    events.write_text(EVENTS, encoding="utf-8")
    return config, tickets, events


def test_a_migration_summary_in_chinese_gives_every_reason_in_chinese(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config, tickets, events = _files(tmp_path)
    out = run_cli("--config", str(config), "--lang", "zh", "migrate", "--mapping", "old", "--events", str(events),
                  str(tickets), db=db_url)
    assert out.returncode == 1, out.stderr
    assert out.stderr.decode().splitlines() == [
        f"{tickets}:3：列 opened：工单 T-2 被拒绝：“yesterday”不符合映射的时间格式（`%Y-%m-%d %H:%M`）",
        f"{tickets}:4：列 state：工单 T-3 被拒绝：其 `status` 值“Weird”在映射的取值表中没有对应项，"
        "而映射设置了 `unknown = \"refuse\"`",
        f"{tickets}:5：列 state：工单 T-4 被拒绝：工单没有状态：最后一行没有给出，映射也没有默认值",
        f"{events}:3：列 when：工单 T-1 的一个事件未计入其历史：“soon”不符合映射的时间格式（`%Y-%m-%d %H:%M`）",
        "没有登录名为“nobody”的坐席（1 行）：这些行不记录坐席",
    ]
    summary = out.stdout.decode()
    assert "新建事件 1 个" in summary and "拒绝 3 个" in summary  # the skipped event is not a refused ticket
    desk = open_desk(db_url, user="admin")
    try:
        printer = Incident.get(Incident.external_ref == "T-1")
        notes = [h.note for h in History.select().where((History.entity == "incident")
                                                         & (History.entity_id == printer.id)).order_by(History.seq)]
        assert notes == ["called back", "Old T-1"] and printer.version == 2
    finally:
        desk.close()


def test_the_json_summary_gives_each_reason_in_the_chosen_language_and_its_code(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config, tickets, events = _files(tmp_path)
    out = run_cli("--config", str(config), "migrate", "--mapping", "old", "--events", str(events), "--json",
                  str(tickets), db=db_url)
    summary = json.loads(out.stdout)
    assert [(r["line"], r["column"], r["number"], r["reason"]) for r in summary["refused"]] == [
        (3, "opened", "T-2", "not_time"), (4, "state", "T-3", "unmapped"), (5, "state", "T-4", "no_status")]
    assert summary["refused"][0]["why"] == "“yesterday” is not a time in the mapping's format (`%Y-%m-%d %H:%M`)"
    assert [(r["file"], r["line"], r["reason"]) for r in summary["skipped_events"]] == [(str(events), 3, "not_time")]
    assert summary["created"] == 1


def test_a_bad_line_of_an_export_is_named_by_file_line_and_column_in_chinese(tmp_path):
    path = tmp_path / "bad.jsonl"
    header = json.dumps({"format": FORMAT, "version": VERSION, "tables": {}, "desk": "jump"})
    path.write_text(header + '\n["incident", "x", 1,\n', encoding="utf-8")
    reader = Reader(str(path))
    try:
        try:
            list(reader.rows())
        except ImportRefused as err:
            refused = err
        else:
            raise AssertionError("a line that is not JSON was read")
    finally:
        reader.close()
    zh = refused.message("zh")
    assert zh.startswith(f"{path}:2:") and "该行不是 JSON" in zh and zh.endswith("未导入任何内容")
    assert refused.message("en").startswith(f"{path}:2:") and "the line is not JSON" in refused.message("en")
