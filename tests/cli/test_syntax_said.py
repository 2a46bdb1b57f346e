"""What a parser says of a file or a line it cannot read is said in the reader's language
(desk/parse_faults.py): tomllib's messages after `file:line: TOML syntax: ` for a configuration
file (and a catalogue or a mapping, read the same way), json's for an alert line (`desk alert`) and
an export line (`desk import`). One case per message of config.toml_syntax.* and config.json_syntax.*;
a message of a later Python that the table does not know is shown as the parser said it."""

from __future__ import annotations

import re

import pytest

from desk.cli import main
from desk.i18n import catalogue
from test_messages import english_words

# message (`message:how` for the same one met another way): (the file, the line named, English, Chinese)
TOML = {
    'statement': ('[desk]\n!lang = "en"\n', 2,
        'TOML syntax: this line is not a `key = value`, a `[table]` or an `[[array]]` header',
        'TOML 语法错误：这一行既不是 `key = value`，也不是 `[table]` 或 `[[array]]` 表头'),
    'newline': ('[desk]\nlang = "en" durability = "full"\n', 2,
        'TOML syntax: something else follows on this line (a line holds one `key = value` or one header)',
        'TOML 语法错误：这一行后面还有多余内容（一行只能写一个 `key = value` 或一个表头）'),
    'equals': ('[desk]\nlang "en"\n', 2,
        'TOML syntax: a key must be followed by `=` and its value',
        'TOML 语法错误：键之后必须写 `=` 和它的值'),
    'table_end': ('[desk\nlang = "en"\n', 1,
        'TOML syntax: a table header must end with `]`',
        'TOML 语法错误：表头必须以 `]` 结尾'),
    'array_end': ('[[priority\n', 1,
        'TOML syntax: an array header must end with `]]`',
        'TOML 语法错误：数组表头必须以 `]]` 结尾'),
    'unterminated:literal': ("[desk]\nlang = 'en\n", 2,
        'TOML syntax: a string is not closed with its quote',
        'TOML 语法错误：字符串缺少结束引号'),
    'unterminated:literal_eof': ("[desk]\nlang = '''en\n", 2,
        'TOML syntax: a string is not closed with its quote',
        'TOML 语法错误：字符串缺少结束引号'),
    'character': ('[desk]\nlang = "e\x01n"\n', 2,
        "TOML syntax: the character '\\x01' is not allowed here",
        "TOML 语法错误：此处不允许出现字符 '\\x01'"),
    'twice': ('[desk]\nlang = "en"\n\n[desk]\n', 4,
        'TOML syntax: `desk` is declared twice',
        'TOML 语法错误：`desk` 声明了两次'),
    'twice:redefined': ('keymap = {assign = "a"}\n[keymap.x]\n', 2,
        'TOML syntax: `keymap.x` is declared twice',
        'TOML 语法错误：`keymap.x` 声明了两次'),
    'overwrite': ('[desk]\nlang = "en"\nlang = "zh"\n', 3,
        'TOML syntax: a value is set twice',
        'TOML 语法错误：同一个值设置了两次'),
    'immutable': ('keymap = {assign = "a"}\nkeymap.close = "c"\n', 2,
        'TOML syntax: `keymap` was written whole (inline or as an array) and cannot be added to',
        'TOML 语法错误：`keymap` 已整体写出（内联表或数组），不能再向其中添加'),
    'key_start': ('keymap = {assign = "a",}\n', 1,
        'TOML syntax: a key must start with a letter, a digit, `_`, `-` or a quote',
        'TOML 语法错误：键必须以字母、数字、`_`、`-` 或引号开头'),
    'unclosed_array': ('[incident]\npriority_matrix = [[1, 2]\n', 2,
        'TOML syntax: a list opened with `[` is not closed',
        'TOML 语法错误：以 `[` 开始的列表没有闭合'),
    'inline_twice': ('keymap = {assign = "a", assign = "b"}\n', 1,
        'TOML syntax: the key `assign` appears twice in one inline table',
        'TOML 语法错误：同一个内联表中键 `assign` 出现了两次'),
    'unclosed_inline': ('keymap = {assign = "a"\n', 1,
        'TOML syntax: an inline table (in braces) is not closed',
        'TOML 语法错误：内联表（花括号）没有闭合'),
    'backslash': ('[desk]\nlang = "e\\q"\n', 2,
        'TOML syntax: a `\\` in a string must be written `\\\\`',
        'TOML 语法错误：字符串中的 `\\` 必须写成 `\\\\`'),
    'escape': ('[desk]\nlang = "\\uD800"\n', 2,
        'TOML syntax: a string holds an escape sequence that is not valid',
        'TOML 语法错误：字符串中含有无效的转义序列'),
    'escape:hex': ('[desk]\nlang = "\\uZZZZ"\n', 2,
        'TOML syntax: a string holds an escape sequence that is not valid',
        'TOML 语法错误：字符串中含有无效的转义序列'),
    'unterminated': ('[desk]\nlang = "en\n', 2,
        'TOML syntax: a string is not closed with its quote',
        'TOML 语法错误：字符串缺少结束引号'),
    'unterminated:multiline': ('[desk]\nlang = """en\n', 2,
        'TOML syntax: a string is not closed with its quote',
        'TOML 语法错误：字符串缺少结束引号'),
    'datetime': ('[[change_freeze]]\nstart = 2026-02-30\n', 2,
        'TOML syntax: the date or time is not valid',
        'TOML 语法错误：日期或时间无效'),
    'value': ('[desk]\nbusy_timeout_ms = soon\n', 2,
        'TOML syntax: the value is not valid: text is written in quotes (`"text"`), numbers, `true` and `false` without',
        'TOML 语法错误：值无效：文本要加引号（`"text"`），数字、`true` 和 `false` 不加'),
}
# message: (an alert line, English, Chinese)
JSON = {
    'value': ('{"a": }',
        'not a JSON object: a value was expected',
        '不是 JSON 对象：此处应为一个值'),
    'name': ('{a: 1}',
        'not a JSON object: a property name in double quotes was expected',
        '不是 JSON 对象：此处应为用双引号括起的属性名'),
    'delimiter': ('{"a" 1}',
        'not a JSON object: `:` was expected',
        '不是 JSON 对象：此处应为 `:`'),
    'delimiter:comma': ('[1 2]',
        'not a JSON object: `,` was expected',
        '不是 JSON 对象：此处应为 `,`'),
    'unterminated': ('{"a": "b',
        'not a JSON object: a string is not closed with its quote',
        '不是 JSON 对象：字符串缺少结束引号'),
    'control': ('{"a": "b\x01"}',
        'not a JSON object: a string holds a control character',
        '不是 JSON 对象：字符串中含有控制字符'),
    'escape': ('{"a": "\\q"}',
        'not a JSON object: a string holds an escape sequence that is not valid',
        '不是 JSON 对象：字符串中含有无效的转义序列'),
    'escape:unicode': ('{"a": "\\u12"}',
        'not a JSON object: a string holds an escape sequence that is not valid',
        '不是 JSON 对象：字符串中含有无效的转义序列'),
    'extra': ('{} {}',
        'not a JSON object: something follows the JSON value',
        '不是 JSON 对象：JSON 值之后还有多余内容'),
    'deep': ("[" * 100_000,
        'not a JSON object: the value is nested too deeply',
        '不是 JSON 对象：值的嵌套层数过深'),
    'got_array': ('[1]',
        'not a JSON object but an array',
        '不是 JSON 对象，而是数组'),
    'got_string': ('"x"',
        'not a JSON object but a string',
        '不是 JSON 对象，而是字符串'),
    'got_number': ('1.5',
        'not a JSON object but a number',
        '不是 JSON 对象，而是数字'),
    'got_bool': ('true',
        'not a JSON object but `true` or `false`',
        '不是 JSON 对象，而是`true` 或 `false`'),
    'got_null': ('null',
        'not a JSON object but `null`',
        '不是 JSON 对象，而是`null`'),
    'got_items': ('{"alerts": [1]}',
        'not a JSON object but a list of alerts holding something else than objects',
        '不是 JSON 对象，而是含有非对象项的告警列表'),
}
FORMATS = {"plain": {"source": "test", "items": "alerts", "fingerprint": "fp"}}


def _no_english(text: str) -> list[str]:
    """English words in a Chinese line, but for what the file itself wrote ('…')."""
    return english_words(re.sub(r"'[^']*'", " ", text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(TOML))
def test_a_file_that_is_not_toml_is_one_line_in_either_language_and_nothing_written(tmp_path, capsys, case, lang):
    text, line, en, zh = TOML[case]
    path = tmp_path / "bad config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["init", "--db", str(tmp_path / "desk.db"), "--config", str(path), "--lang", lang])
    out = capsys.readouterr()
    assert (code, out.out) == (2, "")
    assert out.err == f"{path}:{line}: {en if lang == 'en' else zh}\n"
    assert lang == "en" or _no_english(zh) == []
    assert not (tmp_path / "desk.db").exists()


@pytest.mark.parametrize("case", sorted(JSON))
def test_an_alert_line_that_is_not_an_object_is_said_in_either_language(case):
    from desk.services.alert_payloads import LineError, parse_line

    text, en, zh = JSON[case]
    with pytest.raises(LineError) as err:
        parse_line(text, FORMATS, 1)
    assert (err.value.message("en"), err.value.message("zh")) == (en, zh)
    assert _no_english(zh) == []


def test_every_parser_message_has_its_case():
    for area, cases in (("config.toml_syntax.", TOML), ("config.json_syntax.", JSON)):
        assert {key[len(area):] for key in catalogue("en") if key.startswith(area)} == \
            {case.split(":")[0] for case in cases}


def test_a_parser_message_the_table_does_not_know_is_shown_as_the_parser_said_it():
    from desk.parse_faults import json_said, toml_said

    assert toml_said("Something new in Python 3.99") == "Something new in Python 3.99"
    assert json_said("Something new") == "Something new"


def test_an_export_line_that_is_not_json_is_said_in_the_reader_s_language(tmp_path):
    from desk.services.transfer.reader import ImportRefused, Reader

    path = tmp_path / "export.jsonl"
    path.write_text('{"a": }\n', encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        list(Reader(str(path)))
    assert "此处应为一个值" in err.value.message("zh") and _no_english(err.value.message("zh")) == []


# --- what the system says of a file it cannot open -----------------------------------------------

OS = {"ENOENT": "no_such", "EACCES": "permission", "EPERM": "permission", "EISDIR": "is_folder",
      "ENOTDIR": "not_folder", "ENOSPC": "disk_full", "EROFS": "read_only"}


@pytest.mark.parametrize("name", sorted(OS))
def test_why_a_file_cannot_be_opened_is_said_in_the_reader_s_language(name):
    import errno

    from desk.domain.errors import Said
    from desk.parse_faults import os_said

    said = os_said(OSError(getattr(errno, name), "English from the system"))
    assert said == Said(f"config.os.{OS[name]}")
    assert _no_english(said.text("zh")) == [] and said.text("en") != said.text("zh")


def test_every_reason_a_file_cannot_be_opened_has_its_case_and_another_is_quoted_as_the_system_said_it():
    import errno

    from desk.domain.errors import Said
    from desk.parse_faults import os_said

    assert {key[len("config.os."):] for key in catalogue("en") if key.startswith("config.os.")} == {*OS.values(), "said"}
    said = os_said(OSError(errno.ELOOP, "Too many levels of symbolic links"))
    assert said == Said("config.os.said", {"detail": "Too many levels of symbolic links"})
    assert said.text("zh") == "系统的原话：“Too many levels of symbolic links”"


def test_a_configuration_that_is_a_folder_is_said_so_in_chinese(tmp_path, capsys):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert main(["incident", "list", "--db", str(tmp_path / "desk.db"), "--config", str(folder), "--lang", "zh"]) == 2
    assert capsys.readouterr().err == f"{folder}: 无法读取：这是一个文件夹，不是文件\n"


# --- a CSV file to migrate that is not CSV (desk import --from csv) ----------------------------------

def _gz_cut() -> bytes:
    import gzip

    return gzip.compress(b"a,b\n1,2\n" * 1000)[:-20]


# message: (the file's name, its bytes, the line named, English, Chinese) of why, inside transfer.migrate.not_csv
CSV_FILES = {
    "field_limit": ("big.csv", b"a,b\n1," + b"x" * 140_000 + b"\n", 3, "a field is longer than 131072 characters",
                    "有一个字段超过 131072 个字符"),
    "not_utf8": ("latin.csv", b"a,b\n1,caf\xe9\n", 1, "it is not UTF-8 text: byte 0xe9", "不是 UTF-8 文本：字节 0xe9"),
    # (a .csv.gz that is not gzip, or was cut short, was an unexpected error: BadGzipFile, EOFError)
    "not_gzip": ("plain.csv.gz", b"a,b\n1,2\n", 1, "its name ends in .gz, but it is not `gzip`-compressed",
                 "文件名以 .gz 结尾，但不是 `gzip` 压缩文件"),
    "truncated": ("cut.csv.gz", _gz_cut(), 261, "the compressed file stops before its end: it was cut short",
                  "压缩文件在结尾之前中断，文件不完整"),
}
# message: what the csv module says (with a reader in strict mode, or of a NUL in Python 3.10)
CSV_WORDS = {"nul": "line contains NUL", "newline": "new-line character seen in unquoted field - do you need to open "
             "the file with newline=''?", "end": "unexpected end of data"}


@pytest.mark.parametrize("case", sorted(CSV_FILES))
def test_a_file_to_migrate_that_is_not_csv_says_why_in_the_reader_s_language(tmp_path, case):
    from desk.services.transfer.source import MigrationRefused, read_csv

    name, data, line, en, zh = CSV_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(MigrationRefused) as err:
        read_csv(str(path), {"a"}, "file", "mine")
    assert err.value.message("en") == f"{path}:{line}: not a CSV file ({en}); nothing was migrated"
    assert err.value.message("zh") == f"{path}:{line}：不是 CSV 文件（{zh}）；未迁移任何内容"


@pytest.mark.parametrize("case", sorted(CSV_WORDS))
def test_the_csv_module_s_other_words_are_said_too(case):
    import csv

    from desk.domain.errors import Said
    from desk.parse_faults import csv_said

    said = csv_said(csv.Error(CSV_WORDS[case]))
    assert said == Said(f"config.csv_syntax.{case}") and _no_english(said.text("zh")) == []


def test_every_csv_message_has_its_case():
    assert {key[len("config.csv_syntax."):] for key in catalogue("en") if key.startswith("config.csv_syntax.")} == \
        set(CSV_FILES) | set(CSV_WORDS)
