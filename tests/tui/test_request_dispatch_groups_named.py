"""The dispatch form (`d`) asked for 'Group (code)' with no codes in sight (walkE, in tmux: typed
`desktop`, refused): its label names each work group's code with its label, in the user's language."""

from __future__ import annotations

import pytest

from test_request_keys import keys_app, on_row, open_form, shown  # noqa: F401 (the fixture)


@pytest.mark.parametrize("lang, named", [
    ("en", "`network` Network team, `systems` Systems team"),
    ("zh", "`network` 网络组、`systems` 系统组"),
])
async def test_the_dispatch_form_names_the_groups_codes(keys_app, lang, named):
    from desk.services import requests

    app = keys_app(lang=lang, user="lead", size=(120, 40))
    pending = app.desk.made["pending"]
    requests.accept(app.desk, "li", pending)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_row(pilot, pending)
        await open_form(pilot, "d")
        assert named in shown(app), shown(app)
