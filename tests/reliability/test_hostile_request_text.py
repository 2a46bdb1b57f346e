"""Hostile text in every free-text field of a service request (issue 14): title, description,
requester, contact, location, remarks, completion note, callback comment, approval comments (an
approval's note, a rejection's reason) — stored exactly, shown literally (markup never applied,
control characters and bidi overrides as visible stand-ins) in the request queue, the request
detail and `desk request show|list`; NUL and text that is not valid Unicode refused with nothing
written. The same decisions as for incidents (test_hostile_text.py, docs/security.md)."""

from __future__ import annotations

import asyncio
import json

import pytest

from desk.domain.errors import ValidationError
from desk.services import history, request_approval, request_reads, requests
from reliability.helpers import dump, run_cli
from reliability.test_hostile_text import ALL, FORBIDDEN, PAYLOADS, inert

FIELDS = ("title", "description", "requester", "contact", "location", "remarks")


def _walked(desk, text: str) -> int:
    """A request with `text` in every field, approved (with the text as the approver's note),
    fulfilled, called back and closed, each step with the text where it takes one."""
    short = text[:200]  # (a requester's name and contact: at most 200 characters)
    made = requests.create(desk, "li", title=text, description=text * 2, requester=short, contact=short,
                           location=text, remarks=text, checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen", note=text)
    request_approval.ask_approval(desk, "chen", made.id, approvers=["appr"])
    request_approval.approve(desk, "appr", made.id, note=text)
    requests.fulfil(desk, "chen", made.id, note=text)
    requests.callback(desk, "li", made.id, satisfaction=4, comment=text)
    requests.close(desk, "li", made.id)
    return made.id


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_every_request_text_field_is_stored_exactly(desk, name):
    text = PAYLOADS[name]
    got = request_reads.get(desk, _walked(desk, text))
    assert [getattr(got, f) for f in FIELDS] == [text, text * 2, text, text, text, text]
    assert (got.completion_note, got.callback_comment, got.status) == (text, text, "closed")
    assert [a.note for a in request_approval.approvals(desk, got.id, 1)] == [text]
    assert text in [h.note for h in got.history]
    assert history.verify("request", got.id) is None


def test_a_rejection_reason_is_stored_exactly(desk):
    made = requests.create(desk, "li", title="Admin rights", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    request_approval.ask_approval(desk, "chen", made.id, approvers=["appr"])
    request_approval.reject(desk, "appr", made.id, reason=ALL)
    assert [a.note for a in request_approval.approvals(desk, made.id, 1)] == [ALL]
    assert request_reads.get(desk, made.id).status == "closed"


# Every free-text parameter of the request use cases, with what it takes to reach it.
ENTRY_POINTS = {
    **{f"create.{f}": (lambda f: lambda d, i, s: requests.create(d, "li", checked=["all"], **{"title": "t", f: s}))(f)
       for f in FIELDS},
    "dispatch.note": lambda d, i, s: requests.dispatch(d, "li", i, to="chen", note=s),
    "note.text": lambda d, i, s: requests.note(d, "li", i, text=s),
    "wait.reason": lambda d, i, s: requests.wait(d, "li", i, reason=s),
    "cancel.reason": lambda d, i, s: requests.cancel(d, "li", i, reason=s),
    "return.suggestion": lambda d, i, s: requests.return_(d, "li", i, reason="r", suggestion=s),
    "fulfil.note": lambda d, i, s: requests.fulfil(d, "li", i, note=s),
    "callback.comment": lambda d, i, s: requests.callback(d, "li", i, satisfaction=3, comment=s),
    "approve.note": lambda d, i, s: request_approval.approve(d, "appr", i, note=s),
    "reject.reason": lambda d, i, s: request_approval.reject(d, "appr", i, reason=s),
}


@pytest.mark.parametrize("bad", ["nul\x00byte", "undecodable \udcff byte"], ids=["nul", "surrogate"])
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_nul_and_invalid_unicode_are_refused_in_every_request_field_with_nothing_written(desk, entry, bad):
    made = requests.create(desk, "li", title="printer", checked=["all"], accept=True)
    before = dump(desk.db)
    with pytest.raises(ValidationError) as err:
        ENTRY_POINTS[entry](desk, made.id, bad)
    assert err.value.key in ("error.nul", "error.not_utf8")
    assert dump(desk.db) == before


# --- shown literally: the queue and the detail (TUI), the command line ----------------------------

def _plain(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


async def _until(pilot, predicate, what: str, timeout: float = 8.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if predicate():
            return
    raise AssertionError(f"timed out waiting for {what}")


def test_the_request_queue_and_detail_show_hostile_text_literally(desk):
    from desk.app import DeskApp, operator_for
    from desk.screens.requests import RequestsScreen

    request_id = _walked(desk, ALL)
    desk.user = "li"
    app = DeskApp(desk, operator_for(desk, "li"), keymap={})

    async def scenario():
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.press("f3")
            await _until(pilot, lambda: isinstance(app.screen, RequestsScreen), "the request queue")
            screen = app.screen
            await pilot.press(str(screen.SPEC.views.index("all") + 1))
            await _until(pilot, lambda: screen.table.cursor_id == request_id and "[bold]loud" in _plain(app), "the row")
            queue = _plain(app)
            assert inert(queue), [m.group() for m in FORBIDDEN.finditer(queue)]
            assert "[bold]loud[/bold] [@click=app.quit]quit[/]" in queue  # markup shown as typed, never applied
            await pilot.press("enter")
            await _until(pilot, lambda: "Intake checklist" in _plain(app), "the detail")
            detail = _plain(app)
            assert inert(detail), [m.group() for m in FORBIDDEN.finditer(detail)]
            assert "[bold]loud[/bold] [@click=app.quit]quit[/]" in detail and "invoice_\ufffdgpj.exe" in detail
            assert "␛[2J␛[Hwiped" in detail  # the escape shown as a visible stand-in, the screen not wiped
            assert app.is_running  # [@click=app.quit] was text, not an action

    asyncio.run(scenario())


def test_desk_request_show_and_list_print_hostile_text_inert(desk, db_url):
    request_id = _walked(desk, ALL)
    desk.close()
    for args in (["show", str(request_id)], ["list", "--view", "all"]):
        out = run_cli("request", *args, db=db_url)
        text = out.stdout.decode("utf-8")
        assert out.returncode == 0 and inert(text), (args, [m.group() for m in FORBIDDEN.finditer(text)])
        assert "[bold]loud[/bold]" in text  # markup shown as typed, never applied
    out = run_cli("request", "show", str(request_id), "--json", db=db_url)
    shown = json.loads(out.stdout)
    assert inert(out.stdout.decode()) and (shown["title"], shown["callback_comment"], shown["remarks"]) == (ALL,) * 3
