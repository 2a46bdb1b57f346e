"""Saved views in the user's own config file (desk/services/saved_views.py), each rule a removed or
inverted line would let pass (issue 19; tools/mutants/services_saved_views.toml): the user's
other settings and comments kept, a backup only when the file had to be rewritten, its mode kept,
nothing half-written, the views saved before kept, and deleting one view."""

from __future__ import annotations

import os
import tomllib

import pytest

from desk.services import saved_views

MINE = "# my settings\n[desk]\nlang = \"en\" # keep me\n\n[keymap]\nsort = \"s\"\n"


@pytest.fixture
def config(desk, tmp_path):
    (tmp_path / "xdg").mkdir()  # (the database lives in tmp_path)
    desk.config.user_path = tmp_path / "xdg" / "config.toml"
    return desk.config


def test_saving_edits_the_views_in_place_keeping_every_other_line_and_no_backup(config):
    config.user_path.write_text(MINE, encoding="utf-8")
    saved_views.save(config, "Urgent", {"view": "open", "filter": "p:1", "sort": None})
    text = config.user_path.read_text(encoding="utf-8")
    assert text.startswith(MINE) and tomllib.loads(text)["views"] == {"Urgent": {"view": "open", "filter": "p:1"}}
    assert not config.user_path.with_name("config.toml.bak").exists()
    assert set(saved_views.saved(config)) == {"Urgent"}  # offered at once, no restart


def test_a_file_spelling_its_views_otherwise_is_rewritten_whole_after_a_backup(config):
    old = "views.Old = { view = \"all\" }  # a dotted key, before the tables\n" + MINE
    config.user_path.write_text(old, encoding="utf-8")
    saved_views.save(config, "Urgent", {"view": "open"})
    data = tomllib.loads(config.user_path.read_text(encoding="utf-8"))
    assert data["views"] == {"Old": {"view": "all"}, "Urgent": {"view": "open"}}
    assert data["desk"] == {"lang": "en"} and data["keymap"] == {"sort": "s"}
    assert config.user_path.with_name("config.toml.bak").read_text(encoding="utf-8") == old


def test_the_file_keeps_its_mode_and_a_failed_write_leaves_it_whole(config, monkeypatch):
    config.user_path.write_text(MINE, encoding="utf-8")
    os.chmod(config.user_path, 0o640)
    saved_views.save(config, "Urgent", {"view": "open"})
    assert os.stat(config.user_path).st_mode & 0o777 == 0o640
    before = config.user_path.read_text(encoding="utf-8")

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saved_views.os, "replace", disk_full)
    with pytest.raises(OSError):
        saved_views.save(config, "Other", {"view": "all"})
    assert config.user_path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in config.user_path.parent.iterdir()) == ["config.toml"]  # no temporary left


def test_saving_and_deleting_keep_the_other_views(config):
    saved_views.save(config, "A", {"view": "open"})
    saved_views.save(config, "B", {"view": "all"})
    saved_views.delete(config, "A")
    assert tomllib.loads(config.user_path.read_text(encoding="utf-8"))["views"] == {"B": {"view": "all"}}
    saved_views.delete(config, "not there")  # nothing to delete: nothing changes, no error
    assert set(saved_views.saved(config)) == {"B"}


def test_a_views_entry_that_is_not_a_table_is_ignored(config):
    config.data["views"] = {"odd": "open", "Urgent": {"view": "open"}}
    assert set(saved_views.saved(config)) == {"Urgent"} and set(saved_views.saved(config, "incident")) == {"Urgent"}


def test_an_edit_in_place_that_would_not_read_back_as_the_views_saved_rewrites_the_file(config):
    config.user_path.write_text(MINE + '\n["views".Old]\nview = "all"\n', encoding="utf-8")  # a quoted table name
    saved_views.delete(config, "Old")
    data = tomllib.loads(config.user_path.read_text(encoding="utf-8"))
    assert "Old" not in data.get("views", {}) and data["keymap"] == {"sort": "s"}
