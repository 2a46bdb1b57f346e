"""A mistyped command is one line in the reader's language (desk/cli_usage.py): argparse says its
usage errors in English, and a Chinese user read `desk incident new: the following arguments are
required: --title`. One case per message of cli.usage.*: through `desk` itself where a desk command
can meet it, else argparse's own words (Python 3.11-3.13) said again."""

from __future__ import annotations

import re

import pytest

from desk.cli import main
from desk.i18n import catalogue
from test_messages import english_words

# message (`message:how` for the same one met another way): (the command, English, Chinese), as stderr shows it
COMMANDS = {
    'required': (['incident', 'new'],
        'desk incident new: these are required: --title\n',
        'desk incident new: 缺少必需的参数：--title\n'),
    'choice': (['incident', 'list', '--sort', 'nope'],
        "desk incident list: --sort: 'nope' is not one of the choices ('priority', 'sla', 'age', 'updated')\n",
        "desk incident list: --sort：'nope' 不是可选值（可选：'priority', 'sla', 'age', 'updated'）\n"),
    'choice:command': (['incident', 'bogus'],
        "desk incident: ACTION: 'bogus' is not one of the choices ('new', 'list', 'show', 'assign', 'start', 'escalate', 'return', 'resolve', 'confirm', 'reopen', 'close', 'note', 'to-request', 'set-service', 'set-priority')\n",
        "desk incident: ACTION：'bogus' 不是可选值（可选：'new', 'list', 'show', 'assign', 'start', 'escalate', 'return', 'resolve', 'confirm', 'reopen', 'close', 'note', 'to-request', 'set-service', 'set-priority'）\n"),
    'number': (['incident', 'list', '--limit', 'x'],
        "desk incident list: --limit: 'x' is not a number\n",
        "desk incident list: --limit：'x' 不是数字\n"),
    'unrecognized': (['incident', 'list', '--frobnicate'],
        'desk: unknown arguments: --frobnicate\n',
        'desk: 无法识别的参数：--frobnicate\n'),
    'one_value': (['incident', 'list', '--view'],
        'desk incident list: --view: needs a value\n',
        'desk incident list: --view：需要一个值\n'),
    'ambiguous': (['incident', 'list', '--s'],
        'desk incident list: --s could be any of --status, --sort: write it in full\n',
        'desk incident list: --s 可以指 --status, --sort 中的任何一个：请写全\n'),
    'no_value': (['incident', 'list', '--json=yes'],
        "desk incident list: --json: takes no value (not 'yes')\n",
        "desk incident list: --json：不接受值（而给了 'yes'）\n"),
    'required:positional': (['problem', 'link', '1'],
        'desk problem link: these are required: INCIDENT\n',
        'desk problem link: 缺少必需的参数：INCIDENT\n'),
    'not_with': (['report', 'edit', '1', '--commentary', 'x', '--commentary-file', 'f'],
        'desk report edit: --commentary-file: cannot be given together with --commentary\n',
        'desk report edit: --commentary-file：不能与 --commentary 同时使用\n'),
    'one_of_required': (['report', 'edit', '1'],
        'desk report edit: one of --commentary --commentary-file is required\n',
        'desk report edit: --commentary --commentary-file 中必须给出一个\n'),
}
# message: argparse's own words, for what no desk command can meet today (no such option yet)
WORDS = {
    "value": "invalid date value: 'soon'",
    "at_most_one": "expected at most one argument",
    "at_least_one": "expected at least one argument",
    "values": "expected 2 arguments",
    "unexpected": "unexpected option string: --x",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(COMMANDS))
def test_a_mistyped_command_is_one_line_in_the_reader_s_language_exit_2(capsys, case, lang):
    argv, en, zh = COMMANDS[case]
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--lang", lang])
    out = capsys.readouterr()
    assert (stopped.value.code, out.out, out.err) == (2, "", en if lang == "en" else zh)
    assert lang == "en" or english_words(re.sub(r"'[^']*'", " ", zh)) == []  # (but for what was typed)


@pytest.mark.parametrize("case", sorted(WORDS))
def test_argparse_s_other_words_are_said_too(case):
    from desk.cli_usage import text

    en, zh = text(WORDS[case], "en"), text(WORDS[case], "zh")
    assert en != WORDS[case] and en != zh and english_words(zh.replace("'soon'", "")) == []


def test_every_usage_message_has_its_case_and_words_argparse_may_say_later_are_shown_as_they_are():
    from desk.cli_usage import text

    assert {key[len("cli.usage."):] for key in catalogue("en") if key.startswith("cli.usage.")} == \
        {case.split(":")[0] for case in COMMANDS} | set(WORDS) | {"argument"}
    assert text("a message of Python 3.99", "zh") == "a message of Python 3.99"
