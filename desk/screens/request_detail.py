"""One service request: every field, the intake checklist, the approvals (who decided, for whom),
the cost confirmation, the callback and the history. Read in a worker thread; escape goes back.
Untrusted text is shown literally (neutralised, never parsed as markup)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from desk.domain.errors import DeskError
from desk.domain.permissions import can
from desk.domain.request_convert import direction
from desk.domain.text import neutralise, one_line
from desk.history_labels import sentence
from desk.i18n import t, tn
from desk.lists.request import CLOCK, KEYS, REQUESTS, STEPS
from desk.screens.actions import db_thread, explain
from desk.timefmt import when, zone, zone_label
from desk.widgets import sla_block
from desk.widgets.key_bar import KeyBar


def render(d, config, lang: str) -> Text:
    """The request as plain text lines (labels in the user's language, values literal), its times
    in the desk's zone (the history's heading names it)."""
    tz = zone(config)
    _when = lambda value: when(value, tz)  # noqa: E731
    out = Text()
    out.append(f"R{d.id}  ", style="bold")
    out.append(one_line(d.title, 200) + "\n", style="bold")

    def line(key: str, value: str) -> None:
        if value:
            out.append(f"  {t(f'request.field.{key}', lang)}: ", style="dim")
            out.append(one_line(value, 200) + "\n")

    line("status", config.label("request_status", d.status, lang))
    line("priority", f"{d.priority} {config.label('priority', d.priority, lang)}")
    line("requester", d.requester)
    line("contact", d.contact)
    line("location", d.location)
    line("request_class", config.label("request_class", d.request_class, lang))
    line("channel", config.label("request_channel", d.channel, lang))
    line("service", config.label("service", d.service, lang) if d.service else "")
    line("owner", d.owner)
    line("handler", d.handler)
    line("group", config.label("group", d.group, lang) if d.group else "")
    if d.approval_levels:
        line("approval", tn("request.cli.approval_state", d.approval_levels, lang, levels=d.approval_levels,
                           state=t("request.cli.approved" if d.approved else "request.cli.not_approved", lang)))
    if d.cost_confirmed:
        line("cost", f"{d.cost_amount} {d.cost_currency} ({d.cost_confirmed_with}, {d.cost_confirmed_by}, "
                     f"{_when(d.cost_confirmed_at)})")
    elif d.needs_cost:
        line("cost", t("request.cli.cost_needed", lang))
    line("close_code", config.label("request_close_code", d.close_code, lang) if d.close_code else "")
    line("incident", t(f"request.link.{direction(d.close_code)}", lang, id=d.incident) if d.incident else "")
    line("satisfaction", f"{d.satisfaction}/5" if d.satisfaction else "")
    line("registered", _when(d.registered_at))
    line("version", str(d.version))
    sla_block.append_clock(out, d.sla, lang)
    sla_block.append_ledger(out, d.sla, lang)
    out.append("\n" + t("request.cli.checklist", lang) + "\n", style="bold")
    for item in d.checklist:
        out.append(f"  [{'x' if item.done else ' '}] {one_line(item.label, 100)}\n")
    if d.approvals:
        out.append("\n" + t("request.cli.approvals", lang) + "\n", style="bold")
        for a in d.approvals:
            decided = t(f"request.decision.{a.decision}" if a.decision else "request.decision.waiting", lang)
            behalf = " " + t("request.cli.on_behalf", lang, who=a.decided_by, approver=a.on_behalf_of) \
                if a.on_behalf_of else ""
            out.append(f"  {a.level}. {one_line(a.approver, 20)}  {decided}  {_when(a.decided_at)}{behalf}\n")
    for key, text in (("description", d.description), ("completion_note", d.completion_note),
                      ("callback_comment", d.callback_comment), ("remarks", d.remarks)):
        if text:
            out.append(f"\n{t(f'request.field.{key}', lang)}\n", style="bold")
            out.append(neutralise(text) + "\n")
    out.append("\n" + t("time.history", lang, zone=zone_label(tz)) + "\n", style="bold")
    for h in d.history:
        said = sentence(h.action, h.actor, h.changes, h.note, lang, 160)  # (a substitute named: its note in it)
        out.append(f"  {h.seq:>3} {_when(h.at)} {one_line(h.actor, 16):<12} {said or t('action.' + h.action, lang)}\n")
        if h.note and not said:
            out.append("        " + one_line(h.note, 160) + "\n", style="dim")
    return out


SHOWN = frozenset({"accept", "dispatch", "approve", "fulfil", "close"})  # (by role on mount: request_keys)


class RequestDetailScreen(Screen):
    TITLE_KEY = "tui.screen.request"  # (what the help calls it)
    HELP_KIND = "request"  # (the help's note on a key this request does not take now)
    """The request's keys work here as on the queue: greyed by role and by the status read."""

    BINDINGS = [Binding("escape", "back", "request.key.back", id="request_detail_back")] + [
        Binding(key, f"act('{action}')", f"request.key.{action}", show=action in SHOWN,
                id=f"request_detail.{action}") for action, key in KEYS.items() if action in STEPS or action in CLOCK]

    class Loaded(Message):
        def __init__(self, detail, error: str | None) -> None:
            super().__init__()
            self.detail, self.error = detail, error

    def __init__(self, request_id: int) -> None:
        super().__init__(id="request-detail")
        self.request_id = request_id
        self.loaded = False
        self.detail = None

    def compose(self) -> ComposeResult:
        yield self.app.make_header("requests")
        with VerticalScroll(id="request-detail-body"):
            yield Static(t("tui.status.loading", self.app.desk.lang), id="request-detail-text")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        from desk.screens import request_keys

        roles = self.app.operator.roles
        request_keys.show_only(self, "request_detail.", request_keys.shown(
            lambda action: action in REQUESTS.permissions and can(roles, REQUESTS.permissions[action]), detail=True))
        self.app.localise_bindings(self)
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="request-detail")
    def _read(self) -> None:
        from desk.services import request_reads

        desk = self.app.desk
        try:
            with db_thread(desk):
                self.post_message(self.Loaded(request_reads.get(desk, self.request_id), None))
        except DeskError as err:
            self.post_message(self.Loaded(None, explain(err, desk)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        desk = self.app.desk
        body = self.query_one("#request-detail-text", Static)
        body.update(Text(message.error) if message.error else render(message.detail, desk.config, desk.lang))
        self.detail = message.detail
        self.loaded = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "act" or not parameters:
            return True
        name = str(parameters[0])
        detail = self.detail
        allowed = detail is not None and detail.status in REQUESTS.allowed_from[name]
        return True if allowed and can(self.app.operator.roles, REQUESTS.permissions[name]) else None

    def action_act(self, action: str) -> None:
        from desk.screens.request_action import RequestAction

        detail = self.detail
        if detail is None or not self.check_action("act", (action,)):
            return

        def reread() -> None:  # the new status, clock, version and history (the queue refreshes itself)
            self.loaded = False
            self._read()

        if action in CLOCK:
            from desk.screens import clock_keys

            clock_keys.open_dialog(self.app, REQUESTS, action, detail.id, detail.version, lambda _id: reread())
            return
        self.app.push_screen(RequestAction(action, detail.id, detail.version, detail.title),
                             lambda changed: reread() if changed else None)

    def action_back(self) -> None:
        self.app.pop_screen()
