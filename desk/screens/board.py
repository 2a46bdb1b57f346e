"""The shift lead's wallboard: read-only, for a second monitor or a wall screen.

Open incidents by status × priority; the breached and about-to-breach lists with their business
time over or left (incidents `#12` and requests `R3` alike); unassigned, held, alerts firing, open
requests (awaiting approval among them) and by status, late reports; load per group and per agent (open incidents
and open requests); inflow and outflow per hour over the last 24 h (sparklines). It reads every 2 s in its
own thread (desk.widgets.reader) and updates only the panels whose text changed, so a quiet desk
sends nothing. Each read also applies the SLA escalations that are due (every running TUI ticks).

`desk wallboard` runs it alone (`WallboardApp`); desk/screens/wallboard.py makes it the app's F6 screen."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from desk.domain.sla_clock import format_business
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.timefmt import when, zone, zone_label
from desk.widgets.header import shell_header
from desk.widgets.reader import Reader

HERE = Path(__file__).resolve().parent.parent
REFRESH = 2.0
TICK_EVERY = 15  # refreshes between two SLA ticks (~30 s)
STATUSES = ("new", "assigned", "in_progress")


LIST_MOST = 60  # rows a breached or soon list reads at most, however tall the terminal


def read_board(desk, rows: int = 0) -> tuple:
    """(board, {(entity, id): business seconds left (negative: over)}); runs in the reading thread.
    `rows`: how many the breached and soon lists have room for (0: not drawn yet)."""
    from desk.services import wallboard

    board = wallboard.snapshot(desk, limit=max(wallboard.LIST_LIMIT, min(rows, LIST_MOST)))
    return board, wallboard.countdowns(desk, board, STATUSES)


def tick(desk) -> None:
    from desk.services import sla_tick

    try:
        sla_tick.tick(desk)
    except Exception:  # noqa: BLE001 — a wallboard keeps showing; the next tick retries
        pass


class WallboardScreen(Screen):
    TITLE_KEY = "sla.board.title"
    CSS_PATH = [str(HERE / "wallboard.tcss")]
    BINDINGS = [Binding("r", "refresh_now", "sla.board.key_refresh", id="wallboard.refresh")]

    class Read(Message):
        def __init__(self, result, error) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reader: Reader | None = None
        self.reads = 0
        self.shown = 0  # reads drawn (tests wait for it)
        self.board = None

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        yield from shell_header(self.app, "wallboard") or (Static(id="wb-title"),)
        with Grid(id="wb-grid"):
            yield Static(id="wb-status", classes="wb-panel")
            yield Static(id="wb-counts", classes="wb-panel")
            yield Static(id="wb-breached", classes="wb-panel")
            yield Static(id="wb-soon", classes="wb-panel")
            yield Static(id="wb-groups", classes="wb-panel")
            with Vertical(id="wb-flow", classes="wb-panel"):
                with Horizontal(classes="wb-spark"):
                    yield Static(id="wb-in-label", classes="wb-spark-label")
                    yield Sparkline([0] * 24, id="wb-in")
                with Horizontal(classes="wb-spark"):
                    yield Static(id="wb-out-label", classes="wb-spark-label")
                    yield Sparkline([0] * 24, id="wb-out")
        yield Static(t("sla.board.footer", self.lang), id="wb-footer")

    def on_mount(self) -> None:
        self.reader = Reader(self.app.desk, "desk-wallboard")
        self.call_after_refresh(self.refresh_board)  # laid out by then: the lists' room is known
        self.set_interval(REFRESH, self.refresh_board, name="wallboard")

    def on_unmount(self) -> None:
        if self.reader is not None:
            self.reader.close()

    def action_refresh_now(self) -> None:
        self.refresh_board()

    def refresh_board(self) -> None:
        if self.reader is None or self.reader.pending:
            return
        desk = self.app.desk
        self.reads += 1
        ticking = self.reads % TICK_EVERY == 1
        # as many as the lists have room for (below their title line): a tall terminal shows more
        rows = max(self.query_one(f"#wb-{which}", Static).content_size.height for which in ("breached", "soon")) - 1

        def work():
            if ticking:
                tick(desk)
            return read_board(desk, rows)

        self.reader.read(work, lambda result, error: self.post_message(self.Read(result, error)))

    def on_wallboard_screen_read(self, message: Read) -> None:
        if message.error is not None:
            self._set("#wb-footer", Text(t("sla.board.failed", self.lang, error=one_line(str(message.error), 120)),
                                         style="bold red"))
            return
        self.board, left = message.result
        self.show(self.board, left)
        self.shown += 1

    # --- drawing: each panel is replaced only when its text changed ------------------------------------
    def _set(self, selector: str, text: Text) -> None:
        widget = self.query_one(selector, Static)
        if getattr(widget, "_wb_text", None) != text:
            widget._wb_text = text
            widget.update(text)

    def show(self, board, left: dict) -> None:
        lang, config = self.lang, self.app.desk.config
        if self.query("#wb-title"):
            tz = zone(config)  # its clock in the desk's zone, named
            self._set("#wb-title", Text(f" {t('sla.board.title', lang)}  {when(board.at, tz)} {zone_label(tz)}",
                                        style="bold"))
        self._set("#wb-status", self._status(board, lang, config))
        self._set("#wb-counts", self._counts(board, lang))
        self._set("#wb-breached", self._list(board.breached, board.breached_total, left, "breached", lang))
        self._set("#wb-soon", self._list(board.soon, board.soon_total, left, "soon", lang))
        self._set("#wb-groups", self._load(board, lang, config, self.query_one("#wb-groups", Static).content_size.width))
        self._set("#wb-in-label", Text(t("sla.board.inflow", lang, count=sum(board.inflow))))
        self._set("#wb-out-label", Text(t("sla.board.outflow", lang, count=sum(board.outflow))))
        for selector, data in (("#wb-in", board.inflow), ("#wb-out", board.outflow)):
            spark = self.query_one(selector, Sparkline)
            if list(spark.data or []) != list(data):
                spark.data = list(data)

    def _status(self, board, lang, config) -> Text:
        priorities = config.codes("priority")
        out = Text(t("sla.board.by_status", lang, count=board.open_total) + "\n", style="bold")
        labels = [config.label("status", s, lang) for s in STATUSES]
        # in cells, not characters: a Chinese label takes two a character, and the counts must
        # stand under their P1…P4 whatever the label's length
        label_width = max(len(label) + _wide(label) for label in labels) + 2
        out.append(" " * label_width + "".join(f"{'P' + p:>5}" for p in priorities) + "\n", style="dim")
        for status, label in zip(STATUSES, labels):
            out.append(label + " " * (label_width - len(label) - _wide(label)))
            for p in priorities:
                n = board.by_status.get((status, int(p)), 0)
                out.append(f"{n:>5}", style="bold red" if n and p == "1" else "")
            out.append("\n")
        return out

    def _counts(self, board, lang) -> Text:
        out = Text()
        lines = [("unassigned", board.unassigned), ("paused", board.paused),
                 ("breached_count", board.breached_total), ("soon_count", board.soon_total)]
        for key, value in lines:
            out.append(t(f"sla.board.{key}", lang, count=value) + "\n",
                       style="bold red" if key == "breached_count" and value else "")
        out.append(t("sla.board.alerts", lang, count=board.alerts) if board.alerts is not None
                   else t("sla.board.no_alerts", lang))
        out.append("  " + (t("sla.board.late_reports", lang, count=board.late_reports) if board.late_reports is not None
                           else t("sla.board.no_reports", lang)) + "\n",
                   style="bold yellow" if board.late_reports else "")
        if board.approvals is None:
            out.append(t("sla.board.no_requests", lang))
            return out
        by_status = board.requests_by_status or {}
        out.append(t("sla.board.requests", lang, count=sum(by_status.values()), approval=board.approvals))
        if by_status:  # open requests by status, in the flow's order (cut at the panel's edge)
            out.append("\n" + "  ".join(f"{self.app.desk.config.label('request_status', s, lang)} {n}" for s, n in by_status.items()),
                       style="dim")
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out

    def _list(self, rows, total: int, left: dict, which: str, lang: str) -> Text:
        out = Text(t(f"sla.board.{which}", lang, count=total) + "\n", style="bold red" if which == "breached" else "bold yellow")
        if not rows:
            out.append(t(f"sla.board.{which}_none", lang), style="dim")
        for c in rows:
            seconds = left.get((c.entity, c.id))
            clock = "" if seconds is None else ("-" if seconds < 0 else "") + format_business(seconds)
            out.append(f"{'R' if c.entity == 'request' else '#'}{c.id:<6}", style="bold")
            out.append(f"P{c.priority} ", style="bold red" if c.priority == 1 else "")
            out.append(f"{clock:>6} ", style="red" if which == "breached" else "yellow")
            out.append(one_line(neutralise(c.title), 200) + "\n", style="")
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out

    def _load(self, board, lang, config, width: int = 0) -> Text:
        """Open work per group, then per agent: the agents packed on lines of `width` cells, a line
        broken between two agents, never between a login and its counts (0: one line)."""
        from rich.cells import cell_len

        out = Text(t("sla.board.groups", lang) + "\n", style="bold")
        if not board.by_group:
            out.append(t("sla.board.none", lang) + "\n", style="dim")
        for code, incidents, requests in board.by_group[:6]:  # open incidents, then open requests
            out.append(f"{incidents:>5} {requests:>5}  {one_line(config.label('group', code, lang), 40)}\n")
        out.append(t("sla.board.agents", lang) + "\n", style="bold")
        if not board.by_agent:
            out.append(t("sla.board.none", lang), style="dim")
        line = ""
        for login, incidents, requests in board.by_agent:
            entry = f"{one_line(login, 20)} {incidents}/{requests}"
            if line and width and cell_len(line) + 2 + cell_len(entry) > width:
                out.append(line + "\n")
                line = entry
            else:
                line = f"{line}  {entry}" if line else entry
        out.append(line)
        return out


def _wide(text: str) -> int:
    """Extra cells a CJK label takes beyond its length (for column alignment)."""
    from rich.cells import cell_len

    return cell_len(text) - len(text)


class WallboardApp(App):
    """`desk wallboard`: the wallboard alone, without the rest of the app."""

    TITLE = "desk"
    CSS_PATH = [str(HERE / "desk.tcss")]
    BINDINGS = [Binding("q", "quit", "tui.key.quit", id="quit")]

    def __init__(self, desk) -> None:
        super().__init__()
        self.desk = desk
        self.lang = desk.lang

    def on_mount(self) -> None:
        self.push_screen(WallboardScreen())


def run_wallboard(desk) -> int:
    app = WallboardApp(desk)
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0
