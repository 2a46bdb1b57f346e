"""Asking for approval (`l`) wanted approvers' logins typed from memory, under a label cut at 80
columns ('…, separated by'): walkE, in tmux, as a handler who does not know the leaders' logins.
The form names the desk's approvers (login and name) and how many levels the request needs, and
its labels wrap whole at 80 columns, in English and Chinese."""

from __future__ import annotations

import pytest

from test_request_keys import keys_app, on_row, open_form, shown  # noqa: F401 (the fixture)


@pytest.mark.parametrize("lang, label, offered", [
    ("en", "Approving leaders (logins, in the order they decide, separated by commas)",
     "Approvers: appr (Appr), boss (Boss). Levels this request needs: 1."),
    ("zh", "审批领导（登录名，按审批顺序，以逗号分隔）", "可选审批人：appr（Appr）、boss（Boss）。此请求需要的审批级数：1。"),
])
async def test_the_approval_form_names_the_approvers_whole_at_80_columns(keys_app, lang, label, offered):
    app = keys_app(lang=lang, user="chen", size=(80, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_row(pilot, app.desk.made["dispatched"])
        await open_form(pilot, "l")
        text = shown(app)
        assert label in text and offered in text, text
