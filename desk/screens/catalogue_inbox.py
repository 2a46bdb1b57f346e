"""The catalogue's inboxes, opened from the catalogue screen (F4): `i` the drafts (the review
inbox first: drafts waiting for a reviewer; then the maintainers' drafts and the approved ones the
ops lead publishes), `s` the service-level requirements (the ops lead's SLR inbox).

Both run on the list machinery (desk/lists/catalogue_inbox.py; docs/lists.md): views 1..n, the
filter bar, sorting, live refresh and the detail (enter) come with it. Draft keys: `n` new draft,
`e` edit (the form of every field), `u` submit for review, `p` approve, `x` return with comments,
`P` publish (naming the approved change it is published under, picked from those for its service,
when `[change] publication_requires_change` is set), `w` withdraw, `d` what the draft changes from the version it started from. SLR keys:
`n` raise one, `a` accept (a draft is opened), `x` reject with a reason. Escape (nothing to clear)
goes back to the catalogue. Keys are greyed by role and by the row's status; the services refuse
anyway (desk.services.catalogue_flow)."""

from __future__ import annotations

from textual import on, work
from textual.message import Message

from desk.domain import catalogue as rules
from desk.domain.text import one_line
from desk.history_labels import capital
from desk.i18n import t
from desk.system_words import failure_text
from desk.lists.catalogue_inbox import DRAFTS, REQUIREMENTS
from desk.screens.list_screen import ListScreen, list_bindings
from desk.screens.record_action import Field, RecordAction
from desk.timefmt import when, zone
from desk.widgets.header import DeskHeader


def _flow():
    from desk.services import catalogue_flow

    return catalogue_flow


def _none_if_blank(text):
    return text or ""  # (an optional note left empty)


DRAFT_ACTIONS = {
    "new": RecordAction(lambda desk, i, text, v: _flow().open_draft(desk, None, code=text, kind="new"),
                        "catalogue.inbox.field.new_code"),
    "submit": RecordAction(lambda desk, i, text, v: _flow().submit(desk, None, i, note=_none_if_blank(text),
                                                                   expect_version=v),
                           "lists.action.note", required=False),
    "approve": RecordAction(lambda desk, i, text, v: _flow().approve(desk, None, i, note=_none_if_blank(text),
                                                                     expect_version=v),
                            "lists.action.note", required=False),
    "return": RecordAction(lambda desk, i, text, v: _flow().return_draft(desk, None, i, comments=text,
                                                                         expect_version=v),
                           "catalogue.inbox.field.comments"),
    "publish": RecordAction(lambda desk, i, text, v: _flow().publish(desk, None, i, note=_none_if_blank(text),
                                                                     expect_version=v),
                            "lists.action.note", required=False),
    "withdraw": RecordAction(lambda desk, i, text, v: _flow().withdraw(desk, None, i, reason=text, expect_version=v),
                             "catalogue.inbox.field.reason"),
}

def _approved_changes(desk, detail) -> list:
    """The publish form's choices with `[change] publication_requires_change`: the approved changes
    that name the draft's service (read in the form's thread); none is a refusal, said at once."""
    from desk.domain.errors import ValidationError
    from desk.services import change_calendar
    from desk.widgets.picker import record_items

    found = change_calendar.approved_for(desk, detail.code)
    if not found:
        raise ValidationError("change.error.none_approved_for", service=detail.code)
    return [(item.prompt, item.value) for item in record_items(found, desk.lang, "change")]


# Publishing under a change: the change picked from those approved for the service, and a note.
PUBLISH_UNDER_CHANGE = RecordAction(
    lambda desk, i, values, v: _flow().publish(desk, None, i, change=int(values["change"]),
                                               note=_none_if_blank(values["note"]), expect_version=v),
    form=(Field("change", "change.publish.field", options=_approved_changes),
          Field("note", "lists.action.note", required=False)))

REQUIREMENT_ACTIONS = {
    "accept": RecordAction(lambda desk, i, text, v: _flow().accept_requirement(desk, None, i, code=text or None,
                                                                               expect_version=v),
                           "catalogue.inbox.field.accept_code", required=False),
    "reject": RecordAction(lambda desk, i, text, v: _flow().reject_requirement(desk, None, i, reason=text,
                                                                               expect_version=v),
                           "catalogue.inbox.field.reason"),
}


def draft_lines(d, lang: str, desk=None) -> list[tuple[str, str]]:
    """The draft's fields; with `desk`, its category, hours and owner by their labels ("Data centre
    (datacenter)"), as the catalogue screen shows an entry (no query: the categories of its config)."""
    f = (lambda key: t(f"catalogue.inbox.detail.{key}", lang))
    named = None
    if desk is not None:
        from desk.services.catalogue_views import field_value

        categories = {c["code"]: c.get(lang) or c.get("en") or c["code"] for c in desk.config.data.get(
            "service_category", []) if isinstance(c, dict) and "code" in c}
        named = (lambda name, value: field_value(desk, name, value, categories))  # noqa: E731
    lines = [(f("status"), capital(t(f"catalogue_draft.status.{d.status}", lang))),  # labels, as the list's
             (f("kind"), capital(t(f"catalogue_draft.kind.{d.kind}", lang))), (f("code"), d.code),
             (f("base"), str(d.base) if d.base else "—"), (f("author"), d.author),
             (f("requirement"), str(d.requirement) if d.requirement else "—"), (f("version"), str(d.version))]
    if d.problems:
        lines.append((f("problems"), "; ".join(rules.describe(p, lang) for p in d.problems)))
    for name in rules.FIELDS[1:]:
        value = d.entry.get(name)
        if value not in (None, "", [], {}):
            label = rules.field_label(name, lang)
            shown = named(name, value) if named is not None and name in ("category", "hours", "owner") \
                else _entry_value(name, value, lang)
            lines.append((label[:1].upper() + label[1:], shown))
    return lines


def _entry_value(name: str, value, lang: str) -> str:
    if isinstance(value, bool):
        return t("catalogue.yes" if value else "catalogue.no", lang)
    if name == "targets" and isinstance(value, dict):
        return "; ".join(t("catalogue.inbox.target", lang, priority=p, response=pair.get("response", "?"),
                           resolve=pair.get("resolve", "?")) for p, pair in value.items() if isinstance(pair, dict))
    if name == "checklist" and isinstance(value, list):
        return "; ".join(str(i.get(lang) or i.get("en") or "") for i in value if isinstance(i, dict))
    return str(value)


def requirement_lines(d, lang: str, tz=None, config=None) -> list[tuple[str, str]]:
    f = (lambda key: t(f"catalogue.inbox.detail.{key}", lang))
    service = config.label("service", d.service, lang) if config is not None and d.service else d.service
    lines = [(f("status"), capital(t(f"requirement.status.{d.status}", lang))),
             (f("service"), service or t("catalogue.inbox.new_service", lang)), (f("source"), d.source),
             (f("raised_by"), d.raised_by), (f("raised"), when(d.created_at, tz)),
             (f("decided_by"), d.decided_by), (f("reason"), d.reason), (f("need"), d.need),
             (f("version"), str(d.version))]
    return [(label, value) for label, value in lines if value]


class _InboxScreen(ListScreen):
    RECORD_DETAIL = True
    """What both inboxes share: the catalogue's tab in the header, escape back to the catalogue."""

    HEADER_TAB = "catalogue"

    def compose(self):
        for widget in super().compose():
            yield self.app.make_header(self.HEADER_TAB) if isinstance(widget, DeskHeader) else widget

    def action_clear(self) -> None:
        if self.table.marked or self.filter_text or self.saved_name:
            super().action_clear()
        else:
            self.app.pop_screen()

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        from desk.screens.record_action import RecordActionDialog
        from desk.screens.record_start import start_record_action

        if action not in self.SPEC.rowless:
            start_record_action(self, action, rows)
            return
        verb = t(f"{self.SPEC.key_label}{action}", self.lang)

        def done(result) -> None:
            if result is not None:
                self.incidents_changed([])
                self.notify(t("catalogue.inbox.done", self.lang, action=verb), markup=False)

        self.app.push_screen(RecordActionDialog(self.ACTIONS[action], verb, 0, 0), done)


class DraftsScreen(_InboxScreen):
    SPEC = DRAFTS
    SCREEN_ID = "catalogue-drafts"
    TITLE_KEY = "catalogue.inbox.drafts"
    TABLE_ID = "catalogue-drafts-table"
    STATUS_ID = "catalogue-drafts-status"
    BINDING_PREFIX = "catalogue_draft."
    BINDINGS = list_bindings(DRAFTS, frozenset({"detail", "edit", "submit", "approve", "return", "publish", "diff"}),
                             prefix=BINDING_PREFIX)

    @property
    def ACTIONS(self) -> dict:  # noqa: N802 (what start_record_action asks every list screen for)
        """With `[change] publication_requires_change`, publishing asks for the change (the
        service refuses without one anyway)."""
        from desk.services.change_calendar import publication_requires_change

        if publication_requires_change(self.desk):
            return {**DRAFT_ACTIONS, "publish": PUBLISH_UNDER_CHANGE}
        return DRAFT_ACTIONS

    class Diffed(Message):
        def __init__(self, result, error: str | None) -> None:
            super().__init__()
            self.result, self.error = result, error

    edit_on_open: int | None = None  # a draft just opened from the catalogue: its form comes up at once

    def on_mount(self) -> None:
        super().on_mount()
        if self.edit_on_open is not None:
            self._read_for_edit(self.edit_on_open)

    def default_view(self) -> str:
        from desk.domain.permissions import can

        if self.edit_on_open is not None:
            return "editing"
        roles = self.app.operator.roles
        if can(roles, "catalogue.review"):
            return "review"
        return "editing" if can(roles, "catalogue.draft") else "open"

    def read_detail(self, desk, record_id: int):
        from desk.services.catalogue_inbox import draft_detail

        return draft_detail(desk, record_id)

    def detail_lines(self, detail, lang: str):
        return draft_lines(detail, lang, self.app.desk)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        if action == "edit":
            self._edit(*rows[0])
        elif action == "diff":
            self._diff(rows[0][0])
        else:
            super().start(action, rows)

    # --- edit: the form of every field ----------------------------------------------------------------
    def _edit(self, draft_id: int, version: int) -> None:
        self._read_for_edit(draft_id)

    @work(thread=True, exit_on_error=False, group="catalogue-draft-read")
    def _read_for_edit(self, draft_id: int) -> None:
        from desk.screens.actions import db_thread
        from desk.services.catalogue import categories
        from desk.services.catalogue_inbox import draft_detail

        desk = self.desk
        try:
            with db_thread(desk):
                detail = draft_detail(desk, draft_id)
                tree = categories(desk)  # the category field's choices
        except Exception as err:  # gone, or the database away: say so
            self.post_message(self.Diffed(None, failure_text(err, desk.lang)))
            return
        self.post_message(self.Editing(detail, tree))

    class Editing(Message):
        def __init__(self, detail, categories=()) -> None:
            super().__init__()
            self.detail, self.categories = detail, categories

    @on(Editing)
    def _open_form(self, message: Editing) -> None:
        from desk.screens.catalogue_form import CatalogueForm, entry_choices, entry_fields

        d = message.detail
        if d.kind == "retire":
            self.notify(t("catalogue.error.retire_edit", self.lang), severity="warning")
            return
        config = self.desk.config
        fields = entry_fields(d.entry, config.codes("priority"), self.lang,
                              entry_choices(config, message.categories, self.lang))

        def run(desk, changes):
            _flow().edit_draft(desk, None, d.id, changes, expect_version=d.version)

        def done(saved) -> None:
            self.incidents_changed([d.id])
            if saved:
                self.notify(t("catalogue.inbox.saved", self.lang, id=d.id, name=name), markup=False)

        # by the service's name, as the list and the detail name it (its code read 'Draft 3 · vpn · edit')
        name = one_line(d.entry.get(f"name_{self.lang}") or d.entry.get("name_en") or d.code, 60)
        title = t("catalogue.inbox.edit_title", self.lang, id=d.id, name=name)
        self.app.push_screen(CatalogueForm(title, fields, run), done)

    # --- d: what the draft changes ---------------------------------------------------------------------
    @work(thread=True, exit_on_error=False, group="catalogue-draft-diff")
    def _diff(self, draft_id: int) -> None:
        from desk.screens.actions import db_thread
        from desk.services.catalogue_inbox import draft_and_base

        desk = self.desk
        try:
            with db_thread(desk):
                result = draft_and_base(desk, draft_id, t("catalogue.cli.this_draft", desk.lang))
        except Exception as err:
            self.post_message(self.Diffed(None, failure_text(err, desk.lang)))
            return
        self.post_message(self.Diffed(result, None))

    @on(Diffed)
    def _diffed(self, message: Diffed) -> None:
        from desk.screens.catalogue_text import DiffScreen, diff_text

        if message.error is not None:
            self.notify(message.error, severity="warning", markup=False)
            return
        base, terms = message.result
        self.app.push_screen(DiffScreen(diff_text(self.desk, base, terms, self.lang)))


class RequirementsScreen(_InboxScreen):
    SPEC = REQUIREMENTS
    SCREEN_ID = "catalogue-requirements"
    TITLE_KEY = "catalogue.inbox.requirements"
    TABLE_ID = "catalogue-requirements-table"
    STATUS_ID = "catalogue-requirements-status"
    BINDING_PREFIX = "requirement."
    BINDINGS = list_bindings(REQUIREMENTS, frozenset({"detail", "new", "accept", "reject"}), prefix=BINDING_PREFIX)
    ACTIONS = REQUIREMENT_ACTIONS

    def read_detail(self, desk, record_id: int):
        from desk.services.catalogue_inbox import requirement_detail

        return requirement_detail(desk, record_id)

    def detail_lines(self, detail, lang: str):
        config = self.app.desk.config
        return requirement_lines(detail, lang, zone(config), config)  # (its history names the zone)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        if action != "new":
            super().start(action, rows)
            return
        self._read_services()

    @work(thread=True, exit_on_error=False, group="catalogue-services-read")
    def _read_services(self) -> None:
        from desk.screens.actions import db_thread
        from desk.services.catalogue import published_services

        desk = self.desk
        try:
            with db_thread(desk):
                services = [(terms.name(desk.lang), terms.code) for terms in published_services(desk)]
        except Exception as err:  # the database away: say so
            self.post_message(self.Raising(None, failure_text(err, desk.lang)))
            return
        self.post_message(self.Raising(services))

    class Raising(Message):
        """The catalogue's services read: the new requirement's form opens with them to pick from."""

        def __init__(self, services, error: str | None = None) -> None:
            super().__init__()
            self.services, self.error = services, error

    @on(Raising)
    def _raise(self, message: Raising) -> None:
        if message.error is not None:
            self.notify(message.error, severity="warning", markup=False)
            return
        from desk.screens.catalogue_form import CatalogueForm, requirement_fields

        def run(desk, values):
            _flow().raise_requirement(desk, None, title=values.get("title", ""), need=values.get("need", ""),
                                      source=values.get("source", ""), service=values.get("service") or None)

        def done(saved) -> None:
            if saved:
                self.incidents_changed([])
                self.notify(t("catalogue.inbox.raised", self.lang), markup=False)

        self.app.push_screen(CatalogueForm(t("catalogue.inbox.new_title", self.lang),
                                           requirement_fields(self.lang, sorted(message.services)),
                                           run, empty_key="catalogue.form.title_required"), done)
