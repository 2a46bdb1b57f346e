"""A former tool's reassignments and reopenings become desk's own history actions on migration
(desk.services.transfer.moves), so the reports count them: escalations, returns, reopenings,
first-call resolution over the resolving group the events name. Worked out by hand on a small
export; the real BPIC 2014 sample is checked in test_migrate.py and bench/real_reports.py."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from desk.models import Group, History, Incident
from desk.services import check, report_figures
from transfer.migrate_files import migrate_text, opened

MAPPING = '''[migrate.acts]
number = "id"
title = "{title}"

[migrate.acts.fields]
status = "state"
opened_at = "opened"
resolved_at = "resolved"
closed_at = "closed"
reopened_at = "reopened"

[migrate.acts.values.status]
Closed = "closed"

[migrate.acts.values.group]
"Service Desk" = "desk"
Net = "network"
Sys = "systems"

[migrate.acts.events]
number = "id"
at = "at"
kind = "what"
group = "team"
note = "{what} ({team})"

[migrate.acts.events.actions]
Assignment = "dispatch"
Reassignment = "dispatch"
Reopen = "reopen"
'''

INCIDENTS = '''id,title,state,opened,resolved,closed,reopened
A-1,VPN drops,Closed,2026-03-02 09:00:00,2026-03-03 12:00:00,2026-03-03 12:05:00,
A-2,Password reset,Closed,2026-03-02 10:00:00,2026-03-02 10:20:00,2026-03-02 10:25:00,
A-3,Printer,Closed,2026-03-02 11:00:00,2026-03-04 11:00:00,2026-03-04 11:00:00,2026-03-03 09:00:00
A-4,Mail,Closed,2026-03-02 12:00:00,2026-03-05 12:00:00,2026-03-05 12:00:00,2026-03-04 08:59:55
A-5,Screen,Closed,2026-03-02 13:00:00,2026-03-02 14:00:00,2026-03-02 14:00:00,
'''

# escalated to Net, reassigned to Sys, moved to Net by an update (not a dispatch), returned to
# the desk; A-2: placed at the desk by an assignment and closed there (first-call); A-3: no Reopen
# activity but a reopening time, closed by Sys; A-4: a Reopen activity and a reopening time (one reopening), its
# last activity naming a team the mapping does not know; A-5: no activities (no resolving group).
EVENTS = '''id,at,what,team
A-1,2026-03-02 09:00:00,Open,Service Desk
A-1,2026-03-02 09:30:00,Assignment,Net
A-1,2026-03-02 11:00:00,Reassignment,Sys
A-1,2026-03-02 15:00:00,Update,Net
A-1,2026-03-03 10:00:00,Reassignment,Service Desk
A-1,2026-03-03 12:05:00,Closed,Service Desk
A-2,2026-03-02 10:00:00,Assignment,Service Desk
A-2,2026-03-02 10:25:00,Closed,Service Desk
A-3,2026-03-02 11:00:00,Open,Service Desk
A-3,2026-03-02 12:00:00,Closed,Service Desk
A-3,2026-03-04 11:00:00,Closed,Sys
A-4,2026-03-02 12:00:00,Open,Service Desk
A-4,2026-03-03 12:00:00,Closed,Service Desk
A-4,2026-03-04 09:00:00,Reopen,Service Desk
A-4,2026-03-05 12:00:00,Closed,Night Shift
A-4,,Update,Service Desk
'''


@pytest.fixture
def migrated(db_url, clock, tmp_path):
    done = migrate_text(db_url, clock, tmp_path, "acts", INCIDENTS, MAPPING, EVENTS)
    with opened(db_url, clock, done.config) as desk:
        yield desk, done.result, done.events


def _history(number: str) -> list[tuple]:
    incident = Incident.get(Incident.external_ref == number)
    return [(h.action, json.loads(h.changes), h.at) for h in
            History.select().where((History.entity == "incident") & (History.entity_id == incident.id))
            .order_by(History.seq)]


def test_dispatches_become_escalate_assign_and_return_by_the_groups_tiers(migrated):
    desk, result, _ = migrated
    assert result.refused == [] and result.created == 5
    rows = _history("A-1")
    assert [a for a, _, _ in rows] == ["former", "escalate", "assign", "former", "return", "resolve", "former",
                                       "migrate"]
    assert rows[5][2] == datetime(2026, 3, 3, 12, 0)  # its resolution, in its place among the activities
    assert rows[1][1] == {"group": ["desk", "network"], "tier": [1, 2]}
    assert rows[3][1] == {"group": ["systems", "network"]}  # an update that names another team: moved, not counted
    assert rows[4][1] == {"group": ["network", "desk"], "tier": [2, 1]}
    assert "group" not in rows[-1][1]  # the history already ends at the desk
    a1 = Incident.get(Incident.external_ref == "A-1")
    assert (a1.group.code, a1.tier, a1.resolved_group.code, a1.reopen_count) == ("desk", 1, "desk", 0)
    # the first team a ticket is seen with is where it was opened, even by an assignment
    assert [a for a, _, _ in _history("A-2")] == ["former", "resolve", "former", "migrate"]
    assert check.run_check(desk).ok


def test_a_reopening_time_is_a_reopen_row_in_its_place_unless_the_activities_give_one(migrated):
    desk, result, _ = migrated
    a3 = _history("A-3")
    assert [a for a, _, _ in a3] == ["former", "former", "reopen", "former", "resolve", "migrate"]
    assert (a3[2][1], a3[2][2]) == ({"reopen_count": [0, 1]}, datetime(2026, 3, 3, 9, 0))
    # the team that closed it is its group and its resolving group
    a3_row = Incident.get(Incident.external_ref == "A-3")
    assert (a3_row.group.code, a3_row.tier, a3_row.resolved_group.code) == ("systems", 2, "systems")
    a4 = _history("A-4")
    assert [a for a, _, _ in a4] == ["former", "former", "reopen", "former", "resolve", "migrate"]
    assert a4[2][2] == datetime(2026, 3, 4, 9, 0)  # the activity's, not the file's reopening time
    assert [i.reopen_count for i in Incident.select().order_by(Incident.external_ref)] == [0, 0, 1, 1, 0]
    # a team with no mapping leaves the ticket where it was (reported); an event with no time is left out
    assert Incident.get(Incident.external_ref == "A-4").resolved_group.code == "desk"
    assert result.unknown[("group", "Night Shift")] == 1
    assert [(r[1], r[2], r[3], r[4].key) for r in result.skipped] == [(17, "at", "A-4", "no_event_time")]
    assert check.run_check(desk).ok


def test_the_report_counts_them_and_first_call_resolution_over_the_known_resolving_groups(migrated):
    desk, _, _ = migrated
    assert Incident.get(Incident.external_ref == "A-5").resolved_group is None  # no activity names its team
    figures = report_figures.headline(desk, datetime(2026, 3, 1), datetime(2026, 4, 1), datetime(2026, 5, 1))
    assert (figures["escalations_functional"], figures["escalations_returned"], figures["incidents_escalated"]) \
        == (1, 1, 1)
    assert figures["reopenings"] == 2 and figures["reopen_rate"] == round(2 / 5, 4)
    assert figures["resolutions"] == 5  # a resolve row each (their last resolution; was 0: no row said it)
    # first-call: A-2 alone (A-1 escalated, A-3 and A-4 reopened), over the four with a known group
    assert (figures["first_call_resolved"], figures["first_call_resolution_rate"]) == (1, 0.25)


def test_an_event_s_refused_value_names_the_events_file(db_url, clock, tmp_path):
    mapping = MAPPING.replace('title = "{title}"\n', 'title = "{title}"\nunknown = "refuse"\n')
    migrated = migrate_text(db_url, clock, tmp_path, "acts", INCIDENTS, mapping, EVENTS)
    assert [(r[0], r[1], r[2], r[3], r[4].key) for r in migrated.result.refused] == \
        [(str(migrated.events), 16, "team", "A-4", "unmapped")]
    assert migrated.result.created == 4


SERVICENOW = '''number,incident_state,short_description,description,close_notes,impact,urgency,priority,category,closed_code,assignment_group,assigned_to,caller_id,opened_at,resolved_at,closed_at,sys_updated_at,sys_updated_by
INC1,New,VPN,,,2 - Medium,2 - Medium,3 - Moderate,Network,,network,,Caller,1/3/2016 09:00,,,1/3/2016 09:00,a
INC1,Resolved,VPN,,done,2 - Medium,2 - Medium,3 - Moderate,Network,Solved (Permanently),network,,Caller,1/3/2016 09:00,1/3/2016 10:00,,1/3/2016 10:00,a
INC1,Active,VPN,,,2 - Medium,2 - Medium,3 - Moderate,Network,,network,,Caller,1/3/2016 09:00,,,2/3/2016 08:00,b
INC1,Resolved,VPN,,done,2 - Medium,2 - Medium,3 - Moderate,Network,Solved (Permanently),network,,Caller,1/3/2016 09:00,2/3/2016 10:00,,2/3/2016 10:00,a
'''


def test_an_audit_row_taking_a_resolved_ticket_back_open_is_a_reopening(db_url, clock, tmp_path):
    migrated = migrate_text(db_url, clock, tmp_path, "servicenow", SERVICENOW)
    assert migrated.result.refused == []
    with opened(db_url, clock, None) as desk:
        rows = _history("INC1")
        assert [a for a, _, _ in rows] == ["former", "resolve", "reopen", "resolve", "migrate"]
        assert rows[2][1]["status"] == ["resolved", "in_progress"] and rows[2][1]["reopen_count"] == [0, 1]
        incident = Incident.get(Incident.external_ref == "INC1")
        # the file names the group: it is the resolving group
        assert (incident.reopen_count, incident.resolved_group.code) == (1, "network")
        assert check.run_check(desk).ok
        assert Group.select().where(Group.code == "network").count() == 1
