"""Freeze a database made by the current schema version as tests/reliability/schemas/v<N>.sql.

Run once when a schema version is released (before the next one changes the schema):
    .venv/bin/python tests/reliability/schemas/make_fixture.py
The upgrade tests then load every frozen version and upgrade it with `desk init`.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for conftest

from conftest import FakeClock, make_desk  # noqa: E402

from desk.services import changes, incidents, knowledge, problems, schema  # noqa: E402

try:  # schema 6 on: service requests
    from desk.services import request_approval, requests  # noqa: E402
except ImportError:  # an older tree
    requests = None

try:  # schema 7 on: the report list
    from desk.services import report_list  # noqa: E402
except ImportError:  # an older tree
    report_list = None

try:  # schema 4 on: a monitoring alert that repeated
    from desk.services import alerts  # noqa: E402
    from desk.services.alert_payloads import AlertIn  # noqa: E402
except ImportError:  # an older tree
    alerts = None

try:  # schema 10 on: the catalogue's workflow
    from desk.services import catalogue_flow  # noqa: E402
except ImportError:  # an older tree
    catalogue_flow = None


try:  # schema 6 on: SLA clocks
    from desk.services import sla_hold  # noqa: E402
except ImportError:
    sla_hold = None


def build(path: str) -> None:
    clock = FakeClock(datetime(2026, 3, 1, 8, 30, 0))
    desk = make_desk(path, clock)
    a = incidents.create(desk, "li", title="VPN drops every hour", impact=2, urgency=2, caller="Zhang Wei",
                         description="since Monday\n[bold]not markup[/bold] \x1b[2J")
    clock.advance(minutes=5)
    incidents.escalate(desk, "li", a.id, to="network", reason="tunnel resets")
    clock.advance(minutes=30)
    incidents.resolve(desk, "wang", a.id, code="fixed", note="raised the DPD timeout")
    b = incidents.create(desk, "zhao", title="打印机卡纸", impact=3, urgency=3, caller="李娜")
    incidents.note(desk, "zhao", b.id, text="备注 \u202egpj.exe")
    try:
        incidents.close(desk, "appr", b.id)
    except Exception:  # noqa: BLE001 — a refusal on record
        pass
    knowledge.draft(desk, "li", title="VPN drops", body="Raise DPD.", incident_id=a.id)
    if alerts is not None:
        disk = AlertIn("zabbix", "db01-disk", "high", "db01", "", "disk 95% full", "", False)
        alerts.ingest(desk, "admin", [disk, disk])
    # schema 5: a problem linked to both incidents, a change that caused the first one
    p = problems.create(desk, "li", title="Tunnel resets", incidents_=[a.id, b.id])
    problems.investigate(desk, "wang", p.id)
    c = changes.create(desk, "wang", title="Raise DPD timeout", reason="tunnel resets", services="network",
                       implementation_plan="set DPD 60 s", backout_plan="set it back")
    changes.submit(desk, "wang", c.id)
    changes.assess(desk, "wang", c.id, risk="low", impact="none")
    try:
        changes.approve(desk, "wang", c.id)  # their own change: a refusal on record
    except Exception:  # noqa: BLE001
        pass
    changes.approve(desk, "appr", c.id)
    changes.schedule(desk, "wang", c.id, start=datetime(2026, 3, 2, 22, 0), end=datetime(2026, 3, 2, 23, 0))
    changes.start(desk, "wang", c.id)
    changes.link_incident(desk, "wang", c.id, [a.id])
    if requests is not None:  # schema 6: a request approved and fulfilled, one waiting, a refusal on record
        from desk.services import agents

        agents.save_agent(desk, "admin", agent_login="boss", name="Boss", roles=["approver"], group=None)
        r = requests.create(desk, "li", title="新笔记本电脑", requester="Zhang Wei", checked=["all"], accept=True,
                            add_approval=True, description="[bold]x[/bold] \x1b[2J")
        requests.dispatch(desk, "li", r.id, to="chen")
        request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
        request_approval.approve(desk, "boss", r.id)
        requests.fulfil(desk, "chen", r.id, note="imaged and delivered")
        requests.callback(desk, "li", r.id, satisfaction=4)
        w = requests.create(desk, "zhao", title="VPN access", checked=["all"])
        try:
            requests.accept(desk, "appr", w.id)
        except Exception:  # noqa: BLE001 — a refusal on record
            pass

    if report_list is not None:  # schema 7: a drafted change of the report list, confirmed
        report_list.propose(desk, "repm", "incident-kpi-monthly", {"writer": "repw", "reviewer": "repr"})
        report_list.confirm(desk, "repr", "incident-kpi-monthly")

    if sla_hold is not None:  # schema 9: an SLA clock held and resumed (the pause ledger)
        clock.advance(minutes=10)
        sla_hold.hold_incident(desk, "zhao", b.id, reason="caller", note="calls back")
        clock.advance(minutes=30)
        sla_hold.resume_incident(desk, "zhao", b.id)
    if requests is not None and getattr(requests.KIND, "clock", None) is not None:
        # schema 12: a request's SLA clock, paused by its waiting status (a row of the ledger)
        x = requests.create(desk, "li", title="Monitor arm", checked=["all"], accept=True, service="email")
        requests.dispatch(desk, "li", x.id, to="chen")
        clock.advance(minutes=15)
        requests.wait(desk, "chen", x.id, reason="which size?")
    if catalogue_flow is not None:  # schema 10: an SLR accepted into a draft, a published version
        req = catalogue_flow.raise_requirement(desk, "catm", title="Bigger mailboxes", service="email")
        _, draft = catalogue_flow.accept_requirement(desk, "ops", req.id)
        catalogue_flow.edit_draft(desk, "catm", draft, {"summary_en": "Mailboxes of 50 GB."})
        catalogue_flow.submit(desk, "catm", draft)
        catalogue_flow.approve(desk, "ops", draft)
        catalogue_flow.publish(desk, "ops", draft)
        catalogue_flow.raise_requirement(desk, "catm", title="Branch kiosk support")
    desk.close()


def _dump(conn: sqlite3.Connection):
    """iterdump, less the rows it reads through virtual tables (FTS5, fts5vocab): their data is
    in their shadow tables, which it dumps too, and inserting the rows again would index them twice."""
    virtual = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    skip = tuple(f'INSERT INTO "{name}" VALUES(' for name in virtual)
    return (line for line in conn.iterdump() if not (skip and line.startswith(skip)))


def main() -> None:
    version = schema.SCHEMA_VERSION
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "v.db")
        build(path)
        conn = sqlite3.connect(path)
        text = "\n".join(_dump(conn)) + "\n"
        conn.close()
    out = HERE / f"v{version}.sql"
    out.write_text(f"-- desk schema version {version}, frozen by make_fixture.py: do not edit.\n" + text,
                   encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
