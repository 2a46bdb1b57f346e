"""A ticket raised before its service had a catalogue version in force keeps no version of its own:
its targets are its service's first version's, fixed when it was raised, and a version published
later moves neither its due time nor its clock (issue 15). Its due time shown — the detail, the
queue's SLA column, `desk sla show`, the wallboard's countdown — is the stored one the queue sorts
by, and only a change of priority or service re-targets it."""

from __future__ import annotations

import json
from datetime import timedelta

from desk import cli
from desk.db import write_transaction
from desk.domain import incident_flow
from desk.lists.incident_cells import cell
from desk.lists.spec import CellEnv
from desk.models import History, Incident, ServiceRequest, Setting, SlaClock
from desk.services import (catalogue, catalogue_load, incident_priority, incidents, queue_rows, report_sla,
                           request_reads, requests, schema, setup, sla_hold, sla_retime, wallboard)

# conftest's clock starts Monday 2026-11-02 09:00 UTC (17:00 in Shanghai, an hour before the office
# closes). Payroll's first version: around the clock, priority 3 resolved in 8 hours; its second:
# office hours, everything in one hour.
FIRST = {"hours": "24x7", "targets": {"1": {"response": 15, "resolve": 120}, "2": {"response": 30, "resolve": 240},
                                      "3": {"response": 60, "resolve": 480}, "4": {"response": 120, "resolve": 1440}}}
SECOND = {"hours": "business", "targets": {p: {"response": 5, "resolve": 60} for p in ("1", "2", "3", "4")}}


def _publish(desk, clock, terms, effective_at=None):
    entry = {**catalogue.service_version(desk, "email").entry, "code": "payroll", "name_en": "Payroll",
             "name_zh": "薪资", **terms}
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, entry, actor_id=None, now=clock(), effective_at=effective_at)


def _raised_before_the_first_version(desk, clock):
    _publish(desk, clock, FIRST, effective_at=clock() + timedelta(hours=2))  # dated later
    inc = incidents.create(desk, "li", title="Payslips not sent", impact=2, urgency=3, service="payroll")
    assert inc.priority == 3 and inc.service_version is None  # none was in force
    assert Incident.get_by_id(inc.id).due_at == clock() + timedelta(minutes=480)  # the first version's
    clock.advance(hours=3)
    _publish(desk, clock, SECOND)  # in force at once, other targets and hours
    _forget(desk)
    return inc


def _forget(desk):
    """What a handle keeps of services' terms for a few seconds, forgotten: as another agent's
    desk, or this one a little later, reads them."""
    desk.cache.clear()
    desk.config.sla.row_terms.clear()


def _shown(desk, inc_id):
    return incidents.get(desk, inc_id).sla.due_at


def test_a_version_published_later_moves_neither_its_due_time_nor_its_clock(desk, clock):
    inc = _raised_before_the_first_version(desk, clock)
    due = inc.opened_at + timedelta(minutes=480)
    assert Incident.get_by_id(inc.id).due_at == due and _shown(desk, inc.id) == due
    assert incidents.get(desk, inc.id).response_minutes == 60  # the first version's response target, not 5
    clock.advance(hours=4)  # an hour before its due time: in warning, at night where the office is
    row, = queue_rows.rows(desk, [inc.id])
    assert cell(CellEnv(desk.config, "en"), row, "sla", 6, clock.now)[0] == "1h00"  # around the clock
    board = wallboard.snapshot(desk)
    assert [c.id for c in board.soon] == [inc.id] and board.soon[0].due_at == due
    assert wallboard.countdowns(desk, board, incident_flow.OPEN)[("incident", inc.id)] == 3600
    incidents.assign(desk, "li", inc.id, to="me")  # a change re-reads its clock: the same terms
    assert Incident.get_by_id(inc.id).due_at == due and _shown(desk, inc.id) == due
    tick = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
    assert tick.due_at == due


def test_desk_sla_show_gives_the_stored_due_time(desk, clock, db_url, capsys):
    inc = _raised_before_the_first_version(desk, clock)
    capsys.readouterr()
    assert cli.main(["--db", db_url, "sla", "show", str(inc.id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["sla"]["due_at"]
    assert shown == Incident.get_by_id(inc.id).due_at.isoformat(timespec="seconds")
    assert shown == (inc.opened_at + timedelta(minutes=480)).isoformat(timespec="seconds")


def test_a_change_of_priority_re_targets_it_on_its_first_version(desk, clock):
    inc = _raised_before_the_first_version(desk, clock)
    incident_priority.set_priority(desk, "li", inc.id, impact=2, urgency=2, reason="payday is tomorrow")
    row = Incident.get_by_id(inc.id)
    assert row.priority == 2 and row.service_version_id is None
    assert row.due_at == inc.opened_at + timedelta(minutes=240) == _shown(desk, inc.id)  # not the second's hour


def test_a_request_raised_before_the_first_version_keeps_its_targets_too(desk, clock):
    _publish(desk, clock, FIRST, effective_at=clock() + timedelta(hours=2))
    r = requests.create(desk, "li", title="A payslip again", checked=["all"], service="payroll", priority=3)
    assert ServiceRequest.get_by_id(r.id).service_version is None
    due = r.registered_at + timedelta(minutes=480)
    clock.advance(hours=3)
    _publish(desk, clock, SECOND)
    _forget(desk)
    requests.accept(desk, "li", r.id)
    assert ServiceRequest.get_by_id(r.id).due_at == due
    assert request_reads.get(desk, r.id).sla.due_at == due


def test_the_upgrade_re_times_open_tickets_that_followed_the_version_in_force(desk, clock):
    inc = _raised_before_the_first_version(desk, clock)
    closed = incidents.create(desk, "li", title="Payslips late", impact=2, urgency=3, service="payroll")
    incidents.resolve(desk, "li", closed.id, code="fixed", note="resent")
    stale = inc.opened_at + timedelta(hours=1)  # as the second version timed it until now
    Incident.update(due_at=stale).where(Incident.id == inc.id).execute()
    SlaClock.update(due_at=stale, stage=2).where(SlaClock.entity_id == inc.id).execute()
    resolved_due = Incident.get_by_id(closed.id).due_at
    Setting.update(value="19").where(Setting.key == schema.VERSION_KEY).execute()  # a desk of schema 19

    assert setup.init_database(desk).to_version == schema.SCHEMA_VERSION  # what `desk init` runs

    due = inc.opened_at + timedelta(minutes=480)
    assert Incident.get_by_id(inc.id).due_at == due == _shown(desk, inc.id)
    tick = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
    assert tick.due_at == due
    assert Incident.get_by_id(closed.id).due_at == resolved_due  # a resolved one keeps its own


# --- resolved and closed ones: `desk init` re-times them once ---------------------------------------

def _older_desk(desk):
    """The desk as it was before `desk init` re-timed resolved tickets without a version."""
    Setting.delete().where(Setting.key == sla_retime.STOPPED_KEY).execute()
    _forget(desk)


def _chain(entity, entity_id):
    return list(History.select(History.seq, History.hash).where(
        (History.entity == entity) & (History.entity_id == entity_id)).order_by(History.seq).tuples())


def test_desk_init_re_times_a_resolved_ticket_without_a_version_as_its_detail_does(desk, clock):
    inc = _raised_before_the_first_version(desk, clock)  # opened 09:00: due 17:00 on the first version
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=30)  # held 12:00-12:30: due 17:30
    sla_hold.resume_incident(desk, "li", inc.id)
    clock.advance(minutes=30)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="resent")  # 13:00: met
    stale = inc.opened_at + timedelta(hours=1)  # as the version in force timed it before (or a migration)
    Incident.update(due_at=stale).where(Incident.id == inc.id).execute()
    _older_desk(desk)
    period = (inc.opened_at - timedelta(days=1), inc.opened_at + timedelta(days=1))
    assert report_sla.incidents(desk, *period)["breached"] == 1  # the report said breached, the detail met
    chain = _chain("incident", inc.id)

    setup.init_database(desk)

    due = inc.opened_at + timedelta(minutes=480 + 30)
    assert Incident.get_by_id(inc.id).due_at == due == _shown(desk, inc.id)
    got = report_sla.incidents(desk, *period)
    assert (got["met"], got["breached"]) == (1, 0)
    assert _chain("incident", inc.id) == chain  # its history is as it was: nothing rewritten, nothing added
    # once: tickets are stored right since, and a large desk does not read every resolved one at each init
    Incident.update(due_at=stale).where(Incident.id == inc.id).execute()
    setup.init_database(desk)
    assert Incident.get_by_id(inc.id).due_at == stale


def test_desk_init_re_times_a_cancelled_request_without_a_version(desk, clock):
    _publish(desk, clock, FIRST, effective_at=clock() + timedelta(hours=2))
    r = requests.create(desk, "li", title="A payslip again", checked=["all"], service="payroll", priority=3)
    clock.advance(hours=3)
    _publish(desk, clock, SECOND)
    requests.cancel(desk, "li", r.id, reason="found it")  # closed, never resolved: its clock stopped
    row = ServiceRequest.get_by_id(r.id)
    assert row.resolved_at is None and row.closed_at is not None and row.service_version is None
    ServiceRequest.update(due_at=r.registered_at + timedelta(hours=1)).where(ServiceRequest.id == r.id).execute()
    _older_desk(desk)

    setup.init_database(desk)

    due = r.registered_at + timedelta(minutes=480)
    assert ServiceRequest.get_by_id(r.id).due_at == due == request_reads.get(desk, r.id).sla.due_at



def _three_resolved_without_a_version(desk, clock):
    _publish(desk, clock, FIRST, effective_at=clock() + timedelta(hours=2))  # dated later: none in force
    for n in range(3):
        inc = incidents.create(desk, "li", title=f"Payslips not sent {n}", impact=2, urgency=3, service="payroll")
        assert inc.service_version is None
        incidents.resolve(desk, "li", inc.id, code="fixed", note="resent")
    _older_desk(desk)


def test_desk_init_reports_its_progress_while_it_re_times_resolved_tickets(desk, clock):
    """~100k resolved tickets take seconds to tens of seconds: `desk init` shows how far it is."""
    _three_resolved_without_a_version(desk, clock)
    seen = []

    setup.init_database(desk, progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert [(done, total) for stage, done, total in seen if stage == sla_retime.STAGE] == [(3, 3)], seen


def test_the_progress_counts_each_batch_up_to_the_total(desk, clock):
    _three_resolved_without_a_version(desk, clock)
    seen = []

    sla_retime.stopped(desk, (incidents.KIND, requests.KIND), batch=2,
                       progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert seen == [(sla_retime.STAGE, 2, 3), (sla_retime.STAGE, 3, 3)]


def test_a_small_desk_s_init_shows_no_progress(desk, clock, db_url, capsys, monkeypatch):
    """The retiming is named in both languages, and a quick one prints nothing (the quiet time).
    The init takes no time on the progress's clock: under load it could outlast the half second."""
    from types import SimpleNamespace

    from desk.commands import admin
    from desk.i18n import catalogue

    assert all(f"schema.step.{sla_retime.STAGE}" in catalogue(lang) for lang in ("en", "zh"))
    _three_resolved_without_a_version(desk, clock)
    monkeypatch.setattr(admin, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    capsys.readouterr()
    assert cli.main(["--db", db_url, "init"]) == 0
    assert capsys.readouterr().err == ""
