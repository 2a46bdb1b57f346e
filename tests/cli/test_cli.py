"""The `desk` command as a user runs it: subprocesses, exit codes, one-line errors, JSON."""

import json
import os
import subprocess
import sys

import pytest

PY = sys.executable


def run(args, env_extra=None, input_bytes=None, tmp_env=None):
    env = dict(os.environ)
    env.update(tmp_env or {})
    env.update(env_extra or {})
    return subprocess.run([PY, "-m", "desk", *args], capture_output=True, env=env, input=input_bytes, timeout=60)


@pytest.fixture
def cli(tmp_path):
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "DESK_USER": "admin",
        "DESK_DB": str(tmp_path / "desk.db"),
        "LANG": "C.UTF-8",
    }

    def call(*args, **kw):
        return run(list(args), tmp_env=env, **kw)

    call.env = env
    call.tmp = tmp_path
    assert call("init").returncode == 0
    return call


def test_incident_lifecycle_and_json(cli):
    out = cli("incident", "new", "--title", "Core switch down", "--caller", "Zhang Wei", "--impact", "1",
              "--urgency", "1", "--category", "network", "--json")
    assert out.returncode == 0, out.stderr
    inc = json.loads(out.stdout)
    assert inc["status"] == "new" and inc["priority"] == 1 and inc["version"] == 1
    assert cli("incident", "assign", "1", "--to", "me").returncode == 0
    # global options after the subcommand's name work too
    shown = cli("incident", "show", "1", "--json", "--lang", "zh")
    detail = json.loads(shown.stdout)
    assert detail["assignee"] == "admin" and detail["sla"]["state"] == "running" and len(detail["history"]) == 2
    listed = json.loads(cli("incident", "list", "--json").stdout)
    assert listed["total"] == 1 and listed["incidents"][0]["title"] == "Core switch down"
    assert cli("--lang", "zh", "incident", "list").stdout.decode().splitlines()[0].startswith("编号")


def test_show_names_fields_groups_and_codes_in_the_users_language(cli):
    cli("incident", "new", "--title", "Core switch down", "--impact", "1", "--urgency", "1")
    assert cli("incident", "escalate", "1", "--to", "network", "--reason", "router").returncode == 0
    text = cli("incident", "show", "1", "--lang", "zh").stdout.decode()
    assert "网络组 (L2)" in text
    assert "工作组: 服务台 → 网络组" in text and "支持层级: 1 → 2" in text and "状态: 新建 → 已分派" in text


def test_refusals_are_one_line_and_exit_1(cli):
    cli("incident", "new", "--title", "x", "--impact", "3", "--urgency", "3")
    out = cli("incident", "close", "1")
    assert out.returncode == 1
    assert out.stderr.decode().count("\n") == 1 and "Traceback" not in out.stderr.decode()
    assert cli("incident", "note", "1", "--text", "called back").returncode == 0  # now at version 2
    stale = cli("incident", "assign", "1", "--to", "me", "--expect-version", "1")
    assert stale.returncode == 1 and "changed by admin" in stale.stderr.decode()
    ahead = cli("incident", "assign", "1", "--to", "me", "--expect-version", "99")  # a version it never had
    assert ahead.returncode == 1 and "never been at version 99" in ahead.stderr.decode()
    assert "changed by" not in ahead.stderr.decode()
    assert cli("incident", "show", "42").returncode == 1
    refused = cli("incident", "new", "--title", "x", env_extra={"DESK_USER": "stranger"})
    assert refused.returncode == 1 and "desk agent add stranger" in refused.stderr.decode()


@pytest.mark.parametrize("command", [("incident", "list"), ("incident", "list", "--json"), ("incident", "show", "1"),
                                     ("agent", "list"), ("agent", "whoami")])
def test_someone_who_is_not_an_agent_is_told_who_desk_thinks_they_are_and_sees_nothing(cli, command):
    cli("incident", "new", "--title", "Payroll export fails", "--caller", "Zhang Wei")
    out = cli(*command, env_extra={"DESK_USER": "stranger"})
    assert out.returncode == 1 and out.stdout == b""
    err = out.stderr.decode()
    assert err.count("\n") == 1 and "Payroll" not in err and "Zhang" not in err
    assert "'stranger'" in err and "DESK_USER" in err and "not an agent" in err, err
    zh = cli(*command, "--lang", "zh", env_extra={"DESK_USER": "stranger"}).stderr.decode()
    assert "“stranger”" in zh and "DESK_USER" in zh and "不是本服务台的处理人" in zh, zh


def test_an_os_login_that_is_not_an_agent_is_named_as_the_login(cli):
    env = {k: v for k, v in cli.env.items() if k != "DESK_USER"}
    out = run(["incident", "list"], tmp_env=env, env_extra={"DESK_USER": "", "USER": "visitor", "LOGNAME": "visitor"})
    err = out.stderr.decode()
    assert out.returncode == 1 and "'visitor'" in err and "login name" in err and "DESK_USER" in err, err


def test_uninitialised_database_is_explained(cli, tmp_path):
    out = cli("incident", "list", "--db", str(tmp_path / "other.db"))
    assert out.returncode == 3 and "desk init" in out.stderr.decode()  # unavailable (README: exit codes)
    assert not (tmp_path / "other.db").exists()  # a mistyped --db leaves nothing behind
    empty = tmp_path / "empty.db"
    empty.touch()
    out = cli("incident", "list", "--db", str(empty))
    assert out.returncode == 3 and "desk init" in out.stderr.decode()


def test_writer_lock_is_shared_with_the_group(cli):
    old = os.umask(0o022)  # the child inherits it
    try:
        cli("incident", "new", "--title", "x")
    finally:
        os.umask(old)
    lock = cli.tmp / "desk.db.writer-lock"
    assert oct(lock.stat().st_mode & 0o777) == "0o660"


def test_codes(cli):
    out = json.loads(cli("codes", "priority", "--json").stdout)
    assert [e["code"] for e in out["priority"]] == ["1", "2", "3", "4"]
    assert "紧急" in cli("codes", "priority", "--lang", "zh").stdout.decode()


BAD_CONFIGS = [
    ("[desk\nlang = 'en'\n", 1, "TOML syntax"),
    ("[desk]\nbusy_timeout_ms = 'soon'\n", 2, "busy_timeout_ms"),
    ("[incident]\npriority_matrix = [[1, 1, 2], [1, 9, 3], [2, 3, 4]]\n", 2, "unknown priority 9"),
    ("[desk]\nlang = 'fr'\n", 2, "desk.lang"),
    ("[nonsense]\nx = 1\n", 1, "unknown section"),
    ("\n\n[[priority]]\ncode = '1'\nen = 'Urgent'\n", 3, "lacks 'zh'"),
]


@pytest.mark.parametrize("text,line,what", BAD_CONFIGS)
def test_bad_config_is_one_line_with_file_and_line(cli, text, line, what):
    path = cli.tmp / "bad.toml"
    path.write_text(text, encoding="utf-8")
    before = (cli.tmp / "desk.db").read_bytes()
    for args in (["config", "check"], ["incident", "list"], ["init"]):
        out = cli(*args, "--config", str(path))
        err = out.stderr.decode()
        assert out.returncode == 2, (args, err)
        assert err.count("\n") == 1 and err.startswith(f"{path}:{line}: ") and what in err, err
    assert (cli.tmp / "desk.db").read_bytes() == before


def test_config_init_writes_a_valid_commented_file(cli):
    out = cli("config", "init")
    assert out.returncode == 0
    path = cli.tmp / "cfg" / "desk" / "config.toml"
    assert path.read_text().startswith("#")
    assert cli("config", "check").returncode == 0
    assert cli("config", "init").returncode == 1  # no silent overwrite


def test_agents(cli):
    assert cli("agent", "add", "li", "--name", "Li Na", "--role", "l1", "--group", "desk").returncode == 0
    agents = json.loads(cli("agent", "list", "--json").stdout)
    assert {"login": "li", "name": "Li Na", "roles": ["l1"], "group": "desk", "active": True} in agents
    refused = cli("agent", "add", "x", env_extra={"DESK_USER": "li"})
    assert refused.returncode == 1


def test_agents_are_listed_and_saved_with_the_labels_of_their_roles_and_group(cli):
    saved = cli("agent", "add", "ma", "--name", "Ma Li", "--role", "l2", "--role", "catalogue_maintainer",
                "--group", "network").stdout.decode()
    assert "Second line" in saved and "Catalogue maintainer" in saved and "Network team" in saved, saved
    assert "catalogue_maintainer" not in saved and "network" not in saved.replace("Network", ""), saved
    listed = cli("agent", "list").stdout.decode()
    line = next(line for line in listed.splitlines() if line.startswith("ma "))
    assert "Second line (L2), Catalogue maintainer" in line and "Network team" in line, listed
    admin = next(line for line in listed.splitlines() if line.startswith("admin "))
    assert "Service desk (L1), Incident manager / shift lead, Administrator" in admin, listed  # never cut
    zh = cli("--lang", "zh", "agent", "list").stdout.decode()
    assert "catalogue_maintainer" not in zh and "网络组" in zh, zh


def test_export_takes_its_file_as_import_and_backup_do_or_as_out(cli):
    named = cli.tmp / "named.jsonl"
    assert cli("export", str(named)).returncode == 0
    assert named.read_text().startswith("{")
    flagged = cli.tmp / "flagged.jsonl"
    assert cli("export", "--out", str(flagged)).returncode == 0 and flagged.exists()
    both = cli("export", "--out", str(flagged), str(named))
    assert both.returncode == 2 and "cannot be given together with --out" in both.stderr.decode()


def test_usage_error_exits_2(cli):
    assert cli("incident", "frobnicate").returncode == 2
    assert cli("incident", "assign", "notanumber").returncode == 2


HYGIENE = """
import sys
{body}
loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')
print(len(loaded))
"""


@pytest.mark.parametrize("body", [
    "import desk.services.incidents, desk.services.queue, desk.services.setup, desk.services.agents",
    "import desk.domain.incident_flow, desk.domain.permissions, desk.domain.sla, desk.domain.text",
    "import desk.cli",
    "from desk.cli import main\ntry:\n    main(['incident', 'list'])\nexcept SystemExit:\n    pass",
])
def test_core_does_not_import_textual(cli, body):
    env = dict(os.environ, **cli.env)
    out = subprocess.run([PY, "-c", HYGIENE.format(body=body)], capture_output=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().strip().splitlines()[-1] == "0"
