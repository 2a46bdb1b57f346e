"""`desk incident set-service ID SERVICE` as a user runs it: the new service and version said in
one line (or JSON), `--expect-version` honoured, refusals one line in the user's language, exit 1."""

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
    made = call("incident", "new", "--title", "Teller cannot post", "--service", "email", "--impact", "2")
    assert made.returncode == 0, made.stderr.decode()
    return call


def test_set_service_says_the_new_service_and_version(cli):
    done = cli("incident", "set-service", "1", "core-banking", "--expect-version", "1")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "incident 1 is now under Core business system, version 1 (incident version 2)"
    shown = json.loads(cli("incident", "show", "1", "--json").stdout)
    assert (shown["service"], shown["service_version"], shown["version"]) == ("core-banking", 1, 2)
    history = cli("incident", "show", "1").stdout.decode()
    assert "service changed" in history and "Email and calendar → Core business system" in history  # by name
    again = json.loads(cli("incident", "set-service", "1", "email", "--json").stdout)
    assert again["service"] == "email" and again["version"] == 3


def test_refusals_are_one_line_and_change_nothing(cli):
    stale = cli("incident", "set-service", "1", "core-banking", "--expect-version", "1", "--lang", "zh")
    assert stale.returncode == 0
    out = cli("incident", "set-service", "1", "email", "--expect-version", "1")
    assert out.returncode == 1 and len(out.stderr.decode().strip().splitlines()) == 1
    out = cli("incident", "set-service", "1", "nothing-like-it", "--lang", "zh")
    assert out.returncode == 1 and out.stderr.decode().strip() == "desk: 未知服务“nothing-like-it”"
    out = cli("incident", "set-service", "1", "core-banking")
    assert out.returncode == 1 and out.stderr.decode().strip() == \
        "desk: the incident is under service `core-banking` already"
    assert json.loads(cli("incident", "show", "1", "--json").stdout)["version"] == 2
