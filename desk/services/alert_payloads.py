"""Reading alerts: one JSON object per line (Alertmanager-, Zabbix-, Nagios- or desk-shaped,
as config/alerts.toml describes them), or the flags of `desk alert`, into `AlertIn` values.

Nothing here writes or trusts the text: values are kept exactly as sent (a NUL character or a
lone surrogate, which no database stores, refuses the line), and shown literally by whoever
shows them. A line that cannot be read raises `LineError` with what is wrong and, for bad JSON,
the column.
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from desk.domain.errors import Said, ValidationError
from desk.parse_faults import json_kind, json_said
from desk.services import records

MAX_FINGERPRINT = 255  # the column's size on PostgreSQL
MAX_FIELD = 200_000


class AlertIn(NamedTuple):
    """One alert as received: `line` is where it came from (0: the command line)."""

    source: str
    fingerprint: str
    severity: str
    host: str
    service: str
    summary: str
    details: str
    cleared: bool
    line: int = 0


class LineError(Exception):
    """A line that is not an alert: `key` and `params` make the message (alerts.line.*)."""

    def __init__(self, key: str, column: int | None = None, **params):
        super().__init__(key)
        self.key, self.column, self.params = key, column, params

    def message(self, lang: str = "en") -> str:
        from desk.domain.errors import spoken
        from desk.i18n import t

        params = dict(self.params)
        error = params.pop("error", None)
        if error is not None:
            params["why"] = error.message(lang)
        return t(self.key, lang, **spoken(params, lang))


def _at(obj, path: str):
    value = obj
    for part in path.split(".") if path else ():
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _matches(shape: dict, obj: dict) -> bool:
    return not shape.get("match") or _at(obj, shape["match"]) is not None


def _checked(value: str, field: str, limit: int = MAX_FIELD) -> str:
    try:
        return records.text(value, field, limit)
    except ValidationError as err:
        raise LineError("alerts.line.bad_field", error=err) from None


def digest(source: str, values: list[str]) -> str:
    """The fingerprint of an alert whose sender gave none: the same source and values, the same
    fingerprint."""
    return hashlib.sha256("\x1f".join([source, *values]).encode("utf-8")).hexdigest()[:32]


def from_object(obj: dict, shape: dict, line: int = 0) -> AlertIn:
    source = _text(_at(obj, shape["source_from"])) if shape.get("source_from") else ""
    source = _checked(source or shape["source"], "source", 200)
    given = _text(_at(obj, shape.get("fingerprint", ""))) if shape.get("fingerprint") else ""
    if not given.strip():
        parts = [_text(_at(obj, p)) for p in shape.get("fingerprint_from", [])]
        if not any(p.strip() for p in parts):
            raise LineError("alerts.line.no_fingerprint", paths=", ".join(shape.get("fingerprint_from", [])) or "-")
        given = digest(source, parts)
    fingerprint = _checked(given, "fingerprint", MAX_FINGERPRINT)
    status = _text(_at(obj, shape.get("status", ""))) if shape.get("status") else ""
    values = {name: _checked(_text(_at(obj, shape[name])) if shape.get(name) else "", name)
              for name in ("severity", "host", "service", "summary", "details")}
    cleared = status.strip().lower() in {c.lower() for c in shape.get("cleared", [])}
    return AlertIn(source, fingerprint, values["severity"][:200], values["host"], values["service"],
                   values["summary"], values["details"], cleared, line)


def parse_line(text: str, formats: dict, line: int) -> list[AlertIn]:
    """The alerts one JSON line holds (several for a webhook payload with a list of alerts)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LineError("alerts.line.bad_json", column=exc.colno, why=json_said(exc.msg)) from None
    except RecursionError:
        raise LineError("alerts.line.bad_json", why=Said("config.json_syntax.deep")) from None
    if not isinstance(obj, dict):
        raise LineError("alerts.line.not_object", got=json_kind(obj))
    for shape in formats.values():
        items = shape.get("items")
        if items and isinstance(obj.get(items), list):
            alerts = obj[items]
            if not all(isinstance(a, dict) for a in alerts):
                raise LineError("alerts.line.not_object", got=Said("config.json_syntax.got_items"))
            out = []
            for item in alerts:
                item_shape = next((s for s in formats.values() if _matches(s, item)), None)
                if item_shape is None:
                    raise LineError("alerts.line.unknown_shape")
                out.append(from_object(item, item_shape, line))
            return out
        if _matches(shape, obj):
            return [from_object(obj, shape, line)]
    raise LineError("alerts.line.unknown_shape")


def from_flags(source: str | None, fingerprint: str | None, severity: str | None, host: str | None,
               service: str | None, summary: str | None, details: str | None, status: str | None,
               formats: dict) -> AlertIn:
    """`desk alert --source … --fingerprint …`: read as the `desk` shape (or the last shape)."""
    obj = {k: v for k, v in (("source", source), ("fingerprint", fingerprint), ("severity", severity),
                             ("host", host), ("service", service), ("summary", summary),
                             ("details", details), ("status", status)) if v is not None}
    shape = formats.get("desk") or list(formats.values())[-1]
    return from_object(obj, shape, 0)
