"""Configuration: shipped defaults (config/default.toml and one file per area), then the user's file
($XDG_CONFIG_HOME/desk/config.toml, or --config / DESK_CONFIG), then environment, then flags.

Anything wrong is a ConfigError rendered as one line `path:line: what is wrong`; what a file may
say is checked by desk.config_rules (and the [keymap] and saved views by desk.config_check).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from desk.domain.errors import ConfigError
from desk.domain.priority import PriorityMatrix
from desk.domain.sla import Targets
from desk.i18n import read_toml

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULTS_PATH = CONFIG_DIR / "default.toml"
LANGS = ("en", "zh")

# Tables of tables: the user's list replaces the shipped one whole.
CODE_TABLES = (
    "priority",
    "impact",
    "urgency",
    "status",
    "closure_code",
    "category",
    "classification",
    "faq_category",
    "source",
    "role",
    "group",
    "request_status",  # config/requests.toml
    "request_close_code",
    "request_class",
    "request_channel",
    "request_rejection",
)
LIST_TABLES = CODE_TABLES + ("report", "change_template", "change_freeze", "service", "service_category")
SECTIONS = {
    "desk": {
        "lang": str,
        "durability": str,
        "busy_timeout_ms": int,
        "auto_confirm_days": (int, float),
        "near_breach_fraction": (int, float),
    },
    "incident": {"priority_matrix": list, "default_group": str, "default_source": str},
    "problem": {"candidate_min": int, "candidate_days": int},
    "change": {"cab": list, "approval": str, "publication_requires_change": bool},
    "request": {  # config/requests.toml; checked by _validate_requests
        "auto_close_days": (int, float), "approval_remind_hours": (int, float), "desk_group": str,
        "default_channel": str, "default_class": str,
    },
    "alerts": {  # config/alerts.toml; checked by _validate_alerts
        "group": str, "category": str, "title": str, "auto_resolve": bool, "resolve_code": str,
        "default_severity": str, "batch_size": int, "flush_ms": int, "severity": dict, "formats": dict,
    },
    "sla": None,  # config/sla.toml; checked by desk.domain.sla_settings (_validate_sla)
    "migrate": None,  # config/migrate.toml: mappings from other tools (checked by desk.services.transfer.mapping)
    "keymap": None,  # free-form: binding id -> keys (checked by the TUI)
    "views": None,  # saved queue views (written by the TUI)
}
ENTRY_FIELDS = {
    "code": str,
    "en": str,
    "zh": str,
}
EXTRA_FIELDS = {
    "priority": {"response_minutes": int, "resolve_minutes": int},
    "group": {"tier": int, "kind": str},
}


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "desk" / "config.toml"


@dataclass
class Config:
    data: dict
    sources: dict[str, str] = field(default_factory=dict)  # top-level key -> file it came from
    user_path: Path | None = None

    # --- plain settings -------------------------------------------------------------------
    def setting(self, key: str, default=None):
        return self.data.get("desk", {}).get(key, default)

    @property
    def durability(self) -> str:
        return self.setting("durability", "full")

    @property
    def busy_timeout_ms(self) -> int:
        return int(self.setting("busy_timeout_ms", 5000))

    @property
    def auto_confirm_days(self) -> float:
        return float(self.setting("auto_confirm_days", 3))

    @property
    def near_breach_fraction(self) -> float:
        return float(self.setting("near_breach_fraction", 0.8))

    # --- code tables ---------------------------------------------------------------------
    def entries(self, table: str) -> list[dict]:
        return list(self.data.get(table, []))

    def codes(self, table: str) -> list[str]:
        return [str(e["code"]) for e in self.entries(table)]

    def label(self, table: str, code, lang: str = "en") -> str:
        for entry in self.data.get(table, []):
            if str(entry["code"]) == str(code):
                return (entry.get(lang) or entry.get(f"name_{lang}") or entry.get("en") or entry.get("name_en")
                        or str(code))
        return str(code) if code is not None else ""

    @property
    def matrix(self) -> PriorityMatrix:
        rows = self.data["incident"]["priority_matrix"]
        return PriorityMatrix(tuple(tuple(int(v) for v in row) for row in rows))

    @property
    def closure_codes(self) -> frozenset[str]:
        return frozenset(self.codes("closure_code"))

    def targets(self, priority) -> Targets | None:
        for entry in self.data.get("priority", []):
            if str(entry["code"]) == str(priority):
                return Targets(int(entry["response_minutes"]), int(entry["resolve_minutes"]))
        return None

    # --- problems, changes, requests ----------------------------------------------------
    def request_setting(self, key: str, default):
        return self.data.get("request", {}).get(key, default)

    def problem_setting(self, key: str, default):
        return self.data.get("problem", {}).get(key, default)

    def change_setting(self, key: str, default):
        return self.data.get("change", {}).get(key, default)

    @property
    def change_templates(self) -> dict[str, dict]:
        """Standard change templates by code (pre-approved changes)."""
        return {str(e["code"]): e for e in self.data.get("change_template", [])}

    @property
    def change_freezes(self):
        """The change freezes ([[change_freeze]]), earliest first (desk.domain.change_freeze)."""
        from desk.domain.change_freeze import from_config

        return from_config(self.entries("change_freeze"))

    @property
    def sla(self):
        """The [sla] settings: calendars, warning share, pause reasons, target fallback (built once)."""
        cached = self.__dict__.get("_sla")
        if cached is None:
            from desk.domain.sla_settings import SlaSettings

            defaults = {str(e["code"]): Targets(int(e["response_minutes"]), int(e["resolve_minutes"]))
                        for e in self.data.get("priority", [])}
            cached = self.__dict__["_sla"] = SlaSettings(self.data.get("sla", {}), defaults)
        return cached

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.data.get("keymap", {}))

    @property
    def views(self) -> dict[str, dict]:
        return dict(self.data.get("views", {}))


# --- loading ------------------------------------------------------------------------------

_TOML_POS = r"\(at line (\d+), column (\d+)\)"  # (compiled when a file has a fault, not at every start)


class _Texts(dict):
    """The config files' text, for the line numbers of validation errors: read when needed."""

    def get(self, key, default=""):
        if key not in self:
            try:
                self[key] = Path(key).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return default
        return self[key]


def shipped_files() -> list[Path]:
    """The shipped defaults: config/default.toml, then one file per area (catalogue.toml,
    sla.toml, …) in name order. No two files may set the same top-level key."""
    return [DEFAULTS_PATH] + sorted(p for p in CONFIG_DIR.glob("*.toml") if p != DEFAULTS_PATH)


def _load_defaults() -> tuple[dict, dict[str, str]]:
    """The shipped defaults and the file each top-level key came from, through desk.i18n's parse
    cache (the user's own file is parsed each time: it may live anywhere, and a cache entry per
    path would pile up)."""
    data: dict = {}
    sources: dict[str, str] = {}
    for path in shipped_files():
        try:
            part = read_toml(path)
        except Exception:
            part = _read(path)[0]  # raises the ConfigError that says what is wrong, where
        for key, value in part.items():
            if key in sources:
                raise said(path, locate(_read(path)[1], [key]), "config.rule.set_twice", key=key,
                           file=Path(sources[key]).name)
            data[key] = value
            sources[key] = str(path)
    return data, sources


def _read(path: Path) -> tuple[dict, str]:
    import tomllib

    try:
        raw = path.read_bytes()
    except OSError as exc:
        from desk.parse_faults import os_said

        raise said(path, None, "config.read.unreadable", why=os_said(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise said(path, line, "config.read.not_utf8", byte=f"0x{raw[exc.start]:02x}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        from desk.parse_faults import toml_said

        msg = str(exc)
        m = re.search(_TOML_POS, msg)
        # (a fault at the end of the file is on its last line)
        line = int(m.group(1)) if m else (max(len(text.splitlines()), 1) if "(at end of document)" in msg else None)
        what = re.sub(_TOML_POS, "", msg).replace("(at end of document)", "").strip()
        raise said(path, line, "config.read.syntax", what=toml_said(what)) from None


def said(path, line: int | None, key: str, /, **params) -> ConfigError:
    """A fault of a file desk reads (a configuration, a mapping, a catalogue): `path:line: what`,
    with the message key and its values, so that it is said in the reader's language when it is
    shown (`what` is its English, for code that reads it)."""
    english = ConfigError(str(path), line, "", said=(key, params)).text("en")
    return ConfigError(str(path), line, english, said=(key, params))


def locate(text: str, path: list) -> int | None:
    """Best-effort line number of a key path such as ["priority", 2, "code"] in TOML text."""
    lines = text.splitlines()
    start = -1
    key = None
    if not path:
        return None
    if len(path) >= 2 and isinstance(path[1], int):
        name, index = path[0], path[1]
        count = -1
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        for i, line in enumerate(lines):
            if pattern.match(line):
                count += 1
                if count == index:
                    start = i
                    break
        else:
            return None
        key = path[2] if len(path) > 2 else None
    elif len(path) >= 2:
        pattern = re.compile(r"^\s*\[\s*" + re.escape(path[0]) + r"\s*\]")
        for i, line in enumerate(lines):
            if pattern.match(line):
                start = i
                break
        else:
            return None
        key = path[1]
    else:
        key = path[0]
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(str(key)) + r"\s*\]\]?")
        for i, line in enumerate(lines):
            if pattern.match(line):
                return i + 1
    if key is None:
        return start + 1
    key_pattern = re.compile(r'^\s*"?' + re.escape(str(key)) + r'"?\s*=')
    for i in range(start + 1, len(lines)):
        if i > start + 1 and re.match(r"^\s*\[", lines[i]) and start >= 0:
            break
        if key_pattern.match(lines[i]):
            return i + 1
    return start + 1 if start >= 0 else None


def load_config(path: str | os.PathLike | None = None, *, lang: str | None = None) -> Config:
    """Defaults, then the user's file (explicit path, DESK_CONFIG, or the XDG location)."""
    from desk import config_valid

    explicit = path or os.environ.get("DESK_CONFIG")
    user_path = Path(explicit) if explicit else user_config_path()
    if explicit and not user_path.exists():
        raise said(user_path, None, "config.read.no_file")
    files = shipped_files() + ([user_path] if user_path.exists() else [])
    made_of = config_valid.stamp(files)  # (taken before the files are read: an edit meanwhile is checked next time)
    defaults, shipped = _load_defaults()
    texts = _Texts()
    data = dict(defaults)
    sources = dict(shipped)
    if user_path.exists():
        user, text = _read(user_path)
        texts[str(user_path)] = text
        for key, value in user.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
            sources[key] = str(user_path)

    config = Config(data, sources, user_path)
    if not config_valid.was_valid(files, made_of):  # (the same files, by the same rules, passed before)
        from desk.config_rules import validate  # (what a file may say: its own module)

        try:
            validate(config, texts)  # the files as they are: `desk.lang = "fr"` is theirs even under --lang
        except ConfigError as err:
            # A file that sets the desk's language and is otherwise readable hears of its faults in that
            # language, unless a flag or DESK_LANG says another (desk.i18n.choose_lang's order).
            own = data.get("desk", {}).get("lang")
            err.lang = own if own in LANGS else None
            raise
        config_valid.remember_valid(files, made_of)
    env_lang = os.environ.get("DESK_LANG")  # (one that is neither en nor zh is passed over: choose_lang)
    if env_lang:
        data["desk"] = {**data.get("desk", {}), "lang": env_lang}
    if lang:
        data["desk"] = {**data.get("desk", {}), "lang": lang}
    return config
