"""Report figures on real data, checked by an independent count (issue 16).

    python -m bench.real_reports [--db PATH] [--keep]

Migrates the BPI Challenge 2014 sample (Rabobank Group ICT, 4TU.ResearchData,
doi:10.4121/uuid:c3e5d162-0cfd-4bb0-bd82-af5268819c35; /work/shared/data) into a fresh desk with
`desk migrate --mapping bpic2014 … --events …`, generates the monthly incident KPI report and the
monthly customer report (its SLA section) for six months, and counts the same figures again from
the CSV file in plain Python, row by row, with the mapping's rules written out here (priority 1–5 →
1, 1, 2, 3, 4; resolved = resolved_time, else close_time; the desk's Asia/Shanghai months; resolution
targets of the shipped priorities on the 24x7 calendar: 240, 480, 1440, 4320 minutes) and the
activities' (in time order, then activity number: the incident is with each activity's team;
TEAM0008 is the service desk, tier 1, every other team second line; an External Vendor
(Re)assignment takes it to the vendor, tier 3, whichever team it names; an Assignment, Reassignment
or External Vendor (Re)assignment to a team of a higher tier is an escalation, of a lower one a
return; each Reopen activity is a
reopening, or the reopen_time when the incident has none; first-call resolution = closed by the
service desk, never escalated, never reopened). Prints one line per month and figure, desk beside
the recount, and exits 1 if any differ. The figure the file cannot give (first response) is
printed as the desk shows it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

DATA = Path("/work/shared/data")
INCIDENTS = DATA / "bpic2014_sample_incident.csv.gz"
EVENTS = DATA / "bpic2014_sample_incident_activity.csv.gz"
MONTHS = ((2013, 10), (2013, 11), (2013, 12), (2014, 1), (2014, 2), (2014, 3))
SHANGHAI = timedelta(hours=8)
PRIORITY = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
DESK_TEAM = "TEAM0008"  # the bpic2014 mapping's service desk (tier 1); every other team is tier 2
VENDOR = "vendor-sw"  # where the mapping's [events.groups] sends the vendor assignments (tier 3)
TO_VENDOR = ("External Vendor Assignment", "External Vendor Reassignment")
DISPATCH = ("Assignment", "Reassignment", *TO_VENDOR)  # the activities the mapping makes dispatches
TARGET = {1: 240, 2: 480, 3: 1440, 4: 4320}  # resolve_minutes of config/default.toml's priorities


def _at(text: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None


def _tier(team: str) -> int:
    return 3 if team == VENDOR else 1 if team == DESK_TEAM else 2


def activities() -> dict[str, dict]:
    """Per incident: the times of its escalations, returns and reopenings, and its last team."""
    by: dict[str, list] = {}
    with gzip.open(EVENTS, "rt", encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f)):
            by.setdefault(r["incident_id"], []).append(
                (_at(r["date_stamp"]), r["incident_activity_number"], line, r["incident_activity_type"],
                 r["assignment_group"]))
    out = {}
    for number, events in by.items():
        team, escalated, returned, reopened, to_vendor = None, [], [], [], []
        for at, _order, _line, kind, group in sorted(events):
            group = VENDOR if kind in TO_VENDOR else group
            if group and group != team:
                if team is not None and kind in DISPATCH and _tier(group) != _tier(team):
                    (escalated if _tier(group) > _tier(team) else returned).append(at)
                    if group == VENDOR:
                        to_vendor.append(at)
                team = group
            if kind == "Reopen":
                reopened.append(at)
        out[number] = {"escalated": escalated, "returned": returned, "reopened": reopened, "team": team,
                       "to_vendor": to_vendor}
    return out


def rows() -> list[dict]:
    out = []
    acts = activities()
    with gzip.open(INCIDENTS, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            opened = _at(r["open_time"])
            priority = PRIORITY[int(r["priority"])]
            a = acts.get(r["incident_id"], {"escalated": [], "returned": [], "reopened": [], "team": None,
                                            "to_vendor": []})
            reopenings = a["reopened"] or ([_at(r["reopen_time"])] if r["reopen_time"] else [])
            out.append({"opened": opened, "resolved": _at(r["resolved_time"]) or _at(r["close_time"]),
                        "priority": priority, "due": opened + timedelta(minutes=TARGET[priority]),
                        "reopenings": reopenings, "reopened": bool(reopenings), "escalations": a["escalated"],
                        "to vendor": a["to_vendor"], "returns": a["returned"], "by_desk": a["team"] == DESK_TEAM})
    return out


def month(year: int, mon: int) -> tuple[datetime, datetime]:
    nxt = datetime(year + mon // 12, mon % 12 + 1, 1)
    return datetime(year, mon, 1) - SHANGHAI, nxt - SHANGHAI


def recount(data: list[dict], start: datetime, end: datetime) -> dict:
    opened = [r for r in data if start <= r["opened"] < end]
    resolved = [r for r in opened if r["resolved"] < end]
    minutes = sorted((r["resolved"] - r["opened"]).total_seconds() / 60 for r in resolved)
    in_period = [r for r in data if start <= r["resolved"] < end]
    by_priority: dict[str, int] = {}
    for r in opened:
        by_priority[str(r["priority"])] = by_priority.get(str(r["priority"]), 0) + 1
    met = sum(1 for r in in_period if r["resolved"] <= r["due"])
    first_call = sum(1 for r in resolved if r["by_desk"] and not r["escalations"] and not r["reopened"])
    return {
        "opened": len(opened),
        "by priority": dict(sorted(by_priority.items())),
        "resolved": len(resolved),
        "resolution rate": round(len(resolved) / len(opened), 4) if opened else None,
        "not resolved in time": sum(1 for r in opened if r["resolved"] > r["due"] and
                                    (r["resolved"] < end or r["due"] < end)),
        "mean resolve (min)": round(sum(minutes) / len(minutes), 1) if minutes else None,
        "p90 resolve (min)": round(minutes[math.ceil(0.9 * len(minutes)) - 1], 1) if minutes else None,
        "backlog": sum(1 for r in data if r["opened"] < end and r["resolved"] >= end),
        "SLA met": met,
        "SLA breached": len(in_period) - met,
        "SLA open past due": sum(1 for r in data if start <= r["due"] < end and r["resolved"] >= end),
        # reopen rate: reopened (a reopen_time: the mapping's reopened_at) over those resolved at least once
        "reopen rate": (round(sum(1 for r in opened if r["reopened"]) / ever, 4)
                        if (ever := sum(1 for r in opened if r["resolved"] is not None or r["reopened"])) else None),
        "reopenings": sum(1 for r in data for at in r["reopenings"] if start <= at < end),
        # a resolve row per resolved incident, at its (last) resolution: the file names only that one
        "resolutions": len(in_period),
        "escalations": sum(1 for r in data for at in r["escalations"] if start <= at < end),
        "incidents escalated": sum(1 for r in data if any(start <= at < end for at in r["escalations"])),
        # not a report figure: desk's escalate rows that take an incident to tier 3 (vendor_escalations)
        "escalations to vendor": sum(1 for r in data for at in r["to vendor"] if start <= at < end),
        "escalations returned": sum(1 for r in data for at in r["returns"] if start <= at < end),
        # every resolved incident's resolving group is known (its activities name teams)
        "first-call resolved": first_call,
        "first-call rate": round(first_call / len(resolved), 4) if resolved else None,
    }


def desk_figures(kpi: dict, customer: dict) -> dict:
    s, sla = kpi["sections"], customer["sections"]["sla"]["incidents"]
    return {
        "opened": s["volume"]["opened"],
        "by priority": dict(sorted((k, v) for k, v in s["volume"]["by"]["priority"])),
        "resolved": s["resolution"]["resolved"],
        "resolution rate": s["resolution"]["resolution_rate"],
        "not resolved in time": s["resolution"]["not_resolved_in_time"],
        "mean resolve (min)": s["times"]["mean_resolve_minutes"],
        "p90 resolve (min)": s["times"]["p90_resolve_minutes"],
        "backlog": s["backlog"]["backlog"],
        "SLA met": sla["met"],
        "SLA breached": sla["breached"],
        "SLA open past due": sla["open_past_due"],
        "reopen rate": s["reopen"]["reopen_rate"],
        "reopenings": s["reopen"]["reopenings"],
        "resolutions": s["reopen"]["resolutions"],
        "escalations": s["escalation"]["escalations_functional"],
        "incidents escalated": s["escalation"]["incidents_escalated"],
        "escalations returned": s["escalation"]["escalations_returned"],
        "first-call resolved": s["resolution"]["first_call_resolved"],
        "first-call rate": s["resolution"]["first_call_resolution_rate"],
    }


def vendor_escalations(start: datetime, end: datetime) -> int:
    """desk's functional escalations in [start, end) that took an incident to a vendor (tier 3):
    the report counts them among all escalations; its history rows say which."""
    import json

    from desk.models import History

    rows = (History.select(History.changes)
            .where(History.entity == "incident", History.action == "escalate", History.at >= start, History.at < end))
    return sum(1 for (changes,) in rows.tuples() if json.loads(changes).get("tier", [None, None])[1] == 3)


def migrate(db: str) -> None:
    # a config of its own: the migration adds the bank's teams to it as work groups (unknown = "create")
    env = {**os.environ, "DESK_DB": db, "DESK_USER": "root", "XDG_CONFIG_HOME": str(Path(db).parent / "config")}
    for args in (["init"], ["migrate", "--mapping", "bpic2014", str(INCIDENTS), "--events", str(EVENTS)]):
        done = subprocess.run([sys.executable, "-m", "desk", *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:  # (its summary names each new work group: said only when it fails)
            sys.exit(f"desk {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.real_reports")
    p.add_argument("--db", help="an already migrated database (else a temporary one is migrated)")
    p.add_argument("--keep", action="store_true", help="keep the temporary database (its path is printed)")
    args = p.parse_args(argv)
    db, made = args.db, None
    if db is None:
        made = Path(tempfile.mkdtemp(prefix="desk-real-"))
        db = str(made / "desk.db")
        migrate(db)
    try:
        return _compare(db)
    finally:
        if made is not None and not args.keep:
            shutil.rmtree(made, ignore_errors=True)
        elif made is not None:
            print(f"kept: {db}")


def _compare(db: str) -> int:
    from desk.config import load_config
    from desk.domain import report_flow as flow
    from desk.services import report_list, reports
    from desk.services.context import open_desk

    desk = open_desk(db, load_config(), user="root", lang="en", create=False)
    data = rows()
    wrong = 0
    for year, mon in MONTHS:
        period = flow.parse_period("monthly", f"{year}-{mon:02d}")
        kpi = reports.compute(desk, report_list.get(desk, "incident-kpi-monthly").content, period)
        customer = reports.compute(desk, report_list.get(desk, "customer-monthly").content, period)
        want, got = recount(data, *month(year, mon)), desk_figures(kpi, customer)
        got["escalations to vendor"] = vendor_escalations(*month(year, mon))
        for name, value in want.items():
            if name not in got:
                continue
            same = got[name] == value or (isinstance(value, float) and abs(got[name] - value) <= 0.1)
            wrong += not same
            print(f"{period.key}  {name:22s} desk {got[name]!s:>40}  recount {value!s:>40}  {'ok' if same else 'DIFFERS'}")
        s = kpi["sections"]
        print(f"{period.key}  (not in the file)       mean response {s['times']['mean_response_minutes']}")
    print(f"{'all figures agree' if not wrong else f'{wrong} figures differ'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
