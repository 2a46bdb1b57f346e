"""CLI conventions (issue 11, items 11–13): unknown codes and bad numbers are refused the same way
everywhere (exit 1, one line naming the bad value and the valid ones); each exit code the README
documents, as a user meets it; every option says what it takes, and required ones are required."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys

import pytest

PY = sys.executable


def run(args, env):
    return subprocess.run([PY, "-m", "desk", *args], capture_output=True, env={**os.environ, **env}, timeout=60)


@pytest.fixture
def cli(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"), "DESK_USER": "admin",
           "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8", "XDG_STATE_HOME": str(tmp_path / "state")}

    def call(*args, env_extra=None):
        return run(list(args), {**env, **(env_extra or {})})

    call.tmp = tmp_path
    assert call("init").returncode == 0
    assert call("incident", "new", "--title", "Printer jam", "--impact", "2", "--urgency", "2").returncode == 0
    return call


# --- item 11: bad values refused the same way ---------------------------------------------------

@pytest.mark.parametrize("args,bad,valid", [
    (["--priority", "9"], "9", "1, 2, 3, 4"),
    (["--status", "bogus"], "bogus", "new, assigned, in_progress, resolved, closed"),
    (["--group", "nosuch"], "nosuch", "desk"),
    (["--assignee", "nobody"], "nobody", "me"),
    (["--category", "nosuch"], "nosuch", "hardware"),
    (["--limit", "-1"], "-1", "0"),
])
def test_incident_list_refuses_a_bad_value_naming_it_and_the_valid_ones(cli, args, bad, valid):
    out = cli("incident", "list", *args)
    err = out.stderr.decode()
    assert out.returncode == 1, err
    assert out.stdout == b"" and err.count("\n") == 1
    assert f"'{bad}'" in err and valid in err, err


def test_good_values_still_list(cli):
    out = cli("incident", "list", "--priority", "2", "--group", "desk", "--assignee", "me", "--limit", "0")
    assert out.returncode == 0, out.stderr
    assert "0 of " in out.stdout.decode()  # (--limit 0: the count only)


@pytest.mark.parametrize("args", [["--impact", "9"], ["--urgency", "0"], ["--category", "nosuch"],
                                  ["--classification", "nosuch"], ["--source", "nosuch"]])
def test_incident_new_refuses_bad_values_the_same_way(cli, args):
    out = cli("incident", "new", "--title", "x", *args)
    assert out.returncode == 1 and out.stderr.decode().count("\n") == 1, out.stderr
    assert f"'{args[1]}'" in out.stderr.decode() or args[1] in out.stderr.decode()


# --- item 12: the exit codes the README documents -----------------------------------------------

def test_exit_0_done(cli):
    assert cli("incident", "show", "1").returncode == 0


def test_exit_1_refused(cli):
    out = cli("incident", "close", "1")  # not resolved
    assert out.returncode == 1 and "New" in out.stderr.decode()


def test_exit_2_usage(cli):
    out = cli("incident", "list", "--no-such-option")
    assert out.returncode == 2 and out.stderr.decode().count("\n") == 1


def test_exit_2_configuration(cli):
    bad = cli.tmp / "bad.toml"
    bad.write_text("[desk]\nlang = 5\n")
    out = cli("--config", str(bad), "incident", "list")
    assert out.returncode == 2 and out.stderr.decode().startswith(f"{bad}:2:")


def test_exit_3_missing_database(cli):
    out = cli("--db", str(cli.tmp / "nowhere.db"), "incident", "list")
    assert out.returncode == 3 and "desk init" in out.stderr.decode()


def test_exit_3_not_a_desk_database_yet(cli):
    path = cli.tmp / "empty.db"
    sqlite3.connect(path).close()
    out = cli("--db", str(path), "incident", "list")
    assert out.returncode == 3 and "desk init" in out.stderr.decode()


def test_exit_3_database_unreachable(cli):
    out = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "incident", "list")
    assert out.returncode == 3 and out.stderr.decode().count("\n") == 1


def test_exit_3_busy(tmp_path, monkeypatch, capsys):
    from desk import cli as desk_cli
    from desk.commands import incident
    from desk.domain.errors import DatabaseBusy

    def busy(args):
        raise DatabaseBusy()

    monkeypatch.setattr(incident, "cmd_list", busy)
    monkeypatch.setenv("DESK_DB", str(tmp_path / "x.db"))
    assert desk_cli.main(["incident", "list"]) == 3
    assert "busy" in capsys.readouterr().err


def test_postgres_without_the_driver_says_how_to_install_it(cli, tmp_path):
    block = tmp_path / "block"
    block.mkdir()
    (block / "psycopg2.py").write_text("raise ImportError('No module named psycopg2')\n")
    out = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "incident", "list",
              env_extra={"PYTHONPATH": str(block)})
    assert out.returncode == 3, out.stderr
    assert "pip install 'desk[postgres]'" in out.stderr.decode()


# --- item 13: help on every option, required ones required ------------------------------------

def _options(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, (*path, name))
        elif action.option_strings and action.dest != "help":
            yield " ".join(path), action


# Every option of every command, and of every command added later, says what it takes: in the
# module that declares it, or as opt.<command path>.<option> (desk/commands/option_help.py).
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_option_of_every_command_says_what_it_takes(lang):
    from desk.cli import build_parser

    bare = sorted({f"{path} {'/'.join(a.option_strings)}" for path, a in _options(build_parser(lang))
                   if not a.help or a.help == argparse.SUPPRESS})
    assert bare == []


def test_resolve_requires_its_code_and_note(cli):
    out = cli("incident", "resolve", "1", "--note", "rebooted")
    assert out.returncode == 2 and "--code" in out.stderr.decode()
    out = cli("incident", "resolve", "1", "--code", "fixed")
    assert out.returncode == 2 and "--note" in out.stderr.decode()
    from desk.cli import build_parser

    text = build_parser("en")._subparsers._group_actions[0].choices["incident"]
    resolve = text._subparsers._group_actions[0].choices["resolve"].format_usage()
    assert "[--code" not in resolve and "[--note" not in resolve


# Options without which a command can only fail: argparse asks for them (exit 2, usage) and the
# usage shows them without brackets.
REQUIRED = [
    ("request", "return", ["--reason", "--suggest"]), ("request", "escalate", ["--reason"]),
    ("request", "reject", ["--reason"]), ("request", "confirm-cost", ["--amount", "--with"]),
    ("request", "wait", ["--reason"]), ("request", "cancel", ["--reason"]), ("request", "note", ["--text"]),
    ("problem", "root-cause", ["--text"]), ("problem", "known-error", ["--workaround"]), ("problem", "note", ["--text"]),
    ("catalogue slr", "reject", ["--reason"]), ("catalogue draft", "withdraw", ["--reason"]),
    ("catalogue review", "return", ["--comments"]),
]


@pytest.mark.parametrize("command,action,options", REQUIRED, ids=lambda v: v if isinstance(v, str) else "")
def test_options_a_command_cannot_do_without_are_required(command, action, options):
    from desk.cli import build_parser

    parser = build_parser("en")
    for name in command.split():
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[action]
    usage = sub.format_usage()
    for option in options:
        assert f"[{option}" not in usage and option in usage, usage
    with pytest.raises(SystemExit) as exit_:
        sub.parse_args(["1"])
    assert exit_.value.code == 2
