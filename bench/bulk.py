"""The bench's own fast loader: N incidents with plausible histories, written with executemany.

Used when desk.services.demo is not there (and for the small, fresh databases of the concurrency
figure). Rows are what the services would have written: a hash-chained history per incident whose
length is the incident's version, valid statuses, SLA due times, tiers that match their groups.
SQLite only; the schema comes from desk.services.setup.init_database.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import datetime, timedelta

from desk.domain.history_chain import GENESIS, dump_changes, row_hash

VERSION = "bulk-3"

SUBJECTS = ["VPN", "Printer", "Email", "Laptop", "Wi-Fi", "ERP login", "Core switch", "Payroll app", "Teller terminal",
            "Database backup", "File share", "Phone line", "Badge reader", "Web portal", "Scanner", "Monitor",
            "Mobile banking", "SMS gateway", "Ticket printer", "Card reader", "CRM", "Disk array", "Firewall",
            "Outlook calendar", "Domain account", "Branch router", "ATM", "Video conference", "Desktop PC",
            "Intranet"]
PROBLEMS = ["keeps disconnecting", "not responding", "very slow", "shows error 0x80070005", "cannot log in",
            "out of service", "drops every few minutes", "password expired", "license expired",
            "certificate warning", "paper jam", "no dial tone", "blue screen at start-up", "sync fails",
            "timeouts at peak hours", "reports disk full", "wrong totals on report", "locked after update",
            "cannot print to PDF", "alarm: CPU above 95%"]
PLACES = ["HQ floor 3", "HQ floor 7", "Branch 12", "Branch 31", "Data centre A", "Data centre B", "Call centre",
          "Branch 5", "Remote office", "Finance dept", "HR dept", "Branch 48", "Warehouse", "Branch 77"]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
            "Hu", "Guo", "He", "Lin", "Gao", "Luo"]
GIVEN = ["Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Yan", "Jun", "Yong", "Jie", "Tao", "Ming", "Chao",
         "Xia", "Hui", "Ping", "Gang", "Hong", "Bin"]


def _fmt(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat(" ")


def _people(desk, rng: random.Random) -> dict:
    """Organisations, callers and agents; returns the ids the incident rows point at."""
    from desk.models import Agent, Caller, Group, Organisation
    from desk.services import agents

    groups = {g.code: g for g in Group.select()}
    plan = [("admin", ["l1", "lead", "admin"], "desk")]
    plan += [(f"l1.{i}", ["l1"], "desk") for i in range(1, 9)]
    plan += [(f"lead.{i}", ["lead"], "desk") for i in range(1, 3)]
    for code, g in groups.items():
        if g.kind == "l2":
            plan += [(f"{code}.{i}", ["l2"], code) for i in range(1, 4)]
        elif g.kind == "vendor":
            plan += [(f"{code}.{i}", ["vendor"], code) for i in range(1, 3)]
    for login, roles, group in plan:
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=roles, group=group)
    with desk.db.atomic():
        Organisation.insert_many([{"name": f"Org {i:02d} " + PLACES[i % len(PLACES)], "kind": "branch"}
                                  for i in range(40)]).execute()
        orgs = [o.id for o in Organisation.select(Organisation.id)]
        callers = []
        for i in range(3000):
            callers.append({"name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {i}",
                            "organisation": orgs[i % len(orgs)], "phone": f"+86 10 {5550000 + i}"})
        for start in range(0, len(callers), 500):
            Caller.insert_many(callers[start:start + 500]).execute()
    caller_rows = [(c.id, c.organisation_id) for c in Caller.select(Caller.id, Caller.organisation)]
    agent_rows = {a.login: (a.id, a.group_id) for a in Agent.select()}
    by_group: dict[int, list[int]] = {}
    for login, (aid, gid) in agent_rows.items():
        if gid is not None and not login.startswith("lead"):
            by_group.setdefault(gid, []).append(aid)
    return {
        "groups": {code: (g.id, g.tier, g.kind) for code, g in groups.items()},
        "callers": caller_rows,
        "agents": agent_rows,
        "by_group": by_group,
        "logins": {aid: login for login, (aid, _) in agent_rows.items()},
    }


def _index_sql(con, tables) -> list[tuple[str, str]]:
    marks = ",".join("?" for _ in tables)
    return con.execute(f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                       f"AND tbl_name IN ({marks})", tables).fetchall()


def populate(path: str, incidents: int, seed: int = 42, days: int = 90, progress=None,
             now: datetime | None = None, chunk: int = 50_000) -> dict:
    """Initialise `path` (a SQLite file) and load `incidents` incidents. Returns counts and seconds."""
    from desk.config import load_config
    from desk.services import setup
    from desk.services.context import open_desk

    started = time.perf_counter()
    rng = random.Random(seed)
    config = load_config()
    desk = open_desk(path, config, user="admin", lang="en")
    setup.init_database(desk)
    refs = _people(desk, rng)
    desk.close()

    groups = refs["groups"]
    desk_gid = groups[config.data["incident"]["default_group"]][0]
    l2 = [(code, v) for code, v in groups.items() if v[2] == "l2"]
    vendors = [(code, v) for code, v in groups.items() if v[2] == "vendor"]
    code_of = {v[0]: code for code, v in groups.items()}
    logins = refs["logins"]
    by_group = refs["by_group"]
    callers = refs["callers"]
    matrix = config.matrix
    resolve_minutes = {int(e["code"]): int(e["resolve_minutes"]) for e in config.entries("priority")}
    categories = config.codes("category")
    sources = config.codes("source")
    closure = [c for c in config.codes("closure_code") if c != "cancelled"]
    admin_id = refs["agents"]["admin"][0]
    l1_ids = by_group.get(desk_gid, [admin_id])

    now = (now or datetime.now()).replace(microsecond=0)
    span = days * 86400

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-200000")
    indexes = _index_sql(con, ("incident", "history"))
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')

    inc_sql = ("INSERT INTO incident (id, title, description, source, classification, caller_id, organisation_id, "
               "service_id, category, impact, urgency, priority, status, tier, group_id, assignee_id, owner_id, "
               "vendor_ref, escalation_level, reopen_count, started_at, opened_at, first_response_at, resolved_at, "
               "confirmed_at, closed_at, updated_at, due_at, resolved_by_id, resolved_group_id, closure_code, "
               "resolution, version) VALUES (" + ",".join("?" * 33) + ")")
    his_sql = ("INSERT INTO history (entity, entity_id, seq, at, actor_id, action, changes, note, prev_hash, hash) "
               "VALUES (?,?,?,?,?,?,?,?,?,?)")

    # Opening times: sorted, so ids grow with time as they do in a live desk.
    offsets = sorted(rng.random() * span for _ in range(incidents))
    base = now - timedelta(seconds=span)
    dumps_cache: dict = {}

    def dumps(changes: dict) -> str:
        key = repr(changes)
        s = dumps_cache.get(key)
        if s is None:
            s = dumps_cache[key] = dump_changes(changes)
            if len(dumps_cache) > 200_000:
                dumps_cache.clear()
        return s

    history_rows = 0
    inc_batch: list = []
    his_batch: list = []

    def flush(done: int) -> None:
        con.execute("BEGIN")
        con.executemany(inc_sql, inc_batch)
        con.executemany(his_sql, his_batch)
        con.execute("COMMIT")
        inc_batch.clear()
        his_batch.clear()
        if progress:
            progress("incidents", done, incidents)

    for i in range(incidents):
        iid = i + 1
        opened = base + timedelta(seconds=int(offsets[i]))
        age_days = (now - opened).total_seconds() / 86400
        impact = rng.choices((1, 2, 3), (1, 3, 6))[0]
        urgency = rng.choices((1, 2, 3), (1, 3, 6))[0]
        priority = matrix.priority(impact, urgency)
        due = opened + timedelta(minutes=resolve_minutes.get(priority, 1440))
        caller_id, org_id = callers[rng.randrange(len(callers))]
        source = rng.choice(sources)
        r = rng.random()
        if age_days < 1:
            status = "open" if r < 0.6 else "resolved" if r < 0.8 else "closed"
        elif age_days < 7:
            status = "open" if r < 0.2 else "resolved" if r < 0.35 else "closed"
        else:
            status = "open" if r < 0.02 else "resolved" if r < 0.03 else "closed"
        if status == "open":
            status = rng.choices(("new", "assigned", "in_progress"), (3, 4, 3))[0]
        owner = l1_ids[rng.randrange(len(l1_ids))]
        title = f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)} ({rng.choice(PLACES)})"

        t = opened
        events = []  # (action, actor, changes, note, at)
        events.append(("create", owner, {"status": [None, "new"], "priority": [None, priority],
                                         "group": [None, "desk"]}, ""))
        group_id, tier, assignee = desk_gid, 1, None
        first_response = None if source == "monitoring" else opened
        resolved_at = confirmed_at = closed_at = None
        resolved_by = resolved_group = closure_code = None
        resolution = ""
        escalated = rng.random() < 0.3
        if status != "new":
            if escalated:
                code, (gid, gtier, _) = l2[rng.randrange(len(l2))]
                if rng.random() < 0.1 and vendors:
                    code, (gid, gtier, _) = vendors[rng.randrange(len(vendors))]
                events.append(("escalate", owner, {"group": ["desk", code], "status": ["new", "assigned"],
                                                   "tier": [1, gtier]}, "needs second line"))
                group_id, tier = gid, gtier
            members = by_group.get(group_id) or l1_ids
            assignee = members[rng.randrange(len(members))]
            events.append(("assign", owner, {"assignee": [None, logins[assignee]], "status":
                                             ["assigned" if escalated else "new", "assigned"]}, ""))
            first_response = first_response or opened
            if status != "assigned":
                events.append(("start", assignee, {"status": ["assigned", "in_progress"]}, ""))
            if status in ("resolved", "closed"):
                closure_code = rng.choice(closure)
                resolution = "Restarted the service; the caller confirmed it works."
                resolved_by, resolved_group = assignee, group_id
                events.append(("resolve", assignee, {"status": ["in_progress", "resolved"],
                                                     "closure_code": [None, closure_code]}, resolution))
            if status == "closed":
                events.append(("confirm", owner, {}, "caller confirmed by phone"))
                events.append(("close", owner, {"status": ["resolved", "closed"]}, ""))
        # Spread the events over the incident's life (never past now).
        life = min((now - opened).total_seconds(), 86400 * 3.0) or 1.0
        steps = len(events)
        prev = GENESIS
        for seq, (action, actor, changes, note) in enumerate(events, 1):
            at = opened + timedelta(seconds=int(life * (seq - 1) / max(steps, 1)))
            if action == "resolve":
                resolved_at = at
            elif action == "confirm":
                confirmed_at = at
            elif action == "close":
                closed_at = at
            changes_json = dumps(changes)
            digest = row_hash(prev, "incident", iid, seq, at, actor, action, changes_json, note)
            his_batch.append(("incident", iid, seq, _fmt(at), actor, action, changes_json, note, prev, digest))
            prev = digest
            t = at
        history_rows += steps
        inc_batch.append((
            iid, title, f"Caller reports: {title.lower()}.", source, "incident", caller_id, org_id, None,
            rng.choice(categories), impact, urgency, priority, status, tier, group_id, assignee, owner, "", 0, 0,
            _fmt(opened - timedelta(minutes=rng.randrange(5, 120))), _fmt(opened), _fmt(first_response),
            _fmt(resolved_at), _fmt(confirmed_at), _fmt(closed_at), _fmt(t), _fmt(due), resolved_by, resolved_group,
            closure_code, resolution, steps,
        ))
        if len(inc_batch) >= chunk:
            flush(iid)
    if inc_batch:
        flush(incidents)
    if progress:
        progress("indexes", 0, len(indexes))
    for n, (_, sql) in enumerate(indexes, 1):
        con.execute(sql)
        if progress:
            progress("indexes", n, len(indexes))
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    return {"incidents": incidents, "history": history_rows, "seconds": time.perf_counter() - started,
            "generator": VERSION}


def make_pool(desk, incidents: int, seed: int = 7) -> list[int]:
    """Fresh 'new' incidents for the concurrency figure, on any backend, through the models.

    Each has version 1 and one 'create' history row, exactly as incidents.create leaves it.
    """
    from desk.models import Group, History, Incident

    rng = random.Random(seed)
    now = desk.now().replace(microsecond=0)
    grp = Group.get(Group.code == desk.config.data["incident"]["default_group"])
    from desk.models import Agent

    owner = Agent.get(Agent.login == "admin").id
    ids: list[int] = []
    with desk.db.atomic():
        for start in range(0, incidents, 200):
            rows = []
            for _ in range(min(200, incidents - start)):
                impact, urgency = rng.randint(1, 3), rng.randint(1, 3)
                priority = desk.config.matrix.priority(impact, urgency)
                rows.append({"title": f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)}", "impact": impact,
                             "urgency": urgency, "priority": priority, "status": "new", "tier": grp.tier,
                             "group": grp.id, "owner": owner, "opened_at": now, "first_response_at": now,
                             "updated_at": now, "due_at": now + timedelta(hours=8), "version": 1})
            first = Incident.insert_many(rows).returning(Incident.id).execute()
            new_ids = [r.id if hasattr(r, "id") else r[0] for r in first]
            ids.extend(new_ids)
            hist = []
            for iid in new_ids:
                changes = dump_changes({"status": [None, "new"], "group": [None, grp.code]})
                digest = row_hash(GENESIS, "incident", iid, 1, now, owner, "create", changes, "")
                hist.append({"entity": "incident", "entity_id": iid, "seq": 1, "at": now, "actor": owner,
                             "action": "create", "changes": changes, "note": "", "prev_hash": GENESIS,
                             "hash": digest})
            History.insert_many(hist).execute()
    return ids
