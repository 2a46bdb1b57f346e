"""A record's fields described once, as data (label key, value, when shown), for every place that
shows them: `desk <kind> show` (desk/commands/record_show.py) and the TUI's detail of a problem or
a change (desk/screens/problems.py, changes.py). Each place reads them with its own `View` (its
language, and how it writes an instant: '—' in the CLI's column, nothing in the TUI, which leaves
empty fields out). Values are plain strings, never markup: the place showing them makes them safe.
No textual, no rich: the CLI imports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from desk.history_labels import capital, record_field_label, record_value
from desk.i18n import t
from desk.timefmt import zone


class View(NamedTuple):
    """What a value is read with."""

    desk: Any  # (None where only the config is at hand: the TUI's problem and change details)
    lang: str
    cfg: Any  # the desk's config: code tables' labels
    when: Callable  # an instant in the desk's zone
    label: Callable[[str], str]  # a field's name on this kind, in the user's language
    extra: Any = None  # what the kind read beside the record (an incident's alerts)


Value = Callable[[View, Any], str]


@dataclass(frozen=True)
class Field:
    """One labelled value: `key` names its label; left out when `shown` says so; `each`: the value
    is a list, a line each (an incident's requests); `under`: lines of desk's own words below the
    value (a request's SLA pauses)."""

    key: str
    value: Value
    shown: Callable[[Any], bool] | None = None
    each: bool = False
    under: Callable[[View, Any], list] | None = None


def labelled(fields, v: View, d) -> list[tuple[Field, str]]:
    """The fields there are, each with its value (a field with `each`: one per value)."""
    return [(f, value) for f in fields if f.shown is None or f.shown(d)
            for value in (f.value(v, d) if f.each else [f.value(v, d)])]


# --- values ---------------------------------------------------------------------------------------

def text(name: str) -> Value:
    """The record's own text (a name, a login, a free text): as it is."""
    return lambda v, d: getattr(d, name)


def code(table: str, name: str) -> Value:
    """A code by its code table's label ('Network team' for `network`)."""
    return lambda v, d: v.cfg.label(table, getattr(d, name), v.lang)


def when(name: str) -> Value:
    """An instant in the desk's zone."""
    return lambda v, d: v.when(getattr(d, name))


def ref(mark: str, name: str) -> Value:
    """Another record by its mark and number ('C4', '#12'), nothing when there is none."""
    return lambda v, d: f"{mark}{getattr(d, name)}" if getattr(d, name) else ""


def priority(*, impact: bool) -> Value:
    """'2 Important' (with `impact`: '  (impact 2, urgency 3)', in the kind's own words)."""
    def value(v, d):
        shown = f"{d.priority} {v.cfg.label('priority', d.priority, v.lang)}"
        return shown + (f"  ({v.label('impact')} {d.impact}, {v.label('urgency')} {d.urgency})" if impact else "")

    return value


VERSION = Field("version", lambda v, d: str(d.version))


def words(kind: str) -> Callable[[View, str, Any], str]:
    """A problem's or a change's value as its history reads it: its workflow word ('Under
    investigation') or code table's label, times in the desk's zone (record_value); '—' for none."""
    return lambda v, name, value: record_value(v.cfg, kind, name, value, v.lang, zone(v.cfg))


def said(kind: str, name: str) -> Value:
    """A field's workflow word standing alone ('High', 'Change advisory board'); nothing for none."""
    return lambda v, d: words(kind)(v, name, getattr(d, name)) if getattr(d, name) else ""


# --- problems and changes: the fields both the CLI and the TUI show -------------------------------

def problem_label(key: str, lang: str) -> str:
    return record_field_label("problem", key, lang)


def change_label(key: str, lang: str) -> str:
    return record_field_label("change", key, lang)


PROBLEM = (
    Field("status", lambda v, d: capital(t(f"problem.status.{d.status}", v.lang))),  # a label, as incidents'
    Field("priority", priority(impact=True)), Field("service", code("service", "service")),
    Field("category", code("category", "category")), Field("owner", text("owner")),
    Field("group", code("group", "group")), Field("created_by", text("created_by")),
    Field("opened", when("opened_at")), Field("resolved", when("resolved_at")), Field("closed", when("closed_at")),
    Field("fix_change", ref("C", "fix_change")), Field("article", ref("#", "article")))


def service_names(v: View, services: str) -> str:
    """'core-banking, database' by the catalogue's names (what is no service code, typed by
    people, comes back as typed)."""
    return ", ".join(v.cfg.label("service", part.strip(), v.lang) for part in services.split(",")) if services else ""


CHANGE = (
    Field("status", lambda v, d: said("change", "status")(v, d)
          + (f" ({said('change', 'outcome')(v, d)})" if d.outcome else "")),
    Field("type", lambda v, d: said("change", "type")(v, d) + (f" ({d.template})" if d.template else "")),
    Field("risk", said("change", "risk")), Field("services", lambda v, d: service_names(v, d.services)),
    Field("items", text("items")), Field("planned_start", when("planned_start")),
    Field("planned_end", when("planned_end")), Field("actual_start", when("actual_start")),
    Field("actual_end", when("actual_end")), Field("requester", text("requester")),
    Field("implementer", text("implementer")), Field("approved_via", said("change", "approved_via")))
