"""The message catalogue: every string a user reads, in English and Simplified Chinese.

Messages live in desk/messages/<lang>/<area>.toml (core, tui, …), merged, as dotted keys with
`{name}` placeholders. Each area file exists in both languages with the same keys (a test checks).
Language: --lang, then DESK_LANG, then config `desk.lang`, then the locale.
"""

from __future__ import annotations

import marshal
import os
import zlib
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
_DIR = Path(__file__).resolve().parent / "messages"
_CACHE_FORMAT = 1


# --- the per-user cache of parsed files ----------------------------------------------------------
# What desk parses at every start from files that rarely change (the message catalogue and
# config/default.toml here; desk.tcss in desk.app_css) is kept parsed in $XDG_CACHE_HOME/desk (or
# ~/.cache/desk): a directory of this user's only (0700), files 0600, written atomically. A cache
# file not owned by this user, or writable by others, is ignored (and replaced). Each entry says
# what it was made from and is used only while that is still so; anything going wrong with the
# cache just means parsing.

def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "desk"


def cache_path(name: str) -> Path:
    return _cache_dir() / name


def read_cache(path: Path) -> bytes | None:
    """The cache file's bytes, or None if it is missing or not this user's alone."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            return fh.read()
    except OSError:
        return None


def write_cache(path: Path, blob: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def file_stamp(path) -> tuple:
    """What says a file is unchanged: size, modification and change times, inode (an edit, a copy
    with preserved times or a touch all change it)."""
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


# Parsing the catalogue and config/default.toml is ~8 ms of every start (tomllib is pure Python):
# one marshal file per source, used while the source has the stamp it had when it was parsed.

def read_toml(path: Path) -> dict:
    """The parsed TOML file at `path` (tomllib's errors as they are: nothing is cached then)."""
    path = Path(path)
    source = str(path.resolve())
    stamp = file_stamp(path)
    cache = cache_path(f"toml-{zlib.crc32(source.encode()):08x}.marshal")
    blob = read_cache(cache)
    if blob is not None:
        try:
            kept = marshal.loads(blob)
            if kept[:3] == (_CACHE_FORMAT, source, stamp) and isinstance(kept[3], dict):
                return kept[3]
        except Exception:  # damaged: parse
            pass
    import tomllib

    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    try:
        blob = marshal.dumps((_CACHE_FORMAT, source, stamp, data))
    except ValueError:  # dates and times do not marshal: not cached
        return data
    write_cache(cache, blob)
    return data


def _flatten(prefix: str, table: dict, out: dict) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = value


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Every message of `lang`, flat. The merged catalogue is kept in the cache as one file while
    every area file has the stamp it had (20 area files read and flattened one by one were ~3 ms
    of every start; one file ~1 ms)."""
    paths = sorted((_DIR / lang).glob("*.toml"))
    stamps = tuple((path.name, file_stamp(path)) for path in paths)
    cache = cache_path(f"messages-{lang}-{zlib.crc32(str(_DIR).encode()):08x}.marshal")
    blob = read_cache(cache)
    if blob is not None:
        try:
            kept = marshal.loads(blob)
            if kept[:2] == (_CACHE_FORMAT, stamps) and isinstance(kept[2], dict):
                return kept[2]
        except Exception:  # damaged: read the files
            pass
    out: dict[str, str] = {}
    for path in paths:
        _flatten("", read_toml(path), out)
    try:
        write_cache(cache, marshal.dumps((_CACHE_FORMAT, stamps, out)))
    except ValueError:  # (a value marshal cannot write: not kept)
        pass
    return out


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def t(key: str, lang: str = "en", /, **params) -> str:
    lang = lang if lang in LANGS else "en"
    template = catalogue(lang).get(key) or catalogue("en").get(key) or key
    return template.format_map(_Safe(params)) if params else template


def tn(key: str, count: int, lang: str = "en", /, **params) -> str:
    """`key` said of `count` things: `<key>_one` when there is one ("1 approval level", never
    "1 level(s)"), `key` otherwise. Chinese has no plural: its `_one` says the same words."""
    return t(f"{key}_one" if count == 1 else key, lang, **params)


def locale_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def choose_lang(flag: str | None = None, config_lang: str | None = None) -> str:
    for candidate in (flag, os.environ.get("DESK_LANG"), config_lang):
        if candidate in LANGS:
            return candidate
    return locale_lang()
