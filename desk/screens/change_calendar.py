"""The change calendar (C on the change queue): a week of scheduled changes by day, Monday
first, each with its planned window, status, services and title; changes whose windows overlap
on a service they share are marked as conflicts and name each other. Left/right (or [ ]) move a
week, t comes back to this week, enter opens the change (its detail takes the change keys),
escape goes back to the queue. Read in a thread worker (desk.services.change_calendar)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.change_cells import service_names
from desk.lists.layout import capital
from desk.system_words import failure_text
from desk.screens.actions import db_thread
from desk.timefmt import local, zone, zone_label
from desk.widgets.key_bar import KeyBar

CONFLICT = "bold red"
FROZEN = "bold blue"
HERE = Path(__file__).resolve().parent.parent


def _calendar():
    from desk.services import change_calendar

    return change_calendar


def week_name(start: datetime) -> str:
    year, number, _ = start.isocalendar()
    return f"{year}-W{number:02d}"


def window_text(change, day, tz=None) -> str:
    """The planned window as seen from `day` (a day of the desk's zone `tz`, as its times are
    shown): times alone when it starts and ends that day."""
    start, end = local(change.planned_start, tz), local(change.planned_end, tz)
    if start.date() == day and end.date() == day:
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"


def _cells(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal cells (Chinese takes two each)."""
    return set_cell_size(text, width)


def entry_text(entry, day, lang: str, width: int, tz=None, config=None) -> Text:
    """One change on one day (untrusted title and services shown literally, the services by the names
    `config`'s catalogue gives them), each line cut to `width` cells, and its conflicts under it."""
    c = entry.change
    name = (lambda code: config.label("service", code, lang) if code else "") if config is not None else str
    style = CONFLICT if entry.conflicts else ""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("! " if entry.conflicts else "  ", style=style)
    line.append(f"C{c.id:<5} ", style="bold " + style)
    line.append(f"{window_text(c, day, tz):<23} ", style=style)
    line.append(_cells(one_line(capital(t(f"change.status.{c.status}", lang))), 13), style="dim")
    if width >= 100:
        # (cut with an ellipsis and kept apart from the title: several services ran into it)
        line.append(_cells(one_line(service_names(c.services, name), 18), 18) + " ", style="cyan")
    line.append(one_line(c.title, 300))
    line.truncate(width, overflow="ellipsis")
    out = line
    for other, service in entry.conflicts:
        more = Text("        " + t("change.calendar.conflict", lang, id=other, service=one_line(name(service), 40)),
                    style=CONFLICT, no_wrap=True)
        more.truncate(width, overflow="ellipsis")
        out = Text("\n").join([out, more])
    return out


class ChangeCalendarScreen(Screen):
    TITLE_KEY = "tui.screen.change_calendar"  # (what the help calls it)
    CSS_PATH = [str(HERE / "changes.tcss")]
    BINDINGS = [
        Binding("left,left_square_bracket", "week(-1)", "changes.calendar.key.previous", id="change_calendar.previous"),
        Binding("right,right_square_bracket", "week(1)", "changes.calendar.key.next", id="change_calendar.next"),
        Binding("t", "this_week", "changes.calendar.key.this_week", id="change_calendar.this_week"),
        Binding("enter", "open", "changes.calendar.key.open", id="change_calendar.open", priority=True),
        Binding("escape", "back", "changes.calendar.key.back", id="change_calendar.back"),
    ]

    class Loaded(Message):
        def __init__(self, gen: int, calendar, error: str | None) -> None:
            super().__init__()
            self.gen, self.calendar, self.error = gen, calendar, error

    def __init__(self, list_screen) -> None:
        """`list_screen`: the change queue it was opened from (its detail and actions)."""
        super().__init__(id="change-calendar")
        self.list_screen = list_screen
        self.start: datetime | None = None  # Monday 00:00 of the week shown (None: this week)
        self.calendar = None
        self._gen = 0

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        yield self.app.make_header(self.list_screen.SCREEN_ID)
        yield Static(Text(t("tui.status.loading", self.lang)), id="calendar-title")
        yield OptionList(id="calendar-days")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self.query_one(OptionList).focus()
        self._load()

    def on_screen_resume(self) -> None:
        if self.calendar is not None:  # back from a change's detail: it may have moved
            self._load()

    # --- reading ---------------------------------------------------------------------------------
    def _load(self) -> None:
        self._gen += 1
        self._read(self._gen, week_name(self.start) if self.start else None)

    @work(thread=True, exit_on_error=False, group="change-calendar", exclusive=True)
    def _read(self, gen: int, week: str | None) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                found = _calendar().calendar(desk, week)
        except Exception as err:  # (the database away): said on the title line
            text = failure_text(err, desk.lang)
            self.post_message(self.Loaded(gen, None, t("tui.read_failed", desk.lang, error=text)))
            return
        self.post_message(self.Loaded(gen, found, None))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.gen != self._gen:
            return  # an older week's answer
        title = self.query_one("#calendar-title", Static)
        if message.error is not None:
            title.update(Text(message.error, style="bold red"))
            return
        cal = self.calendar = message.calendar
        self.start = cal.start
        lang = self.lang
        end = cal.start + timedelta(days=6)
        head = Text(t("change.calendar.title", lang, week=cal.week, start=f"{cal.start:%Y-%m-%d}",
                      end=f"{end:%Y-%m-%d}"), style="bold")
        count = len(cal.conflicts)
        if count:
            head.append("  ")
            head.append(t("change.calendar.conflicts", lang, count=count), style=CONFLICT)
        named = t("time.zone", lang, zone=zone_label(zone(self.app.desk.config)))
        if head.cell_len + cell_len(named) + 2 <= (self.size.width or 80) - 2:
            head.append("  " + named, style="dim")
        else:  # (80 columns: on a line of its own, whole; the times below are in that zone)
            head.append("\n" + named, style="dim")
        title.update(head)
        self._fill(cal)

    def _fill(self, cal) -> None:
        lang, tz = self.lang, zone(self.app.desk.config)
        width = max(20, (self.size.width or 80) - 2)
        days = self.query_one(OptionList)
        highlighted = days.highlighted_option.id if days.highlighted_option is not None else None
        options: list[Option] = []
        for day in cal.days:
            heading = Text(f"{t(f'change.weekday.{day.day.weekday()}', lang)} {day.day.isoformat()}",
                           style="bold underline")
            if day.freeze is not None:  # (the freeze's name comes from config: shown literally)
                heading.append("  ")
                heading.append(t("change.calendar.frozen", lang, freeze=one_line(day.freeze.label(lang), 80)),
                               style=FROZEN)
            options.append(Option(heading, disabled=True))
            if not day.entries:
                options.append(Option(Text("  " + t("change.cli.calendar_none", lang), style="dim italic"),
                                      disabled=True))
            for entry in day.entries:
                options.append(Option(entry_text(entry, day.day, lang, width, tz, self.app.desk.config), id=f"{day.day}:{entry.change.id}"))
        days.clear_options()
        days.add_options(options)
        ids = [o.id for o in options if o.id]
        if ids:
            days.highlighted = days.get_option_index(highlighted if highlighted in ids else ids[0])

    # --- keys --------------------------------------------------------------------------------------
    def action_week(self, step: int) -> None:
        if self.start is None:
            return  # (the first week is still being read)
        self.start = self.start + timedelta(days=7 * step)
        self._load()

    def action_this_week(self) -> None:
        self.start = None
        self._load()

    def selected_change(self) -> int | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return int(option.id.rsplit(":", 1)[1])

    def action_open(self) -> None:
        change_id = self.selected_change()
        if change_id is None:
            self.notify(t("change.calendar.nothing", self.lang), severity="warning", markup=False)
            return
        from desk.screens.record_detail import detail_screen_class

        screen = self.list_screen
        detail = detail_screen_class(screen)
        self.app.push_screen(detail(screen, change_id, screen.read_detail, screen.detail_lines,
                                    t("lists.change.title", self.lang, id=change_id)))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()
