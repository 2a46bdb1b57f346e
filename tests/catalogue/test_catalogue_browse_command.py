"""`desk catalogue browse` opens the catalogue screen on its own (as `desk wallboard` opens the
wallboard), on a real pseudo-terminal: only its screen, no way to the queue, `q` ends it cleanly."""

from __future__ import annotations

import os
import sys

from reliability.helpers import Pty


def test_desk_catalogue_browse_opens_the_catalogue_alone_and_q_quits(tmp_path, clock):
    from conftest import make_desk

    make_desk(str(tmp_path / "browse.db"), clock).close()
    env = {**os.environ, "DESK_USER": "catm", "DESK_DB": str(tmp_path / "browse.db"), "DESK_LANG": "en"}
    pty = Pty([sys.executable, "-m", "desk", "catalogue", "browse"], env, cols=80, rows=24)
    try:
        assert pty.wait_for("1 of 12", 60), pty.text()[-2000:]  # the list of the shipped dozen, loaded
        shown = pty.text()
        assert "F4 Cat" in shown and "Accounts and" in shown
        assert "F2" not in shown and "Queue" not in shown  # its screen alone: no tab to another
        pty.send(b"\x1bOQ")  # F2: the queue's key in `desk`; nothing here
        pty.send(b"/mail")
        assert pty.wait_for("1 of 1 ", 30), pty.text()[-2000:]  # still the catalogue: searched to email
        pty.send(b"\x1b")  # escape: clears the search
        pty.read(0.3)
        pty.send(b"\x1b")
        pty.read(0.3)
        pty.send(b"q")
        assert pty.proc.wait(30) == 0
    finally:
        pty.close()
