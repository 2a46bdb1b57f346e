"""`desk migrate`: the real BPIC 2014 sample, a ServiceNow audit export, a Jira export; refusals."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import make_desk
from desk.config import load_config
from desk.models import History, Incident
from desk.services import check
from desk.services.context import open_desk
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate
from reliability.helpers import dump, run_cli

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
BPIC = DATA / "bpic2014_sample_incident.csv.gz"
BPIC_EVENTS = DATA / "bpic2014_sample_incident_activity.csv.gz"

SERVICENOW = '''number,incident_state,short_description,description,close_notes,impact,urgency,priority,category,closed_code,assignment_group,assigned_to,caller_id,opened_at,resolved_at,closed_at,reopen_count,sys_updated_at,sys_updated_by
INC0000045,Active,VPN drops,"since Monday, ""hourly""",,2 - Medium,2 - Medium,3 - Moderate,Network,,Group 56,,Caller 2403,29/2/2016 01:16,,,0,29/2/2016 01:23,Resolver 149
INC0000045,New,VPN drops,"since Monday, ""hourly""",,2 - Medium,2 - Medium,3 - Moderate,Network,,Group 56,,Caller 2403,29/2/2016 01:16,,,0,29/2/2016 01:16,Created by 6
INC0000047,New,Printer jam,,,3 - Low,3 - Low,4 - Low,Hardware,,Group 70,Resolver 31,Caller 2403,29/2/2016 04:40,,,0,29/2/2016 04:41,Resolver 31
INC0000045,Resolved,VPN drops,"since Monday, ""hourly""",raised DPD,2 - Medium,1 - High,2 - High,Network,Solved (Permanently),network,admin,Caller 2403,29/2/2016 01:16,1/3/2016 09:52,,0,1/3/2016 09:53,admin
INC0000045,Closed,VPN drops,"since Monday, ""hourly""",raised DPD,2 - Medium,1 - High,2 - High,Network,Solved (Permanently),network,admin,Caller 2403,29/2/2016 01:16,1/3/2016 09:52,6/3/2016 10:00,0,6/3/2016 10:00,system
'''

JIRA = '''Issue key,Summary,Description,Status,Priority,Assignee,Reporter,Created,Resolved,Resolution,Component/s,Issue Type,Custom field (Impact),Custom field (Urgency)
IT-101,Laptop will not boot,Black screen,Done,High,li,Wang Fang,12/Mar/24 10:15 AM,12/Mar/24 2:30 PM,Done,,[System] Incident,Moderate / Limited,High
IT-102,New mailbox for intern,,Waiting for support,Medium,,Zhao Lei,13/Mar/24 9:00 AM,,,,[System] Service request,,
IT-103,=cmd|' /C calc'!A0,,In Progress,Lowest,someone,Evil,not a date,,,,[System] Incident,,
'''


def _result(db_url, clock, mapping_name, path, events=None, config=None):
    desk = open_desk(db_url, config or load_config(), clock=clock, user="admin", lang="en")
    try:
        return migrate.migrate_csv(desk, mappings.load(desk.config, mapping_name), str(path),
                                   str(events) if events else None)
    finally:
        desk.close()


def _ok(db_url) -> None:
    desk = open_desk(db_url, user="admin")
    try:
        report = check.run_check(desk)
        assert report.ok, [p.message("en") for p in report.problems]
    finally:
        desk.close()


@pytest.mark.skipif(not BPIC.exists(), reason="the shared BPIC 2014 sample is not here")
def test_the_real_bpic_sample_migrates_with_counts_by_status_and_priority_as_in_the_file(db_url, clock):
    make_desk(db_url, clock).close()
    rows = list(csv.DictReader(gzip.open(BPIC, "rt", encoding="utf-8")))
    config = load_config()
    m = mappings.load(config, "bpic2014")
    expected_status = Counter(m.values["status"][r["status"]] for r in rows)
    expected_priority = Counter(m.values["priority"][r["priority"]] for r in rows)
    events = Counter(r["incident_id"] for r in csv.DictReader(gzip.open(BPIC_EVENTS, "rt", encoding="utf-8")))

    result = _result(db_url, clock, "bpic2014", BPIC, BPIC_EVENTS)
    assert (result.rows, result.created, result.refused) == (4000, 4000, [])
    desk = open_desk(db_url, user="admin")
    try:
        assert Counter(s for (s,) in Incident.select(Incident.status).tuples()) == expected_status
        assert Counter(p for (p,) in Incident.select(Incident.priority).tuples()) == expected_priority
        one = Incident.get(Incident.external_ref == "IM0000013")
        assert one.opened_at.isoformat(" ") == "2012-08-10 11:27:59" and one.closure_code == "fixed"
        history = list(History.select().where((History.entity == "incident") & (History.entity_id == one.id))
                       .order_by(History.seq))
        assert len(history) == events["IM0000013"] + 2 == one.version  # its activities, its resolution, the migration
        assert Counter(h.action for h in history[:-1]) == {"former": events["IM0000013"], "resolve": 1}
        assert [h.at for h in history[:-1]] == sorted(h.at for h in history[:-1])
        assert history[-1].action == "migrate" and history[-1].actor.login == "admin"
        assert json.loads(history[-1].changes)["status"] == [None, "closed"]
        moves = Counter(a for (a,) in History.select(History.action).where(
            History.action.in_(("escalate", "return", "assign", "reopen"))).tuples())
        want = _bpic_moves(rows)
        vendor = sum(1 for (changes,) in History.select(History.changes).where(History.action == "escalate").tuples()
                     if json.loads(changes).get("tier", [0, 0])[1] == 3)
        assert vendor == want.pop("to vendor") > 300  # escalations to the third line (the vendor assignments)
        assert moves == want and moves["escalate"] > 500 and moves["reopen"] > 200
        done = Incident.select().where(Incident.status.in_(("resolved", "closed"))).count()
        assert History.select().where(History.action == "resolve").count() == done > 3000  # the report's resolutions
        # every incident's activities name the team that closed it: the resolving group is known
        assert Incident.select().where(Incident.resolved_group.is_null()).count() == 0
    finally:
        desk.close()
    _ok(db_url)
    again = _result(db_url, clock, "bpic2014", BPIC, BPIC_EVENTS)
    assert (again.created, again.already) == (0, 4000)


def _bpic_moves(rows: list[dict]) -> Counter:
    """The desk actions the bpic2014 mapping makes of the activities, counted here from the file:
    in time order (then activity number), the incident is with each activity's team; TEAM0008 is
    the service desk (tier 1), every other team tier 2, and an External Vendor (Re)assignment takes
    it to the software vendor (tier 3) whatever team it names; an Assignment, Reassignment or
    External Vendor (Re)assignment to another team escalates to a higher tier, returns to a lower
    one or reassigns within one; each Reopen is a reopening, and an incident with a reopen_time and
    no Reopen activity has one."""
    to_vendor = ("External Vendor Assignment", "External Vendor Reassignment")
    tier = {"TEAM0008": 1, "vendor": 3}
    acts: dict[str, list] = {}
    for line, r in enumerate(csv.DictReader(gzip.open(BPIC_EVENTS, "rt", encoding="utf-8"))):
        acts.setdefault(r["incident_id"], []).append(
            (r["date_stamp"], r["incident_activity_number"], line, r["incident_activity_type"], r["assignment_group"]))
    want: Counter = Counter()
    for events in acts.values():
        team = None
        for _at, _number, _line, kind, group in sorted(events):
            group = "vendor" if kind in to_vendor else group
            if group != team:
                if team is not None and kind in ("Assignment", "Reassignment", *to_vendor):
                    before, after = tier.get(team, 2), tier.get(group, 2)
                    want["escalate" if after > before else "return" if after < before else "assign"] += 1
                    want["to vendor"] += after == 3
                team = group
            want["reopen"] += kind == "Reopen"
    want["reopen"] += sum(1 for r in rows if r["reopen_time"]
                          and not any(e[3] == "Reopen" for e in acts.get(r["incident_id"], [])))
    return +want


def test_an_audit_export_gives_one_ticket_per_number_with_its_history_in_order(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    path = tmp_path / "sn.csv"
    path.write_text(SERVICENOW, encoding="utf-8")
    result = _result(db_url, clock, "servicenow", path)
    assert (result.rows, result.tickets, result.created, result.refused) == (5, 2, 2, [])
    desk = open_desk(db_url, user="admin")
    try:
        vpn = Incident.get(Incident.external_ref == "INC0000045")
        assert (vpn.status, vpn.priority, vpn.impact, vpn.urgency) == ("closed", 2, 2, 1)
        assert vpn.group.code == "network" and vpn.assignee.login == "admin" and vpn.caller.name == "Caller 2403"
        assert vpn.description == 'since Monday, "hourly"' and vpn.resolution == "raised DPD"
        history = list(History.select().where((History.entity == "incident") & (History.entity_id == vpn.id))
                       .order_by(History.seq))
        statuses = [json.loads(h.changes).get("status") for h in history]
        assert statuses == [[None, "new"], ["new", "in_progress"], ["in_progress", "resolved"],
                            ["resolved", "closed"], None]
        assert [h.at.isoformat(" ") for h in history[:4]] == [
            "2016-02-29 01:16:00", "2016-02-29 01:23:00", "2016-03-01 09:53:00", "2016-03-06 10:00:00"]
        assert [h.note for h in history[:2]] == ["ServiceNow: Created by 6", "ServiceNow: Resolver 149"]
        assert history[2].actor.login == "admin" and history[0].actor is None
        assert ("group", "Group 56") in result.unknown and ("agent", "Resolver 31") in result.unknown
    finally:
        desk.close()
    _ok(db_url)


def test_a_jira_export_and_a_ticket_with_a_bad_time_refused_alone(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    path = tmp_path / "jira.csv"
    path.write_text(JIRA, encoding="utf-8")
    out = run_cli("migrate", "--from", "csv", "--mapping", "jira", str(path), db=db_url)
    assert out.returncode == 1, out.stderr
    err = out.stderr.decode()
    assert f"{path}:4: column Created: ticket IT-103 refused" in err
    assert "2 incidents created" in out.stdout.decode()
    desk = open_desk(db_url, user="admin")
    try:
        laptop = Incident.get(Incident.external_ref == "IT-101")
        assert (laptop.status, laptop.priority, laptop.classification) == ("resolved", 2, "incident")
        assert laptop.resolved_at.isoformat(" ") == "2024-03-12 14:30:00" and laptop.assignee.login == "li"
        mailbox = Incident.get(Incident.external_ref == "IT-102")
        assert (mailbox.status, mailbox.classification, mailbox.closure_code) == ("new", "service_request", None)
    finally:
        desk.close()
    _ok(db_url)


def test_a_mapping_that_names_a_missing_column_is_refused_in_one_line_with_nothing_written(db_url, clock,
                                                                                           tmp_path):
    make_desk(db_url, clock).close()
    path = tmp_path / "sn.csv"
    path.write_text(SERVICENOW.replace("incident_state", "state"), encoding="utf-8")
    desk = open_desk(db_url, user="admin")
    before = dump(desk.db)
    desk.close()
    out = run_cli("migrate", "--mapping", "servicenow", str(path), db=db_url)
    assert out.returncode == 1
    err = out.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "incident_state" in err[0] and "nothing was migrated" in err[0]
    out = run_cli("migrate", "--mapping", "nosuch", str(path), db=db_url)
    assert out.returncode == 1 and "bpic2014, jira, servicenow" in out.stderr.decode()
    desk = open_desk(db_url, user="admin")
    try:
        assert dump(desk.db) == before
    finally:
        desk.close()


def test_unknown_values_refused_when_the_mapping_says_so_and_a_bad_mapping_names_its_line(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config = tmp_path / "config.toml"
    config.write_text('[migrate.strict]\nnumber = "number"\ntitle = "{short_description}"\nunknown = "refuse"\n'
                      'time_format = "%d/%m/%Y %H:%M"\n[migrate.strict.fields]\nstatus = "incident_state"\n'
                      'opened_at = "opened_at"\n[migrate.strict.values.status]\nClosed = "closed"\n',
                      encoding="utf-8")
    path = tmp_path / "sn.csv"
    path.write_text(SERVICENOW, encoding="utf-8")
    result = _result(db_url, clock, "strict", path, config=load_config(str(config)))
    assert [(r[3], r[4].text("en")) for r in result.refused] == [
        ("INC0000047", 'its `status` value “New” has no line in the mapping\'s values, and the mapping says `unknown = "refuse"`')]
    assert result.created == 1  # INC0000045: its last row says Closed (one row per ticket: the last counts)
    config.write_text('[migrate.bad]\nnumber = "n"\ntitle = "t"\n\n[migrate.bad.values.status]\nOpen = "opened"\n',
                      encoding="utf-8")
    out = run_cli("--config", str(config), "migrate", "--mapping", "bad", str(path), db=db_url)
    assert out.returncode == 2
    assert out.stderr.decode().strip() == f"{config}:6: migrate.bad.values.status.Open = 'opened' is not a [[status]] code"


def test_a_migrated_tickets_former_number_finds_it_in_the_queue_filter(db_url, clock, tmp_path):
    """`ref:INC0000045` in the queue's filter bar: the external ref, exactly (its index does the work)."""
    from desk.domain import filter_terms
    from desk.lists.incident import make_filter
    from desk.services import queue

    make_desk(db_url, clock).close()
    path = tmp_path / "sn.csv"
    path.write_text(SERVICENOW, encoding="utf-8")
    _result(db_url, clock, "servicenow", path)
    desk = open_desk(db_url, user="admin")
    try:
        vocab = queue.vocabulary(desk.config)
        parsed = filter_terms.parse("ref:INC0000045", vocab)
        assert parsed.ok and parsed.refs == {"INC0000045"} and not parsed.empty
        assert filter_terms.describe(parsed) == "ref:INC0000045"
        ctx = queue.context(desk, "admin", scoped=True)
        found = queue.ids(make_filter("all", parsed), ctx)
        assert [Incident.get_by_id(i).external_ref for i in found] == ["INC0000045"]
        both = filter_terms.parse("ref:INC0000045,INC0000047", vocab)
        assert queue.count(make_filter("all", both), ctx) == 2
        assert queue.count(make_filter("all", filter_terms.parse("ref:INC9", vocab)), ctx) == 0
    finally:
        desk.close()


def test_a_column_marked_optional_may_be_missing_from_the_file(db_url, clock, tmp_path):
    """The shipped Jira mapping reads its custom Impact and Urgency fields only when the export has them."""
    make_desk(db_url, clock).close()
    path = tmp_path / "jira-plain.csv"
    lines = JIRA.splitlines()
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if not name.startswith(("Custom field", "Component"))]
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in lines[:3]) + "\n",
                    encoding="utf-8")
    result = _result(db_url, clock, "jira", path)
    assert (result.created, result.refused) == (2, [])
    desk = open_desk(db_url, user="admin")
    try:
        laptop = Incident.get(Incident.external_ref == "IT-101")
        assert (laptop.impact, laptop.urgency, laptop.priority) == (3, 3, 2)  # the mapping's defaults; Jira's priority
    finally:
        desk.close()
