"""The reject form (`x`) listed the approval-rejected codes bare in its label, in English in the
Chinese UI too ('审批未通过代码（not_justified、no_budget、…）': walkE, in tmux, as an approver): each code
is named with its label from the code table in force, in the user's language."""

from __future__ import annotations

import pytest

from test_request_keys import keys_app, on_row, open_form, shown  # noqa: F401 (the fixture)


@pytest.mark.parametrize("lang, named", [
    ("en", "`not_justified` Not justified, `no_budget` No budget, `against_policy` Against policy, `other` Other"),
    ("zh", "`not_justified` 理由不充分、`no_budget` 无预算、`against_policy` 不符合制度、`other` 其他"),
])
async def test_the_reject_form_names_each_code_with_its_label(keys_app, lang, named):
    from desk.services import request_approval

    app = keys_app(lang=lang, user="boss", size=(120, 40))
    request_approval.ask_approval(app.desk, "chen", app.desk.made["dispatched"], approvers=["boss"])
    async with app.run_test(size=(120, 40)) as pilot:
        await on_row(pilot, app.desk.made["dispatched"])
        await open_form(pilot, "x")
        assert named in shown(app), shown(app)


@pytest.mark.parametrize("lang, named, raw", [
    ("en", "`succeeded` Succeeded, `failed` Failed", "succeeded or failed"),
    ("zh", "`succeeded` 处理成功、`failed` 处理失败", "succeeded 或 failed"),
])
async def test_the_close_form_names_the_two_codes_it_takes_with_their_labels(keys_app, lang, named, raw):
    """(walkE: 'Close code (succeeded or failed; …)' in English in the Chinese form too.) A resolved
    request closes as its fulfilment ended: the other close codes are not offered."""
    from desk.services import requests

    app = keys_app(lang=lang, user="li", size=(120, 40))
    done = app.desk.made["dispatched"]
    requests.fulfil(app.desk, "chen", done, note="drive mapped")
    requests.callback(app.desk, "li", done, satisfaction=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_row(pilot, done)
        await open_form(pilot, "c")
        assert named in shown(app) and raw not in shown(app), shown(app)
        assert "cancelled" not in shown(app) and "approval_rejected" not in shown(app)
