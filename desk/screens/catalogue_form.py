"""The catalogue's forms: a draft's entry to edit (every field of seed 001 and 004, both languages)
and a new service-level requirement. A form shows what is, sends only what the user changed, and
says in one sentence what is wrong, naming the field by its label; nothing is written then.

The service call runs in a thread worker with the version the user saw; the form never touches
the database itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from desk.domain import catalogue as rules
from desk.domain.errors import DeskError
from desk.domain.text import neutralise
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.actions import db_thread, explain

MAX_TEXT = 4000


class FormField(NamedTuple):
    name: str  # a field of the entry ("name_en", "targets.2"), or the form's own ("title")
    label: str  # in the user's words
    kind: str = "text"  # text, int, bool, target (response/resolve), checklist (en|zh; en|zh), choice
    value: Any = ""
    choices: tuple = ()  # a choice's (label, code) pairs: picked by their labels, never a code typed


# The entry's fields that hold a code of a table (the category tree, the SLA calendars, the work
# groups): picked from a list of their labels, as the dispatch form's group is. They were typed as
# codes, and a typo came back only as the service's refusal.
CHOSEN = ("category", "hours", "owner")


def entry_choices(config, categories, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The (label, code) pairs of the chosen fields: the categories read (desk.services.catalogue.
    categories, children indented under their parent), the calendars and groups of `config`."""
    def named(label: str | None, code: str) -> str:
        return f"{label} ({code})" if label and label != code else code

    return {
        "category": [(("  " if c.parent else "") + named(c.name(lang), c.code), c.code) for c in categories],
        "hours": [(named(config.sla.calendar_label(name, lang), name), name) for name in config.sla.calendars],
        "owner": [("—", "")] + [(named(config.label("group", g, lang), g), g) for g in config.codes("group")],
    }


def _with_current(choices: list[tuple[str, str]], current) -> tuple:
    """The choices, with the entry's value first when it is none of them (hours written as text,
    an owner no group has): kept as it is unless another is picked."""
    current = "" if current is None else str(current)
    if any(code == current for _, code in choices):
        return tuple(choices)
    return ((neutralise(current) or "—", current), *choices)


def _shown(field: FormField) -> str:
    value = field.value
    if field.kind == "target":
        return f"{value.get('response', '')}/{value.get('resolve', '')}" if isinstance(value, dict) else ""
    if field.kind == "checklist":
        return "; ".join("|".join(part for part in (item.get("en", ""), item.get("zh", "")) if part)
                         for item in value or [] if isinstance(item, dict))
    return "" if value is None else str(value)


def _label(name: str, lang: str) -> str:
    text = rules.field_label(name, lang)
    return text[:1].upper() + text[1:]


def entry_fields(entry: dict, priorities: list[str], lang: str,
                 choices: dict[str, list[tuple[str, str]]] | None = None) -> list[FormField]:
    """Every field of a catalogue entry but its code, in the order of the entry; those of `choices`
    (entry_choices) picked from their labels."""
    choices = choices or {}
    out = [FormField(name, _label(name, lang), "text", entry.get(name, "")) for name in rules.TEXT_FIELDS[:4]]
    out += [FormField(name, _label(name, lang), "choice", str(entry.get(name) or ""),
                      _with_current(choices[name], entry.get(name))) if name in choices
            else FormField(name, _label(name, lang), "text", entry.get(name, "")) for name in CHOSEN]
    targets = entry.get("targets") or {}
    out += [FormField(f"targets.{p}", t("catalogue.form.target", lang, field=_label(f"targets.{p}", lang)),
                      "target", targets.get(p) or {}) for p in priorities]
    out += [FormField("needs_approval", _label("needs_approval", lang), "bool", bool(entry.get("needs_approval"))),
            FormField("approval_levels", _label("approval_levels", lang), "int",
                      entry.get("approval_levels", "")),
            FormField("needs_cost_confirmation", _label("needs_cost_confirmation", lang), "bool",
                      bool(entry.get("needs_cost_confirmation"))),
            FormField("checklist", t("catalogue.form.checklist", lang, field=_label("checklist", lang)),
                      "checklist", entry.get("checklist") or [])]
    out += [FormField(name, _label(name, lang), "text", entry.get(name, ""))
            for name in rules.TEXT_FIELDS[4:]]
    return out


class FormError(Exception):
    """What the user typed cannot be read (the service is not asked)."""


def _number(text: str):
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def read_value(field: FormField, raw, lang: str):
    if field.kind == "bool":
        return bool(raw)
    raw = str(raw).strip()
    if field.kind == "int":
        return _number(raw) if raw else ""
    if field.kind == "target":
        if not raw:
            return {}
        response, slash, resolve = raw.partition("/")
        if not slash:
            raise FormError(t("catalogue.form.bad_target", lang, field=field.label, value=raw))
        return {"response": _number(response), "resolve": _number(resolve)}
    if field.kind == "checklist":
        items = []
        for part in raw.split(";"):
            en, sep, zh = part.partition("|")
            if part.strip():
                items.append({"en": en.strip(), "zh": zh.strip()} if sep else {"en": en.strip()})
        return items
    return raw


def changes_of(fields: list[FormField], values: dict, lang: str) -> dict:
    """{field: new value} for what the user changed; targets per priority under "targets"."""
    out: dict = {}
    for field in fields:
        value = read_value(field, values[field.name], lang)
        if field.kind == "target":
            if value != (field.value or {}):
                out.setdefault("targets", {})[field.name.split(".", 1)[1]] = value
        elif value != (field.value if field.kind not in ("text", "choice") else str(field.value or "")):
            out[field.name] = value
    return out


class CatalogueForm(ModalScreen[bool | None]):
    """`run(desk, changes)` writes (in a thread); the form closes with True when it did."""

    BINDINGS = [
        Binding("escape", "cancel", "catalogue.form.cancel", show=False, id="catalogue_form.cancel"),
        Binding("ctrl+s", "save", "catalogue.form.save", show=False, id="catalogue_form.save", priority=True),
    ]

    class Finished(Message):
        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    def __init__(self, title: str, fields: list[FormField], run: Callable[[Any, dict], Any],
                 empty_key: str = "catalogue.form.no_change") -> None:
        super().__init__(classes="action-dialog catalogue-form")
        self.title_text, self.fields, self.run = title, fields, run
        self.empty_key = empty_key
        self.busy = False

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog-new") as box:
            box.border_title = Text(self.title_text)  # (a service's name in it: never read as markup)
            with VerticalScroll(id="fields"):
                for n, field in enumerate(self.fields):
                    if field.kind == "bool":
                        yield Checkbox(field.label, field.value, id=f"f{n}", compact=True)
                        continue
                    if field.kind == "choice":
                        yield Static(Text(field.label), classes="field-label")
                        yield Select([(Text(label), code) for label, code in field.choices],  # (names: literal)
                                     value=field.value, allow_blank=False, compact=True, id=f"f{n}")
                        continue
                    yield Static(Text(field.label), classes="field-label")
                    yield Input(neutralise(_shown(field)), id=f"f{n}", max_length=MAX_TEXT, compact=True)
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button(t("catalogue.form.save", self.lang), id="save", variant="primary", compact=True)
                yield Button(t("actions.cancel", self.lang), id="cancel", compact=True)
                yield Static(t("catalogue.form.hint", self.lang), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#f0").focus()

    def values(self) -> dict:
        return {field.name: self.query_one(f"#f{n}").value for n, field in enumerate(self.fields)}

    def _error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(Text(message))
        error.set_class(bool(message), "shown")

    def action_save(self) -> None:
        if self.busy:
            return
        try:
            changes = changes_of(self.fields, self.values(), self.lang)
        except FormError as err:
            self._error(str(err))
            return
        if not changes:
            self._error(t(self.empty_key, self.lang))
            return
        self.busy = True
        self._run(changes)

    @work(thread=True, exit_on_error=False, group="catalogue-form")
    def _run(self, changes: dict) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                self.run(desk, changes)
        except DeskError as err:
            self.post_message(self.Finished(explain(err, desk)))
            return
        except Exception as err:  # the database went away: say so, nothing was written
            self.post_message(self.Finished(t("tui.work_failed", desk.lang, error=failure_text(err, desk.lang))))
            return
        self.post_message(self.Finished(None))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        if message.error is None:
            self.dismiss(True)
        else:
            self._error(message.error)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self, event: Button.Pressed) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        self.action_cancel()


def requirement_fields(lang: str, services: list[tuple[str, str]] = ()) -> list[FormField]:
    """A new requirement's fields; its service picked by name from `services` ((name, code) of the
    published catalogue), or none: a service the catalogue lacks. (It was typed as a code.)"""
    choices = ((t("catalogue.form.slr_no_service", lang), ""),
               *((f"{name} ({code})" if name != code else code, code) for name, code in services))
    return [FormField(name, t(f"catalogue.form.slr_{name}", lang)) for name in ("title", "need", "source")] + [
        FormField("service", t("catalogue.form.slr_service", lang), "choice", "", choices)]
