"""What a configuration file may say: the sections and settings desk knows and their types, the
code tables and what the workflows need of them, the priority matrix, and each area's rules
([alerts], [sla], [request], [problem], [change], [[report]], the catalogue). `validate` raises the
first fault as a ConfigError `path:line: what is wrong` (exit 2). desk.config loads and merges the
files and calls it."""

from __future__ import annotations

import re

from desk import config as _config
from desk.config import CODE_TABLES, ENTRY_FIELDS, EXTRA_FIELDS, LANGS, LIST_TABLES, SECTIONS, Config, locate, said
from desk.domain.incident_flow import STATUSES
from desk.domain.roles import ALL_ROLES


def _fail(config: Config, texts: dict[str, str], path: list, rule: str, *, section: str | None = None, **params):
    """The fault `config.rule.RULE` at the line of `path` in the file that set `section` (else
    `path`'s first key), said in the reader's language when shown (desk.config.said)."""
    source = config.sources.get(section or path[0], str(_config.DEFAULTS_PATH))
    raise said(source, locate(texts.get(source, ""), path), f"config.rule.{rule}", **params)


# What a setting's type is called in a message (config.type.NAME): `(int, float)` is any number.
_TYPE_NAMES = {str: "str", int: "int", list: "list", bool: "bool", dict: "dict", (int, float): "number"}


def _wrong_type(config: Config, texts: dict[str, str], path: list, rule: str, expected, value, **params):
    """`rule` for a value of the wrong type: the type by its label, the value as written."""
    _fail(config, texts, path, rule, type=_TYPE_NAMES[expected], value=repr(value), **params)


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
                _fail(config, texts, [key], "list_table", key=key)
        elif key in SECTIONS:
            if not isinstance(value, dict):
                _fail(config, texts, [key], "not_table", key=key)
            spec = SECTIONS[key]
            if spec is None:
                continue
            for sub, sub_value in value.items():
                if sub not in spec:
                    _fail(config, texts, [key, sub], "unknown_setting", setting=f"{key}.{sub}")
                if not _check_type(sub_value, spec[sub]):
                    _wrong_type(config, texts, [key, sub], "wrong_type", spec[sub], sub_value, setting=f"{key}.{sub}")
        else:
            _fail(config, texts, [key], "unknown_section", key=key)

    for table in CODE_TABLES:
        entries = data.get(table, [])
        if not entries:
            _fail(config, texts, [table], "no_entries", table=table)
        seen = set()
        for i, entry in enumerate(entries):
            for name, kind in {**ENTRY_FIELDS, **EXTRA_FIELDS.get(table, {})}.items():
                if name not in entry:
                    _fail(config, texts, [table, i], "entry_lacks", table=table, number=i + 1, name=name)
                if not _check_type(entry[name], kind):
                    _wrong_type(config, texts, [table, i, name], "entry_type", kind, entry[name], table=table, name=name)
            if entry["code"] in seen:
                _fail(config, texts, [table, i, "code"], "code_twice", table=table, code=entry["code"])
            seen.add(entry["code"])

    desk = data.get("desk", {})
    if desk.get("lang") not in ("", None, *LANGS):
        _fail(config, texts, ["desk", "lang"], "lang", value=repr(desk["lang"]))
    if desk.get("durability", "full") not in ("full", "normal"):
        _fail(config, texts, ["desk", "durability"], "durability", value=repr(desk["durability"]))

    statuses = set(config.codes("status"))
    missing = [s for s in STATUSES if s not in statuses]
    if missing:
        _fail(config, texts, ["status"], "status_lacks", codes=", ".join(missing))
    roles = config.codes("role")
    bad_roles = [r for r in roles if r not in ALL_ROLES]
    if bad_roles:
        _fail(config, texts, ["role"], "unknown_role", role=bad_roles[0], roles=", ".join(ALL_ROLES))
    for i, group in enumerate(config.entries("group")):
        if group["tier"] not in (1, 2, 3):
            _fail(config, texts, ["group", i, "tier"], "group_tier", code=group["code"])
        if group["kind"] not in ("desk", "l2", "vendor"):
            _fail(config, texts, ["group", i, "kind"], "group_kind", code=group["code"])

    _validate_alerts(config, texts)
    _validate_sla(config, texts)

    incident = data.get("incident", {})
    matrix = incident.get("priority_matrix")
    if not matrix or not all(isinstance(row, list) and row for row in matrix):
        _fail(config, texts, ["incident", "priority_matrix"], "matrix_shape")
    width = len(matrix[0])
    priorities = set(config.codes("priority"))
    for r, row in enumerate(matrix):
        if len(row) != width:
            _fail(config, texts, ["incident", "priority_matrix"], "matrix_width", row=r + 1, count=len(row), width=width)
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int) or str(value) not in priorities:
                _fail(config, texts, ["incident", "priority_matrix"], "matrix_priority", row=r + 1, value=repr(value),
                      known=", ".join(sorted(priorities)))
    if len(matrix) != len(config.codes("impact")) or width != len(config.codes("urgency")):
        _fail(config, texts, ["incident", "priority_matrix"], "matrix_size", rows=len(matrix), width=width,
              impacts=len(config.codes("impact")), urgencies=len(config.codes("urgency")))
    _validate_problems_changes(config, texts)
    _validate_requests(config, texts)
    _validate_reports(config, texts)
    _validate_catalogue(config, texts)
    groups = set(config.codes("group"))
    if incident.get("default_group") not in groups:
        _fail(config, texts, ["incident", "default_group"], "not_code", setting="default_group",
              value=repr(incident.get("default_group")), table="group")
    if incident.get("default_source") not in set(config.codes("source")):
        _fail(config, texts, ["incident", "default_source"], "not_code", setting="default_source",
              value=repr(incident.get("default_source")), table="source")


def _validate_reports(config: Config, texts: dict[str, str]) -> None:
    """[[report]]: the report list's shipped entries (config/reports.toml; desk.domain.report_flow)."""
    from desk.domain.report_flow import spec_problems

    seen = set()
    for i, entry in enumerate(config.entries("report")):
        code = entry.get("code")
        if not isinstance(code, str) or not code.strip():
            _fail(config, texts, ["report", i], "entry_lacks", table="report", number=i + 1, name="code")
        for name, what in spec_problems(entry):
            _fail(config, texts, ["report", i, name] if name in entry else ["report", i], "report_entry", code=code,
                  what=what)
        if code in seen:
            _fail(config, texts, ["report", i, "code"], "code_twice", table="report", code=code)
        seen.add(code)


def _validate_sla(config: Config, texts: dict[str, str]) -> None:
    """[sla] (config/sla.toml): calendars, holidays, zone, warning share; the line of the setting
    the fault names (desk.domain.sla_settings says which, and why, as a message key)."""
    from desk.domain.sla_calendar import CalendarError

    try:
        config.sla
    except CalendarError as exc:
        parts = exc.where.split(".")
        source = config.sources.get("sla", str(_config.DEFAULTS_PATH))
        text = texts.get(source, "")
        # the deepest key the file shows: `awaiting_cost` under [sla.pausing.request], else its table …
        for depth in range(len(parts), 1, -1):
            line = locate(text, [".".join(parts[:depth - 1]), parts[depth - 1]]) or locate(text, [".".join(parts[:depth])])
            if line is not None:
                break
        else:
            line = locate(text, parts[:2])
        raise said(source, line, exc.said.key, **exc.said.params) from None


def _validate_problems_changes(config: Config, texts: dict[str, str]) -> None:
    """[problem], [change] and [[change_template]] (config/problems.toml, config/changes.toml)."""
    problem = config.data.get("problem", {})
    if problem.get("candidate_min", 2) < 2:
        _fail(config, texts, ["problem", "candidate_min"], "at_least", setting="problem.candidate_min", low=2)
    if problem.get("candidate_days", 1) < 1:
        _fail(config, texts, ["problem", "candidate_days"], "at_least", setting="problem.candidate_days", low=1)
    change = config.data.get("change", {})
    if change.get("approval", "any") not in ("any", "all"):
        _fail(config, texts, ["change", "approval"], "change_approval", value=repr(change["approval"]))
    for login in change.get("cab", []):
        if not isinstance(login, str) or not login.strip():
            _fail(config, texts, ["change", "cab"], "change_cab", value=repr(login))
    seen: set = set()
    for i, entry in enumerate(config.entries("change_template")):
        for name, kind in {**ENTRY_FIELDS, "service": str}.items():
            if name == "service" and name not in entry:
                continue
            if name not in entry:
                _fail(config, texts, ["change_template", i], "entry_lacks", table="change_template", number=i + 1,
                      name=name)
            if not _check_type(entry[name], kind):
                _wrong_type(config, texts, ["change_template", i, name], "entry_type", kind, entry[name],
                            table="change_template", name=name)
        if entry["code"] in seen:
            _fail(config, texts, ["change_template", i, "code"], "code_twice", table="change_template",
                  code=entry["code"])
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
                _fail(config, texts, ["change_freeze", i], "entry_lacks", table="change_freeze", number=i + 1, name=name)
        for name in ENTRY_FIELDS:
            if not isinstance(entry[name], str) or not entry[name].strip():
                _fail(config, texts, ["change_freeze", i, name], "freeze_text", name=name, value=repr(entry[name]))
        start, end = moment(entry["start"]), moment(entry["end"], end=True)
        for name, value in (("start", start), ("end", end)):
            if value is None:
                _fail(config, texts, ["change_freeze", i, name], "freeze_moment", code=entry["code"], name=name,
                      value=repr(entry[name]))
        if end <= start:
            _fail(config, texts, ["change_freeze", i, "end"], "freeze_order", code=entry["code"])
        if entry["code"] in seen:
            _fail(config, texts, ["change_freeze", i, "code"], "code_twice", table="change_freeze", code=entry["code"])
        seen.add(entry["code"])
        if not isinstance(entry.get("allow_standard", False), bool):
            _fail(config, texts, ["change_freeze", i, "allow_standard"], "freeze_allow_standard", code=entry["code"],
                  value=repr(entry["allow_standard"]))
        for other_start, other_end, other in windows:
            if start < other_end and end > other_start:
                _fail(config, texts, ["change_freeze", i, "start"], "freeze_overlap", code=entry["code"], other=other,
                      start=f"{other_start:%Y-%m-%d %H:%M}", end=f"{other_end:%Y-%m-%d %H:%M}")
        windows.append((start, end, entry["code"]))


def _validate_requests(config: Config, texts: dict[str, str]) -> None:
    """[request] and the request code tables (config/requests.toml): the workflow's own codes."""
    from desk.domain import request_flow

    for table, needed in (("request_status", request_flow.STATUSES), ("request_close_code", request_flow.CLOSE_CODES),
                          ("request_class", request_flow.CLASSES)):
        missing = [c for c in needed if c not in config.codes(table)]
        if missing:
            _fail(config, texts, [table], "request_table_lacks", table=table, codes=", ".join(missing))
    request = config.data.get("request", {})
    for key, low in (("auto_close_days", 0), ("approval_remind_hours", 0)):
        if key in request and request[key] <= low:
            _fail(config, texts, ["request", key], "more_than", setting=f"request.{key}", low=low, value=request[key])
    for key, table in (("desk_group", "group"), ("default_channel", "request_channel"),
                       ("default_class", "request_class")):
        if key in request and request[key] not in config.codes(table):
            _fail(config, texts, ["request", key], "not_code", setting=f"request.{key}", value=repr(request[key]),
                  table=table)


def _validate_catalogue(config: Config, texts: dict[str, str]) -> None:
    """[[service_category]] and [[service]] (config/catalogue.toml): the rules of
    desk.domain.catalogue, as `desk catalogue import` applies them."""
    from desk.domain.catalogue import parse_catalogue

    problem = parse_catalogue(config.data, config.codes("priority"))[2]
    if problem is not None:
        path, what = problem
        source = config.sources.get(path[0], str(_config.DEFAULTS_PATH))
        raise said(source, locate(texts.get(source, ""), path), what.key, **what.params)


# --- [alerts] (config/alerts.toml) ---------------------------------------------------------------

ALERT_FORMAT_FIELDS = {"match": str, "items": str, "source": str, "source_from": str, "fingerprint": str,
                       "fingerprint_from": list, "severity": str, "host": str, "service": str, "summary": str,
                       "details": str, "status": str, "cleared": list}
ALERT_TITLE_FIELDS = ("source", "severity", "host", "service", "summary", "fingerprint")


def _fail_alerts(config: Config, texts: dict[str, str], path: list, rule: str, **params):
    """_fail for a key under [alerts] (its nested tables' headers are [alerts.severity] …)."""
    _fail(config, texts, path, rule, section="alerts", **params)


def _validate_alerts(config: Config, texts: dict[str, str]) -> None:
    alerts = config.data.get("alerts")
    if alerts is None:
        return
    codes = {"group": "group", "category": "category", "resolve_code": "closure_code"}
    for key, table in codes.items():
        if key in alerts and alerts[key] not in config.codes(table):
            _fail_alerts(config, texts, ["alerts", key], "not_code", setting=f"alerts.{key}", value=repr(alerts[key]),
                         table=table)
    for key, low, high in (("batch_size", 1, 100_000), ("flush_ms", 0, 60_000)):
        if key in alerts and not low <= alerts[key] <= high:
            _fail_alerts(config, texts, ["alerts", key], "between", setting=f"alerts.{key}", low=low, high=high,
                         value=alerts[key])
    if "title" in alerts:
        for name in re.findall(r"{([^{}]*)}", alerts["title"]):
            if name not in ALERT_TITLE_FIELDS:
                _fail_alerts(config, texts, ["alerts", "title"], "alerts_title", name="{" + name + "}",
                             names=", ".join(ALERT_TITLE_FIELDS))
    impacts, urgencies = config.codes("impact"), config.codes("urgency")
    severity = alerts.get("severity", {})
    for name, pair in severity.items():
        if (not isinstance(pair, list) or len(pair) != 2 or str(pair[0]) not in impacts
                or str(pair[1]) not in urgencies or any(isinstance(v, bool) or not isinstance(v, int) for v in pair)):
            _fail_alerts(config, texts, ["alerts.severity", name], "alerts_severity", setting=f"alerts.severity.{name}",
                         impacts=", ".join(impacts), urgencies=", ".join(urgencies), value=repr(pair))
    if "default_severity" in alerts and alerts["default_severity"].lower() not in {k.lower() for k in severity}:
        _fail_alerts(config, texts, ["alerts", "default_severity"], "alerts_default_severity",
                     value=repr(alerts["default_severity"]))
    for name, shape in alerts.get("formats", {}).items():
        where = f"alerts.formats.{name}"
        if not isinstance(shape, dict):
            _fail_alerts(config, texts, ["alerts", "formats"], "format_table", setting=where)
        for key, value in shape.items():
            if key not in ALERT_FORMAT_FIELDS:
                _fail_alerts(config, texts, [where, key], "unknown_setting", setting=f"{where}.{key}")
            if not _check_type(value, ALERT_FORMAT_FIELDS[key]) or (
                    isinstance(value, list) and not all(isinstance(v, str) for v in value)):
                _fail_alerts(config, texts, [where, key], "format_type", setting=f"{where}.{key}",
                             type=_TYPE_NAMES[ALERT_FORMAT_FIELDS[key]], value=repr(value))
        if "source" not in shape or "match" not in shape:
            _fail_alerts(config, texts, [where], "format_needs", setting=where)
