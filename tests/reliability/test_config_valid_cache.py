"""A configuration that passed its checks is not checked again while its files and desk's rules
are as they were (desk/config_valid.py), and a file edited into a fault is still one clear line
`path:line: what` and exit 2: the remembered answer never hides it."""

from __future__ import annotations

import pytest

from desk import config_rules, config_valid
from desk.config import load_config
from desk.domain.errors import ConfigError
from reliability.helpers import run_cli

GOOD = b'[desk]\nlang = "en"\nbusy_timeout_ms = 50000\n'
BAD = b'[desk]\nlang = "en"\nbusy_timeout_ms = "500"\n'  # the same size: only the content says
WHAT = "'desk.busy_timeout_ms' must be a whole number"


@pytest.fixture
def checks(monkeypatch):
    """How many times the configuration was checked."""
    calls = []
    real = config_rules.validate

    def counted(config, texts):
        calls.append(1)
        return real(config, texts)

    monkeypatch.setattr(config_rules, "validate", counted)
    return calls


def test_a_configuration_that_passed_is_not_checked_again(tmp_path, checks):
    path = tmp_path / "desk.toml"
    path.write_bytes(GOOD)
    assert load_config(path).busy_timeout_ms == 50000
    assert load_config(path).busy_timeout_ms == 50000
    assert len(checks) == 1


def test_a_file_edited_into_a_fault_is_checked_and_refused(tmp_path, checks):
    path = tmp_path / "desk.toml"
    path.write_bytes(GOOD)
    load_config(path)
    assert len(BAD) == len(GOOD)
    path.write_bytes(BAD)  # (within the same clock tick, as likely as not: same size, maybe same times)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert WHAT in err.value.message("en") and len(checks) == 2
    with pytest.raises(ConfigError):  # and never remembered as valid
        load_config(path)
    assert len(checks) == 3


def test_the_rules_changed_check_again(tmp_path, checks, monkeypatch):
    rules = tmp_path / "rules.py"
    rules.write_text("# the rules, as desk/config_rules.py\n")
    monkeypatch.setattr(config_valid, "_rules_sources", lambda: [rules])
    path = tmp_path / "desk.toml"
    path.write_bytes(GOOD)
    load_config(path)
    load_config(path)
    rules.write_text("# the rules, as desk/config_rules.py, upgraded\n")
    load_config(path)
    assert len(checks) == 2


def test_the_command_still_exits_2_with_the_line(tmp_path, desk, db_url):
    if not db_url.endswith(".db"):
        pytest.skip("the configuration is read the same whatever the database")
    path = tmp_path / "desk.toml"
    path.write_bytes(GOOD)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert run_cli("--config", str(path), "incident", "list", db=db_url, env=env).returncode == 0
    path.write_bytes(BAD)
    done = run_cli("--config", str(path), "incident", "list", db=db_url, env=env)
    assert done.returncode == 2
    assert f"{path}:3:" in done.stderr.decode() and WHAT in done.stderr.decode()
