"""The queue's rows (desk.services.queue_rows): none left out past the first batch, an empty
organisation shown empty, and the SLA column's terms — each row's catalogue version, else its
service's first version — read with the rows in the reading thread (issue 19: each rule fails a
test when broken)."""

from __future__ import annotations

from datetime import timedelta

from desk.db import write_transaction
from desk.lists.incident_cells import cell
from desk.lists.spec import CellEnv
from desk.services import catalogue, catalogue_load, incidents, queue_rows

# conftest's clock starts Monday 2026-11-02 09:00 UTC (17:00 in Shanghai, an hour before the office closes).


def test_an_id_just_past_the_first_batch_is_read(desk):
    a, b = (incidents.create(desk, "li", title=f"printer {n}", impact=2, urgency=2).id for n in (1, 2))
    asked = [10**9] * (queue_rows.BATCH - 1) + [a, b]  # the last of the first batch, the first of the next
    assert [r.id for r in queue_rows.rows(desk, asked)] == [a, b]


def test_an_incident_without_an_organisation_shows_it_empty(desk):
    inc = incidents.create(desk, "li", title="printer", impact=2, urgency=2, caller="Zhang Wei")
    row, = queue_rows.rows(desk, [inc.id])
    assert (row.caller, row.organisation, row.to_json()["organisation"]) == ("Zhang Wei", "", "")


def _publish(desk, clock, terms, effective_at=None):
    entry = {**catalogue.service_version(desk, "email").entry, "code": "payroll", "name_en": "Payroll",
             "name_zh": "薪资", **terms}
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, entry, actor_id=None, now=clock(), effective_at=effective_at)


def test_the_sla_column_reads_each_rows_own_terms_with_the_rows(desk, clock):
    # payroll's first version, dated later: office hours, priority 1 resolved in 2 hours
    _publish(desk, clock, {"hours": "business", "targets": {p: {"response": 15, "resolve": 120} for p in "1234"}},
             effective_at=clock() + timedelta(hours=2))
    before = incidents.create(desk, "li", title="Payslips not sent", impact=1, urgency=1, service="payroll")
    assert before.service_version is None  # none in force: its service's first version's terms
    clock.advance(hours=3)  # 20:00 in Shanghai: the office closed at 18:00
    # its second, in force at once: around the clock, one hour
    _publish(desk, clock, {"hours": "24x7", "targets": {p: {"response": 5, "resolve": 60} for p in "1234"}})
    under = incidents.create(desk, "li", title="Payslips wrong", impact=1, urgency=1, service="payroll")
    assert under.service_version == 2
    clock.advance(minutes=30)
    desk.config.sla.row_terms.clear()  # as a desk that has not read them yet
    desk.cache.clear()
    rows = {r.id: r for r in queue_rows.rows(desk, [before.id, under.id])}
    env = CellEnv(desk.config, "en")
    # the last hour of the office day spent; the evening does not count
    assert cell(env, rows[before.id], "sla", 6, clock.now)[0] == "1h00"
    assert cell(env, rows[under.id], "sla", 6, clock.now)[0] == "30m"  # its own version's hour, round the clock
