"""What a configuration file may not say (desk/config_rules.py) is one line `file:line: what is
wrong`, exit 2, nothing written, in English and in Chinese: through `desk` itself, one case per
message (config.rule.*), and the language it is said in follows --lang, then DESK_LANG, then the
`desk.lang` of the file itself when the file could be read, then the locale."""

from __future__ import annotations

import pytest

from desk.cli import main
from desk.domain.roles import ALL_ROLES
from desk.i18n import catalogue

ZH = "[[priority]]\ncode = \"1\"\nen = \"Now\"\nzh = \"立即\"\n"
FREEZE = 'code = "ye"\nen = "Year end"\nzh = "年终"\n'

# rule: (the file, the line named, English, Chinese)
CASES = {
    "list_table": ('[desk]\nlang = "en"\n\n[priority]\ncode = "1"\n', 4,
                   "'priority' must be written as [[priority]] tables", "`priority` 必须写成 [[priority]] 表"),
    "not_table": ('incident = 3\n', 1, "'incident' must be a table [incident]", "`incident` 必须是一个表 [incident]"),
    "unknown_section": ('[deks]\nx = 1\n', 1, "unknown section 'deks'", "未知的配置节 `deks`"),
    "unknown_setting": ('[desk]\ndurabilty = "full"\n', 2, "unknown setting 'desk.durabilty'",
                        "未知的设置 `desk.durabilty`"),
    "wrong_type": ('[desk]\nbusy_timeout_ms = "soon"\n', 2, "'desk.busy_timeout_ms' must be a whole number, not 'soon'",
                   "`desk.busy_timeout_ms` 必须是整数，而不是 'soon'"),
    "no_entries": ('category = []\n', 1, "'category' has no entries", "`category` 没有任何条目"),
    "entry_lacks": (ZH, 1, "[[priority]] entry 1 lacks 'response_minutes'",
                    "[[priority]] 的第 1 个条目缺少 `response_minutes`"),
    "entry_type": ('[[source]]\ncode = "phone"\nen = 5\nzh = "电话"\n', 3, "[[source]] 'en' must be a string, not 5",
                   "[[source]] 的 `en` 必须是字符串，而不是 5"),
    "code_twice": ('[[source]]\ncode = "phone"\nen = "Phone"\nzh = "电话"\n\n[[source]]\ncode = "phone"\nen = "Call"\n'
                   'zh = "来电"\n', 7, "[[source]] code 'phone' appears twice", "[[source]] 的代码 `phone` 出现了两次"),
    "lang": ('[desk]\nlang = "fr"\n', 2, "desk.lang must be one of en, zh (or empty), not 'fr'",
             "`desk.lang` 只能是 `en`、`zh`（或留空），而不是 'fr'"),
    "durability": ('[desk]\ndurability = "fast"\n', 2, "desk.durability must be 'full' or 'normal', not 'fast'",
                   "`desk.durability` 只能是 `full` 或 `normal`，而不是 'fast'"),
    "status_lacks": ('[[status]]\ncode = "new"\nen = "New"\nzh = "新建"\n', 1,
                     "status table lacks assigned, in_progress, resolved, closed (the workflow needs every status)",
                     "状态表缺少 assigned, in_progress, resolved, closed（工作流需要每一种状态）"),
    "unknown_role": ('[[role]]\ncode = "king"\nen = "King"\nzh = "国王"\n', 1,
                     f"unknown role 'king' (roles are {', '.join(ALL_ROLES)})",
                     f"未知的角色 `king`（角色有：{', '.join(ALL_ROLES)}）"),
    "group_tier": ('[[group]]\ncode = "desk"\nen = "Desk"\nzh = "服务台"\ntier = 4\nkind = "desk"\n', 5,
                   "group 'desk' tier must be 1, 2 or 3", "工作组 `desk` 的 `tier` 只能是 1、2 或 3"),
    "group_kind": ('[[group]]\ncode = "desk"\nen = "Desk"\nzh = "服务台"\ntier = 1\nkind = "boss"\n', 6,
                   "group 'desk' kind must be desk, l2 or vendor", "工作组 `desk` 的 `kind` 只能是 `desk`、`l2` 或 `vendor`"),
    "matrix_shape": ('[incident]\npriority_matrix = []\n', 2,
                     "priority_matrix must be a list of rows (impact) of priorities (urgency)",
                     "`priority_matrix` 必须是由行（影响度）组成的列表，每行列出各紧急度对应的优先级"),
    "matrix_width": ('[incident]\npriority_matrix = [[1, 1, 2], [1, 2], [2, 3, 4]]\n', 2,
                     "priority_matrix row 2 has 2 entries, row 1 has 3", "`priority_matrix` 第 2 行有 2 项，而第 1 行有 3 项"),
    "matrix_priority": ('[incident]\npriority_matrix = [[1, 1, 2], [1, 2, 3], [2, 3, 9]]\n', 2,
                        "priority_matrix row 3: unknown priority 9 (known: 1, 2, 3, 4)",
                        "`priority_matrix` 第 3 行：未知的优先级 9（已知：1, 2, 3, 4）"),
    "matrix_size": ('[incident]\npriority_matrix = [[1, 1], [1, 2], [2, 3]]\n', 2,
                    "priority_matrix is 3×2, but there are 3 impacts and 3 urgencies",
                    "`priority_matrix` 是 3×2，但共有 3 个影响度和 3 个紧急度"),
    "not_code": ('[incident]\ndefault_group = "nowhere"\n', 2, "default_group 'nowhere' is not a [[group]] code",
                 "`default_group` 的值 'nowhere' 不是 [[group]] 中的代码"),
    # (what follows the code is the report list's own rule: tests/cli/test_file_faults_said.py has each)
    "report_entry": ('[[report]]\ncode = "x"\nen = "X"\n', 1, "[[report]] `x`: `zh` is missing", "[[report]] `x`：缺少 `zh`"),
    "at_least": ('[problem]\ncandidate_min = 1\n', 2, "problem.candidate_min must be 2 or more",
                 "`problem.candidate_min` 必须不小于 2"),
    "more_than": ('[request]\nauto_close_days = 0\n', 2, "request.auto_close_days must be more than 0, not 0",
                  "`request.auto_close_days` 必须大于 0，而不是 0"),
    "between": ('[alerts]\nbatch_size = 0\n', 2, "alerts.batch_size must be between 1 and 100000, not 0",
                "`alerts.batch_size` 必须在 1 到 100000 之间，而不是 0"),
    "change_approval": ('[change]\napproval = "most"\n', 2, "change.approval must be 'any' or 'all', not 'most'",
                        "`change.approval` 只能是 `any` 或 `all`，而不是 'most'"),
    "change_cab": ('[change]\ncab = [3]\n', 2, "change.cab must list agent logins, not 3",
                   "`change.cab` 必须列出坐席的登录名，而不是 3"),
    "freeze_text": ('[[change_freeze]]\ncode = "ye"\nen = " "\nzh = "年终"\nstart = 2026-12-28\nend = 2027-01-03\n', 3,
                    "[[change_freeze]] 'en' must be a non-empty string, not ' '",
                    "[[change_freeze]] 的 `en` 必须是非空字符串，而不是 ' '"),
    "freeze_moment": (f'[[change_freeze]]\n{FREEZE}start = "soon"\nend = 2027-01-03\n', 5,
                      "[[change_freeze]] ye: 'start' must be a date or a date and time such as 2026-12-24T18:00, "
                      "not 'soon'", "[[change_freeze]] `ye`：`start` 必须是日期，或日期加时间（如 `2026-12-24T18:00`），"
                      "而不是 'soon'"),
    "freeze_order": (f'[[change_freeze]]\n{FREEZE}start = 2026-12-28\nend = 2026-12-20\n', 6,
                     "[[change_freeze]] ye: its end must come after its start",
                     "[[change_freeze]] `ye`：结束时间必须晚于开始时间"),
    "freeze_allow_standard": (f'[[change_freeze]]\n{FREEZE}start = 2026-12-28\nend = 2027-01-03\nallow_standard = "yes"\n',
                              7, "[[change_freeze]] ye: 'allow_standard' must be true or false, not 'yes'",
                              "[[change_freeze]] `ye`：`allow_standard` 只能是 `true` 或 `false`，而不是 'yes'"),
    "freeze_overlap": (f'[[change_freeze]]\n{FREEZE}start = 2026-12-28\nend = 2027-01-03\n\n[[change_freeze]]\n'
                       'code = "ny"\nen = "New year"\nzh = "新年"\nstart = 2027-01-01\nend = 2027-01-05\n', 12,
                       "[[change_freeze]] ny overlaps ye (2026-12-28 00:00 to 2027-01-04 00:00): make them one freeze",
                       "[[change_freeze]] `ny` 与 `ye`（2026-12-28 00:00 至 2027-01-04 00:00）重叠：请把它们合并为一次封网"),
    "request_table_lacks": ('[[request_class]]\ncode = "business"\nen = "Business"\nzh = "业务"\n', 1,
                            "request_class table lacks technical (the request workflow needs it)",
                            "`request_class` 表缺少 technical（服务请求工作流需要它们）"),
    "alerts_title": ('[alerts]\ntitle = "{nope}"\n', 2,
                     "alerts.title names {nope}; it may name source, severity, host, service, summary, fingerprint",
                     "`alerts.title` 用到了 `{nope}`；它只能用 source, severity, host, service, summary, fingerprint"),
    "alerts_severity": ('[alerts.severity]\ncritical = [9, 1]\n', 2,
                        "alerts.severity.critical must be [impact, urgency] (impacts 1, 2, 3; urgencies 1, 2, 3), "
                        "not [9, 1]", "`alerts.severity.critical` 必须是 `[impact, urgency]`（影响度 1, 2, 3；紧急度 1, 2, 3），"
                        "而不是 [9, 1]"),
    "alerts_default_severity": ('[alerts]\ndefault_severity = "apocalyptic"\n', 2,
                                "alerts.default_severity 'apocalyptic' is not in [alerts.severity]",
                                "`alerts.default_severity` 的值 'apocalyptic' 不在 [alerts.severity] 中"),
    "format_table": ('[alerts]\nformats = { mine = 3 }\n', 2, "alerts.formats.mine must be a table",
                     "`alerts.formats.mine` 必须是一个表"),
    "format_type": ('[alerts.formats.mine]\nmatch = "x"\nsource = "y"\ncleared = "ok"\n', 4,
                    "'alerts.formats.mine.cleared' must be a list (of strings), not 'ok'",
                    "`alerts.formats.mine.cleared` 必须是列表（由字符串组成），而不是 'ok'"),
    "format_needs": ('[alerts.formats.mine]\nmatch = "x"\n', 1, "alerts.formats.mine needs 'match' and 'source'",
                     "`alerts.formats.mine` 需要 `match` 和 `source`"),
}
# The same rule met another way: a type of another name, a setting of an alert format.
MORE = {
    "wrong_type:number": ('[desk]\nauto_confirm_days = "x"\n', 2, "'desk.auto_confirm_days' must be a number, not 'x'",
                          "`desk.auto_confirm_days` 必须是数字，而不是 'x'"),
    "wrong_type:bool": ('[change]\npublication_requires_change = "no"\n', 2,
                        "'change.publication_requires_change' must be true or false, not 'no'",
                        "`change.publication_requires_change` 必须是`true` 或 `false`，而不是 'no'"),
    "unknown_setting:format": ('[alerts.formats.mine]\nmatch = "x"\nsource = "y"\ncolour = "red"\n', 4,
                               "unknown setting 'alerts.formats.mine.colour'", "未知的设置 `alerts.formats.mine.colour`"),
    "not_code:alerts": ('[alerts]\ngroup = "nowhere"\n', 2, "alerts.group 'nowhere' is not a [[group]] code",
                        "`alerts.group` 的值 'nowhere' 不是 [[group]] 中的代码"),
}


def _desk(tmp_path, text: str, *args: str, capsys) -> tuple[int, str, str]:
    path = tmp_path / "bad config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["init", "--db", str(tmp_path / "desk.db"), "--config", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted({**CASES, **MORE}))
def test_each_fault_is_one_line_with_file_and_line_in_either_language_and_nothing_written(tmp_path, capsys, case,
                                                                                          lang):
    text, line, en, zh = {**CASES, **MORE}[case]
    code, out, err = _desk(tmp_path, text, "--lang", lang, capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'bad config.toml'}:{line}: {en if lang == 'en' else zh}\n"
    assert not (tmp_path / "desk.db").exists()  # `desk init` met the file before it made the database


def test_every_rule_of_the_catalogue_has_its_case():
    rules = {key.split(".")[-1] for key in catalogue("en") if key.startswith("config.rule.")}
    assert rules - {"set_twice"} == set(CASES)  # (set_twice: two shipped files; test_bad_config has it)
    assert {key for key in catalogue("zh") if key.startswith("config.")} == \
        {key for key in catalogue("en") if key.startswith("config.")}


BAD_ZH = '[desk]\nlang = "zh"\nbusy_timeout_ms = "soon"\n'
SAID_EN = "'desk.busy_timeout_ms' must be a whole number, not 'soon'"
SAID_ZH = "`desk.busy_timeout_ms` 必须是整数，而不是 'soon'"


def test_a_file_that_sets_the_desk_s_language_hears_of_its_faults_in_it(tmp_path, capsys):
    code, _, err = _desk(tmp_path, BAD_ZH, capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_ZH}\n")
    code, _, err = _desk(tmp_path, BAD_ZH.replace('"zh"', '"en"'), capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_EN}\n")


def test_a_flag_or_the_environment_still_wins_over_the_file_s_language(tmp_path, capsys, monkeypatch):
    code, _, err = _desk(tmp_path, BAD_ZH, "--lang", "en", capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_EN}\n")
    monkeypatch.setenv("DESK_LANG", "en")
    code, _, err = _desk(tmp_path, BAD_ZH, capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_EN}\n")
    code, _, err = _desk(tmp_path, BAD_ZH.replace('"zh"', '"en"'), "--lang", "zh", capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_ZH}\n")


def test_a_file_that_cannot_be_read_is_said_in_the_locale_s_language(tmp_path, capsys, monkeypatch):
    code, _, err = _desk(tmp_path, '[desk]\nlang = "zh"\nbusy_timeout_ms = \n', capsys=capsys)
    assert code == 2 and ":3: TOML syntax: " in err
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _, err = _desk(tmp_path, BAD_ZH.replace('"zh"', '""'), capsys=capsys)
    assert code == 2 and err.endswith(f":3: {SAID_ZH}\n")


def test_config_check_says_a_keymap_fault_in_the_file_s_language(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[desk]\nlang = "zh"\n\n[keymap]\nno_such_binding = "x"\n', encoding="utf-8")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:5: [keymap] 中的 `no_such_binding` 不是 desk 任何按键的编号")
