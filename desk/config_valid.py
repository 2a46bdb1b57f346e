"""Which configurations were found valid: a start whose files are as they were when desk last
checked them, by the same rules, does not check them again.

Checking the merged configuration (desk.config_rules: code tables, the priority matrix, every
area's rules, and the modules those rules import) costs ~5 ms of CPU on every start, before the
queue's first frame; the answer only changes when a file or the rules do. So a configuration that
passed is remembered in desk's per-user cache (desk.i18n) by what it was made from: the content of
every file it was read from (the shipped ones and the user's), the source of the rules
(desk/config*.py and desk/domain/*.py) by their stamps (size, times, inode), and the Python. Anything
else (a file edited, added or removed, desk upgraded, a cache file that is not this user's) is
checked as before, and a configuration with a fault is never remembered: it still exits 2 with its
file and line before anything starts.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

from desk.i18n import cache_path, file_stamp, read_cache, write_cache

_HERE = Path(__file__).resolve().parent
_FORMAT = 1


def _rules_sources() -> list[Path]:
    """The source of the checks: desk.config, desk.config_rules and desk.domain (what they import)."""
    return sorted([*_HERE.glob("config*.py"), *(_HERE / "domain").glob("*.py")])


def stamp(files: list) -> bytes | None:
    """What a check of configuration read from `files` depends on: each file's content (a check
    of its own, as two edits within a clock tick can leave the same size and times) and the
    rules' sources by their stamps (None: a file cannot be read)."""
    try:
        made_of = [(str(path), zlib.crc32(Path(path).read_bytes())) for path in files]
        made_of += [(str(path), file_stamp(path)) for path in _rules_sources()]
    except OSError:
        return None
    return repr((_FORMAT, sys.version, made_of)).encode()


def _path(files: list):
    return cache_path(f"config-valid-{zlib.crc32(repr([str(f) for f in files]).encode()):08x}")


def was_valid(files: list, made_of: bytes | None) -> bool:
    """Whether the configuration from `files` passed its checks when it was made of `made_of`."""
    return made_of is not None and read_cache(_path(files)) == made_of


def remember_valid(files: list, made_of: bytes | None) -> None:
    if made_of is not None:
        write_cache(_path(files), made_of)
