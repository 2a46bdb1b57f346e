"""The guards of `desk migrate` writing tickets (desk/services/transfer/migrate.py) through the real
database that a removed or inverted line would let pass (issue 19;
tools/mutants/services_transfer_migrate.toml): who ran it, a second run, what the summary counts."""

from __future__ import annotations

import pytest

from desk.models import History, Incident
from desk.services import check
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate
from desk.services.transfer.source import MigrationRefused

COLUMNS = ("number,incident_state,short_description,description,close_notes,impact,urgency,priority,category,"
           "closed_code,assignment_group,assigned_to,caller_id,opened_at,resolved_at,closed_at,sys_updated_at,"
           "sys_updated_by")
ROWS = [  # number, state, title, priority, opened, updated, by
    ("INC1", "New", "VPN drops", "3 - Moderate", "29/2/2016 01:16", "29/2/2016 01:16", "Created by 6"),
    ("INC1", "Active", "VPN drops", "3 - Moderate", "29/2/2016 01:16", "29/2/2016 01:23", "Resolver 149"),
    ("INC2", "New", "Printer jam", "4 - Low", "29/2/2016 04:40", "29/2/2016 04:41", "Resolver 31"),
    ("INC3", "New", "Bad time", "4 - Low", "soon", "soon", "Resolver 31"),
]
AUDIT = COLUMNS + "\n" + "".join(
    f"{n},{state},{title},,,2 - Medium,2 - Medium,{prio},,,,,,{opened},,,{at},{by}\n"
    for n, state, title, prio, opened, at, by in ROWS)


def run(desk, tmp_path, login="zhao", events=None):
    path = tmp_path / "sn.csv"
    path.write_text(AUDIT, encoding="utf-8")
    return migrate.migrate_csv(desk, mappings.load(desk.config, "servicenow"), str(path), events, login)


def test_a_migration_counts_what_it_did_and_is_recorded_as_run_by_who_ran_it(desk, tmp_path):
    result = run(desk, tmp_path)
    assert (result.tickets, result.created, len(result.refused)) == (3, 2, 1)
    assert sum(result.by_status.values()) == 2 and sum(result.by_priority.values()) == 2
    assert result.history == History.select().where(History.entity == "incident").count() > 2
    last = (History.select().where(History.entity_id == Incident.get(Incident.external_ref == "INC1").id)
            .order_by(History.seq.desc()).first())
    assert last.action == "migrate" and last.actor.login == "zhao"
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]


def test_running_a_migration_again_adds_nothing(desk, tmp_path):
    run(desk, tmp_path)
    again = run(desk, tmp_path)
    assert (again.created, again.already) == (0, 2)
    assert Incident.select().count() == 2


def test_events_for_a_mapping_without_events_are_refused_and_nothing_is_migrated(desk, tmp_path):
    with pytest.raises(MigrationRefused) as caught:
        run(desk, tmp_path, events=str(tmp_path / "sn.csv"))
    assert caught.value.key == "transfer.migrate.no_events"
    assert Incident.select().count() == 0


def test_after_a_migration_new_incidents_and_their_history_get_fresh_ids(desk, tmp_path):
    """The migration writes its rows with ids of its own (in bulk); on PostgreSQL the sequences are
    then moved past them, or the next incident, its history row or a new caller collides."""
    from desk.services import incidents

    before = incidents.create(desk, "li", title="before the migration", impact=3, urgency=3)
    run(desk, tmp_path)
    new = incidents.create(desk, "li", title="after the migration", impact=3, urgency=3, caller="Someone New")
    assert new.id == max(i.id for i in Incident.select()) > before.id
    assert len(incidents.get(desk, new.id).history) == 1
