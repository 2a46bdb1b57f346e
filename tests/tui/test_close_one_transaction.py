"""Defect 9 of issue 12: the close dialog records the caller's confirmation and closes in ONE
transaction. A failure between the two steps (here: the close's history row cannot be written)
leaves the incident as it was: not confirmed, same version, no history row."""

from __future__ import annotations

import pytest

from desk.services import history, incidents

from test_actions_host import HostApp, drive, row, screen_text, settle


def _fail_on_close(monkeypatch):
    append = history.append

    def failing(entity, entity_id, actor_id, action, *args, **kwargs):
        if action == "close":
            raise RuntimeError("disk full")
        return append(entity, entity_id, actor_id, action, *args, **kwargs)

    monkeypatch.setattr(history, "append", failing)


def test_a_failure_between_confirm_and_close_in_the_dialog_leaves_nothing_half_done(desk, data, monkeypatch):
    d = data[3]
    before = incidents.get(desk, d.id)
    _fail_on_close(monkeypatch)
    app = HostApp(desk, "close", [row(d)])

    async def scenario(pilot):
        app.screen.query_one("#confirmed").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert "RuntimeError" in screen_text(app)  # one message, the dialog stays open

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert (after.status, after.confirmed_at, after.version) == ("resolved", None, d.version)
    assert [h.action for h in after.history] == [h.action for h in before.history]


def test_close_with_the_confirmation_is_one_version_check_and_two_history_rows(desk, data):
    d = data[3]
    closed = incidents.close(desk, "li", d.id, confirmed=True, expect_version=d.version)
    assert (closed.status, closed.version) == ("closed", d.version + 2)
    assert closed.confirmed_at is not None
    assert [h.action for h in incidents.get(desk, d.id).history][-2:] == ["confirm", "close"]


def test_close_with_the_confirmation_already_recorded_skips_it(desk, data):
    d = data[3]
    confirmed = incidents.confirm(desk, "li", d.id)
    closed = incidents.close(desk, "li", d.id, confirmed=True, expect_version=confirmed.version)
    assert (closed.status, closed.version) == ("closed", confirmed.version + 1)
    assert [h.action for h in incidents.get(desk, d.id).history].count("confirm") == 1


def test_a_stale_close_with_the_confirmation_writes_nothing(desk, data):
    from desk.domain.errors import StaleVersion

    d = data[3]
    incidents.note(desk, "zhao", d.id, text="caller rang back")
    with pytest.raises(StaleVersion):
        incidents.close(desk, "li", d.id, confirmed=True, expect_version=d.version)
    after = incidents.get(desk, d.id)
    assert (after.status, after.confirmed_at) == ("resolved", None)
