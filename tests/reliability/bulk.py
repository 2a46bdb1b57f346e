"""Bulk data for the check benchmarks: many incidents with consistent, hash-chained history,
written straight to the tables (the services would take hours for a million incidents)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from desk.db import write_transaction
from desk.domain.history_chain import GENESIS, dump_changes, row_hash
from desk.models import Agent, Group, History, Incident

# (action, status change or None) in the order an incident lives them.
LIFE = [
    ("assign", ("new", "assigned")),
    ("start", ("assigned", "in_progress")),
    ("note", None),
    ("resolve", ("in_progress", "resolved")),
    ("confirm", None),
    ("close", ("resolved", "closed")),
]


def fill(desk, count: int, *, seed: int = 1, batch: int = 5000, start: datetime | None = None,
         progress=None) -> tuple[int, int]:
    """Add `count` incidents. Returns (incidents, history rows) written."""
    rng = random.Random(seed)
    agent = Agent.get(Agent.login == "admin").id
    group = Group.get(Group.code == "desk").id
    at0 = start or datetime(2026, 1, 1, 8, 0, 0)
    first_id = (Incident.select(Incident.id).order_by(Incident.id.desc()).scalar() or 0) + 1
    written_rows = 0
    done = 0
    while done < count:
        n = min(batch, count - done)
        incidents, rows = [], []
        for k in range(n):
            iid = first_id + done + k
            at = at0 + timedelta(minutes=iid)
            steps = LIFE[: rng.randint(0, len(LIFE))]
            status = "new"
            prev = GENESIS
            chain = [("create", {"status": [None, "new"], "priority": [None, 3], "group": [None, "desk"]})]
            for action, change in steps:
                chain.append((action, {"status": list(change)} if change else {}))
                if change:
                    status = change[1]
            for seq, (action, changes) in enumerate(chain, start=1):
                when = at + timedelta(seconds=seq)
                text = dump_changes(changes)
                note = "bulk note" if action == "note" else ""
                digest = row_hash(prev, "incident", iid, seq, when, agent, action, text, note)
                rows.append({"entity": "incident", "entity_id": iid, "seq": seq, "at": when, "actor": agent,
                             "action": action, "changes": text, "note": note, "prev_hash": prev, "hash": digest})
                prev = digest
            incidents.append({"id": iid, "title": f"bulk incident {iid}", "impact": 3, "urgency": 3, "priority": 3,
                              "status": status, "tier": 1, "group": group, "owner": agent, "opened_at": at,
                              "updated_at": at, "version": len(chain)})
        with write_transaction(desk.db):
            for i in range(0, len(incidents), 500):
                Incident.insert_many(incidents[i:i + 500]).execute()
            for i in range(0, len(rows), 500):
                History.insert_many(rows[i:i + 500]).execute()
        done += n
        written_rows += len(rows)
        if progress:
            progress(done, count)
    return done, written_rows
