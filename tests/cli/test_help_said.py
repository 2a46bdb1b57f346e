"""`desk --help` in the reader's language (desk/cli_usage.py: translate_help, formatter): argparse's
own headings ("usage:", "positional arguments", "options", -h's "show this help message and exit")
were English around Chinese help texts. The language is the one the command's messages use: --lang,
DESK_LANG, the user's config file's `desk.lang`, the locale."""

from __future__ import annotations

import argparse
import re

import pytest

from desk.cli import main
from desk.cli_usage import width
from test_messages import english_words

ARGPARSE_WORDS = ("usage:", "positional arguments", "options:", "show this help message and exit")


def help_of(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    out = capsys.readouterr()
    assert (stopped.value.code, out.err) == (0, "")
    return out.out


@pytest.mark.parametrize("argv", [["--help"], ["incident", "--help"], ["incident", "list", "-h"],
                                  ["report", "edit", "--help"]])
def test_help_under_zh_has_chinese_headings_and_no_argparse_english(capsys, argv):
    text = help_of(capsys, ["--lang", "zh", *argv])
    assert text.startswith("用法：desk")
    assert "\n选项：\n" in text and "  -h, --help" in text and "显示此帮助并退出" in text
    assert not [w for w in ARGPARSE_WORDS if w in text]
    headings = [line for line in text.splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert headings == []  # (an English colon after a Chinese heading)


def test_the_top_help_names_its_positional_arguments_in_chinese(capsys):
    assert "\n位置参数：\n" in help_of(capsys, ["--lang", "zh", "--help"])


def test_english_help_keeps_argparse_s_words(capsys):
    text = help_of(capsys, ["incident", "list", "--help"])
    assert text.startswith("usage: desk incident list [-h]")
    assert "\noptions:\n" in text and "show this help message and exit" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_usage_s_later_lines_stand_under_its_first_option(capsys, monkeypatch, lang):
    # (Chinese characters take two columns: counted as one, the later lines stood 3 columns left)
    monkeypatch.setenv("COLUMNS", "60")
    text = help_of(capsys, ["--lang", lang, "incident", "list", "--help"])
    first, second = text.splitlines()[:2]
    assert second.strip().startswith("[")
    assert width(first[: first.index("[-h]")]) == len(second) - len(second.lstrip(" "))


def test_no_fixed_string_of_argparse_reaches_a_chinese_help(capsys, monkeypatch):
    """argparse's every own word goes through its `_` (gettext): marked here, none may show."""
    monkeypatch.setattr(argparse, "_", lambda text: f"§{text}")
    for argv in (["--help"], ["incident", "new", "--help"], ["catalogue", "--help"]):
        assert "§" not in help_of(capsys, ["--lang", "zh", *argv])


def _config_lang(monkeypatch, tmp_path, lang: str) -> None:
    path = tmp_path / "xdg-config" / "desk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[desk]\nlang = "{lang}"\n', encoding="utf-8")


def test_a_desk_set_to_chinese_in_its_config_says_help_and_mistakes_in_chinese(capsys, monkeypatch, tmp_path):
    _config_lang(monkeypatch, tmp_path, "zh")
    assert help_of(capsys, ["incident", "--help"]).startswith("用法：desk incident")
    with pytest.raises(SystemExit) as stopped:
        main(["incident", "list", "--limit", "x"])
    err = capsys.readouterr().err
    assert (stopped.value.code, err) == (2, "desk incident list: --limit：'x' 不是数字\n")
    assert english_words(re.sub(r"'[^']*'|--\w+", " ", err)) == []


def test_a_flag_or_desk_lang_says_otherwise_than_the_config(capsys, monkeypatch, tmp_path):
    _config_lang(monkeypatch, tmp_path, "zh")
    assert help_of(capsys, ["--lang", "en", "--help"]).startswith("usage: desk")
    monkeypatch.setenv("DESK_LANG", "en")
    assert help_of(capsys, ["--help"]).startswith("usage: desk")


def test_a_config_named_by_config_flag_sets_the_language_too(capsys, monkeypatch, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[desk]\nlang = "zh"\n', encoding="utf-8")
    assert help_of(capsys, ["--config", str(path), "--help"]).startswith("用法：desk")
    path.write_text('[desk\nlang = "zh"\n', encoding="utf-8")  # not TOML: the help is not where that is said
    assert help_of(capsys, ["--config", str(path), "--help"]).startswith("usage: desk")


def test_a_chinese_desk_whose_database_is_missing_says_so_in_chinese(capsys, tmp_path):
    """(the TUI's launch: the desk's language was not known before its database opened)"""
    _config_lang(None, tmp_path, "zh")
    assert main(["--db", str(tmp_path / "none.db")]) == 3
    assert capsys.readouterr().err.startswith(f"desk: {tmp_path / 'none.db'} 处没有 desk 数据库")


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("argv", [["--help"], ["incident", "new", "--help"], ["migrate", "--help"]])
def test_chinese_help_fits_the_terminal_and_breaks_where_chinese_may(capsys, monkeypatch, columns, argv):
    """argparse wrapped by characters and at spaces only: `desk --lang zh --help` ran to 123 columns
    on an 80-column terminal, and the terminal broke the lines wherever they fell."""
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = help_of(capsys, ["--lang", "zh", *argv]).splitlines()
    usage = [i for i, line in enumerate(lines) if not line.strip()][0]  # (the usage's lines: argparse's own)
    # (argparse fills COLUMNS - 2; a closing mark may hang past that, never past the terminal)
    assert max(width(line) for line in lines[usage:]) <= columns
    assert not [line for line in lines if line.strip()[:1] in set("，。、；：）」”")]
    assert not [line for line in lines if line.rstrip()[-1:] in set("（「“")]


def test_wrapping_keeps_every_character_in_order():
    from desk.cli_usage import wrap

    text = "把另一个服务台的导出（desk export）合并到本服务台：要么全部导入，要么什么都不写；重复导入不会改变任何内容"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "") and max(map(width, lines)) <= 22
