"""The TUI on a real pseudo-terminal: hostile text reaches the screen inert, and a session
dropped mid-dialog (SIGHUP, as when an SSH connection dies) leaves no lock and no partial write."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from desk.services import incidents
from desk.services.check import run_check
from reliability.helpers import Pty, dump

pytest.importorskip("desk.app")

HOSTILE_TITLE = ("Printer \x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J [bold]loud[/bold] [@click=app.quit]q[/] "
                 "\u202egpj.exe \u009b31m")


@pytest.fixture
def tui_db(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "tui.db"), clock)
    iid = incidents.create(desk, "li", title=HOSTILE_TITLE, impact=2, urgency=2, caller="Zhang \u202eWei").id
    desk.close()
    env = {**os.environ, "DESK_USER": "admin", "DESK_DB": str(tmp_path / "tui.db"), "DESK_LANG": "en"}
    return str(tmp_path / "tui.db"), iid, env


def test_hostile_titles_reach_the_terminal_inert(tui_db):
    db, iid, env = tui_db
    pty = Pty([sys.executable, "-m", "desk"], env)
    try:
        assert pty.wait_for("Printer", 60), pty.text()[-2000:]
        pty.read(1.0)
        raw = bytes(pty.raw)
        assert b"\x1b]52;c;cm0gLXJmIH4=" not in raw  # no clipboard write
        assert "\u202e".encode() not in raw and "\u009b".encode() not in raw  # no bidi override, no C1 CSI
        assert "␛]52;c;cm0gLXJmIH4=␇" in pty.text()  # shown, as visible stand-ins
        assert pty.proc.poll() is None  # [@click=app.quit] was text, not an action
    finally:
        pty.close()


def test_a_session_hung_up_mid_dialog_leaves_no_lock_and_writes_nothing(tui_db):
    db, iid, env = tui_db
    from desk.services.context import open_desk

    probe = open_desk(db, user="admin")
    before = dump(probe.db)
    probe.close()
    pty = Pty([sys.executable, "-m", "desk"], env)
    try:
        assert pty.wait_for("Printer", 60)
        pty.read(0.5)
        pty.send(b"r")  # resolve the selected incident: the dialog opens
        assert pty.wait_for("ctrl+s", 30)
        pty.send("half a resolution, never saved".encode())
        pty.read(0.5)
        os.killpg(pty.proc.pid, signal.SIGHUP)  # the SSH connection drops
        pty.proc.wait(20)
    finally:
        pty.close()
    desk = open_desk(db, user="admin")
    assert dump(desk.db) == before  # nothing partial, nothing at all
    # A lock left behind would make this wait out the busy timeout and fail with DatabaseBusy.
    incidents.note(desk, "li", iid, text="the next write goes through")
    assert run_check(desk).problems == []
    desk.close()


PASTED = "[bold]loud[/bold] [@click=app.quit]q[/] [link=https://evil.example]x[/link] [/] \x1b]52;c;aGk=\x07 " \
         "\x1b[2J \u009b31m \u202egpj.exe 打印机"


def test_hostile_text_pasted_into_the_new_incident_form_is_stored_exactly_and_shown_inert(desk):
    """Through the TUI's own form (values set as a paste would set them), to the database and back."""
    import asyncio

    from textual.widgets import Input, Select, TextArea

    from desk.app import DeskApp, operator_for

    forbidden = ("\x1b]52", "\x1b[2J", "\u009b", "\u202e")

    async def scenario():
        app = DeskApp(desk, operator_for(desk, "li"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            await pilot.press("n")
            for _ in range(100):
                await pilot.pause(0.05)
                if app.screen.query("#title"):
                    break
            form = app.screen
            form.query_one("#title", Input).value = PASTED
            form.query_one("#caller", Input).value = "Zhang \u202eWei"
            form.query_one("#description", TextArea).text = PASTED + "\nline two"
            form.query_one("#impact", Select).value = "2"
            form.query_one("#urgency", Select).value = "2"
            await pilot.pause(0.1)
            await pilot.press("ctrl+s")
            for _ in range(100):
                await pilot.pause(0.05)
                if incidents_titled(PASTED):
                    break
            await pilot.pause(0.5)
            from rich.console import Console

            with open(os.devnull, "w") as sink:
                console = Console(file=sink, width=120, height=40, color_system="truecolor", force_terminal=True)
                painted = app.screen._compositor.render_full_update().render_segments(console)
            assert app.is_running  # [@click=app.quit] did nothing
            return painted

    def incidents_titled(title):
        from desk.models import Incident

        return list(Incident.select().where(Incident.title == title))

    painted = asyncio.run(scenario())
    (row,) = incidents_titled(PASTED)
    got = incidents.get(desk, row.id)
    assert (got.title, got.description, got.caller) == (PASTED, PASTED + "\nline two", "Zhang \u202eWei")
    assert "[bold]loud" in painted  # the new incident is on the queue, its markup shown as typed…
    assert not any(f in painted for f in forbidden)  # …and its controls inert
