"""A bad configuration file is one clear line `path:line: what`, exit 2, and the database is
left exactly as it was, whichever command met it and however the file was named."""

from __future__ import annotations

import re

import pytest

from reliability.helpers import dump, run_cli

BAD = {
    "syntax": (b'[desk]\nlang = "en"\nbusy_timeout_ms = \n', 3, "TOML syntax"),
    "wrong_type": (b'[desk]\nlang = "en"\nbusy_timeout_ms = "soon"\n', 3,
                   "'desk.busy_timeout_ms' must be a whole number, not 'soon'"),
    "unknown_priority_in_matrix": (b'[incident]\npriority_matrix = [[1, 1, 2], [1, 2, 3], [2, 3, 9]]\n', 2,
                                   "priority_matrix row 3: unknown priority 9"),
    "unknown_section": (b'[desk]\nlang = "en"\n\n[deks]\nlang = "zh"\n', 4, "unknown section 'deks'"),
    "unknown_setting": (b'[desk]\nlang = "en"\ndurabilty = "full"\n', 3, "unknown setting 'desk.durabilty'"),
    "not_utf8": (b'[desk]\nlang = "en"\n# caf\xe9 au lait\n', 3, "not UTF-8 text (byte 0xe9)"),
    "utf16": ('[desk]\nlang = "en"\n'.encode("utf-16"), 1, "not UTF-8 text (byte 0xff)"),
    "incomplete_entry": (b'[[priority]]\ncode = "1"\nen = "Now"\nzh = "\xe7\xab\x8b\xe5\x8d\xb3"\n', 1,
                         "[[priority]] entry 1 lacks 'response_minutes'"),
    "change_approval": (b'[change]\ncab = ["appr"]\napproval = "most"\n', 3,
                        "change.approval must be 'any' or 'all', not 'most'"),
    "change_cab_not_a_list": (b'[change]\ncab = "appr"\n', 2, "'change.cab' must be a list, not 'appr'"),
    "candidate_min": (b'[problem]\ncandidate_days = 30\ncandidate_min = 1\n', 3,
                      "problem.candidate_min must be 2 or more"),
    "change_template": (b'[[change_template]]\ncode = "x"\nen = "X"\n', 1, "[[change_template]] entry 1 lacks 'zh'"),
    "change_freeze": (b'[[change_freeze]]\ncode = "ye"\nen = "Year end"\nzh = "Y"\nstart = 2026-12-28\nend = 2026-12-20\n', 6,
                      "[[change_freeze]] ye: its end must come after its start"),
    "change_freeze_zh": (b'[[change_freeze]]\ncode = "ye"\nen = "Year end"\nzh = " "\nstart = 2026-12-28\nend = 2027-01-03\n', 4,
                         "[[change_freeze]] 'zh' must be a non-empty string, not ' '"),
    "change_freeze_overlap": (b'[[change_freeze]]\ncode = "ye"\nen = "Year end"\nzh = "\xe5\xb9\xb4\xe7\xbb\x88"\nstart = 2026-12-28\n'
                              b'end = 2027-01-03\n\n[[change_freeze]]\ncode = "ny"\nen = "New year"\nzh = "\xe6\x96\xb0\xe5\xb9\xb4"\n'
                              b'start = 2027-01-01\nend = 2027-01-05\n', 12,
                              "[[change_freeze]] ny overlaps ye (2026-12-28 00:00 to 2027-01-04 00:00): make them one freeze"),
    "change_freeze_allow_standard": (b'[[change_freeze]]\ncode = "ye"\nen = "Year end"\nzh = "Y"\nstart = 2026-12-28\n'
                                     b'end = 2027-01-03\nallow_standard = "yes"\n', 7,
                                     "[[change_freeze]] ye: 'allow_standard' must be true or false, not 'yes'"),
    "sla_timezone": (b'[sla]\nwarning = 0.5\ntimezone = "Mars/Olympus"\n', 3,
                     "`sla.timezone`: 'Mars/Olympus' is not a known time zone"),
    "sla_warning": (b'[sla]\nwarning = 1.5\n', 2, "`sla.warning` must be a share of the target between 0 and 1, not 1.5"),
    "sla_pausing_reason": (b'[sla.pausing.request]\nawaiting_approval = "approval"\nawaiting_cost = "lunch"\n', 3,
                           "`sla.pausing.request.awaiting_cost`: 'lunch' is not one of `sla.pause_reasons`"),
    "sla_reopen_gap": (b'[sla]\nreopen_gap = "sometimes"\n', 2, "`sla.reopen_gap` must be one of `paused`, `counted`"),
    "sla_pausing_status": (b'[sla.pausing.request]\nresolved = "cost"\n', 2,
                           "`sla.pausing.request.resolved`: `resolved` is not an open status"),
    "catalogue_target": ('[[service]]\ncode = "fax"\ncategory = "network"\nname_en = "Fax"\nname_zh = "传真"\n'
                         'summary_en = "Fax lines."\nsummary_zh = "传真线路。"\ntargets = { 1 = { response = -5, resolve = 60 }, '
                         '2 = { response = 5, resolve = 60 }, 3 = { response = 5, resolve = 60 }, '
                         '4 = { response = 5, resolve = 60 } }\n'.encode(), 8,
                         "[[service]] `fax`: targets of priority 1: -5 is not a number of minutes (1 to 525600)"),
}

# A command that would write, and the one that creates and upgrades the database.
COMMANDS = [["incident", "new", "--title", "printer on fire"], ["init"]]
# Every other command reads the configuration the same way before it touches the database.
MORE_COMMANDS = [["incident", "list"], ["incident", "note", "1", "--text", "x"], ["check"], ["backup", "{tmp}/copy.db"],
                 ["agent", "add", "newbie"]]


@pytest.fixture
def sqlite_desk(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "desk.db"), clock)
    yield desk
    desk.close()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_is_one_line_with_path_and_line_exit_2_and_nothing_written(sqlite_desk, tmp_path, case):
    content, line, what = BAD[case]
    path = tmp_path / "bad config.toml"
    path.write_bytes(content)
    db = sqlite_desk.target.path
    before = dump(sqlite_desk.db)
    for command in COMMANDS:
        out = run_cli(*command, "--config", str(path), db=db)
        err = out.stderr.decode()
        assert out.returncode == 2, (command, err)
        assert out.stdout == b""
        assert err.endswith("\n") and len(err.splitlines()) == 1, err
        assert err.startswith(f"{path}:{line}: ") and what in err, err
    assert dump(sqlite_desk.db) == before


def test_every_command_meets_a_bad_file_before_the_database(sqlite_desk, tmp_path):
    content, line, what = BAD["unknown_section"]
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    before = dump(sqlite_desk.db)
    for command in MORE_COMMANDS:
        command = [arg.format(tmp=tmp_path) for arg in command]
        out = run_cli(*command, "--config", str(path), db=sqlite_desk.target.path)
        assert (out.returncode, out.stderr.decode()) == (2, f"{path}:{line}: {what}\n"), command
    assert dump(sqlite_desk.db) == before
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("how", ["DESK_CONFIG", "XDG_CONFIG_HOME"])
def test_bad_file_found_through_the_environment_is_reported_the_same_way(sqlite_desk, tmp_path, how):
    content, line, what = BAD["wrong_type"]
    folder = tmp_path / "xdg"
    (folder / "desk").mkdir(parents=True)
    path = folder / "desk" / "config.toml"
    path.write_bytes(content)
    env = {"DESK_CONFIG": str(path)} if how == "DESK_CONFIG" else {"XDG_CONFIG_HOME": str(folder)}
    before = dump(sqlite_desk.db)
    out = run_cli("incident", "new", "--title", "x", db=sqlite_desk.target.path, env=env)
    assert out.returncode == 2 and out.stderr.decode() == f"{path}:{line}: {what}\n"
    assert dump(sqlite_desk.db) == before


def test_a_missing_or_unreadable_file_is_one_line_too(sqlite_desk, tmp_path):
    missing = tmp_path / "nope.toml"
    out = run_cli("incident", "list", "--config", str(missing), db=sqlite_desk.target.path)
    assert (out.returncode, out.stderr.decode()) == (2, f"{missing}: no such file\n")
    folder = tmp_path / "a_directory.toml"
    folder.mkdir()
    out = run_cli("incident", "list", "--config", str(folder), db=sqlite_desk.target.path)
    assert out.returncode == 2 and out.stderr.decode().startswith(f"{folder}: cannot read")


def test_terminal_controls_in_a_bad_file_do_not_reach_the_terminal(sqlite_desk, tmp_path):
    path = tmp_path / "evil.toml"
    path.write_bytes(b'["\\u001b[2J\\u001b]52;c;aGk=\\u0007"]\nx = 1\n')
    out = run_cli("incident", "list", "--config", str(path), db=sqlite_desk.target.path)
    err = out.stderr.decode()
    assert out.returncode == 2 and len(err.splitlines()) == 1
    assert re.search("[\x00-\x08\x0b-\x1f\x7f]", err) is None and "unknown section '␛[2J" in err


def test_shipped_area_files_merge_and_may_not_set_the_same_key(tmp_path, monkeypatch):
    """config/ holds default.toml and one file per area: an area file adds its own keys, and one
    that sets a key another file sets already is named with its line."""
    import shutil

    from desk import config as config_module
    from desk.domain.errors import ConfigError

    shipped = tmp_path / "config"
    shipped.mkdir()
    for path in config_module.shipped_files():  # the shipped files (area code tables are required)
        shutil.copy(path, shipped / path.name)
    monkeypatch.setattr(config_module, "CONFIG_DIR", shipped)
    monkeypatch.setattr(config_module, "DEFAULTS_PATH", shipped / "default.toml")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    (shipped / "area.toml").write_text('[keymap]\nassign = "A"\n')
    assert config_module.load_config().keymap == {"assign": "A"}
    (shipped / "clash.toml").write_text('# an area file\n\n[desk]\nlang = "zh"\n')
    with pytest.raises(ConfigError) as caught:
        config_module.load_config()
    assert caught.value.message() == f"{shipped / 'clash.toml'}:3: 'desk' is set in default.toml already"
