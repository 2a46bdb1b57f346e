"""Keys sent in one burst go where a person expects (issue 11, item 6): after Tab, `/`, or a key
that opens a form, the keys typed next belong to the field or screen that key moved to.

Pilot's `press` waits for the app to go idle after every key, which hides the fault; these
tests post every key to the app at once, as the terminal driver does with a paste, a fast
typist or `tmux send-keys`. They also guard desk.key_order against a Textual upgrade that
changes how keys travel (it relies on the order of Textual's message queues)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input
from tui_helpers import queue_ready, wait_until

from desk.screens.dialogs.new_incident import NewIncidentDialog

CHARS = {"tab": "\t", "shift+tab": None, "enter": "\r", "escape": "\x1b", "backspace": "\x7f",
         "down": None, "up": None, "end": None}
NAMES = {" ": "space", "/": "slash", ":": "colon", "-": "minus"}


def burst(app, *keys: str) -> None:
    """Post every key to the app at once (no pause between them)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, CHARS.get(key)))


def ready(dialog) -> bool:
    """The dialog has composed and read its choices (its OK button is enabled)."""
    buttons = dialog.query("#ok")
    return bool(buttons) and not buttons.first().disabled


async def open_new_incident(pilot, app):
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewIncidentDialog), what="the new incident dialog")
    dialog = app.screen
    await wait_until(pilot, lambda: ready(dialog), what="the dialog to load")
    dialog.query_one("#title", Input).focus()
    await wait_until(pilot, lambda: app.focused is dialog.query_one("#title"), what="the title focused")
    return dialog


async def test_tab_in_a_burst_moves_the_rest_to_the_next_field(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        dialog = await open_new_incident(pilot, app)
        title, caller = dialog.query_one("#title", Input), dialog.query_one("#caller", Input)
        burst(app, *"Printer jam", "tab", *"Wang Wei")
        await wait_until(pilot, lambda: caller.value == "Wang Wei", what="the caller typed")
        assert title.value == "Printer jam"
        burst(app, "shift+tab", "end", *" 3F")  # focusing an Input selects its text
        await wait_until(pilot, lambda: title.value == "Printer jam 3F", what="the title typed on")
        assert caller.value == "Wang Wei"


async def test_slash_in_a_burst_types_the_rest_into_the_filter(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        burst(app, "/", *"p:1", "enter")
        await wait_until(pilot, lambda: queue.filter_text == "p:1", what="the filter applied")
        assert queue.bar.input.value == "p:1"


async def test_keys_typed_after_n_go_into_the_new_form(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        burst(app, "n", *"Kiosk frozen")
        await wait_until(pilot, lambda: isinstance(app.screen, NewIncidentDialog), what="the new incident dialog")
        dialog = app.screen
        await wait_until(pilot, lambda: ready(dialog), what="the dialog to load")
        title = dialog.query_one("#title", Input)
        await wait_until(pilot, lambda: title.value == "Kiosk frozen", what="the title typed")


async def test_keys_after_esc_closing_a_form_reach_the_queue(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        first = queue.table.cursor
        await open_new_incident(pilot, app)
        burst(app, "escape", "down", "down")
        await wait_until(pilot, lambda: not isinstance(app.screen, NewIncidentDialog), what="the form closed")
        await wait_until(pilot, lambda: queue.table.cursor == first + 2, what="the cursor moved twice")
