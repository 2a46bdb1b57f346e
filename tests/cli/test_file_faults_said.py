"""What the [sla] section, a catalogue file and a report list entry may not say is one line
`file:line: what is wrong`, exit 2, nothing written, in English and in Chinese (issue 17: their rules
were English f-strings inside a translated frame, `文件:行: <English>`). One case per message of
config.sla.*, config.catalogue.* and config.report.* (desk/domain/sla_settings.py, sla_calendar.py,
catalogue.py, report_flow.py), through `desk init` as test_config_rules_said.py does for config.rule.*,
and the catalogue's own file faults through `desk catalogue import`."""

from __future__ import annotations

import re

import pytest

from desk.cli import main
from desk.i18n import catalogue
from test_messages import english_words

REPORT = ('[[report]]\ncode = "x"\nen = "X"\nzh = "某报告"\naudience = "customer"\nbasis = "sla"\nperiod = "monthly"\n'
          'sections = ["volume"]\n')
CAT = '[[service_category]]\ncode = "net"\nparent = ""\nen = "Network"\nzh = "网络"\n'
SERVICE = ('[[service]]\ncode = "fax"\ncategory = "network"\nname_en = "Fax"\nname_zh = "传真"\nsummary_en = "Fax lines."\n'
           'summary_zh = "传真线路。"\ntargets = { 1 = { response = 5, resolve = 60 }, 2 = { response = 5, resolve = 60 }, '
           '3 = { response = 5, resolve = 60 }, 4 = { response = 5, resolve = 60 } }\n')
OFFICE = '[sla.calendars.office]\nhours = "{}"\n'

# key (`key:how` for the same message met another way): (the file, the line named)
FILES = {
    "config.sla.warning": ('[sla]\nwarning = 1.5\n', 2),
    "config.sla.default_calendar": ('[sla]\ndefault_calendar = "nine-to-five"\n', 2),
    "config.sla.reopen_gap": ('[sla]\nreopen_gap = "sometimes"\n', 2),
    "config.sla.raised_priority": ('[sla.escalation]\nraised_priority = "high"\n', 2),
    "config.sla.escalation_unknown": ('[sla.escalation]\nlater = ["assignee"]\n', 2),
    "config.sla.escalation_recipients": ('[sla.escalation]\nbreach = ["boss"]\n', 2),
    "config.sla.pausing_kind": ('[sla.pausing.problem]\nnew = "caller"\n', 1),
    "config.sla.pausing_table": ('[sla.pausing]\nrequest = "cost"\n', 2),
    "config.sla.pausing_status": ('[sla.pausing.request]\nresolved = "cost"\n', 2),
    "config.sla.pausing_reason": ('[sla.pausing.request]\nawaiting_cost = "lunch"\n', 2),
    "config.sla.hours_shape": (OFFICE.format("weekdays"), 2),
    "config.sla.hours_span": (OFFICE.format("8-18 Mon-Fri"), 2),
    "config.sla.hours_day": (OFFICE.format("18:00-08:00 Mon-Fri"), 2),
    "config.sla.hours_overlap": (OFFICE.format("08:00-12:00,11:00-18:00 Mon-Fri"), 2),
    "config.sla.hours_days": (OFFICE.format("08:00-18:00 weekdays"), 2),
    "config.sla.hours_range": (OFFICE.format("08:00-18:00 Fri-Mon"), 2),
    "config.sla.holiday_date": ('[sla.holidays.cn]\noff = ["2026-13-01"]\n', 2),
    "config.sla.zone": ('[sla]\ntimezone = "Mars/Olympus"\n', 2),
    "config.sla.holidays_table": ('[sla]\nholidays = { cn = 3 }\n', 2),
    "config.sla.holiday_both": ('[sla.holidays.cn]\noff = ["2026-10-01"]\nwork = ["2026-10-01"]\n', 1),
    "config.sla.calendar_table": ('[sla.calendars.office]\nholidays = ""\n', 1),
    "config.sla.holiday_set": ('[sla.calendars.office]\nhours = "08:00-18:00 Mon-Fri"\nholidays = "nowhere"\n', 3),
    "config.catalogue.unknown_field": (CAT + 'colour = "red"\n', 6),
    "config.catalogue.category_text": (CAT.replace('en = "Network"', 'en = " "'), 4),
    "config.catalogue.category_code": (CAT.replace('"net"', '"Net Work"'), 2),
    "config.catalogue.category_parent": (CAT.replace('parent = ""', 'parent = "nowhere"'), 3),
    "config.catalogue.service": (SERVICE.replace("response = 5", "response = -5", 1), 8),
    "config.catalogue.service_entry": (SERVICE.replace('code = "fax"', 'code = 5'), 2),
    "config.report.missing": (REPORT.replace('sections = ["volume"]\n', ""), 1),
    "config.report.whole_number": (REPORT + 'due_days = "soon"\n', 9),
    "config.report.list": (REPORT.replace('["volume"]', '"volume"'), 8),
    "config.report.text": (REPORT + "channel = 3\n", 9),
    "config.report.unknown_field": (REPORT + 'colour = "red"\n', 9),
    "config.report.one_of": (REPORT.replace('"monthly"', '"daily"'), 7),
    "config.report.due_days": (REPORT + "due_days = 90\n", 9),
    "config.report.unknown_section": (REPORT.replace('["volume"]', '["volume", "horoscope"]'), 8),
    "config.report.no_sections": (REPORT.replace('["volume"]', '[]'), 8),
    "config.report.recipients": (REPORT + "recipients = [3]\n", 9),
    "config.report.two_people": (REPORT + 'confirmer = "appr"\nreviewer = "appr"\n', 9),
    "config.report.writer_confirmer": (REPORT + 'writer = "repw"\nconfirmer = "repw"\n', 10),
    "config.report.writer_reviewer": (REPORT + 'writer = "repw"\nreviewer = "repw"\n', 10),
    # the same rule met another way (config.rule.* through [sla] or a catalogue)
    "config.rule.unknown_setting:sla": ('[sla]\ncolour = "red"\n', 2),
    "config.rule.wrong_type:sla": ('[sla]\nwarning = "high"\n', 2),
    "config.rule.wrong_type:makeup": (OFFICE.format("08:00-18:00 Mon-Fri") + "makeup = 9\n", 3),
    "config.sla.holiday_set:list": ('[sla.calendars.office]\nhours = "08:00-18:00 Mon-Fri"\nholidays = ["cn"]\n', 3),
    "config.rule.code_twice:category": (CAT + "\n" + CAT, 8),
    "config.rule.code_twice:service": (SERVICE + "\n" + SERVICE, 11),
    "config.catalogue.unknown_field:service": (SERVICE + 'colour = "red"\n', 9),
}
# key: (English, Chinese), as shown after `file:line: `
SAID = {
    'config.sla.warning': ('`sla.warning` must be a share of the target between 0 and 1, not 1.5',
        '`sla.warning` 必须是 0 到 1 之间的比例（占目标时间的份额），而不是 1.5'),
    'config.sla.default_calendar': ("`sla.default_calendar` names 'nine-to-five', but there is no such calendar (calendars: `24x7`, `business`, `extended`, `office`)",
        "`sla.default_calendar` 指定了 'nine-to-five'，但没有这个日历（已有的日历：`24x7`, `business`, `extended`, `office`）"),
    'config.sla.reopen_gap': ("`sla.reopen_gap` must be one of `paused`, `counted`, not 'sometimes'",
        "`sla.reopen_gap` 只能是 `paused`, `counted` 之一，而不是 'sometimes'"),
    'config.sla.raised_priority': ("`sla.escalation.raised_priority` must be a priority, as a whole number, not 'high'",
        "`sla.escalation.raised_priority` 必须是一个优先级（整数），而不是 'high'"),
    'config.sla.escalation_unknown': ('unknown setting `sla.escalation.later` (under [sla.escalation]: `warning`, `breach`, `raised`, `raised_priority`)',
        '未知的设置 `sla.escalation.later`（[sla.escalation] 下可以设置：`warning`, `breach`, `raised`, `raised_priority`）'),
    'config.sla.escalation_recipients': ("`sla.escalation.breach` must list whom to tell, among `assignee`, `owner`, `group_lead`, `shift_lead`, not ['boss']",
        "`sla.escalation.breach` 必须列出要通知的人，取自 `assignee`, `owner`, `group_lead`, `shift_lead`，而不是 ['boss']"),
    'config.sla.pausing_kind': ('unknown setting `sla.pausing.problem` (the kinds of ticket with an SLA clock: `incident`, `request`)',
        '未知的设置 `sla.pausing.problem`（有 SLA 时钟的工单类型：`incident`, `request`）'),
    'config.sla.pausing_table': ('`sla.pausing.request` must be a table of `status = "reason"`, not \'cost\'',
        '`sla.pausing.request` 必须是由 `status = "reason"` 组成的表，而不是 \'cost\''),
    'config.sla.pausing_status': ('`sla.pausing.request.resolved`: `resolved` is not an open status (the open statuses of the service request: `accepted`, `awaiting_approval`, `awaiting_cost`, `awaiting_requester`, `dispatched`, `escalated`, `pending`)',
        '`sla.pausing.request.resolved`：`resolved` 不是服务请求的未结束状态（服务请求的未结束状态有：`accepted`, `awaiting_approval`, `awaiting_cost`, `awaiting_requester`, `dispatched`, `escalated`, `pending`）'),
    'config.sla.pausing_reason': ("`sla.pausing.request.awaiting_cost`: 'lunch' is not one of `sla.pause_reasons` (`caller`, `vendor`, `approval`, `cost`)",
        "`sla.pausing.request.awaiting_cost`：'lunch' 不在 `sla.pause_reasons` 之中（`caller`, `vendor`, `approval`, `cost`）"),
    'config.sla.hours_shape': ("`sla.calendars.office.hours`: 'weekdays' is neither `24x7` nor working hours such as `08:00-18:00 Mon-Fri`",
        "`sla.calendars.office.hours`：'weekdays' 既不是 `24x7`，也不是 `08:00-18:00 Mon-Fri` 这样的服务时间"),
    'config.sla.hours_span': ("`sla.calendars.office.hours`: '8-18' in '8-18 Mon-Fri' is not a time span such as `08:00-18:00`",
        "`sla.calendars.office.hours`：'8-18 Mon-Fri' 中的 '8-18' 不是 `08:00-18:00` 这样的时间段"),
    'config.sla.hours_day': ("`sla.calendars.office.hours`: '18:00-08:00' in '18:00-08:00 Mon-Fri' is not a span within one day",
        "`sla.calendars.office.hours`：'18:00-08:00 Mon-Fri' 中的 '18:00-08:00' 不是一天之内的时间段"),
    'config.sla.hours_overlap': ("`sla.calendars.office.hours`: the time spans of '08:00-12:00,11:00-18:00 Mon-Fri' overlap",
        "`sla.calendars.office.hours`：'08:00-12:00,11:00-18:00 Mon-Fri' 中的时间段相互重叠"),
    'config.sla.hours_days': ("`sla.calendars.office.hours`: the days of '08:00-18:00 weekdays' must be `daily`, a range such as `Mon-Fri` or a list such as `Mon,Wed`",
        "`sla.calendars.office.hours`：'08:00-18:00 weekdays' 中的日期必须是 `daily`、`Mon-Fri` 这样的范围或 `Mon,Wed` 这样的列表"),
    'config.sla.hours_range': ("`sla.calendars.office.hours`: 'fri-mon' in '08:00-18:00 Fri-Mon' is not a range of days",
        "`sla.calendars.office.hours`：'08:00-18:00 Fri-Mon' 中的 'fri-mon' 不是有效的日期范围"),
    'config.sla.holiday_date': ("`sla.holidays.cn.off`: '2026-13-01' is not a date (`YYYY-MM-DD`) or a range of dates (`A..B`)",
        "`sla.holidays.cn.off`：'2026-13-01' 不是日期（`YYYY-MM-DD`）或日期范围（`A..B`）"),
    'config.sla.zone': ("`sla.timezone`: 'Mars/Olympus' is not a known time zone (such as `Asia/Shanghai`)",
        "`sla.timezone`：'Mars/Olympus' 不是已知的时区（例如 `Asia/Shanghai`）"),
    'config.sla.holidays_table': ('`sla.holidays.cn` must be a table with `off` and `work` lists, not 3',
        '`sla.holidays.cn` 必须是包含 `off` 和 `work` 两个列表的表，而不是 3'),
    'config.sla.holiday_both': ('`sla.holidays.cn`: 2026-10-01 is both a holiday and a working day',
        '`sla.holidays.cn`：2026-10-01 既是节假日又是调休工作日'),
    'config.sla.calendar_table': ("`sla.calendars.office` must be a table with `hours`, not {'holidays': ''}",
        "`sla.calendars.office` 必须是包含 `hours` 的表，而不是 {'holidays': ''}"),
    'config.sla.holiday_set': ("`sla.calendars.office.holidays`: there is no holiday set 'nowhere' in [sla.holidays]",
        "`sla.calendars.office.holidays`：[sla.holidays] 中没有名为 'nowhere' 的节假日组"),
    'config.catalogue.unknown_field': ('[[service_category]] entry 1: unknown field `colour`',
        '[[service_category]] 的第 1 个条目：未知的字段 `colour`'),
    'config.catalogue.category_text': ('[[service_category]] entry 1: `en` must be a text that is not empty',
        '[[service_category]] 的第 1 个条目：`en` 必须是非空文本'),
    'config.catalogue.category_code': ("[[service_category]] code 'Net Work' must be lower-case letters, digits, `.`, `-` or `_`",
        "[[service_category]] 的代码 'Net Work' 只能由小写字母、数字、`.`、`-` 或 `_` 组成"),
    'config.catalogue.category_parent': ("[[service_category]] `net`: its parent 'nowhere' is not a category written above it or known already",
        "[[service_category]] `net`：其上级 'nowhere' 不是写在它前面或已有的类别"),
    'config.catalogue.service': ('[[service]] `fax`: targets of priority 1: -5 is not a number of minutes (1 to 525600)',
        '[[service]] `fax`：优先级 1 的目标：-5 不是有效的分钟数（1 至 525600）'),
    'config.catalogue.service_entry': ("[[service]] entry 1: the code 5 must be 1 to 64 lower-case letters, digits, '.', '-' or '_'",
        '[[service]] 的第 1 个条目：代码 5 须为 1 至 64 个小写字母、数字、“.”、“-”或“_”'),
    'config.report.missing': ('[[report]] `x`: `sections` is missing',
        '[[report]] `x`：缺少 `sections`'),
    'config.report.whole_number': ("[[report]] `x`: `due_days` must be a whole number, not 'soon'",
        "[[report]] `x`：`due_days` 必须是整数，而不是 'soon'"),
    'config.report.list': ("[[report]] `x`: `sections` must be a list, not 'volume'",
        "[[report]] `x`：`sections` 必须是列表，而不是 'volume'"),
    'config.report.text': ('[[report]] `x`: `channel` must be text, not 3',
        '[[report]] `x`：`channel` 必须是文本，而不是 3'),
    'config.report.unknown_field': ('[[report]] `x`: unknown field `colour`',
        '[[report]] `x`：未知的字段 `colour`'),
    'config.report.one_of': ("[[report]] `x`: `period` must be one of `weekly`, `monthly`, `quarterly`, not 'daily'",
        "[[report]] `x`：`period` 只能是 `weekly`, `monthly`, `quarterly` 之一，而不是 'daily'"),
    'config.report.due_days': ('[[report]] `x`: `due_days` must be 0 to 60 working days',
        '[[report]] `x`：`due_days` 必须在 0 到 60 个工作日之间'),
    'config.report.unknown_section': ("[[report]] `x`: unknown section 'horoscope' (a report may show `volume`, `resolution`, `escalation`, `times`, `reopen`, `backlog`, `workload`, `comparison`, `requests`, `sla`)",
        "[[report]] `x`：未知的报告内容 'horoscope'（报告可以包含 `volume`, `resolution`, `escalation`, `times`, `reopen`, `backlog`, `workload`, `comparison`, `requests`, `sla`）"),
    'config.report.no_sections': ('[[report]] `x`: `sections` must name at least one section',
        '[[report]] `x`：`sections` 至少要列出一项报告内容'),
    'config.report.recipients': ('[[report]] `x`: `recipients` must be a list of text',
        '[[report]] `x`：`recipients` 必须是由文本组成的列表'),
    'config.report.two_people': ('[[report]] `x`: the confirmer and the reviewer must be two different people',
        '[[report]] `x`：确认人和审核人必须是两个不同的人'),
    'config.report.writer_confirmer': ('[[report]] `x`: the writer cannot confirm their own report',
        '[[report]] `x`：编写人不能确认自己的报告'),
    'config.report.writer_reviewer': ('[[report]] `x`: the writer cannot review their own report',
        '[[report]] `x`：编写人不能审核自己的报告'),
    'config.rule.unknown_setting:sla': ("unknown setting 'sla.colour'",
        '未知的设置 `sla.colour`'),
    'config.rule.wrong_type:sla': ("'sla.warning' must be a number, not 'high'",
        "`sla.warning` 必须是数字，而不是 'high'"),
    'config.rule.wrong_type:makeup': ("'sla.calendars.office.makeup' must be a string, not 9",
        '`sla.calendars.office.makeup` 必须是字符串，而不是 9'),
    'config.sla.holiday_set:list': ("`sla.calendars.office.holidays`: there is no holiday set ['cn'] in [sla.holidays]",
        "`sla.calendars.office.holidays`：[sla.holidays] 中没有名为 ['cn'] 的节假日组"),
    'config.rule.code_twice:category': ("[[service_category]] code 'net' appears twice",
        '[[service_category]] 的代码 `net` 出现了两次'),
    'config.rule.code_twice:service': ("[[service]] code 'fax' appears twice",
        '[[service]] 的代码 `fax` 出现了两次'),
    'config.catalogue.unknown_field:service': ('[[service]] entry 1: unknown field `colour`',
        '[[service]] 的第 1 个条目：未知的字段 `colour`'),
}
AREAS = ("config.sla.", "config.catalogue.", "config.report.")
IMPORT_ONLY = {"config.catalogue.unknown_section", "config.catalogue.retired"}  # (desk catalogue import: below)


def _init(tmp_path, text: str, lang: str, capsys) -> tuple[int, str, str]:
    path = tmp_path / "bad config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["init", "--db", str(tmp_path / "desk.db"), "--config", str(path), "--lang", lang])
    out = capsys.readouterr()
    return code, out.out, out.err


def _no_english(text: str) -> list[str]:
    """English words in a Chinese line, but for what the file itself wrote ('…', [..], {..})."""
    return english_words(re.sub(r"'[^']*'|\[[^\]]*\]|\{[^}]*\}", " ", text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(FILES))
def test_each_fault_is_one_line_with_file_and_line_in_either_language_and_nothing_written(tmp_path, capsys, case,
                                                                                          lang):
    text, line = FILES[case]
    en, zh = SAID[case]
    code, out, err = _init(tmp_path, text, lang, capsys)
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'bad config.toml'}:{line}: {en if lang == 'en' else zh}\n"
    assert lang == "en" or _no_english(zh) == []
    assert not (tmp_path / "desk.db").exists()  # `desk init` met the file before it made the database


def test_every_message_of_these_rules_has_its_case():
    keys = {key for key in catalogue("en") if key.startswith(AREAS)}
    assert keys - IMPORT_ONLY == {case.split(":")[0] for case in FILES if case.startswith(AREAS)}
    assert set(SAID) == set(FILES)


# --- desk catalogue import: the file's own faults, and a service this desk has retired ---------------

IMPORT = {
    "config.catalogue.unknown_section": (
        '[desk]\nlang = "en"\n', 1,
        "unknown section `desk` (a catalogue file has [[service_category]] and [[service]] tables)",
        "未知的配置节 `desk`（服务目录文件只包含 [[service_category]] 和 [[service]] 表）"),
    "config.rule.list_table": ('service = "fax"\n', 1, "'service' must be written as [[service]] tables",
                               "`service` 必须写成 [[service]] 表"),
    "config.catalogue.service": (SERVICE.replace('summary_zh = "传真线路。"\n', ""), 1,
                                 "[[service]] `fax`: summary (Chinese) is required", "[[service]] `fax`：简介（中文）为必填项"),
}


def _import(monkeypatch, capsys, db_url, path, lang: str) -> tuple[int, str, str]:
    monkeypatch.setenv("DESK_USER", "ops")
    code = main(["catalogue", "import", str(path), "--publish", "--db", db_url, "--lang", lang])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(IMPORT))
def test_a_catalogue_file_s_fault_is_said_in_the_reader_s_language_and_nothing_written(desk, db_url, tmp_path,
                                                                                       monkeypatch, capsys, case, lang):
    from reliability.helpers import dump

    text, line, en, zh = IMPORT[case]
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    before = dump(desk.db)
    code, out, err = _import(monkeypatch, capsys, db_url, path, lang)
    assert (code, out, err) == (2, "", f"{path}:{line}: {en if lang == 'en' else zh}\n")
    assert lang == "en" or _no_english(zh) == []
    assert dump(desk.db) == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_importing_a_service_this_desk_retired_names_its_line_and_writes_nothing(desk, db_url, clock, tmp_path,
                                                                                 monkeypatch, capsys, lang):
    from desk.db import write_transaction
    from desk.services import catalogue as services, catalogue_io, catalogue_load
    from reliability.helpers import dump

    text = catalogue_io.export_text(desk)
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")  # (exported while the service was still in force)
    clock.advance(minutes=1)
    entry = services.service_version(desk, "conference").entry
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, {**entry, "name_en": "Old conference"}, actor_id=None, now=clock(),
                                     status="retired")
    before = dump(desk.db)
    code, out, err = _import(monkeypatch, capsys, db_url, path, lang)
    line = text.splitlines().index('code = "conference"') + 1
    said = ("[[service]] `conference`: the service is retired and takes no new version" if lang == "en"
            else "[[service]] `conference`：该服务已停用，不能再有新版本")
    assert (code, out, err) == (2, "", f"{path}:{line}: {said}\n")
    # (the refusal is logged, as every refused action is: nothing else is written)
    assert _without_refusals(dump(desk.db)) == _without_refusals(before)


def _without_refusals(rows: list) -> list:
    """A dump without the refusal log (SQLite: its INSERT lines; PostgreSQL: its table's rows)."""
    return [row for row in rows if 'INSERT INTO "refusal"' not in str(row)
            and not (isinstance(row, tuple) and row[0] == "refusal")]


def test_a_report_list_entry_proposed_with_a_fault_is_refused_in_the_reader_s_language(desk):
    """The same rules refuse `desk report list propose` (report.error.bad_spec), in either language."""
    from desk.domain.errors import ValidationError
    from desk.services import report_list

    with pytest.raises(ValidationError) as err:
        report_list.propose(desk, "repm", "customer-monthly", {"period": "daily"})
    assert err.value.message("en") == \
        "report list entry: `period` must be one of `weekly`, `monthly`, `quarterly`, not 'daily'"
    assert err.value.message("zh") == "服务报告清单条目：`period` 只能是 `weekly`, `monthly`, `quarterly` 之一，而不是 'daily'"


def test_the_notes_desk_writes_on_a_version_are_said_in_the_reader_s_language(desk, db_url, tmp_path, monkeypatch,
                                                                              capsys, clock):
    """`desk catalogue versions` showed 'shipped catalogue' and 'imported from …' in a Chinese table."""
    from desk.services import catalogue_io

    text = catalogue_io.export_text(desk).replace('name_en = "Video conferencing"', 'name_en = "Video calls"', 1)
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    clock.advance(minutes=1)
    assert _import(monkeypatch, capsys, db_url, path, "en")[0] == 0
    for lang, shipped, imported in (("zh", "随附的服务目录", "从 catalogue.toml 导入"),
                                    ("en", "shipped catalogue", "imported from catalogue.toml")):
        assert main(["catalogue", "versions", "conference", "--db", db_url, "--lang", lang]) == 0
        rows = capsys.readouterr().out.splitlines()
        assert rows[1].startswith("1 ") and rows[1].endswith(shipped), rows
        assert rows[2].startswith("2 ") and rows[2].endswith(imported), rows
