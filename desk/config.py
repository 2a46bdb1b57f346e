"""Configuration: shipped defaults (config/default.toml and one file per area), then the user's file
($XDG_CONFIG_HOME/desk/config.toml, or --config / DESK_CONFIG), then environment, then flags.

Anything wrong is a ConfigError rendered as one line `path:line: what is wrong`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from desk.domain.errors import ConfigError
from desk.domain.incident_flow import STATUSES
from desk.domain.priority import PriorityMatrix
from desk.domain.roles import ALL_ROLES
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
LIST_TABLES = CODE_TABLES + ("report", "change_template", "service", "service_category")
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

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


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
                raise ConfigError(str(path), locate(_read(path)[1], [key]),
                                  f"'{key}' is set in {Path(sources[key]).name} already")
            data[key] = value
            sources[key] = str(path)
    return data, sources


def _read(path: Path) -> tuple[dict, str]:
    import tomllib

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(str(path), line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m else None
        what = _TOML_POS.sub("", msg).strip()
        raise ConfigError(str(path), line, f"TOML syntax: {what}") from None


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
    defaults, shipped = _load_defaults()
    texts = _Texts()
    data = dict(defaults)
    sources = dict(shipped)

    explicit = path or os.environ.get("DESK_CONFIG")
    user_path = Path(explicit) if explicit else user_config_path()
    if explicit and not user_path.exists():
        raise ConfigError(str(user_path), None, "no such file")
    if user_path.exists():
        user, text = _read(user_path)
        texts[str(user_path)] = text
        for key, value in user.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
            sources[key] = str(user_path)

    env_lang = os.environ.get("DESK_LANG")
    if env_lang:
        data.setdefault("desk", {})
        data["desk"] = {**data["desk"], "lang": env_lang}
    if lang:
        data["desk"] = {**data.get("desk", {}), "lang": lang}

    config = Config(data, sources, user_path)
    _validate(config, texts)
    return config


def _fail(config: Config, texts: dict[str, str], path: list, what: str):
    source = config.sources.get(path[0], str(DEFAULTS_PATH))
    line = locate(texts.get(source, ""), path)
    raise ConfigError(source, line, what)


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(x.__name__ for x in t)
    return {"str": "a string", "int": "a whole number", "list": "a list", "bool": "true or false",
            "dict": "a table"}.get(t.__name__, t.__name__)


def _check_type(value, expected) -> bool:
    if expected is int or expected == (int, float):
        if isinstance(value, bool):
            return False
    return isinstance(value, expected)


def _validate(config: Config, texts: dict[str, str]) -> None:
    data = config.data
    for key, value in data.items():
        if key in LIST_TABLES:
            if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
                _fail(config, texts, [key], f"'{key}' must be written as [[{key}]] tables")
        elif key in SECTIONS:
            if not isinstance(value, dict):
                _fail(config, texts, [key], f"'{key}' must be a table [{key}]")
            spec = SECTIONS[key]
            if spec is None:
                continue
            for sub, sub_value in value.items():
                if sub not in spec:
                    _fail(config, texts, [key, sub], f"unknown setting '{key}.{sub}'")
                if not _check_type(sub_value, spec[sub]):
                    _fail(config, texts, [key, sub], f"'{key}.{sub}' must be {_type_name(spec[sub])}, not {sub_value!r}")
        else:
            _fail(config, texts, [key], f"unknown section '{key}'")

    for table in CODE_TABLES:
        entries = data.get(table, [])
        if not entries:
            _fail(config, texts, [table], f"'{table}' has no entries")
        seen = set()
        for i, entry in enumerate(entries):
            for name, kind in {**ENTRY_FIELDS, **EXTRA_FIELDS.get(table, {})}.items():
                if name not in entry:
                    _fail(config, texts, [table, i], f"[[{table}]] entry {i + 1} lacks '{name}'")
                if not _check_type(entry[name], kind):
                    _fail(config, texts, [table, i, name],
                          f"[[{table}]] '{name}' must be {_type_name(kind)}, not {entry[name]!r}")
            if entry["code"] in seen:
                _fail(config, texts, [table, i, "code"], f"[[{table}]] code '{entry['code']}' appears twice")
            seen.add(entry["code"])

    desk = data.get("desk", {})
    if desk.get("lang") not in ("", None, *LANGS):
        _fail(config, texts, ["desk", "lang"], f"desk.lang must be one of en, zh (or empty), not {desk['lang']!r}")
    if desk.get("durability", "full") not in ("full", "normal"):
        _fail(config, texts, ["desk", "durability"], f"desk.durability must be 'full' or 'normal', not {desk['durability']!r}")

    statuses = set(config.codes("status"))
    missing = [s for s in STATUSES if s not in statuses]
    if missing:
        _fail(config, texts, ["status"], f"status table lacks {', '.join(missing)} (the workflow needs every status)")
    roles = config.codes("role")
    bad_roles = [r for r in roles if r not in ALL_ROLES]
    if bad_roles:
        _fail(config, texts, ["role"], f"unknown role '{bad_roles[0]}' (roles are {', '.join(ALL_ROLES)})")
    for i, group in enumerate(config.entries("group")):
        if group["tier"] not in (1, 2, 3):
            _fail(config, texts, ["group", i, "tier"], f"group '{group['code']}' tier must be 1, 2 or 3")
        if group["kind"] not in ("desk", "l2", "vendor"):
            _fail(config, texts, ["group", i, "kind"], f"group '{group['code']}' kind must be desk, l2 or vendor")

    _validate_alerts(config, texts)
    _validate_sla(config, texts)

    incident = data.get("incident", {})
    matrix = incident.get("priority_matrix")
    if not matrix or not all(isinstance(row, list) and row for row in matrix):
        _fail(config, texts, ["incident", "priority_matrix"], "priority_matrix must be a list of rows (impact) of priorities (urgency)")
    width = len(matrix[0])
    priorities = set(config.codes("priority"))
    for r, row in enumerate(matrix):
        if len(row) != width:
            _fail(config, texts, ["incident", "priority_matrix"], f"priority_matrix row {r + 1} has {len(row)} entries, row 1 has {width}")
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int) or str(value) not in priorities:
                _fail(config, texts, ["incident", "priority_matrix"],
                      f"priority_matrix row {r + 1}: unknown priority {value!r} (known: {', '.join(sorted(priorities))})")
    if len(matrix) != len(config.codes("impact")) or width != len(config.codes("urgency")):
        _fail(config, texts, ["incident", "priority_matrix"],
              f"priority_matrix is {len(matrix)}×{width}, but there are {len(config.codes('impact'))} impacts and "
              f"{len(config.codes('urgency'))} urgencies")
    _validate_problems_changes(config, texts)
    _validate_requests(config, texts)
    _validate_reports(config, texts)
    _validate_catalogue(config, texts)
    groups = set(config.codes("group"))
    if incident.get("default_group") not in groups:
        _fail(config, texts, ["incident", "default_group"], f"default_group {incident.get('default_group')!r} is not a [[group]] code")
    if incident.get("default_source") not in set(config.codes("source")):
        _fail(config, texts, ["incident", "default_source"], f"default_source {incident.get('default_source')!r} is not a [[source]] code")


def _validate_reports(config: Config, texts: dict[str, str]) -> None:
    """[[report]]: the report list's shipped entries (config/reports.toml; desk.domain.report_flow)."""
    from desk.domain.report_flow import spec_problems

    seen = set()
    for i, entry in enumerate(config.entries("report")):
        code = entry.get("code")
        if not isinstance(code, str) or not code.strip():
            _fail(config, texts, ["report", i], f"[[report]] entry {i + 1} lacks 'code'")
        for name, what in spec_problems(entry):
            _fail(config, texts, ["report", i, name] if name in entry else ["report", i], f"[[report]] '{code}': {what}")
        if code in seen:
            _fail(config, texts, ["report", i, "code"], f"[[report]] code '{code}' appears twice")
        seen.add(code)


def _validate_sla(config: Config, texts: dict[str, str]) -> None:
    """[sla] (config/sla.toml): calendars, holidays, zone, warning share; the line of the key named."""
    from desk.domain.sla_calendar import CalendarError

    try:
        config.sla
    except CalendarError as exc:
        what = str(exc)
        key = re.search(r"sla\.([\w.]+\w)", what)
        parts = ["sla", *key.group(1).split(".")] if key else ["sla"]
        source = config.sources.get("sla", str(DEFAULTS_PATH))
        text = texts.get(source, "")
        # the deepest key the file shows: `awaiting_cost` under [sla.pausing.request], else its table …
        for depth in range(len(parts), 1, -1):
            line = locate(text, [".".join(parts[:depth - 1]), parts[depth - 1]]) or locate(text, [".".join(parts[:depth])])
            if line is not None:
                raise ConfigError(source, line, what) from None
        _fail(config, texts, parts[:2], what)


def _validate_problems_changes(config: Config, texts: dict[str, str]) -> None:
    """[problem], [change] and [[change_template]] (config/problems.toml, config/changes.toml)."""
    problem = config.data.get("problem", {})
    if problem.get("candidate_min", 2) < 2:
        _fail(config, texts, ["problem", "candidate_min"], "problem.candidate_min must be 2 or more")
    if problem.get("candidate_days", 1) < 1:
        _fail(config, texts, ["problem", "candidate_days"], "problem.candidate_days must be 1 or more")
    change = config.data.get("change", {})
    if change.get("approval", "any") not in ("any", "all"):
        _fail(config, texts, ["change", "approval"], f"change.approval must be 'any' or 'all', not {change['approval']!r}")
    for login in change.get("cab", []):
        if not isinstance(login, str) or not login.strip():
            _fail(config, texts, ["change", "cab"], f"change.cab must list agent logins, not {login!r}")
    seen: set = set()
    for i, entry in enumerate(config.entries("change_template")):
        for name, kind in {**ENTRY_FIELDS, "service": str}.items():
            if name == "service" and name not in entry:
                continue
            if name not in entry:
                _fail(config, texts, ["change_template", i], f"[[change_template]] entry {i + 1} lacks '{name}'")
            if not _check_type(entry[name], kind):
                _fail(config, texts, ["change_template", i, name],
                      f"[[change_template]] '{name}' must be {_type_name(kind)}, not {entry[name]!r}")
        if entry["code"] in seen:
            _fail(config, texts, ["change_template", i, "code"],
                  f"[[change_template]] code '{entry['code']}' appears twice")
        seen.add(entry["code"])


def _validate_requests(config: Config, texts: dict[str, str]) -> None:
    """[request] and the request code tables (config/requests.toml): the workflow's own codes."""
    from desk.domain import request_flow

    for table, needed in (("request_status", request_flow.STATUSES), ("request_close_code", request_flow.CLOSE_CODES),
                          ("request_class", request_flow.CLASSES)):
        missing = [c for c in needed if c not in config.codes(table)]
        if missing:
            _fail(config, texts, [table], f"{table} table lacks {', '.join(missing)} (the request workflow needs it)")
    request = config.data.get("request", {})
    for key, low in (("auto_close_days", 0), ("approval_remind_hours", 0)):
        if key in request and request[key] <= low:
            _fail(config, texts, ["request", key], f"request.{key} must be more than {low}, not {request[key]}")
    for key, table in (("desk_group", "group"), ("default_channel", "request_channel"),
                       ("default_class", "request_class")):
        if key in request and request[key] not in config.codes(table):
            _fail(config, texts, ["request", key], f"request.{key} {request[key]!r} is not a [[{table}]] code")
def _validate_catalogue(config: Config, texts: dict[str, str]) -> None:
    """[[service_category]] and [[service]] (config/catalogue.toml): the rules of
    desk.domain.catalogue, as `desk catalogue import` applies them."""
    from desk.domain.catalogue import parse_catalogue

    problem = parse_catalogue(config.data, config.codes("priority"))[2]
    if problem is not None:
        path, what = problem
        _fail(config, texts, path, what)


# --- [alerts] (config/alerts.toml) ---------------------------------------------------------------

ALERT_FORMAT_FIELDS = {"match": str, "items": str, "source": str, "source_from": str, "fingerprint": str,
                       "fingerprint_from": list, "severity": str, "host": str, "service": str, "summary": str,
                       "details": str, "status": str, "cleared": list}
ALERT_TITLE_FIELDS = ("source", "severity", "host", "service", "summary", "fingerprint")


def _fail_alerts(config: Config, texts: dict[str, str], path: list, what: str):
    """_fail for a key under [alerts] (its nested tables' headers are [alerts.severity] …)."""
    source = config.sources.get("alerts", str(DEFAULTS_PATH))
    raise ConfigError(source, locate(texts.get(source, ""), path), what)


def _validate_alerts(config: Config, texts: dict[str, str]) -> None:
    alerts = config.data.get("alerts")
    if alerts is None:
        return
    codes = {"group": "group", "category": "category", "resolve_code": "closure_code"}
    for key, table in codes.items():
        if key in alerts and alerts[key] not in config.codes(table):
            _fail_alerts(config, texts, ["alerts", key], f"alerts.{key} {alerts[key]!r} is not a [[{table}]] code")
    for key, low, high in (("batch_size", 1, 100_000), ("flush_ms", 0, 60_000)):
        if key in alerts and not low <= alerts[key] <= high:
            _fail_alerts(config, texts, ["alerts", key], f"alerts.{key} must be between {low} and {high}, not {alerts[key]}")
    if "title" in alerts:
        for name in re.findall(r"{([^{}]*)}", alerts["title"]):
            if name not in ALERT_TITLE_FIELDS:
                _fail_alerts(config, texts, ["alerts", "title"],
                      f"alerts.title names {{{name}}}; it may name {', '.join(ALERT_TITLE_FIELDS)}")
    impacts, urgencies = config.codes("impact"), config.codes("urgency")
    severity = alerts.get("severity", {})
    for name, pair in severity.items():
        if (not isinstance(pair, list) or len(pair) != 2 or str(pair[0]) not in impacts
                or str(pair[1]) not in urgencies or any(isinstance(v, bool) or not isinstance(v, int) for v in pair)):
            _fail_alerts(config, texts, ["alerts.severity", name],
                  f"alerts.severity.{name} must be [impact, urgency] (impacts {', '.join(impacts)}; urgencies "
                  f"{', '.join(urgencies)}), not {pair!r}")
    if "default_severity" in alerts and alerts["default_severity"].lower() not in {k.lower() for k in severity}:
        _fail_alerts(config, texts, ["alerts", "default_severity"],
              f"alerts.default_severity {alerts['default_severity']!r} is not in [alerts.severity]")
    for name, shape in alerts.get("formats", {}).items():
        where = f"alerts.formats.{name}"
        if not isinstance(shape, dict):
            _fail_alerts(config, texts, ["alerts", "formats"], f"{where} must be a table")
        for key, value in shape.items():
            if key not in ALERT_FORMAT_FIELDS:
                _fail_alerts(config, texts, [where, key], f"unknown setting '{where}.{key}'")
            if not _check_type(value, ALERT_FORMAT_FIELDS[key]) or (
                    isinstance(value, list) and not all(isinstance(v, str) for v in value)):
                _fail_alerts(config, texts, [where, key],
                      f"'{where}.{key}' must be {_type_name(ALERT_FORMAT_FIELDS[key])} (of strings), not {value!r}")
        if "source" not in shape or "match" not in shape:
            _fail_alerts(config, texts, [where], f"{where} needs 'match' and 'source'")
