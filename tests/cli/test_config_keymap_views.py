"""[keymap] and saved [views] are checked by `desk config check` and when the TUI starts (issue 11,
item 7): one line `file:line: what is wrong` each, exit 2; an unknown binding id is told apart from
a bad value, and "[keymap]" is printed as written (it was eaten as markup)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desk.config import load_config
from desk.config_check import is_key, problems

BAD = """[keymap]
assign = 5
nosuch = "x"
sort = "ctrl+"
help = "F1"

[views."Net P1"]
view = "nosuchview"
filter = "p:9"
sort = "age"

[views."bad sort"]
kind = "problem"
sort = "colour"

[views.kindless]
kind = "spaceship"

[views.good]
view = "open"
filter = "p:1 s:open"
"""


def _lines(tmp_path, text: str, lang: str = "en") -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text)
    found = problems(load_config(path), lang, binding_ids=lambda: {"assign", "sort", "help"})
    return [err.message(lang) for err in found]


def test_each_bad_entry_is_one_line_naming_the_file_the_line_and_what_is_wrong(tmp_path):
    lines = _lines(tmp_path, BAD)
    path = str(tmp_path / "config.toml")
    assert lines[0].startswith(f"{path}:2: `assign` in [keymap] must be keys") and "not 5" in lines[0]
    assert lines[1].startswith(f"{path}:3: `nosuch` in [keymap] is not the id of any key")
    assert lines[2].startswith(f"{path}:4: `sort` in [keymap] names 'ctrl+', which is not a key")
    assert lines[3].startswith(f"{path}:5: `help` in [keymap] names 'F1', which is not a key")  # keys are f1…
    assert lines[4].startswith(f"{path}:8: The saved view 'Net P1' starts from the view `nosuchview`")
    assert lines[5].startswith(f"{path}:9: The filter 'p:9' of the saved view 'Net P1' cannot be read")
    assert lines[6].startswith(f"{path}:14: The saved view 'bad sort' sorts by `colour`")
    assert lines[7].startswith(f"{path}:17: The saved view 'kindless' lists records of the kind `spaceship`")
    assert len(lines) == 8  # sort = "age" and the good view pass


def test_a_good_keymap_and_good_views_pass(tmp_path):
    assert _lines(tmp_path, '[keymap]\nassign = "A, ctrl+a"\nhelp = "question_mark"\n\n'
                            '[views.mine]\nview = "mine"\nsort = "sla"\ndescending = true\n') == []


def test_chinese_lines_are_chinese(tmp_path):
    lines = _lines(tmp_path, '[keymap]\nnosuch = "x"\n', lang="zh")
    assert lines and "不是 desk 任何按键的编号" in lines[0]


@pytest.mark.parametrize("name,ok", [("A", True), ("ctrl+a", True), ("f5", True), ("question_mark", True),
                                     ("shift+tab", True), ("ctrl+", False), ("nosuchkey", False),
                                     ("hyper+ctrl+x", True), ("cmd+x", False), ("", False)])
def test_what_is_a_key(name, ok):
    assert is_key(name) is ok


def _desk(args, tmp_path, config_text):
    cfg = tmp_path / "config.toml"
    cfg.write_text(config_text)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "DESK_CONFIG": str(cfg), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, env=env, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_config_check_fails_with_exit_2_and_the_lines(tmp_path):
    out = _desk(["config", "check"], tmp_path, '[keymap]\nassign = 5\nnosuch = "x"\n')
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert out.stdout == b""
    assert err.splitlines() == [
        f"{tmp_path / 'config.toml'}:2: `assign` in [keymap] must be keys in quotes, such as \"A\" or \"ctrl+a\", not 5.",
        f"{tmp_path / 'config.toml'}:3: `nosuch` in [keymap] is not the id of any key of desk; `?` in desk lists "
        "every key with its id."]


def test_config_check_still_says_valid_for_a_good_keymap(tmp_path):
    out = _desk(["config", "check"], tmp_path, '[keymap]\nassign = "A"\n\n[views.p1]\nfilter = "p:1"\n')
    assert out.returncode == 0, out.stderr
    assert b"valid" in out.stdout


def test_the_tui_does_not_start_on_a_bad_saved_view(tmp_path):
    assert _desk(["init"], tmp_path, "").returncode == 0
    out = _desk([], tmp_path, '[views.mine]\nview = "nosuch"\n')
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert err.startswith(f"{tmp_path / 'config.toml'}:2: The saved view 'mine' starts from the view `nosuch`")


def test_a_view_that_is_not_a_table_is_named(tmp_path):
    lines = _lines(tmp_path, "[views]\nfoo = 3\n")
    assert len(lines) == 1 and "The saved view 'foo' must be a table of settings" in lines[0]


@pytest.mark.parametrize("binding_id", ["request_detail.sla_hold", "request_detail.approve", "problem_detail.resolve",
                                        "change_detail.approve", "catalogue_draft.publish", "notifications.read"])
def test_the_keys_of_every_screen_a_list_opens_can_be_moved(tmp_path, binding_id):
    """The request, problem and change details and the catalogue's inboxes are screens the app opens
    from a list, not tabs: their keys were unknown to [keymap] (app start and `desk config check`)."""
    from desk.config_check import tui_binding_ids

    path = tmp_path / "config.toml"
    path.write_text(f'[keymap]\n"{binding_id}" = "ctrl+y"\n')
    assert problems(load_config(path), "en", binding_ids=tui_binding_ids) == []
