"""Report figures on real data, checked by an independent count (issue 16).

    python -m bench.real_reports [--db PATH] [--keep]

Migrates the BPI Challenge 2014 sample (Rabobank Group ICT, 4TU.ResearchData,
doi:10.4121/uuid:c3e5d162-0cfd-4bb0-bd82-af5268819c35; /work/shared/data) into a fresh desk with
`desk migrate --mapping bpic2014 … --events …`, generates the monthly incident KPI report and the
monthly customer report (its SLA section) for six months, and counts the same figures again from
the CSV file in plain Python, row by row, with the mapping's rules written out here (priority 1–5 →
1, 1, 2, 3, 4; resolved = resolved_time, else close_time; reopened once = a reopen_time; the desk's
Asia/Shanghai months; resolution targets of the shipped priorities on the 24x7 calendar: 240, 480,
1440, 4320 minutes). Prints one
line per month and figure, desk beside the recount, and exits 1 if any differ. Figures the file
cannot give (first response, escalations, the resolving group) are printed as the desk shows them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import os
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
TARGET = {1: 240, 2: 480, 3: 1440, 4: 4320}  # resolve_minutes of config/default.toml's priorities


def _at(text: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None


def rows() -> list[dict]:
    out = []
    with gzip.open(INCIDENTS, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            opened = _at(r["open_time"])
            priority = PRIORITY[int(r["priority"])]
            out.append({"opened": opened, "resolved": _at(r["resolved_time"]) or _at(r["close_time"]),
                        "priority": priority, "due": opened + timedelta(minutes=TARGET[priority]),
                        "reopened": bool(r["reopen_time"])})
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
    }


def migrate(db: str) -> None:
    env = {**os.environ, "DESK_DB": db, "DESK_USER": "root"}
    env.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="desk-real-cfg-"))
    for args in (["init"], ["migrate", "--mapping", "bpic2014", str(INCIDENTS), "--events", str(EVENTS)]):
        subprocess.run([sys.executable, "-m", "desk", *args], env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.real_reports")
    p.add_argument("--db", help="an already migrated database (else a temporary one is migrated)")
    args = p.parse_args(argv)
    db = args.db
    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="desk-real-")) / "desk.db")
        migrate(db)
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
        for name, value in want.items():
            if name not in got:
                continue
            same = got[name] == value or (isinstance(value, float) and abs(got[name] - value) <= 0.1)
            wrong += not same
            print(f"{period.key}  {name:22s} desk {got[name]!s:>40}  recount {value!s:>40}  {'ok' if same else 'DIFFERS'}")
        s = kpi["sections"]
        print(f"{period.key}  (not in the file)       first-call rate {s['resolution']['first_call_resolution_rate']}, "
              f"mean response {s['times']['mean_response_minutes']}, "
              f"escalations {s['escalation']['escalations_functional']}")
    print(f"{'all figures agree' if not wrong else f'{wrong} figures differ'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
