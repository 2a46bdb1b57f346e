"""The request keys the key bar shows at 80 columns follow the user's role (desk/screens/request_keys.py):
an approver sees approve AND reject (seen in tmux: `x Reject` never showed, `p Approve` did, beside
desk keys an approver may never press), a first-line agent the desk's keys, and both keep `? Help`,
which lists every key."""

from __future__ import annotations

import pytest
from tui_helpers import wait_until

from desk.services import request_approval, requests
from desk.widgets.key_bar import KeyBar


def bar(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


@pytest.fixture
def waiting(desk):
    """A request that waits for appr's approval."""
    r = requests.create(desk, "li", title="Second monitor", requester="Zhang Wei", checked=["all"], accept=True)
    requests.dispatch(desk, "li", r.id, to="chen")
    request_approval.ask_approval(desk, "chen", r.id, approvers=["appr"])
    return r.id


async def _bars(desk, user: str, lang: str, view: str = "") -> tuple[str, str]:
    """(the queue's key bar, the detail's) at 80x24, the first row of the user's landing view opened."""
    from desk.app import DeskApp, operator_for
    from desk.screens.request_detail import RequestDetailScreen
    from desk.screens.requests import RequestsScreen

    desk.lang, desk.user = lang, user
    app = DeskApp(desk, operator_for(desk, user), keymap={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *([view] if view else []))
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen) and app.screen.table.cursor_row
                         is not None, what="the request queue's first row")
        await pilot.pause()
        queue = bar(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestDetailScreen) and app.screen.loaded,
                         what="the request detail")
        await pilot.pause()
        return queue, bar(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_approver_sees_approve_reject_and_help_and_no_key_they_may_never_press(desk, waiting, lang):
    queue, detail = await _bars(desk, "appr", lang)
    words = {"en": ("p Approve", "x Reject", "? Help", "a Accept", "n New request"),
             "zh": ("p 审批通过", "x 驳回", "? 帮助", "a 受理", "n 新建请求")}[lang]
    for shown in (queue, detail):
        assert words[0] in shown and words[1] in shown and words[2] in shown, shown
        assert words[3] not in shown and words[4] not in shown, shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_first_line_agent_sees_the_desk_s_keys_and_help_and_no_approval_keys(desk, waiting, lang):
    queue, detail = await _bars(desk, "li", lang)
    words = {"en": ("n New request", "a Accept", "c Close", "? Help", "Approve", "Reject"),
             "zh": ("n 新建请求", "a 受理", "c 关闭", "? 帮助", "审批通过", "驳回")}[lang]
    assert all(w in queue for w in words[:4]), queue
    assert words[1] in detail and words[3] in detail, detail
    for shown in (queue, detail):
        assert words[4] not in shown and words[5] not in shown, shown


async def test_an_administrator_who_may_do_both_sees_approve_reject_and_the_desk_s_keys(desk, waiting):
    queue, _detail = await _bars(desk, "admin", "en", view="7")  # (all)
    assert all(w in queue for w in ("p Approve", "x Reject", "a Accept", "f Fulfil", "c Close", "? Help")), queue
