"""Adding entries to code tables (`[[category]]`, `[[group]]`, …) in the user's own config file, as
`desk migrate` does for the values a mapping with `unknown = "create"` makes codes of.

A code table in the user's file replaces the shipped one whole (desk.config), so a table the file
does not have yet is written whole: today's entries, then the new ones. The new `[[table]]` entries
are appended at the end of the file and every other line, comments included, stays as it was; if
the file spells a table some other way (an inline array), the whole file is rewritten with tomli-w
after a copy to config.toml.bak. Either way the result is parsed back and checked before it replaces
the file (atomically), and the configuration in memory gets the new entries too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from desk.config import user_config_path
from desk.services.saved_views import replace_config_file


def user_file(config) -> Path:
    return Path(config.user_path) if getattr(config, "user_path", None) else user_config_path()


def add_entries(config, added: dict[str, list[dict]]) -> Path:
    """Append `added` (table -> entries) to the user's config file; returns the file written."""
    path = user_file(config)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = tomllib.loads(text) if text else {}
    expected = dict(data)
    appended = {}
    for table, entries in added.items():
        mine = data.get(table)
        if isinstance(mine, list):
            appended[table] = list(entries)
        else:  # not in the file yet: today's whole table, then the new entries
            appended[table] = [dict(e) for e in config.entries(table)] + list(entries)
        expected[table] = (list(mine) if isinstance(mine, list) else []) + appended[table]
    blocks = [f"[[{table}]]\n" + tomli_w.dumps(entry) for table, entries in appended.items() for entry in entries]
    new_text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + "\n".join(blocks)
    try:
        surgical = tomllib.loads(new_text) == expected
    except tomllib.TOMLDecodeError:
        surgical = False
    if not surgical:
        new_text = tomli_w.dumps(expected)
    replace_config_file(path, new_text, backup=bool(text) and not surgical)
    for table in added:
        config.data[table] = expected[table]
        config.sources[table] = str(path)
    return path
