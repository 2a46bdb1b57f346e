"""The incident detail: every field, the 200.2 checklist, the SLA clock, the history timeline
and the linked knowledge. The action keys work here as in the queue. This module opens, keeps,
loads and paints the screen; desk/screens/detail_sections.py draws its sections."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from desk.domain.errors import DeskError
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.key_order import pause_keys
from desk.screens.actions import IncidentsChanged, allowed, db_thread, explain, localise_bindings, start_action
from desk.screens.detail_alerts import alerts_section
from desk.screens.detail_keys import ONLY_WHEN_USABLE, USABLE_FROM
from desk.screens.detail_sections import DetailSections, as_shown
from desk.services.views import IncidentDetail
from desk.widgets.detail_body import DetailBody, DetailKeys
from desk.widgets.reader import close_detail_reads, detail_reads, fetch_detail

LOADING_DELAY = 0.05  # seconds a read may take before the body says "loading…"
PAINT_WAIT = 0.1  # seconds _after_paint waits for a paint at most


# per app, per mode: the detail screen kept (installed) for the next open
_KEPT: WeakKeyDictionary = WeakKeyDictionary()


class DetailScreen(DetailSections, Screen):
    TITLE_KEY = "tui.screen.incident"  # (what the help calls it)
    HELP_KIND = "incident"  # (the help's note on a key this incident does not take now)
    BINDINGS = [
        Binding("a", "act('assign')", "assign", id="assign"),
        Binding("e", "act('escalate')", "escalate", id="escalate"),
        Binding("r", "act('resolve')", "resolve", id="resolve"),
        Binding("c", "act('close')", "close", id="close"),
        Binding("o", "act('reopen')", "reopen", id="reopen"),
        Binding("k", "act('knowledge')", "knowledge", id="knowledge"),
        Binding("m", "act('note')", "note", id="note", show=False),
        Binding("b", "act('return')", "return", id="return", show=False),
        Binding("y", "act('confirm')", "confirm", id="confirm"),  # on the bar while resolved only
        Binding("R", "act('to_request')", "to_request", id="to_request", show=False),
        Binding("C", "act('cause')", "cause", id="cause", show=False),
        Binding("t", "act('set_service')", "set_service", id="set_service", show=False),
        Binding("i", "act('set_priority')", "set_priority", id="set_priority", show=False),
        Binding("h", "act('sla_hold')", "sla_hold", id="sla_hold", show=False),
        Binding("H", "act('sla_resume')", "sla_resume", id="sla_resume", show=False),
        Binding("escape", "back", "back", id="back"),
    ]

    class Loaded(Message):
        def __init__(self, incident_id: int, detail: IncidentDetail | None, roles: frozenset[str],
                     error: str = "") -> None:
            super().__init__()
            self.incident_id = incident_id
            self.detail = detail
            self.roles = roles
            self.error = error

    @classmethod
    def open(cls, app, incident_id: int, version: int | None = None) -> DetailScreen:
        """The detail screen to push for this incident. The app keeps one per mode, installed, and
        reuses it when it is not on the stack: reopening then costs no compose, no stylesheet
        work and no first layout, only the read and one paint."""
        kept = _KEPT.setdefault(app, {})
        mode = getattr(app, "current_mode", None)
        screen = kept.get(mode)
        if screen is not None and screen._ready and screen not in app.screen_stack:
            screen.show_incident(incident_id, version)
            return screen
        screen = cls(incident_id, version)
        if mode not in kept:
            kept[mode] = screen
            app.install_screen(screen, f"desk-detail-{mode}")
        return screen

    @classmethod
    def keep_ready(cls, app) -> None:
        """Build the kept screen ahead, off screen and with no incident yet (the queue asks once
        its first list is in): the first open then costs what every later one does, a read and
        one paint, not a compose and a stylesheet pass (~50 ms)."""
        kept = _KEPT.setdefault(app, {})
        mode = getattr(app, "current_mode", None)
        if mode in kept:
            return
        load_dialog_css = getattr(app, "load_dialog_css", None)
        if load_dialog_css is not None:
            load_dialog_css()  # (its rules style this screen: loaded first, applied once)
        screen = kept[mode] = cls(None)
        app.install_screen(screen, f"desk-detail-{mode}")
        # Textual's own steps before a push, done now, off screen: compose and mount the screen,
        # lay it out at the terminal's size (the first open found it at 0×0: ~10 ms more) and
        # start its paint timer (a new timer's first tick comes a whole frame, 17 ms, after it
        # starts; it idles harmlessly while the screen is not shown).
        # (Textual's private App._get_screen composes and mounts an installed screen without
        # showing it, Screen._refresh_layout lays it out at a size and Screen._update_timer is its
        # paint timer: no public call prepares a screen off the stack. Each is checked by
        # tests/tui/test_textual_private_api.py; without them the first open costs ~50 ms more.)
        _, mounted = app._get_screen(screen)

        async def lay_out() -> None:
            await mounted
            if screen.is_attached and screen not in app.screen_stack:
                screen._refresh_layout(app.size)
                screen._update_timer.resume()

        app.call_later(lay_out)

    @classmethod
    def prepare(cls, app, incident_id: int, version: int) -> None:
        """Lay the kept screen out for this incident (read ahead) while it is off screen."""
        screen = _KEPT.get(app, {}).get(getattr(app, "current_mode", None))
        if screen is None or not screen._ready or screen in app.screen_stack:
            return
        hit = detail_reads(app).take(incident_id, version)
        if hit is None or screen._prepared == (incident_id, version):
            return
        screen.incident_id = int(incident_id)
        screen.roles, screen.detail = hit
        screen.render_detail()
        screen._prepared = (incident_id, version)
        screen._draw_ahead()

    def _draw_ahead(self) -> None:
        """Draw the title's and the body's lines now, off screen, at the size the screen was laid
        out at: the open then paints lines it has (~1.5 ms less). Nothing is drawn before the
        first layout, or for a title whose height is about to change."""
        for widget in (self.query_one("#detail-title", Static), self.query_one(DetailBody)):
            region = widget.region  # (empty before the first layout: the open draws it then)
            # (the private `_layout_required`: a layout is pending and the region is about to
            # change, so lines drawn now would be thrown away; no public flag says so; checked
            # by tests/tui/test_textual_private_api.py)
            if region.width and region.height and not widget._layout_required:
                widget.render_lines(Region(0, 0, region.width, region.height))

    def __init__(self, incident_id: int | None, version: int | None = None) -> None:
        super().__init__(classes="detail-screen")
        self.incident_id = int(incident_id or 0)  # (0: built ahead, nothing to show yet)
        self.detail: IncidentDetail | None = None
        self.roles: frozenset[str] = frozenset()
        self._awaiting = None  # (incident id, resume keys) while its content is read (see _await_content)
        self._styled_for: tuple | None = None  # (theme, …) the screen was last styled under
        self._prepared: tuple[int, int] | None = None  # (id, version) laid out ahead, off screen
        self._background: tuple | None = None  # (what it was drawn for, the screen's own lines)
        self._ready = False  # composed and mounted: its widgets can be updated
        self._painted: list = []  # called back after the next paint
        localise_bindings(self, self.lang)
        hit = detail_reads(self.app).take(self.incident_id, version) if incident_id is not None else None
        if hit is not None:  # read ahead (the queue's cursor rested on it): drawn at mount, in the first frame
            self.roles, self.detail = hit
        elif incident_id is not None:
            self._await_content()
            self.reload()  # the read starts now, while the screen is being put together

    def _await_content(self) -> None:
        """The incident is being read (a few ms, normally): its content goes in within the turn
        that receives the read (`_loaded`). Nothing holds the app's paint meanwhile (issue 12):
        the body is blank, and says "loading…" if the read takes more than LOADING_DELAY. The keys
        typed meanwhile wait for the content (desk.key_order.pause_keys), then act on it."""
        self._content_in()  # (an earlier wait: its keys go on)
        self._awaiting = (self.incident_id, pause_keys(self.app))
        self.app.set_timer(LOADING_DELAY, lambda incident_id=self.incident_id: self._show_loading(incident_id),
                           name="detail-loading")

    def _show_loading(self, incident_id: int) -> None:
        awaiting = self._awaiting
        if awaiting is not None and awaiting[0] == incident_id and self._ready and self.is_attached:
            self.query_one(DetailBody).update([Text(t("actions.detail.loading", self.lang), style="dim")])

    def _content_in(self) -> None:
        """The content awaited is in (or the screen goes): the keys typed meanwhile go on."""
        awaiting, self._awaiting = self._awaiting, None
        if awaiting is not None:
            awaiting[1]()

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        make_header = getattr(self.app, "make_header", None)  # the app shell's header, when there is one
        if make_header is not None:
            yield make_header(getattr(self.app, "current_mode", None) or "queue")
        yield Static(Text(f"#{self.incident_id}", style="bold"), id="detail-title")
        yield DetailBody([], id="detail-body")  # (blank until the read is in; "loading…" if it is slow)
        yield DetailKeys(id="keys")

    def show_incident(self, incident_id: int, version: int | None = None) -> None:
        """Show another incident on this (kept) screen. Read ahead (the queue's cursor rested on
        it) and at the version the queue shows: at once, and read again behind it. Else "#id,
        blank" until it is read, in a few ms normally ("loading…" after LOADING_DELAY)."""
        prepared = self._prepared == (incident_id, version) and self.incident_id == incident_id
        self._prepared = None
        self.incident_id = int(incident_id)
        hit = detail_reads(self.app).take(self.incident_id, version)
        if hit is not None:
            if not (prepared and self.detail is hit[1]):
                self.roles, self.detail = hit
                self.render_detail()
            self.refresh_bindings()
            self.query_one(DetailKeys).refresh()
            # Read again once the open has painted: the queue's row may be up to a poll behind (a
            # changed incident repaints), and a read during the open competes with its paint.
            self._after_paint(self.reload)
            return
        self.detail = None
        self.query_one("#detail-title", Static).update(Text(f"#{self.incident_id}", style="bold"))
        self.query_one(DetailBody).update([])
        self._await_content()
        self.reload()
        self.refresh_bindings()

    def on_unmount(self) -> None:
        self._content_in()
        if _KEPT.get(self.app, {}).get(getattr(self.app, "current_mode", None)) is self:
            close_detail_reads(self.app)  # (the kept screen goes only with the app)

    def on_screen_suspend(self) -> None:
        self._content_in()

    def _after_paint(self, callback) -> None:
        """Call back once this screen has been painted (at the latest after PAINT_WAIT)."""
        self._painted.append(callback)
        self.set_timer(PAINT_WAIT, self._run_painted, name="detail-after-paint")

    def _run_painted(self) -> None:
        callbacks, self._painted = self._painted, []
        for callback in callbacks:
            callback()

    def refresh(self, *regions, **kwargs):
        # Textual calls this with regions when the queue below has changed (a poll, a row drawn
        # ahead), and repaints the whole screen for it: ~9 KB to the terminal every time, though
        # nothing below shows through an opaque screen.
        if regions and not kwargs and self.styles.background.a == 1:
            return self
        return super().refresh(*regions, **kwargs)

    def render_lines(self, crop):
        if self._painted:
            self.call_later(self._run_painted)  # (after the frame being rendered is written)
        # The screen's own lines are its background, the same at every open; Textual's styles
        # cache redraws all 40 of them each time the screen comes back (~1 ms of the open).
        key = (crop, self.size, self._looks())
        kept = self._background
        if kept is None or kept[0] != key:
            kept = self._background = (key, super().render_lines(crop))
        return list(kept[1])

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._background = None

    def _looks(self) -> tuple:
        return self.app.theme, id(self.app.current_theme), self.app.ansi_color, self.app.no_color

    def on_mount(self) -> None:
        self._styled_for = self._looks()  # (mounting styled every node: a screen built ahead is ready)
        self._ready = True  # (built ahead, it is composed some turns after keep_ready: not before this)
        if self.detail is not None:  # (opened on a detail read ahead: shown before the first paint)
            self.render_detail()
            self.refresh_bindings()
            self._after_paint(self.reload)  # (read again behind it: the queue's row may be a poll behind)

    def on_screen_resume(self, event) -> None:
        # Runs before Textual's own resume handler: a kept screen coming back under the same
        # theme and stylesheet has the styles it had, and restyling every node again costs ~6 ms
        # of the key press that opens the detail. Anything else (a new theme) restyles as usual.
        looks = self._looks()
        if looks == self._styled_for:
            event.refresh_styles = False
        self._styled_for = looks

    # --- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the incident again (in the app's detail reading thread) and show it."""
        incident_id, desk = self.incident_id, self.app.desk
        if not detail_reads(self.app).read(
                incident_id, lambda result, error: self.post_message(self._message(desk, incident_id, result, error))):
            self._load(incident_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail-load")
    def _load(self, incident_id: int) -> None:
        """The same read in a thread worker of its own (when the reading thread is gone)."""
        desk = self.app.desk
        with db_thread(desk):
            try:
                result, error = fetch_detail(desk, incident_id), None
            except Exception as exc:  # noqa: BLE001 — shown as a message, never a traceback
                result, error = None, exc
        self.post_message(self._message(desk, incident_id, result, error))

    def _message(self, desk, incident_id: int, result, error: BaseException | None) -> Loaded:
        if error is None:
            roles, detail = result
            return self.Loaded(incident_id, detail, roles)
        if isinstance(error, DeskError):
            return self.Loaded(incident_id, None, frozenset(), explain(error, desk))
        return self.Loaded(incident_id, None, frozenset(), t("actions.unexpected", desk.lang,
                                                             what=type(error).__name__))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.incident_id != self.incident_id:
            return  # a read for the incident this screen showed before
        body = self.query_one(DetailBody)
        if message.error:
            body.update([Text(neutralise(message.error), style="bold red")])
            self.refresh_bindings()
            self._content_in()
            return
        same = self.detail is not None and message.detail is not None and self.detail.id == message.detail.id
        detail_reads(self.app).remember(message.incident_id, (message.roles, message.detail))
        if same and as_shown(message.detail) == as_shown(self.detail) and message.roles == self.roles:
            self._content_in()
            return  # (read again, unchanged: nothing to repaint)
        self.detail, self.roles = message.detail, message.roles
        self.render_detail(keep_scroll=same)
        self.refresh_bindings()
        self.query_one(DetailKeys).refresh()  # now, in the same paint (the signal comes a frame later)
        self._content_in()

    def on_incidents_changed(self, message: IncidentsChanged) -> None:
        # not stopped: it bubbles on to the app, which tells the queue
        if self.incident_id in message.ids:
            self.reload()

    # --- rendering --------------------------------------------------------------------------
    def render_detail(self, keep_scroll: bool = False) -> None:
        d = self.detail
        if d is None:
            return
        title = Text()
        title.append(f"#{d.id}  ", style="bold")
        title.append(one_line(d.title, 400), style="bold")
        self._show_title(title)
        self.query_one(DetailBody).update(
            [self.fields_table(d), self.texts(d), *alerts_section(d.alerts, self.lang, self.when),
             self.checklist(d), *self.pauses(d), self.history(d), self.knowledge(d)],
            keep_scroll=keep_scroll)

    def _show_title(self, title: Text) -> None:
        """The title takes one to three lines. Asking Textual to lay the screen out again is
        needed only when that number changes: a layout at the open costs ~2 ms and a second
        frame."""
        widget = self.query_one("#detail-title", Static)
        width = widget.content_region.width
        if width <= 0 or not widget.region.height:
            widget.update(title)
            return
        lines = min(len(title.wrap(self.app.console, width)), 3)
        widget.update(title, layout=lines != widget.content_region.height)

    # --- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "act":
            return True
        name = str(parameters[0]) if parameters else ""
        if self.detail is None:
            return None
        usable = self.detail.status in USABLE_FROM.get(name, frozenset())
        if name in ONLY_WHEN_USABLE and not usable:
            return False  # off the bar: the next step of a resolved incident, nothing before
        if not allowed(self.roles, name) or not usable:
            return None  # shown greyed: the role or the state does not allow it here
        return True

    def action_act(self, name: str) -> None:
        if self.detail is None:
            return
        start_action(self, name, [(self.detail.id, self.detail.version)])

    def action_back(self) -> None:
        self.dismiss()

