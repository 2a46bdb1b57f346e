"""The parse cache behind the message catalogue and config/default.toml (desk.i18n.read_toml):
what it returns is always what the file says now, whatever state the cache is in."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.i18n import _CACHE_FORMAT, file_stamp, read_toml


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "desk"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_read_comes_from_a_private_cache_file(tmp_path, cache):
    src = _write(tmp_path / "a.toml", 'greeting = "hello"\n[table]\nn = 1\nx = 1.5\nok = true\n')
    first = read_toml(src)
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o777 == 0o700
    assert read_toml(src) == first == {"greeting": "hello", "table": {"n": 1, "x": 1.5, "ok": True}}


def test_an_edited_file_is_read_again_even_with_its_old_size_and_time(tmp_path, cache):
    src = _write(tmp_path / "a.toml", 'word = "alpha"\n')
    before = src.stat()
    assert read_toml(src) == {"word": "alpha"}
    _write(src, 'word = "omega"\n')  # same size
    os.utime(src, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old modification time
    assert read_toml(src) == {"word": "omega"}


def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path, cache):
    src = _write(tmp_path / "a.toml", "n = 1\n")
    read_toml(src)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x00garbage")
    assert read_toml(src) == {"n": 1}
    assert read_toml(src) == {"n": 1}


def test_a_cache_file_others_can_write_is_not_trusted(tmp_path, cache):
    src = _write(tmp_path / "a.toml", "n = 1\n")
    read_toml(src)
    (entry,) = cache.iterdir()
    forged = (_CACHE_FORMAT, str(src.resolve()), file_stamp(src), {"n": 666})
    entry.write_bytes(marshal.dumps(forged))
    entry.chmod(0o666)
    assert read_toml(src) == {"n": 1}
    assert entry.stat().st_mode & 0o777 == 0o600  # replaced by a private one


def test_no_usable_cache_directory_still_reads(tmp_path, monkeypatch):
    blocker = _write(tmp_path / "not-a-dir", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    src = _write(tmp_path / "a.toml", "n = 1\n")
    assert read_toml(src) == {"n": 1}
    assert read_toml(src) == {"n": 1}


def test_dates_are_read_but_not_cached(tmp_path, cache):
    src = _write(tmp_path / "a.toml", "when = 2026-11-21T10:00:00\n")
    assert str(read_toml(src)["when"]) == "2026-11-21 10:00:00"
    assert not cache.exists() or not list(cache.iterdir())


def test_syntax_errors_are_tomllibs(tmp_path, cache):
    import tomllib

    src = _write(tmp_path / "a.toml", "n = \n")
    with pytest.raises(tomllib.TOMLDecodeError):
        read_toml(src)


# The catalogue and the configuration a fresh process gets, with the cache cold, then warm.
SNAPSHOT = """
import json
from desk.config import load_config
from desk.i18n import catalogue
print(json.dumps({"en": catalogue("en"), "zh": catalogue("zh"), "config": load_config().data}, sort_keys=True))
"""


def test_catalogue_and_config_are_the_same_from_a_cold_and_a_warm_cache(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    for name in ("DESK_CONFIG", "DESK_LANG"):
        env.pop(name, None)

    def snapshot() -> dict:
        out = subprocess.run([sys.executable, "-c", SNAPSHOT], capture_output=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr.decode()
        return json.loads(out.stdout)

    cold = snapshot()
    assert list((tmp_path / "cache" / "desk").iterdir())
    warm = snapshot()
    assert cold == warm
    assert cold["en"]["tui.key.help"] and cold["config"]["incident"]["priority_matrix"]


@pytest.fixture
def areas(tmp_path, cache, monkeypatch):
    """desk.i18n reading its area files from tmp_path/messages/en (its merged catalogue cleared
    before and after, so the next test reads desk's own again)."""
    from desk import i18n

    root = tmp_path / "messages"
    (root / "en").mkdir(parents=True)
    monkeypatch.setattr(i18n, "_DIR", root)
    i18n.catalogue.cache_clear()
    yield root / "en"
    i18n.catalogue.cache_clear()


def _fresh_catalogue() -> dict:
    from desk import i18n

    i18n.catalogue.cache_clear()  # (a new process: only the cache on disk is kept)
    return i18n.catalogue("en")


def test_the_merged_catalogue_is_one_cache_file_that_follows_its_area_files(areas, cache):
    a = _write(areas / "a.toml", '[a]\nword = "alpha"\n')
    _write(areas / "b.toml", '[b]\nword = "beta"\n')
    assert _fresh_catalogue() == {"a.word": "alpha", "b.word": "beta"}
    merged = [p for p in cache.iterdir() if p.name.startswith("messages-en-")]
    assert len(merged) == 1 and merged[0].stat().st_mode & 0o777 == 0o600
    assert _fresh_catalogue() == {"a.word": "alpha", "b.word": "beta"}
    before = a.stat()
    _write(a, '[a]\nword = "omega"\n')  # same size, and the old modification time
    os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _fresh_catalogue() == {"a.word": "omega", "b.word": "beta"}
    _write(areas / "c.toml", '[c]\nword = "gamma"\n')  # a new area
    assert _fresh_catalogue()["c.word"] == "gamma"
    (areas / "b.toml").unlink()  # an area gone
    assert "b.word" not in _fresh_catalogue()


def test_a_damaged_or_foreign_merged_catalogue_is_not_used(areas, cache):
    _write(areas / "a.toml", '[a]\nword = "alpha"\n')
    _fresh_catalogue()
    (merged,) = [p for p in cache.iterdir() if p.name.startswith("messages-en-")]
    merged.write_bytes(b"\x00garbage")
    assert _fresh_catalogue() == {"a.word": "alpha"}
    kept = marshal.loads(merged.read_bytes())
    merged.write_bytes(marshal.dumps((kept[0], kept[1], {"a.word": "forged"})))
    merged.chmod(0o666)
    assert _fresh_catalogue() == {"a.word": "alpha"}
