"""esc on a half-typed new incident keeps it (walkD, in tmux: an agent who slipped on esc mid-call
lost the title, the caller and the symptoms): the next `n` puts back what was typed and says so;
once the incident is recorded, `n` opens an empty form; esc on an untouched form keeps nothing."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea
from test_key_burst import open_new_incident
from tui_helpers import queue_ready, wait_until

from desk.screens.dialogs.drafts import _DRAFTS
from desk.screens.dialogs.new_incident import NewIncidentDialog
from desk.services import incidents


async def test_escape_keeps_what_was_typed_and_n_puts_it_back_until_it_is_recorded(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        dialog = await open_new_incident(pilot, app)
        dialog.query_one("#title", Input).value = "Scanner on floor 4 offline"
        dialog.query_one("#caller", Input).value = "Zoe Ma"
        dialog.query_one("#impact", Select).value = "2"
        dialog.query_one("#description", TextArea).text = "Paper jam light, then nothing"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewIncidentDialog), what="the form to close")

        dialog = await open_new_incident(pilot, app)
        assert dialog.query_one("#title", Input).value == "Scanner on floor 4 offline"
        assert dialog.query_one("#caller", Input).value == "Zoe Ma"
        assert dialog.query_one("#impact", Select).value == "2"
        assert dialog.query_one("#description", TextArea).text == "Paper jam light, then nothing"
        assert any("is back" in str(n.message) for n in app._notifications)
        dialog.query_one("#urgency", Select).value = "2"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewIncidentDialog), what="the incident recorded")
        created = max(app.desk.seeded_ids) + 1
        assert incidents.get(app.desk, created).caller == "Zoe Ma"

        dialog = await open_new_incident(pilot, app)  # recorded: a fresh form
        assert dialog.query_one("#title", Input).value == "" and dialog.query_one("#caller", Input).value == ""
        await pilot.press("escape")  # nothing typed: nothing kept
        await wait_until(pilot, lambda: not isinstance(app.screen, NewIncidentDialog), what="the form to close")
        assert not _DRAFTS.get(app)
