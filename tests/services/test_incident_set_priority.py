"""Correcting an incident's impact and urgency (desk incident set-priority, `i` in the TUI): the
priority follows the matrix, the SLA is re-targeted on it in the same transaction without losing
the time spent or held (issue 15), the history row records old and new with the reason, and every
refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import History, Incident, SlaClock
from desk.services import incident_priority, incidents, sla_hold, sla_views

# config/default.toml: impact 3 × urgency 3 is priority 4 (resolve in 72 h), impact 1 × urgency 2
# is priority 1 (resolve in 4 h); the default targets, 24x7.


def _state(incident_id):
    row = Incident.get_by_id(incident_id)
    return (row.version, row.impact, row.urgency, row.priority, row.due_at,
            History.select().where(History.entity_id == incident_id).count())


def test_a_new_priority_re_targets_the_clock_keeping_the_time_spent_and_held(desk, clock):
    inc = incidents.create(desk, "li", title="Branch network slow", impact=3, urgency=3)
    target = {p: desk.config.sla.targets(str(p), {}).resolve_minutes for p in (1, 4)}
    clock.advance(minutes=30)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=20)
    sla_hold.resume_incident(desk, "li", inc.id)
    clock.advance(minutes=10)
    before = Incident.get_by_id(inc.id)
    assert before.priority == 4 and before.due_at == inc.opened_at + timedelta(minutes=target[4] + 20)

    done = incident_priority.set_priority(desk, "li", inc.id, impact=1, urgency=2, reason="the whole branch is down",
                                          expect_version=before.version)

    row = Incident.get_by_id(inc.id)
    assert (done.impact, done.urgency, done.priority, done.version) == (1, 2, 1, before.version + 1)
    assert row.due_at == inc.opened_at + timedelta(minutes=target[1] + 20)  # the new target, the held time kept
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.spent, view.paused) == (40 * 60, 20 * 60)
    tick_row = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
    assert (tick_row.due_at, tick_row.priority) == (row.due_at, 1)  # the tick's row moved in the same change
    last = incidents.get(desk, inc.id).history[-1]
    assert last.action == "set_priority" and last.note == "the whole branch is down"
    assert last.changes == {"impact": [3, 1], "urgency": [3, 2], "priority": [4, 1]}


def test_a_resolved_incident_may_be_corrected_a_closed_one_not(desk, clock):
    inc = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="cleared")
    assert incident_priority.set_priority(desk, "li", inc.id, impact=2, urgency=3, reason="was worse").priority == 3
    incidents.close(desk, "li", inc.id, code="fixed", confirmed=True)
    before = _state(inc.id)
    with pytest.raises(InvalidTransition):
        incident_priority.set_priority(desk, "li", inc.id, impact=1, urgency=1, reason="too late")
    assert _state(inc.id) == before


@pytest.mark.parametrize("call, error", [
    (lambda d, i: incident_priority.set_priority(d, "li", i, impact=3, urgency=3, reason="same"), ValidationError),
    (lambda d, i: incident_priority.set_priority(d, "li", i, impact=1, urgency=1, reason=" "), ValidationError),
    (lambda d, i: incident_priority.set_priority(d, "li", i, impact=5, urgency=1, reason="x"), ValidationError),
    (lambda d, i: incident_priority.set_priority(d, "appr", i, impact=1, urgency=1, reason="x"), NotAllowed),
    (lambda d, i: incident_priority.set_priority(d, "wang", i, impact=1, urgency=1, reason="x"), NotAllowed),
])
def test_every_refusal_writes_nothing(desk, clock, call, error):
    inc = incidents.create(desk, "li", title="Mailbox full", impact=3, urgency=3)  # (the desk's: not wang's group)
    before = _state(inc.id)
    with pytest.raises(error):
        call(desk, inc.id)
    assert _state(inc.id) == before


def test_a_change_on_a_version_someone_moved_on_is_refused_and_writes_nothing(desk, clock):
    inc = incidents.create(desk, "li", title="VPN drops", impact=3, urgency=3)
    incidents.note(desk, "zhao", inc.id, text="the caller rang again")
    before = _state(inc.id)
    with pytest.raises(StaleVersion) as err:
        incident_priority.set_priority(desk, "li", inc.id, impact=1, urgency=1, reason="x", expect_version=inc.version)
    assert "zhao" in err.value.message("en")
    assert _state(inc.id) == before
