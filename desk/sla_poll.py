"""Every running TUI ticks the SLA escalations and shows the user's new notifications as toasts.

Started by the app after its first frame (`start(app)`): the first look comes after `FIRST`
seconds (it says how many notifications are unread, if any), then one every `EVERY` seconds:
`desk sla tick` (each escalation is recorded once, however many TUIs tick) and a toast for each
notification that arrived since. The database is read in a thread of its own (desk.widgets.reader),
never on the UI's."""

from __future__ import annotations

from desk.i18n import t

FIRST = 45.0
EVERY = 15.0


class NotificationPoll:
    def __init__(self, app) -> None:
        from desk.widgets.reader import Reader

        self.app = app
        self.reader = Reader(app.desk, "desk-sla-poll")
        self.last_id: int | None = None
        self.shown = 0  # toasts shown (tests wait for it)

    def poll(self) -> None:
        if self.reader.pending:
            return
        desk, login, last = self.app.desk, self.app.operator.login, self.last_id

        def work():
            from desk.services import sla_tick

            sla_tick.tick(desk, login)
            if last is None:
                rows = sla_tick.for_agent(desk, login, unread=True, limit=1)
                return (rows[0].id if rows else 0), [], sla_tick.unread_count(desk, login)
            new = sla_tick.newer_than(desk, login, last)
            return (new[-1].id if new else last), new, None

        self.reader.read(work, self._done)

    def _done(self, result, error) -> None:
        if error is None:
            try:
                self.app.call_from_thread(self._show, result)
            except RuntimeError:  # the app is gone
                pass

    def _show(self, result) -> None:
        from desk.services.sla_tick import text

        last, new, unread = result
        lang = self.app.lang
        if unread:
            self.app.notify(t("sla.poll.unread", lang, count=unread), title=t("sla.poll.title", lang),
                            timeout=10, markup=False)
            self.shown += 1
        for n in new:
            severity = "error" if n.kind == "sla.breach" else "warning"
            self.app.notify(text(n, lang), title=t("sla.poll.title", lang), severity=severity, timeout=10,
                            markup=False)
            self.shown += 1
        self.last_id = last

    def stop(self) -> None:
        self.reader.close()


def start(app) -> NotificationPoll:
    poll = NotificationPoll(app)
    app.set_timer(FIRST, poll.poll, name="sla-poll-first")
    app.set_interval(EVERY, poll.poll, name="sla-poll")
    return poll
