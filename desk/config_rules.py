"""What a configuration file may say: the sections and settings desk knows and their types, the
code tables and what the workflows need of them, the priority matrix, and each area's rules
([alerts], [sla], [request], [problem], [change], [[report]], the catalogue). `validate` raises the
first fault as a ConfigError `path:line: what is wrong` (exit 2). desk.config loads and merges the
files and calls it."""

from __future__ import annotations

import re

from desk import config as _config
from desk.config import CODE_TABLES, ENTRY_FIELDS, EXTRA_FIELDS, LANGS, LIST_TABLES, SECTIONS, Config, locate
from desk.domain.errors import ConfigError
from desk.domain.incident_flow import STATUSES
from desk.domain.roles import ALL_ROLES


def _fail(config: Config, texts: dict[str, str], path: list, what: str):
    source = config.sources.get(path[0], str(_config.DEFAULTS_PATH))
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


def validate(config: Config, texts: dict[str, str]) -> None:
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
        source = config.sources.get("sla", str(_config.DEFAULTS_PATH))
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
    _validate_freezes(config, texts)


def _validate_freezes(config: Config, texts: dict[str, str]) -> None:
    """[[change_freeze]]: code, en, zh, a start before its end (TOML dates or local date-times),
    allow_standard true or false, and no two freezes overlapping (which one would a change meet,
    and which would let a standard change through?)."""
    from desk.domain.change_freeze import moment

    seen: set = set()
    windows: list[tuple] = []  # (start, end, code) of the entries checked so far
    for i, entry in enumerate(config.entries("change_freeze")):
        for name in (*ENTRY_FIELDS, "start", "end"):
            if name not in entry:
                _fail(config, texts, ["change_freeze", i], f"[[change_freeze]] entry {i + 1} lacks '{name}'")
        for name in ENTRY_FIELDS:
            if not isinstance(entry[name], str) or not entry[name].strip():
                _fail(config, texts, ["change_freeze", i, name],
                      f"[[change_freeze]] '{name}' must be a non-empty string, not {entry[name]!r}")
        start, end = moment(entry["start"]), moment(entry["end"], end=True)
        for name, value in (("start", start), ("end", end)):
            if value is None:
                _fail(config, texts, ["change_freeze", i, name], f"[[change_freeze]] {entry['code']}: '{name}' must be "
                      f"a date or a date and time such as 2026-12-24T18:00, not {entry[name]!r}")
        if end <= start:
            _fail(config, texts, ["change_freeze", i, "end"],
                  f"[[change_freeze]] {entry['code']}: its end must come after its start")
        if entry["code"] in seen:
            _fail(config, texts, ["change_freeze", i, "code"], f"[[change_freeze]] code '{entry['code']}' appears twice")
        seen.add(entry["code"])
        if not isinstance(entry.get("allow_standard", False), bool):
            _fail(config, texts, ["change_freeze", i, "allow_standard"], f"[[change_freeze]] {entry['code']}: "
                  f"'allow_standard' must be true or false, not {entry['allow_standard']!r}")
        for other_start, other_end, other in windows:
            if start < other_end and end > other_start:
                _fail(config, texts, ["change_freeze", i, "start"], f"[[change_freeze]] {entry['code']} overlaps "
                      f"{other} ({other_start:%Y-%m-%d %H:%M} to {other_end:%Y-%m-%d %H:%M}): make them one freeze")
        windows.append((start, end, entry["code"]))


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
    source = config.sources.get("alerts", str(_config.DEFAULTS_PATH))
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
