"""The switches of bench.tui_probe's A/B runs (`--no-<path>`): each turns one of desk's speculative
paths, or the app's SLA poll, off in the probe process once Textual is imported. Issue 12 wants
every path added for speed to show in an A/B what it saves (bench.fig_read_ahead --path)."""

from __future__ import annotations


def no_read_ahead() -> None:
    from desk.widgets.queue_source import ListSource

    ListSource.peek = lambda self, request: None


def no_sla_poll() -> None:
    from desk import sla_poll

    sla_poll.FIRST = sla_poll.EVERY = 1e9


def no_prerender() -> None:
    from desk.widgets.record_lines import TableDrawing

    TableDrawing._schedule_prerender = lambda self: None
    TableDrawing.prerender_rows = lambda self, rows, sort=None, descending=False: None


def no_detail_read_ahead() -> None:
    from desk.screens.queue import QueueScreen

    QueueScreen._cursor_settling = lambda self: None


# The speculative paths of issue 12 besides the reader's read-ahead (figure 13), each switched off
# by `--no-<path>` for an A/B (bench.fig_read_ahead --path): path -> (what it does, switch off).
SWITCHES = {
    "prerender": ("the table draws no lines ahead (the pages around the one shown, the next sort's and a typed "
                  "filter's first page): each line is drawn in the frame that shows it", no_prerender),
    "detail_read_ahead": ("the queue reads no incident detail ahead while its cursor rests: enter reads it",
                          no_detail_read_ahead),
}
