"""What desk.config cannot check alone: the [keymap] (binding ids live in the TUI's screens) and
the saved views under [views] (their view names, sorts and filters belong to each kind of list,
desk.lists). `desk config check` and the TUI's start run these and stop with exit 2 on the first
lines `file:line: what is wrong` (issue 11, item 7).

Nothing here imports textual; `tui_binding_ids()` does, when asked.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from desk.config import DEFAULTS_PATH, Config, locate
from desk.domain.errors import ConfigError
from desk.i18n import t

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset({"space", "tab", "enter", "backspace", "escape", "return", "insert", "delete", "home",
                        "end", "pageup", "pagedown", "up", "down", "left", "right"}
                       | {f"f{n}" for n in range(1, 25)})
VIEW_SETTINGS = frozenset({"kind", "view", "filter", "sort", "descending"})


def problems(config: Config, lang: str, binding_ids=None) -> list[ConfigError]:
    """Every problem of the keymap and the saved views. `binding_ids` (a callable returning the
    ids) is only called when there is a keymap to check."""
    found: list[ConfigError] = []
    keymap = config.data.get("keymap") or {}
    if keymap:
        known = binding_ids() if binding_ids is not None else tui_binding_ids()
        found += keymap_problems(config, keymap, known, lang)
    found += view_problems(config, lang)
    return found


def report_problems(config: Config, lang: str, binding_ids=None) -> bool:
    """Print each problem as one line `file:line: what is wrong` to stderr; whether there were any."""
    import sys

    from desk.domain.text import one_line

    found = problems(config, lang, binding_ids)
    for err in found:
        print(one_line(err.message(lang)), file=sys.stderr)
    return bool(found)


# --- [keymap] ---------------------------------------------------------------------------------------

def is_key(name: str) -> bool:
    """Whether `name` is one key as Textual names keys ("A", "ctrl+a", "f5", "question_mark")."""
    name = name.strip()
    if len(name) == 1:
        return name.isprintable()
    *mods, base = name.split("+")
    if any(m not in MODIFIERS for m in mods) or not base:
        return False
    if len(base) == 1 or base in NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(base.replace("_", " ").upper())
    except KeyError:
        return base in ("slash", "backslash", "at", "minus", "plus", "underscore")
    return True


def keymap_problems(config: Config, keymap: dict, known: set[str], lang: str) -> list[ConfigError]:
    source, text = _source(config, "keymap")
    out = []
    for binding_id, keys in keymap.items():
        line = locate(text, ["keymap", binding_id])
        if binding_id not in known:
            out.append(ConfigError(source, line, t("settings.keymap.unknown", lang, id=binding_id)))
        elif not isinstance(keys, str) or not keys.strip():
            out.append(ConfigError(source, line, t("settings.keymap.not_keys", lang, id=binding_id,
                                                   value=_shown(keys))))
        else:
            bad = [k.strip() for k in keys.split(",") if not is_key(k)]
            if bad:
                out.append(ConfigError(source, line, t("settings.keymap.bad_key", lang, id=binding_id,
                                                       key=_shown(bad[0]))))
    return out


def screen_binding_ids(screen_classes) -> set[str]:
    """The ids of the keys of these screens and of what they open (the detail screens, the filter
    bar, the incident table, the notification list, the catalogue's inboxes): what [keymap] may
    move. One list for the app's start and for `desk config check` (imports the screens, and textual)."""
    from textual.binding import Binding

    from desk.screens.catalogue_inbox import DraftsScreen, RequirementsScreen
    from desk.screens.detail import DetailScreen
    from desk.screens.notifications import NotificationsScreen
    from desk.screens.record_detail import detail_screen_class
    from desk.screens.request_detail import RequestDetailScreen
    from desk.widgets.filter_bar import FilterBar
    from desk.widgets.incident_table import IncidentTable

    classes = [DetailScreen, NotificationsScreen, RequestDetailScreen, FilterBar, IncidentTable,
               DraftsScreen, RequirementsScreen, *screen_classes]
    classes += [detail_screen_class(cls) for cls in list(classes) if getattr(cls, "RECORD_DETAIL", False)]
    return {b.id for cls in classes for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding) and b.id}


def tui_binding_ids() -> set[str]:
    """The ids of every binding the TUI offers to [keymap] (imports the screens, and textual)."""
    from textual.binding import Binding

    from desk.app import DeskApp, available_screens

    entries = available_screens()
    ids = {b.id for b in DeskApp.BINDINGS if isinstance(b, Binding) and b.id}
    ids |= {f"screen.{entry.id}" for entry, _ in entries}
    return ids | screen_binding_ids([cls for _, cls in entries])


# --- [views] ---------------------------------------------------------------------------------------

def view_problems(config: Config, lang: str) -> list[ConfigError]:
    views = config.data.get("views") or {}
    if not views:  # (the TUI's every start: nothing to import, no file to read again)
        return []
    from desk.lists import KINDS, spec_for
    from desk.services.saved_views import DEFAULT_KIND

    source, text = _source(config, "views")
    out = []
    for name, spec in views.items():
        def fail(key: str | None, message: str, **params) -> None:
            out.append(ConfigError(source, _view_line(text, name, key),
                                   t(f"settings.view.{message}", lang, name=_shown(name), **params)))

        if not isinstance(spec, dict):
            fail(None, "not_table")
            continue
        for key in spec:
            if key not in VIEW_SETTINGS:
                fail(key, "unknown_setting", key=_shown(key), valid=", ".join(sorted(VIEW_SETTINGS)))
        kind = spec.get("kind", DEFAULT_KIND)
        if kind not in KINDS:
            fail("kind", "unknown_kind", kind=_shown(kind), valid=", ".join(KINDS))
            continue
        list_spec = spec_for(kind)
        what = t(f"entity.{kind}", lang)
        if "view" in spec and spec["view"] not in list_spec.views:
            fail("view", "unknown_view", view=_shown(spec["view"]), kind=what, valid=", ".join(list_spec.views))
        if "sort" in spec and spec["sort"] not in list_spec.sorts:
            fail("sort", "unknown_sort", sort=_shown(spec["sort"]), kind=what, valid=", ".join(list_spec.sorts))
        if "descending" in spec and not isinstance(spec["descending"], bool):
            fail("descending", "not_bool", value=_shown(spec["descending"]))
        text_filter = spec.get("filter", "")
        if not isinstance(text_filter, str):
            fail("filter", "not_text", value=_shown(text_filter))
        elif text_filter.strip():
            from desk.domain.filter_terms import parse

            parsed = parse(text_filter, list_spec.vocabulary(config))
            if parsed.errors:
                first = parsed.errors[0]
                why = t(first.key, lang, **{k: _shown(v) for k, v in first.params.items()})
                fail("filter", "bad_filter", filter=_shown(text_filter), why=why)
    return out


def _view_line(text: str, name: str, key: str | None) -> int | None:
    """The line of `key` in [views."name"] (or of that header), as the TUI writes views."""
    quoted = re.escape(name)
    header = re.compile(r'^\s*\[\s*views\s*\.\s*(?:"' + quoted + r'"|\'' + quoted + r'\'|' + quoted + r')\s*\]')
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if header.match(line):
            if key is None:
                return i + 1
            key_pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
            for j in range(i + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if key_pattern.match(lines[j]):
                    return j + 1
            return i + 1
    return locate(text, ["views"])


def _source(config: Config, key: str) -> tuple[str, str]:
    source = config.sources.get(key, str(DEFAULTS_PATH))
    try:
        return source, Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return source, ""


def _shown(value) -> str:
    """A value from the file as the message quotes it: one line, short, never markup."""
    from desk.domain.text import one_line

    return one_line(repr(value) if not isinstance(value, str) else value, 60)
