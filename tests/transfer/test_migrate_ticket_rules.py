"""A migrated ticket's own rules that a removed or inverted line would let pass (issue 19;
tools/mutants/services_transfer_ticket.toml): a ticket without a status is refused, only a finished
ticket has a closure code and a resolution time, only a closed one a closing time."""

from __future__ import annotations

from desk.models import Incident
from transfer.migrate_files import migrate_text, opened

EXPORT = '''number,state,title,opened,resolved,closed,code
R-1,Open,VPN drops,2016-02-29 01:16,,,
R-2,Solved,Printer jam,2016-02-29 04:40,2016-02-29 06:00,2016-03-02 06:00,Fixed
R-3,Done,Mail slow,2016-03-01 09:00,2016-03-01 10:00,2016-03-01 11:00,Fixed
R-4,,Disk full,2016-03-01 10:00,,,
'''

MAPPING = '''[migrate.rules]
number = "number"
title = "{title}"

[migrate.rules.fields]
status = "state"
opened_at = "opened"
resolved_at = "resolved"
closed_at = "closed"
closure_code = "code"

[migrate.rules.values.status]
Open = "in_progress"
Solved = "resolved"
Done = "closed"

[migrate.rules.values.closure_code]
Fixed = "fixed"
'''


def test_status_closure_code_and_closing_time_follow_the_ticket_s_state(db_url, clock, tmp_path):
    migrated = migrate_text(db_url, clock, tmp_path, "rules", EXPORT, MAPPING)
    assert [(r[1], r[3], r[4].key) for r in migrated.result.refused] == [(5, "R-4", "no_status")]
    with opened(db_url, clock, migrated.config):
        rows = {i.external_ref: i for i in Incident.select()}
        assert set(rows) == {"R-1", "R-2", "R-3"}
        assert (rows["R-1"].status, rows["R-1"].closure_code, rows["R-1"].closed_at) == ("in_progress", None, None)
        assert (rows["R-2"].status, rows["R-2"].closure_code, rows["R-2"].closed_at) == ("resolved", "fixed", None)
        assert rows["R-3"].closed_at is not None and rows["R-3"].closure_code == "fixed"


REOPENED = '''number,state,title,opened,resolved,closed,code
R-5,Open,VPN drops again,2016-02-29 01:16,2016-02-29 03:00,,
'''


def test_an_open_ticket_keeps_no_resolution_time_from_the_file(db_url, clock, tmp_path):
    """Reopened in the former tool, which kept its last resolution time: open here, so not resolved
    (the SLA clock and the reports read a resolution time as the ticket's stop)."""
    migrated = migrate_text(db_url, clock, tmp_path, "rules", REOPENED, MAPPING)
    assert migrated.result.refused == []
    with opened(db_url, clock, migrated.config):
        r5 = Incident.get(Incident.external_ref == "R-5")
        assert (r5.status, r5.resolved_at, r5.closure_code) == ("in_progress", None, None)
