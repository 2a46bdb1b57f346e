"""Tickets of a service are timed on its service-hours calendar (a catalogue version names one:
desk.services.sla_calendar_terms). When an administrator changes that calendar in config/sla.toml
(next year's holidays, a branch's hours), `desk init` re-times the tickets timed on it, as their
detail shows them: an open one's stored due time and clock (the queue's order, the wallboard, the
tick's escalations), a resolved or closed one's stored due time (a report's met or breached).
Tickets on other calendars are not read; an init on the same calendars re-times nothing."""

from __future__ import annotations

from datetime import timedelta

from desk.models import History, Incident, SlaClock
from desk.services import incidents, setup

# conftest's clock starts Monday 2026-11-02 09:00 UTC: 17:00 in Shanghai, an hour before the office closes


def _office_hours(desk, hours: str) -> None:
    """The desk's configuration with the office calendar's hours changed, as an administrator
    edits config/sla.toml and then runs `desk init` (the handle's kept terms forgotten)."""
    calendars = desk.config.data["sla"]["calendars"]
    desk.config.data["sla"] = {**desk.config.data["sla"], "calendars": {
        **calendars, "office": {**calendars["office"], "hours": hours}}}
    desk.config.__dict__.pop("_sla", None)
    desk.cache.clear()


def _due_on_office(desk, row) -> object:
    minutes = desk.config.sla.targets(row.priority).resolve_minutes
    return desk.config.sla.calendars["office"].add(row.opened_at, minutes * 60)


def _clock_due(entity_id):
    return SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == entity_id)).due_at


def _chain(entity_id):
    return list(History.select(History.seq, History.hash).where(
        (History.entity == "incident") & (History.entity_id == entity_id)).order_by(History.seq).tuples())


def test_tickets_on_a_changed_calendar_are_re_timed_and_others_are_not_read(desk, clock):
    setup.init_database(desk)  # the calendars the desk's tickets are timed on, kept
    on_office = incidents.create(desk, "li", title="Laptop will not boot", impact=2, urgency=2, service="desktop")
    resolved = incidents.create(desk, "li", title="Monitor flickers", impact=2, urgency=2, service="desktop")
    round_clock = incidents.create(desk, "li", title="Mail bounces", impact=2, urgency=2, service="email")
    clock.advance(minutes=30)
    incidents.resolve(desk, "li", resolved.id, code="fixed", note="new cable")
    before = {i: Incident.get_by_id(i).due_at for i in (on_office.id, resolved.id, round_clock.id)}
    assert before[on_office.id] == _due_on_office(desk, Incident.get_by_id(on_office.id))
    email_clock, chains = _clock_due(round_clock.id), (_chain(on_office.id), _chain(resolved.id))
    stale = before[round_clock.id] + timedelta(minutes=7)  # were it read, it would be put right
    Incident.update(due_at=stale).where(Incident.id == round_clock.id).execute()

    _office_hours(desk, "10:00-18:00 Mon-Fri")  # the office now opens at 10:00
    setup.init_database(desk)  # what `desk init` runs

    for ticket in (on_office, resolved):
        row = Incident.get_by_id(ticket.id)
        due = _due_on_office(desk, row)
        assert due != before[ticket.id]
        assert row.due_at == due == incidents.get(desk, ticket.id).sla.due_at
    assert _clock_due(on_office.id) == Incident.get_by_id(on_office.id).due_at
    assert (_chain(on_office.id), _chain(resolved.id)) == chains  # nothing rewritten, nothing added
    assert Incident.get_by_id(round_clock.id).due_at == stale  # another calendar: not read
    assert _clock_due(round_clock.id) == email_clock


def test_only_a_change_of_the_calendar_re_times_its_tickets(desk, clock):
    setup.init_database(desk)
    ticket = incidents.create(desk, "li", title="Laptop will not boot", impact=2, urgency=2, service="desktop")
    incidents.resolve(desk, "li", ticket.id, code="fixed", note="reseated the RAM")
    stale = Incident.get_by_id(ticket.id).opened_at + timedelta(minutes=1)
    Incident.update(due_at=stale).where(Incident.id == ticket.id).execute()

    setup.init_database(desk)  # the same calendars: no ticket read
    assert Incident.get_by_id(ticket.id).due_at == stale

    _office_hours(desk, "10:00-18:00 Mon-Fri")
    setup.init_database(desk)
    assert Incident.get_by_id(ticket.id).due_at == _due_on_office(desk, Incident.get_by_id(ticket.id))
    Incident.update(due_at=stale).where(Incident.id == ticket.id).execute()
    setup.init_database(desk)  # the new hours kept: not again
    assert Incident.get_by_id(ticket.id).due_at == stale


def test_a_desk_that_kept_no_calendars_keeps_them_without_re_timing(desk, clock):
    ticket = incidents.create(desk, "li", title="Laptop will not boot", impact=2, urgency=2, service="desktop")
    incidents.resolve(desk, "li", ticket.id, code="fixed", note="reseated the RAM")
    stale = Incident.get_by_id(ticket.id).opened_at + timedelta(minutes=1)
    Incident.update(due_at=stale).where(Incident.id == ticket.id).execute()
    from desk.models import Setting
    from desk.services import sla_calendar_terms

    Setting.delete().where(Setting.key == sla_calendar_terms.KEY).execute()  # a desk from before
    _office_hours(desk, "10:00-18:00 Mon-Fri")
    setup.init_database(desk)
    assert Incident.get_by_id(ticket.id).due_at == stale  # not re-timed on a guess
    assert Setting.get(Setting.key == sla_calendar_terms.KEY).value  # and kept from now on
