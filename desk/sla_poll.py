"""Every running TUI ticks the SLA escalations and shows the user's new notifications as toasts.

Started by the app after its first frame (`start(app)`): at once it reads how many of the user's
notifications are unread, so the header shows the count from the first frames (`count_now`); the
first look comes after `FIRST` seconds (a toast says how many are unread, if any), then one every
`EVERY` seconds:
`desk sla tick` (each escalation is recorded once, however many TUIs tick) and a toast for each
notification that arrived since. The database is read in a thread of its own (desk.widgets.reader),
never on the UI's. Each look also reads how many are unread: the header shows that count
(`unread_label`), and the notification list (desk/screens/notifications.py) sets it when it reads
or marks some read.

The reading thread may outlive the app (a look still running when the user quits): its answers
reach the UI thread as messages (`PollAnswer`: posting is thread-safe, never blocks, and is refused
quietly once the app is closing), and run there only while the poll has not stopped (`stop`, on the
app's unmount, on the UI thread). So an answer that comes late is dropped, whenever it comes;
`App.call_from_thread` instead blocked the thread on a loop that might never run it again, and on a
closed loop left a coroutine never awaited."""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from textual.message import Message

from desk.i18n import t

FIRST = 45.0
EVERY = 15.0
_UNREAD: WeakKeyDictionary = WeakKeyDictionary()  # app -> the user's unread notifications, as last read


def set_unread(app, count: int) -> None:
    """Keep the count and show it at once in the header on screen (the others catch up within a
    second: each header asks once a second). On the UI thread."""
    _UNREAD[app] = count
    try:
        headers = app.screen.query("DeskHeader")
    except Exception:  # noqa: BLE001 — no screen yet (or the app is closing): the headers ask anyway
        return
    for header in headers:
        header.refresh_unread()


def unread(app) -> int | None:
    """The user's unread notifications as last read (None: not read yet)."""
    return _UNREAD.get(app)


def unread_label(app) -> str:
    """What the header shows: "F9: 3 unread" ("" while there are none, or before the first look)."""
    count = _UNREAD.get(app)
    if not count:
        return ""
    return t("sla.notes.header", app.lang, key=key_shown(app), count=count)


def key_shown(app) -> str:
    """The key that opens the notification list, as shown ("F9"; the user's keymap may move it)."""
    # (Textual's private `_bindings`: the app's own bindings after the user's keymap, as
    # DeskApp.binding_ids reads them; checked by tests/tui/test_textual_private_api.py)
    for _key, binding in app._bindings:
        if binding.id == "notifications":
            shown = app.get_key_display(binding)
            return shown.upper() if re.fullmatch(r"f\d+", shown) else shown
    return "F9"


class PollAnswer(Message, bubble=False):
    """A read of the poll's, answered in its thread: `callback(value)` on the UI thread (the
    app's `on_poll_answer`), unless the poll has stopped by then."""

    def __init__(self, poll: NotificationPoll, callback, value) -> None:
        super().__init__()
        self.poll, self.callback, self.value = poll, callback, value

    def run(self) -> None:
        if not self.poll.stopped:
            self.callback(self.value)


class NotificationPoll:
    def __init__(self, app) -> None:
        from desk.widgets.reader import Reader

        self.app = app
        self.reader = Reader(app.desk, "desk-sla-poll")
        self.last_id: int | None = None
        self.shown = 0  # toasts shown (tests wait for it)
        self.counted = False  # the count read at start is in (tests wait for it)
        self.stopped = False  # set on the UI thread: no answer reaches the app after it

    def _answer(self, callback, value) -> None:
        """From the reading thread: `callback(value)` on the UI thread, if the poll has not stopped
        by the time it runs there. (Posting to an app that is closing does nothing.)"""
        self.app.post_message(PollAnswer(self, callback, value))

    def count_now(self) -> None:
        """How many are unread, read in the poll's thread; the header shows it once it is in."""
        desk, login = self.app.desk, self.app.operator.login

        def work():
            from desk.services import sla_tick

            return sla_tick.unread_count(desk, login)

        if not self.reader.read(work, self._counted):
            self.counted = True  # (closed: the app is exiting)

    def _counted(self, count, error) -> None:
        self._answer(self._set_count, None if error is not None else count)

    def _set_count(self, count: int | None) -> None:
        # a look or the notification list may have read it since (reads run in order, but the
        # list reads in a thread of its own): what they set is newer
        if count is not None and unread(self.app) is None:
            set_unread(self.app, count)
        self.counted = True

    def poll(self) -> None:
        if self.reader.pending:
            return
        desk, login, last = self.app.desk, self.app.operator.login, self.last_id

        def work():
            from desk.services import sla_tick

            sla_tick.tick(desk, login)
            count = sla_tick.unread_count(desk, login)
            if last is None:
                rows = sla_tick.for_agent(desk, login, unread=True, limit=1)
                return (rows[0].id if rows else 0), [], count, True
            new = sla_tick.newer_than(desk, login, last)
            return (new[-1].id if new else last), new, count, False

        self.reader.read(work, self._done)

    def _done(self, result, error) -> None:
        if error is None:
            self._answer(self._show, result)

    def _show(self, result) -> None:
        from desk.services.sla_tick import text
        from desk.timefmt import zone

        last, new, count, first = result
        lang = self.app.lang
        set_unread(self.app, count)
        if first and count:
            self.app.notify(t("sla.poll.unread", lang, count=count, key=key_shown(self.app)), title=t("sla.poll.title", lang),
                            timeout=10, markup=False)
            self.shown += 1
        for n in new:
            severity = "error" if n.kind == "sla.breach" else "warning"
            self.app.notify(text(n, lang, zone(self.app.desk.config)), title=t("sla.poll.title", lang), severity=severity, timeout=10,
                            markup=False)
            self.shown += 1
        self.last_id = last
        if new:  # the notification list, if it is open, shows them too
            arrived = getattr(self.app.screen, "notifications_arrived", None)
            if arrived is not None:
                arrived()

    def stop(self) -> None:
        """On the app's unmount (UI thread): no answer is shown from now on; the reading thread
        ends once its current read (if any) has, without waiting for the UI."""
        self.stopped = True
        self.reader.close()


def start(app) -> NotificationPoll:
    poll = NotificationPoll(app)
    poll.count_now()
    app.set_timer(FIRST, poll.poll, name="sla-poll-first")
    app.set_interval(EVERY, poll.poll, name="sla-poll")
    return poll
