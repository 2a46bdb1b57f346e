"""A migration mapping ([migrate.NAME] in config, config/migrate.toml ships some): which column of
another tool's CSV export gives each desk field, how its values become desk codes, and how its
history is read. Checked when used: anything wrong is one line `file:line: what is wrong` (exit 2).
docs/migration.md describes every key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from desk.domain.errors import ConfigError, ValidationError

# Desk fields a mapping may fill, by kind: codes (checked against the code tables), whole numbers,
# times, people.
CODE_FIELDS = {"status": "status", "category": "category", "classification": "classification",
               "source": "source", "closure_code": "closure_code", "group": "group"}
LEVEL_FIELDS = ("impact", "urgency", "priority")
NUMBER_FIELDS = ("reopen_count",)
# reopened_at: the former tool's (last) reopening time, for tools that keep a time and no count (BPIC 2014's
# reopen_time): a ticket with one counts as reopened once when the file gives no reopen count.
TIME_FIELDS = ("opened_at", "first_response_at", "resolved_at", "closed_at", "reopened_at")
PEOPLE_FIELDS = ("assignee", "caller")
FIELDS = (*CODE_FIELDS, *LEVEL_FIELDS, *NUMBER_FIELDS, *TIME_FIELDS, *PEOPLE_FIELDS)
KEYS = {"tool": str, "number": str, "audit": bool, "at": str, "actor": str, "time_format": (str, list),
        "unknown": str, "title": str, "description": str, "resolution": str, "fields": dict, "values": dict,
        "defaults": dict, "events": dict}
EVENT_KEYS = {"number": str, "at": str, "order": str, "actor": str, "note": str}
PLACEHOLDER = re.compile(r"{([^{}]+)}")
# A value with no mapping: "default" (the mapping's [defaults], reported), "refuse" (the ticket is
# refused), "create" (a new code of its table, added to the user's config; see transfer.ticket).
UNKNOWN = ("default", "refuse", "create")


@dataclass
class Events:
    number: str
    at: str
    note: str = ""
    order: str | None = None
    actor: str | None = None

    def columns(self) -> set[str]:
        return {c for c in (self.number, self.at, self.order, self.actor) if c} | set(PLACEHOLDER.findall(self.note))


@dataclass
class Mapping:
    name: str
    tool: str
    number: str
    title: str
    description: str = ""
    resolution: str = ""
    audit: bool = False
    at: str | None = None
    actor: str | None = None
    time_formats: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S",)
    unknown: str = "default"
    fields: dict = field(default_factory=dict)  # desk field -> column
    values: dict = field(default_factory=dict)  # desk field -> {source value: desk value}
    defaults: dict = field(default_factory=dict)
    events: Events | None = None

    optional: frozenset = frozenset()  # columns named with a trailing "?": empty when the file lacks them

    def columns(self) -> set[str]:
        """Every column of the main file this mapping reads."""
        out = {self.number, *self.fields.values()}
        out |= {c for c in (self.at, self.actor) if c}
        for template in (self.title, self.description, self.resolution):
            out |= set(PLACEHOLDER.findall(template))
        return out


def _source(config) -> str:
    return config.sources.get("migrate", str(Path(__file__).resolve().parents[3] / "config" / "migrate.toml"))


def _fail(config, path: list, what: str):
    from desk.config import _Texts, locate

    source = _source(config)
    raise ConfigError(source, locate(_Texts().get(source, ""), path), what)


def names(config) -> list[str]:
    return sorted((config.data.get("migrate") or {}).keys())


def load(config, name: str) -> Mapping:
    mappings = config.data.get("migrate") or {}
    raw = mappings.get(name)
    if not isinstance(raw, dict):
        raise ValidationError("transfer.migrate.no_mapping", name=name, names=", ".join(names(config)) or "-")
    where = f"migrate.{name}"
    for key, value in raw.items():
        expected = KEYS.get(key)
        if expected is None:
            _fail(config, [where, key], f"unknown setting '{where}.{key}'")
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            _fail(config, [where, key], f"{where}.{key} has the wrong type")
    for key in ("number", "title"):
        if key not in raw:
            _fail(config, [where], f"{where} needs '{key}'")
    if raw.get("audit") and "at" not in raw:
        _fail(config, [where, "audit"], f"{where}: an audit mapping needs 'at' (the column that orders a ticket's rows)")
    if raw.get("unknown", "default") not in UNKNOWN:
        _fail(config, [where, "unknown"], f"{where}.unknown must be \"default\", \"refuse\" or \"create\"")
    fields = raw.get("fields", {})
    for key, column in fields.items():
        if key not in FIELDS:
            _fail(config, [f"{where}.fields", key], f"{where}.fields.{key}: desk has no such field (it has "
                                                    f"{', '.join(FIELDS)})")
        if not isinstance(column, str):
            _fail(config, [f"{where}.fields", key], f"{where}.fields.{key} must name a column")
    values = raw.get("values", {})
    for key, table in values.items():
        if key not in FIELDS or not isinstance(table, dict):
            _fail(config, [f"{where}.values.{key}"], f"{where}.values.{key}: not a field desk maps values of")
        for source_value, value in table.items():
            _check_value(config, [f"{where}.values.{key}", source_value], key, value)
    for key, value in raw.get("defaults", {}).items():
        if key not in FIELDS:
            _fail(config, [f"{where}.defaults", key], f"{where}.defaults.{key}: desk has no such field")
        _check_value(config, [f"{where}.defaults", key], key, value)
    events = None
    if "events" in raw:
        ev = raw["events"]
        for key, value in ev.items():
            if key not in EVENT_KEYS or not isinstance(value, str):
                _fail(config, [f"{where}.events", key], f"unknown setting '{where}.events.{key}'")
        if "number" not in ev or "at" not in ev:
            _fail(config, [f"{where}.events"], f"{where}.events needs 'number' and 'at'")
        events = Events(ev["number"], ev["at"], ev.get("note", ""), ev.get("order"), ev.get("actor"))
    formats = raw.get("time_format", "%Y-%m-%d %H:%M:%S")
    return Mapping(name=name, tool=raw.get("tool", name), number=raw["number"], title=raw["title"],
                   description=raw.get("description", ""), resolution=raw.get("resolution", ""),
                   audit=bool(raw.get("audit", False)), at=raw.get("at"), actor=raw.get("actor"),
                   time_formats=tuple([formats] if isinstance(formats, str) else formats),
                   unknown=raw.get("unknown", "default"),
                   fields={k: c[:-1] if c.endswith("?") else c for k, c in fields.items()},
                   optional=frozenset(c[:-1] for c in fields.values() if c.endswith("?")),
                   values={k: {str(s): v for s, v in t.items()} for k, t in values.items()},
                   defaults=dict(raw.get("defaults", {})), events=events)


def load_file(config, path: str) -> Mapping:
    """A mapping in a file of its own (`desk import --from csv --map MAPPING.toml`): one
    `[migrate.NAME]` table, as it would be in the config, checked the same way, its errors naming
    this file and line."""
    from dataclasses import replace

    from desk.config import _read

    data, _text = _read(Path(path))
    tables = data.get("migrate")
    if set(data) != {"migrate"} or not isinstance(tables, dict) or len(tables) != 1 \
            or not isinstance(next(iter(tables.values())), dict):
        raise ConfigError(path, None, "a mapping file holds one [migrate.NAME] table and nothing else "
                                      "(docs/migration.md)")
    name = next(iter(tables))
    own = replace(config, data={**config.data, "migrate": tables}, sources={**config.sources, "migrate": path})
    return load(own, name)


def _check_value(config, path: list, key: str, value) -> None:
    if key in CODE_FIELDS:
        if not isinstance(value, str) or value not in config.codes(CODE_FIELDS[key]):
            _fail(config, path, f"{'.'.join(map(str, path))} = {value!r} is not a [[{CODE_FIELDS[key]}]] code")
    elif key in LEVEL_FIELDS:
        codes = [int(c) for c in config.codes(key)]
        if isinstance(value, bool) or not isinstance(value, int) or value not in codes:
            _fail(config, path, f"{'.'.join(map(str, path))} = {value!r} is not a {key} ({', '.join(map(str, codes))})")
