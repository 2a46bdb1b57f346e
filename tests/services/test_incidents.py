"""Incident use cases on a real database (SQLite file; PostgreSQL too when DESK_TEST_PG is set)."""

import threading

import pytest
from peewee import DatabaseError

from desk.db import is_sqlite
from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, StaleVersion, UnknownUser, ValidationError
from desk.models import History, Incident, Refusal
from desk.services import history, incidents, queue, schema


def new(desk, login="li", **kw):
    args = {"title": "Core switch down", "caller": "Zhang Wei", "impact": 1, "urgency": 1, "category": "network"}
    args.update(kw)
    return incidents.create(desk, login, **args)


def test_full_lifecycle_l1_l2_vendor(desk, clock):
    inc = new(desk)
    assert (inc.status, inc.priority, inc.group, inc.tier, inc.owner, inc.version) == ("new", 1, "desk", 1, "li", 1)
    inc = incidents.assign(desk, "li", inc.id, to="me")
    clock.advance(minutes=5)
    inc = incidents.escalate(desk, "li", inc.id, to="network", reason="link flapping", expect_version=inc.version)
    assert (inc.status, inc.group, inc.tier, inc.assignee) == ("assigned", "network", 2, "")
    inc = incidents.start(desk, "wang", inc.id)
    inc = incidents.escalate(desk, "wang", inc.id, to="vendor-net", reason="hardware fault")
    assert inc.tier == 3
    inc = incidents.resolve(desk, "vend", inc.id, code="vendor_fixed", note="replaced supervisor module")
    assert inc.status == "resolved" and inc.resolved_by == "vend"
    inc = incidents.confirm(desk, "li", inc.id)
    inc = incidents.close(desk, "li", inc.id)
    detail = incidents.get(desk, inc.id)
    assert detail.status == "closed" and detail.closure_code == "vendor_fixed"
    assert [h.action for h in detail.history] == ["create", "assign", "escalate", "start", "escalate", "resolve",
                                                  "confirm", "close"]
    assert detail.version == len(detail.history) == 8
    assert detail.history[2].changes["group"] == ["desk", "network"]
    assert detail.history[2].note == "link flapping"
    assert list(history.verify_all()) == []


def test_priority_comes_from_the_matrix(desk):
    assert new(desk, impact=3, urgency=3).priority == 4
    assert new(desk, impact=2, urgency=2).priority == 2


def test_reopen_returns_to_the_resolver(desk):
    inc = new(desk)
    inc = incidents.escalate(desk, "li", inc.id, to="network", reason="L2 please")
    inc = incidents.resolve(desk, "wang", inc.id, code="fixed", note="port reset")
    inc = incidents.reopen(desk, "li", inc.id, reason="caller says still down")
    assert (inc.status, inc.assignee, inc.group, inc.reopen_count) == ("assigned", "wang", "network", 1)


def test_close_waits_for_confirmation_or_silence(desk, clock):
    inc = new(desk)
    inc = incidents.resolve(desk, "li", inc.id, code="fixed", note="rebooted")
    with pytest.raises(InvalidTransition):
        incidents.close(desk, "li", inc.id)
    clock.advance(days=3)
    assert incidents.close(desk, "li", inc.id).status == "closed"


def test_stale_edit_from_another_connection_is_refused_naming_who(desk):
    inc = new(desk)
    seen = inc.version  # the agent looked at version 1 ...

    def other_agent():  # ... while zhao, on another connection (thread), changed it
        incidents.assign(desk, "zhao", inc.id, to="zhao")
        desk.db.close()

    t = threading.Thread(target=other_agent)
    t.start()
    t.join()
    with pytest.raises(StaleVersion) as err:
        incidents.resolve(desk, "li", inc.id, code="fixed", note="done", expect_version=seen)
    assert err.value.params["by"] == "zhao"
    assert "zhao" in err.value.message("en") and "zhao" in err.value.message("zh")
    after = incidents.get(desk, inc.id)
    assert after.status == "assigned" and after.assignee == "zhao" and after.version == 2  # nothing lost
    assert Refusal.select().where(Refusal.reason == "error.stale").count() == 1


def test_refused_actions_write_nothing_but_a_refusal(desk):
    inc = new(desk)
    with pytest.raises(NotAllowed):
        incidents.close(desk, "wang", inc.id)  # l2 may not close
    with pytest.raises(NotAllowed):
        incidents.resolve(desk, "chen", inc.id, code="fixed", note="x")  # l2 outside the group (desk)
    with pytest.raises(NotAllowed):
        new(desk, "appr")
    with pytest.raises(UnknownUser):
        new(desk, "nobody")
    assert incidents.get(desk, inc.id).version == 1
    reasons = [r.reason for r in Refusal.select().order_by(Refusal.id)]
    assert reasons == ["error.not_allowed", "error.not_your_group", "error.not_allowed", "error.unknown_user"]


def test_reassigning_someone_elses_ticket_needs_a_lead(desk):
    inc = new(desk)
    incidents.assign(desk, "li", inc.id, to="me")
    with pytest.raises(NotAllowed):
        incidents.assign(desk, "zhao", inc.id, to="zhao")
    assert incidents.assign(desk, "lead", inc.id, to="zhao").assignee == "zhao"


def test_second_line_assigns_only_within_its_group(desk):
    inc = incidents.escalate(desk, "li", new(desk).id, to="network", reason="L2")
    with pytest.raises(NotAllowed):
        incidents.assign(desk, "wang", inc.id, group="systems")
    assert incidents.assign(desk, "wang", inc.id, to="me").assignee == "wang"


def test_validation(desk):
    with pytest.raises(ValidationError):
        new(desk, title="   ")
    with pytest.raises(ValidationError):
        new(desk, category="plumbing")
    with pytest.raises(ValidationError):
        new(desk, impact=9)
    with pytest.raises(ValidationError):
        new(desk, title="a\x00b")
    with pytest.raises(NotFound):
        incidents.assign(desk, "li", 999, to="me")
    assert Incident.select().count() == 0


def test_history_rows_cannot_be_updated_or_deleted(desk):
    new(desk)
    with pytest.raises(DatabaseError):
        with desk.db.atomic():
            History.update(note="rewritten").execute()
    with pytest.raises(DatabaseError):
        with desk.db.atomic():
            History.delete().execute()
    assert History.select().count() == 1 and History.get().note == ""


def test_editing_a_row_behind_the_triggers_breaks_verification_at_that_row(desk):
    inc = new(desk)
    for text in ("one", "two", "three"):
        incidents.note(desk, "li", inc.id, text=text)
    target = History.get((History.entity_id == inc.id) & (History.seq == 3))
    # Someone with raw write access drops the guard and edits a row.
    desk.db.execute_sql("DROP TRIGGER history_no_update" if is_sqlite(desk.db)
                        else "DROP TRIGGER history_no_change ON history")
    History.update(note="nothing happened").where(History.id == target.id).execute()
    broken = list(history.verify_all())
    assert [(e, i, b.seq, b.what) for e, i, b in broken] == [("incident", inc.id, 3, "hash")]
    schema.ensure_history_triggers(desk.db)


def test_queue_views_and_paging(desk, clock):
    a = new(desk, title="VPN down", impact=3, urgency=3)
    b = new(desk, title="打印机无法打印", caller="王芳", impact=2, urgency=2)
    c = new(desk, title="Mail slow", impact=1, urgency=1)
    incidents.assign(desk, "li", b.id, to="me")
    incidents.resolve(desk, "li", a.id, code="fixed", note="ok")
    ctx = queue.context(desk, "li")
    open_ids = queue.ids(queue.QueueFilter(view="open"), ctx)
    assert open_ids == [c.id, b.id]  # priority 1 before 2; the resolved one is not open
    assert queue.ids(queue.QueueFilter(view="mine"), ctx) == [b.id]
    assert queue.ids(queue.QueueFilter(view="unassigned"), ctx) == [c.id]
    assert queue.ids(queue.QueueFilter(view="resolved"), ctx) == [a.id]
    assert queue.ids(queue.QueueFilter(view="all", text="打印"), ctx) == [b.id]
    assert queue.ids(queue.QueueFilter(view="all", text="王"), ctx) == [b.id]
    assert queue.count(queue.QueueFilter(view="all"), ctx) == 3
    assert queue.window(queue.QueueFilter(view="all"), ctx, "age", 1, 1) == [b.id]
    rows = queue.rows([b.id, c.id])
    assert [r.title for r in rows] == ["打印机无法打印", "Mail slow"] and rows[0].assignee == "li"
    clock.advance(hours=4)
    ctx = queue.context(desk, "li")
    assert queue.ids(queue.QueueFilter(view="breaching"), ctx) == [c.id]


def test_change_marker_moves_when_another_connection_writes(desk):
    inc = new(desk)
    before = queue.change_marker(desk)

    def other():
        incidents.note(desk, "zhao", inc.id, text="called")
        desk.db.close()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert queue.change_marker(desk) != before


def test_an_assignee_under_a_group_they_are_not_in_is_refused_and_nothing_is_written(desk):
    """(walkE found it on requests: the assignee could not then touch the ticket, the group scope reads
    its group.)"""
    inc = incidents.escalate(desk, "li", new(desk).id, to="network", reason="L2")
    with pytest.raises(ValidationError) as refused:
        incidents.assign(desk, "lead", inc.id, to="chen", group="network")  # chen is of the systems team
    assert refused.value.params["login"] == "chen" and refused.value.params["own"] == "Systems team"
    assert incidents.get(desk, inc.id).version == inc.version
    assert incidents.assign(desk, "lead", inc.id, to="wang", group="network").assignee == "wang"


def test_assigning_to_an_agent_of_another_tier_is_refused(desk):
    inc = new(desk)
    with pytest.raises(InvalidTransition):
        incidents.assign(desk, "lead", inc.id, to="wang")  # wang is second line: escalate instead
    with pytest.raises(InvalidTransition):
        incidents.assign(desk, "li", inc.id, group="network")
    assert incidents.get(desk, inc.id).version == 1
