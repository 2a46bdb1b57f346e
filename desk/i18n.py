"""The message catalogue: every string a user reads, in English and Simplified Chinese.

Messages live in desk/messages/<lang>/<area>.toml (core, tui, …), merged, as dotted keys with
`{name}` placeholders. Each area file exists in both languages with the same keys (a test checks).
Language: --lang, then DESK_LANG, then config `desk.lang`, then the locale.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
_DIR = Path(__file__).resolve().parent / "messages"


def _flatten(prefix: str, table: dict, out: dict) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = value


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.toml")):
        with open(path, "rb") as fh:
            _flatten("", tomllib.load(fh), out)
    return out


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def t(key: str, lang: str = "en", /, **params) -> str:
    lang = lang if lang in LANGS else "en"
    template = catalogue(lang).get(key) or catalogue("en").get(key) or key
    return template.format_map(_Safe(params)) if params else template


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
