"""A migration mapping ([migrate.NAME] in config, config/migrate.toml ships some): which column of
another tool's CSV export gives each desk field, how its values become desk codes, and how its
history is read. Checked when used: anything wrong is one line `file:line: what is wrong` (exit 2).
docs/migration.md describes every key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from desk.domain.errors import ValidationError

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
SERVICE_FIELDS = ("service",)  # a catalogue service, by code or name (desk.services.transfer.service_map)
FIELDS = (*CODE_FIELDS, *LEVEL_FIELDS, *NUMBER_FIELDS, *TIME_FIELDS, *PEOPLE_FIELDS, *SERVICE_FIELDS)
KEYS = {"tool": str, "number": str, "audit": bool, "at": str, "actor": str, "time_format": (str, list),
        "unknown": str, "title": str, "description": str, "resolution": str, "fields": dict, "values": dict,
        "defaults": dict, "events": dict, "group_changes": str}
EVENT_KEYS = {"number": str, "at": str, "order": str, "actor": str, "note": str, "kind": str, "group": str,
              "actions": dict, "groups": dict}
# An audit export's change of group between two rows (`group_changes`): "former" records it as the
# former tool's (the reports do not count it); "dispatch" writes it as desk's escalate, return or
# assign by the two groups' tiers, as a "dispatch" event is (desk.services.transfer.moves).
GROUP_CHANGES = ("former", "dispatch")
# What an event's kind may become (`[migrate.NAME.events.actions]`; desk.services.transfer.moves):
# "dispatch" moves the ticket to the event's group and is written as desk's escalate, return or
# assign by the two groups' tiers; "reopen" is a reopening. Other kinds stay `former` rows.
EVENT_ACTIONS = ("dispatch", "reopen")
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
    kind: str | None = None  # the column saying what each event is (its value: a key of `actions`)
    group: str | None = None  # the column naming the group the ticket is with after the event
    actions: dict = field(default_factory=dict)  # event kind -> "dispatch" | "reopen"
    # event kind -> the desk group an event of that kind takes the ticket to, whatever its group
    # column says (BPIC 2014's vendor assignments name the team that handed the ticket over)
    groups: dict = field(default_factory=dict)

    def columns(self) -> set[str]:
        return ({c for c in (self.number, self.at, self.order, self.actor, self.kind, self.group) if c}
                | set(PLACEHOLDER.findall(self.note)))


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
    group_changes: str = "former"  # GROUP_CHANGES

    optional: frozenset = frozenset()  # columns named with a trailing "?": empty when the file lacks them
    config: object = field(default=None, compare=False, repr=False)  # the configuration it was read from (a fault found when migrating names its line)

    def columns(self) -> set[str]:
        """Every column of the main file this mapping reads."""
        out = {self.number, *self.fields.values()}
        out |= {c for c in (self.at, self.actor) if c}
        for template in (self.title, self.description, self.resolution):
            out |= set(PLACEHOLDER.findall(template))
        return out


def _source(config) -> str:
    return config.sources.get("migrate", str(Path(__file__).resolve().parents[3] / "config" / "migrate.toml"))


def _fail(config, path: list, fault: str, inline: list | None = None, **params):
    """A fault of the mapping: `file:line: what is wrong`, said in the reader's language
    (transfer.mapping.FAULT; `setting` is the dotted name of the key at fault, built from `path`).
    `inline`: where to look when `path`'s table is written inline (`actions = { … }`)."""
    from desk.config import _Texts, locate, said

    source = _source(config)
    text = _Texts().get(source, "")
    line = locate(text, path) or (locate(text, inline) if inline else None)
    raise said(source, line, f"transfer.mapping.{fault}", **{"setting": ".".join(map(str, path)), **params})


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
            _fail(config, [where, key], "unknown_setting")
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            _fail(config, [where, key], "wrong_type")
    for key in ("number", "title"):
        if key not in raw:
            _fail(config, [where], "needs", key=key)
    if raw.get("audit") and "at" not in raw:
        _fail(config, [where, "audit"], "audit_needs_at")
    if raw.get("unknown", "default") not in UNKNOWN:
        _fail(config, [where, "unknown"], "unknown_policy")
    fields = raw.get("fields", {})
    changes = raw.get("group_changes", "former")
    if changes not in GROUP_CHANGES:
        _fail(config, [where, "group_changes"], "group_changes", value=repr(changes))
    if changes == "dispatch" and not raw.get("audit"):
        _fail(config, [where, "group_changes"], "group_changes_audit")
    if changes == "dispatch" and "group" not in fields:
        _fail(config, [where, "group_changes"], "group_changes_group")
    for key, column in fields.items():
        if key not in FIELDS:
            _fail(config, [f"{where}.fields", key], "no_field", fields=", ".join(FIELDS))
        if not isinstance(column, str):
            _fail(config, [f"{where}.fields", key], "not_column")
    values = raw.get("values", {})
    for key, table in values.items():
        if key not in FIELDS or not isinstance(table, dict):
            _fail(config, [f"{where}.values.{key}"], "not_values")
        for source_value, value in table.items():
            _check_value(config, [f"{where}.values.{key}", source_value], key, value)
    for key, value in raw.get("defaults", {}).items():
        if key not in FIELDS:
            _fail(config, [f"{where}.defaults", key], "no_field", fields=", ".join(FIELDS))
        _check_value(config, [f"{where}.defaults", key], key, value)
    events = _events(config, raw["events"], f"{where}.events") if "events" in raw else None
    formats = raw.get("time_format", "%Y-%m-%d %H:%M:%S")
    return Mapping(name=name, tool=raw.get("tool", name), number=raw["number"], title=raw["title"],
                   description=raw.get("description", ""), resolution=raw.get("resolution", ""),
                   audit=bool(raw.get("audit", False)), at=raw.get("at"), actor=raw.get("actor"),
                   time_formats=tuple([formats] if isinstance(formats, str) else formats),
                   unknown=raw.get("unknown", "default"),
                   fields={k: c[:-1] if c.endswith("?") else c for k, c in fields.items()},
                   optional=frozenset(c[:-1] for c in fields.values() if c.endswith("?")),
                   values={k: {str(s): v for s, v in t.items()} for k, t in values.items()},
                   defaults=dict(raw.get("defaults", {})), events=events, group_changes=changes, config=config)


def _events(config, ev: dict, where: str) -> Events:
    for key, value in ev.items():
        if key not in EVENT_KEYS:
            _fail(config, [where, key], "unknown_setting")
        if not isinstance(value, EVENT_KEYS[key]):
            _fail(config, [where, key], "wrong_type")
    for key in ("number", "at"):
        if key not in ev:
            _fail(config, [where], "needs", key=key)
    actions = ev.get("actions", {})
    if actions and "kind" not in ev:
        _fail(config, [f"{where}.actions"], "actions_need_kind", inline=[where, "actions"])
    for kind, action in actions.items():
        if action not in EVENT_ACTIONS:
            _fail(config, [f"{where}.actions", kind], "not_action", inline=[where, "actions"], value=repr(action),
                  actions=", ".join(EVENT_ACTIONS))
        if action == "dispatch" and "group" not in ev and kind not in ev.get("groups", {}):
            _fail(config, [f"{where}.actions", kind], "dispatch_needs_group", inline=[where, "actions"])
    groups = ev.get("groups", {})
    if groups and "kind" not in ev:
        _fail(config, [f"{where}.groups"], "groups_need_kind", inline=[where, "groups"])
    for kind, code in groups.items():
        if not isinstance(code, str) or code not in config.codes("group"):
            _fail(config, [f"{where}.groups", kind], "not_code", inline=[where, "groups"], value=repr(code),
                  table="group")
    return Events(ev["number"], ev["at"], ev.get("note", ""), ev.get("order"), ev.get("actor"), ev.get("kind"),
                  ev.get("group"), {str(k): v for k, v in actions.items()}, {str(k): v for k, v in groups.items()})


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
        from desk.config import said

        raise said(path, None, "transfer.mapping.one_table")
    name = next(iter(tables))
    own = replace(config, data={**config.data, "migrate": tables}, sources={**config.sources, "migrate": path})
    return load(own, name)


def _check_value(config, path: list, key: str, value) -> None:
    if key in CODE_FIELDS:
        if not isinstance(value, str) or value not in config.codes(CODE_FIELDS[key]):
            _fail(config, path, "not_code", value=repr(value), table=CODE_FIELDS[key])
    elif key in LEVEL_FIELDS:
        codes = [int(c) for c in config.codes(key)]
        if isinstance(value, bool) or not isinstance(value, int) or value not in codes:
            _fail(config, path, "not_level", value=repr(value), field=key, codes=", ".join(map(str, codes)))
    elif key in SERVICE_FIELDS and not (isinstance(value, str) and value.strip()):
        _fail(config, path, "not_service", value=repr(value))  # (which services there are: when migrating)
