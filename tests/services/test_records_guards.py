"""The shared write path's guards (desk/services/records.py, actors.py) on a real database: each
test fails when its guard is removed or inverted (issue 19; tools/mutants/services_records.toml)."""

import pytest
from peewee import OperationalError

from desk.domain.errors import DatabaseBusy, NotAllowed, NotFound, StaleVersion, UnknownUser, ValidationError
from desk.models import Agent, History, Incident, Refusal
from desk.services import incidents, records


def new(desk, login="li", **kw):
    args = {"title": "Printer jams", "caller": "Zhang Wei", "impact": 3, "urgency": 3}
    args.update(kw)
    return incidents.create(desk, login, **args)


def _refusals():
    return [(r.actor, r.action, r.reason, r.entity_id) for r in Refusal.select().order_by(Refusal.id)]


@pytest.mark.parametrize("bad,key", [("a\x00b", "error.nul"), ("a\udcffb", "error.not_utf8")])
def test_text_no_database_stores_faithfully_is_refused_before_anything_is_written(desk, bad, key):
    inc = new(desk)
    with pytest.raises(ValidationError) as err:
        incidents.note(desk, "li", inc.id, text=bad)
    assert (err.value.key, err.value.params["field"]) == (key, "text")  # the message names the field
    assert incidents.get(desk, inc.id).version == inc.version and _refusals() == []  # bad input: no refusal


def test_text_limits_are_inclusive_and_required_text_is_more_than_spaces():
    assert records.text("x" * 10, "title", 10) == "x" * 10
    with pytest.raises(ValidationError) as err:
        records.text("x" * 11, "title", 10)
    assert err.value.key == "error.too_long"
    with pytest.raises(ValidationError) as err:
        records.text(" \t\n ", "title", 10, required=True)
    assert err.value.key == "error.required"
    assert records.text("", "title", 10) == ""


def test_a_refusal_records_who_what_and_why_and_changes_nothing(desk):
    inc = new(desk)
    with pytest.raises(NotAllowed):
        incidents.close(desk, "wang", inc.id)
    assert _refusals() == [("wang", "incident.close", "error.not_allowed", inc.id)]
    assert [h.action for h in incidents.get(desk, inc.id).history] == ["create"]


def test_changing_a_record_that_does_not_exist_is_not_found_not_a_crash(desk):
    with pytest.raises(NotFound):
        incidents.start(desk, "li", 4242)
    assert _refusals() == []


def test_every_change_moves_the_version_and_updated_at_and_appends_one_history_row(desk, clock):
    inc = new(desk)
    clock.advance(minutes=7)
    after = incidents.start(desk, "li", inc.id)
    assert after.version == inc.version + 1 and after.updated_at == clock.now
    rows = list(History.select().where((History.entity == "incident") & (History.entity_id == inc.id))
                .order_by(History.seq))
    assert [r.action for r in rows] == ["create", "start"]


def test_history_records_only_the_tracked_fields_that_changed(desk):
    inc = new(desk)
    inc = incidents.assign(desk, "li", inc.id, to="me")
    again = incidents.note(desk, "li", inc.id, text="called the caller back")
    last = incidents.get(desk, again.id).history[-1]
    assert last.action == "note" and last.changes == {} and last.note == "called the caller back"
    started = incidents.start(desk, "li", inc.id)
    changes = incidents.get(desk, started.id).history[-1].changes
    assert changes == {"status": ["assigned", "in_progress"]}  # assignee unchanged (li): not recorded


def test_a_version_the_record_never_had_is_a_bad_argument_and_the_current_one_is_accepted(desk):
    inc = new(desk)
    with pytest.raises(ValidationError) as err:
        incidents.start(desk, "li", inc.id, expect_version=inc.version + 5)
    assert err.value.key == "error.version_unknown"
    with pytest.raises(ValidationError):
        incidents.start(desk, "li", inc.id, expect_version=0)
    assert incidents.start(desk, "li", inc.id, expect_version=inc.version).status == "in_progress"


def test_a_seen_version_that_moved_on_is_stale(desk):
    inc = new(desk)
    incidents.assign(desk, "zhao", inc.id, to="zhao")
    with pytest.raises(StaleVersion):
        incidents.resolve(desk, "li", inc.id, code="fixed", note="done", expect_version=inc.version)
    assert incidents.get(desk, inc.id).status == "assigned"


def _racing_plan(desk, inc_id, plan):
    """A plan during which another writer moves the record on (once)."""
    raced = []

    def wrapped(actor, row, now):
        if not raced:
            raced.append(True)
            Incident.update(version=Incident.version + 1, title="changed meanwhile").where(
                Incident.id == inc_id).execute()
        return plan(actor, row, now)

    return wrapped


def test_a_record_changed_between_plan_and_write_is_replanned_never_overwritten(desk):
    inc = new(desk)
    plan = _racing_plan(desk, inc.id, lambda actor, row, now: {"status": "in_progress", "assignee_id": actor.id})
    records.transition(desk, incidents.KIND, "li", inc.id, "start", "incident.start", None, plan)
    got = Incident.get_by_id(inc.id)
    assert (got.status, got.title, got.version) == ("in_progress", "changed meanwhile", inc.version + 2)


def test_a_pinned_version_changed_between_plan_and_write_is_stale(desk):
    inc = new(desk)
    plan = _racing_plan(desk, inc.id, lambda actor, row, now: {"status": "in_progress", "assignee_id": actor.id})
    with pytest.raises(StaleVersion):
        records.transition(desk, incidents.KIND, "li", inc.id, "start", "incident.start", inc.version, plan)
    got = Incident.get_by_id(inc.id)
    assert (got.status, got.version) == ("new", inc.version + 1)
    assert [h.action for h in incidents.get(desk, inc.id).history] == ["create"]


def test_after_runs_inside_the_change(desk):
    inc = new(desk)
    seen = []
    records.transition(desk, incidents.KIND, "li", inc.id, "start", "incident.start", None,
                       lambda actor, row, now: {"status": "in_progress"},
                       after=lambda actor, row, changes, now: seen.append((row.id, changes["status"])))
    assert seen == [(inc.id, "in_progress")]


def test_an_agent_who_left_acts_no_more(desk):
    inc = new(desk)
    Agent.update(active=False).where(Agent.login == "zhao").execute()
    with pytest.raises(UnknownUser):
        incidents.start(desk, "zhao", inc.id)
    assert _refusals()[-1][:3] == ("zhao", "incident.start", "error.unknown_user")


def test_a_locked_database_is_one_typed_error_not_a_traceback(desk):
    def locked(actor):
        raise OperationalError("database is locked")

    with pytest.raises(DatabaseBusy):
        records.guarded(desk, "li", "incident.note", "incident", 1, locked)

    def broken(actor):
        raise OperationalError("no such table: incident")

    with pytest.raises(OperationalError):  # anything else is a bug to see, not "busy"
        records.guarded(desk, "li", "incident.note", "incident", 1, broken)


def test_history_records_tracked_fields_only(desk):
    inc = new(desk)
    done = incidents.resolve(desk, "li", inc.id, code="fixed", note="reseated the toner")
    changes = incidents.get(desk, done.id).history[-1].changes
    assert set(changes) <= set(incidents.TRACKED) and changes["status"] == ["new", "resolved"]
    assert "resolution" not in changes and "resolved_at" not in changes
