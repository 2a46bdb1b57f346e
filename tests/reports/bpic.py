"""The BPI Challenge 2014 sample (Rabobank Group ICT service desk; 4TU.ResearchData,
doi:10.4121/uuid:c3e5d162-0cfd-4bb0-bd82-af5268819c35) loaded into a desk, for checking report
figures against data nobody here wrote (/work/shared/data/README.md).

Mapping: one incident per row; opened = open_time; resolved = resolved_time, or close_time where
the record has none (a closed incident was resolved at the latest when it was closed); closed =
close_time; status closed; priority 1–5 with 5 folded into desk's 4; reopened once when reopen_time
is set; first response at opening (the desk logged the call). No history rows: the figures checked
here are the ones the incident rows carry.
"""

from __future__ import annotations

import csv
import gzip
from datetime import datetime
from pathlib import Path

from desk.db import write_transaction
from desk.models import Incident

DATA = Path("/work/shared/data/bpic2014_sample_incident.csv.gz")


def _at(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def rows() -> list[dict]:
    out = []
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            resolved = _at(r["resolved_time"]) or _at(r["close_time"])
            out.append({"id": r["incident_id"], "opened": _at(r["open_time"]), "resolved": resolved,
                        "closed": _at(r["close_time"]), "priority": min(int(r["priority"]), 4),
                        "impact": int(r["impact"]), "urgency": int(r["urgency"]), "category": r["category"],
                        "reopened": bool(r["reopen_time"])})
    return out


def load(desk) -> list[dict]:
    data = rows()
    batch = [{"title": f"BPIC {r['id']}", "external_ref": r["id"], "impact": r["impact"], "urgency": r["urgency"],
              "priority": r["priority"], "category": r["category"], "source": "phone", "status": "closed",
              "opened_at": r["opened"], "first_response_at": r["opened"], "resolved_at": r["resolved"],
              "closed_at": r["closed"], "updated_at": r["closed"] or r["opened"],
              "reopen_count": 1 if r["reopened"] else 0} for r in data]
    with write_transaction(desk.db):
        for i in range(0, len(batch), 500):
            Incident.insert_many(batch[i:i + 500]).execute()
    return data
