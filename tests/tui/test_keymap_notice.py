"""A keymap given to the app with faults (issue 11, item 7): an unknown binding id and a bad value
are told apart, and "[keymap]" shows as written (it was eaten as markup). (A keymap from the
config file never gets this far: desk stops at start with file:line, tests/cli/test_config_keymap_views.py.)"""

from __future__ import annotations

from tui_helpers import queue_ready


async def test_unknown_ids_and_bad_values_are_told_apart_and_shown_literally(make_app):
    app = make_app(keymap={"assign": 5, "nosuch": "x", "sort": "o"})
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        notes = [n for n in app._notifications]
        unknown = [n for n in notes if "nosuch" in str(n.message)]
        bad = [n for n in notes if "assign" in str(n.message)]
        assert len(unknown) == 1 and len(bad) == 1
        assert "does not have" in unknown[0].message and "assign" not in unknown[0].message
        assert "cannot read" in bad[0].message and "nosuch" not in bad[0].message
        for note in unknown + bad:
            assert note.message.startswith("[keymap] in your config") and note.markup is False
        keys = {b.binding.id: k for k, b in screen.active_bindings.items()}
        assert keys["sort"] == "o" and keys["assign"] == "a"  # the good entry applies, the bad one is ignored
