"""How a history row's changes read to a person: the field's name and its coded values in the
user's language, the same in the detail screen and in `desk incident show`."""

from __future__ import annotations

from desk.domain.text import one_line
from desk.i18n import catalogue, t

# changed field -> the code table its values come from
CODED = {"status": "status", "priority": "priority", "closure_code": "closure_code", "category": "category",
         "impact": "impact", "urgency": "urgency", "group": "group", "service": "service"}
# changed field -> the message key prefix of its values' words (codes of config lists, not tables)
WORDED = {"sla_pause": "sla.reason."}  # an SLA hold's reason: "waiting for the caller"


def field_label(name: str, lang: str) -> str:
    key = f"field.{name}"
    label = t(key, lang)
    return name if label == key else label  # (a field recorded by a later desk: its own name)


def value_label(config, name: str, value, lang: str, width: int = 60) -> str:
    if value is None or value == "":
        return "—"
    if name in CODED:
        return one_line(config.label(CODED[name], value, lang), width)
    if name in WORDED and f"{WORDED[name]}{value}" in catalogue(lang):
        return one_line(t(f"{WORDED[name]}{value}", lang), width)
    return one_line(str(value), width)
