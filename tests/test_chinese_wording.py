"""The Chinese wording (issue 11, item 10): a complaint is 投诉, the caller's organisation has one
name, the palette's prompt and the demo's extension numbers are Chinese, and the CLI names groups
as the TUI does."""

from __future__ import annotations

import random

from desk.config import load_config
from desk.i18n import catalogue


def test_a_complaint_is_tousu():
    config = load_config(None, lang="zh")
    assert config.label("classification", "complaint", "zh") == "投诉"


def test_the_organisation_has_one_name_in_chinese():
    names = {v for k, v in catalogue("zh").items() if k.endswith(".organisation") or k == "field.organisation"}
    assert names == {"组织"}
    assert not any("所属机构" in v or "申述" in v for v in catalogue("zh").values() if isinstance(v, str))


def test_the_palette_prompt_is_in_the_users_language():
    assert catalogue("zh")["tui.palette.placeholder"] == "搜索命令…"


def test_demo_extensions_read_in_chinese():
    from desk.services.demo.people import _phone

    rng = random.Random(1)
    phones = [_phone(rng, "zh") for _ in range(200)]
    assert any(p.startswith("分机 ") for p in phones) and not any("ext." in p for p in phones)


def test_the_cli_list_names_groups(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESK_DB": str(tmp_path / "d.db"), "DESK_USER": "admin", "XDG_CONFIG_HOME": str(tmp_path)}
    run = lambda *a: subprocess.run([sys.executable, "-m", "desk", *a], capture_output=True, env=env, timeout=60)  # noqa: E731
    assert run("init").returncode == 0
    assert run("incident", "new", "--title", "x").returncode == 0
    out = run("--lang", "zh", "incident", "list").stdout.decode()
    assert "服务台" in out and " desk " not in out
