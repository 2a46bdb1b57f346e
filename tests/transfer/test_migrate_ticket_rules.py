"""A migrated ticket's own rules that a removed or inverted line would let pass (issue 19;
tools/mutants/services_transfer_ticket.toml): a ticket without a status is refused, only a finished
ticket has a closure code, only a closed one a closing time."""

from __future__ import annotations

from conftest import make_desk
from desk.config import load_config
from desk.models import Incident
from desk.services.context import open_desk
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate

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
    make_desk(db_url, clock).close()
    config_path = tmp_path / "config.toml"
    config_path.write_text(MAPPING, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    desk = open_desk(db_url, load_config(str(config_path)), clock=clock, user="admin", lang="en")
    try:
        result = migrate.migrate_csv(desk, mappings.load(desk.config, "rules"), str(export))
    finally:
        desk.close()
    assert [(r[1], r[3], r[4].key) for r in result.refused] == [(5, "R-4", "no_status")]
    desk = open_desk(db_url, load_config(str(config_path)), user="admin")
    try:
        rows = {i.external_ref: i for i in Incident.select()}
        assert set(rows) == {"R-1", "R-2", "R-3"}
        assert (rows["R-1"].status, rows["R-1"].closure_code, rows["R-1"].closed_at) == ("in_progress", None, None)
        assert (rows["R-2"].status, rows["R-2"].closure_code, rows["R-2"].closed_at) == ("resolved", "fixed", None)
        assert rows["R-3"].closed_at is not None and rows["R-3"].closure_code == "fixed"
    finally:
        desk.close()
