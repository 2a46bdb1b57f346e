"""A mapping's faults (desk.services.transfer.mapping) are said in the reader's language, with
the file and line: `desk migrate` in the desk's language, and what reading the file finds (not
UTF-8, not TOML) too."""

from __future__ import annotations

import pytest

from conftest import make_desk
from desk.config import load_config
from desk.domain.errors import ConfigError
from desk.services.transfer import mapping as mappings
from reliability.helpers import run_cli


@pytest.mark.parametrize("extra, line, en, zh", [
    ('actions = { Reopen = "reopen" }\n', 7, "migrate.m.events.actions: event actions need 'kind'",
     "`migrate.m.events.actions`：事件的动作需要 `kind`"),
    ('kind = "k"\nactions = { Reopen = "reopened" }\n', 8,
     "migrate.m.events.actions.Reopen = 'reopened' is not an action an event may become (dispatch, reopen)",
     "`migrate.m.events.actions.Reopen` = 'reopened' 不是事件可以成为的动作"),
    ('kind = "k"\nactions = { Move = "dispatch" }\n', 8, "migrate.m.events.actions.Move: a dispatch needs 'group'",
     "`migrate.m.events.actions.Move`：派单需要 `group`"),
    ('kind = 3\n', 7, "migrate.m.events.kind has the wrong type", "`migrate.m.events.kind` 的类型不对"),
    ('tyme = "t"\n', 7, "unknown setting 'migrate.m.events.tyme'", "未知的设置 `migrate.m.events.tyme`"),
])
def test_a_mapping_s_event_actions_are_checked_and_said_in_the_reader_s_language(tmp_path, extra, line, en, zh):
    path = tmp_path / "m.toml"
    path.write_text('[migrate.m]\nnumber = "n"\ntitle = "{t}"\n[migrate.m.events]\nnumber = "n"\nat = "a"\n' + extra,
                    encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        mappings.load_file(load_config(), str(path))
    assert err.value.line == line
    assert err.value.message("en").startswith(f"{path}:{line}: {en}")
    assert err.value.message("zh").startswith(f"{path}:{line}: {zh}")


def test_desk_migrate_says_a_mapping_s_fault_in_the_desk_s_language(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    path = tmp_path / "m.toml"
    path.write_text('[migrate.m]\nnumber = "n"\n', encoding="utf-8")
    out = run_cli("migrate", "--mapping", str(path), str(tmp_path / "x.csv"), db=db_url, env={"DESK_LANG": "zh"})
    assert out.returncode == 2
    assert out.stderr.decode().strip() == f"{path}:1: `migrate.m` 需要 `title`"


@pytest.mark.parametrize("text, line, en, zh", [
    (b'[migrate.m]\nnumber = "n"\n# caf\xe9\n', 3, "not UTF-8 text (byte 0xe9)", "不是 UTF-8 文本（字节 0xe9）"),
    (b'[migrate.m]\nnumber = \n', 2, "TOML syntax: ", "TOML 语法错误："),
    (b'[migrate.m]\nnumber = "n"\ntitle = "{t}"\n[desk]\nlang = "en"\n', None,
     "a mapping file holds one [migrate.NAME] table and nothing else", "映射文件只含一个 [migrate.NAME] 表"),
])
def test_a_mapping_file_desk_cannot_read_is_said_in_the_reader_s_language(tmp_path, text, line, en, zh):
    path = tmp_path / "m.toml"
    path.write_bytes(text)
    with pytest.raises(ConfigError) as err:
        mappings.load_file(load_config(), str(path))
    where = f"{path}:{line}" if line else str(path)
    assert err.value.message("en").startswith(f"{where}: {en}")
    assert err.value.message("zh").startswith(f"{where}: {zh}")
