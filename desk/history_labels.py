"""How a history row's changes read to a person: the field's name and its coded values in the
user's language, the same in the detail screen and in `desk incident show`."""

from __future__ import annotations

from desk.domain.text import one_line
from desk.i18n import t

# changed field -> the code table its values come from
CODED = {"status": "status", "priority": "priority", "closure_code": "closure_code", "category": "category",
         "impact": "impact", "urgency": "urgency", "group": "group", "service": "service"}


def field_label(name: str, lang: str) -> str:
    key = f"field.{name}"
    label = t(key, lang)
    return name if label == key else label  # (a field recorded by a later desk: its own name)


def value_label(config, name: str, value, lang: str, width: int = 60) -> str:
    if value is None or value == "":
        return "—"
    if name in CODED:
        return one_line(config.label(CODED[name], value, lang), width)
    return one_line(str(value), width)
