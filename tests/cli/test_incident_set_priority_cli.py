"""`desk incident set-priority ID --impact N --urgency N --reason TEXT` as a user runs it: the new
priority said in one line (or JSON), the reason in the history, `--expect-version` honoured,
refusals one line in the user's language, exit 1, nothing changed."""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ)
    env.update({"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
                "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"})

    def call(*args):
        return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60, env=env)

    assert call("init").returncode == 0
    made = call("incident", "new", "--title", "Branch network slow", "--impact", "3", "--urgency", "3")
    assert made.returncode == 0, made.stderr.decode()
    return call


def test_set_priority_says_the_new_priority_and_records_why(cli):
    done = cli("incident", "set-priority", "1", "--impact", "1", "--urgency", "2", "--reason", "the whole branch",
               "--expect-version", "1")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == \
        "incident 1 now has priority 1 Urgent (impact 1, urgency 2; incident version 2)"
    shown = json.loads(cli("incident", "show", "1", "--json").stdout)
    assert (shown["priority"], shown["impact"], shown["urgency"], shown["version"]) == (1, 1, 2, 2)
    history = cli("incident", "show", "1").stdout.decode()
    assert "priority changed" in history and "the whole branch" in history
    again = json.loads(cli("incident", "set-priority", "1", "--impact", "2", "--urgency", "2", "--reason", "less",
                           "--json").stdout)
    assert (again["priority"], again["version"]) == (2, 3)


def test_refusals_are_one_line_and_change_nothing(cli):
    out = cli("incident", "set-priority", "1", "--impact", "3", "--urgency", "3", "--reason", "same", "--lang", "zh")
    assert out.returncode == 1 and out.stderr.decode().strip() == "desk: 该事件的影响度已是 3、紧急度已是 3"
    out = cli("incident", "set-priority", "1", "--impact", "1", "--urgency", "1", "--reason", "x",
              "--expect-version", "7")
    assert out.returncode == 1 and len(out.stderr.decode().strip().splitlines()) == 1
    out = cli("incident", "set-priority", "1", "--impact", "1", "--urgency", "1")  # no reason: argparse, exit 2
    assert out.returncode == 2
    assert json.loads(cli("incident", "show", "1", "--json").stdout)["version"] == 1
