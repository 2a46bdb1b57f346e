"""Demo incidents (stage `incidents`, which also reports `indexes` and `search`).

N incidents opened over the last `days` days (more in office hours), each with the history the
services would have written for it: create → assign → start → escalate (to second line, to a
vendor) → return → resolve → confirm → close, with reopenings, hierarchical escalations by a
shift lead and notes, cut at now: recent incidents are still open, old ones are closed, a few
stalled ones are old and open, and some breach their SLA. Every history row has the same shape
as services.incidents records (changes by group code and login, only tracked fields that
changed) and is hash-chained as services.history.append chains it; an incident's `version` is
its number of history rows. Some incidents are linked to the FAQ article that solved them.

Incidents are generated in blocks of incident_plan.BLOCK, each from its own random stream (seeded
by the seed, the first new id and the block number): the result does not depend on how many
processes generate them, and a second run into the same desk adds different ones (new ids follow
the highest). Ids are chosen up front, so another writer adding incidents at the same time makes
the demo stop with an error (each block is one transaction: nothing is half-written).

A first load (the incident table was empty) drops the table's secondary indexes and, on SQLite,
the title search's triggers, and builds them once at the end (demo/indexes.py). On a desk that has
recorded nothing yet (history is empty) history's indexes go the same way: the incidents' ~6
history rows each are most of what a load writes, and each row cost three index inserts besides
its own (at 300k incidents: 20 s of CPU writing history with them, 9 s without, ~4.6 s to build
them at the end). A desk with any history keeps them: someone may be recording meanwhile, and
history's unique (entity, id, seq) is what keeps two writers from forking a record's chain.
The indexes are built by the requests stage, which runs next and writes its requests while
history is still unindexed (one build for incidents, history and requests: demo/requests.py).
"""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta
from hashlib import sha256

from desk.db import is_sqlite
from desk.domain.history_chain import GENESIS
from desk.models import History, Incident, IncidentArticle
from desk.services.demo import bulk, indexes
from desk.services.demo.base import Build
from desk.services.demo.incident_life import CLOSED, RESOLVED, Life, Stop, story
from desk.services.demo.incident_plan import Plan, make_plan, version_at
from desk.services.demo.incident_templates import SOURCE_PREFIX
from desk.services.demo.stamps import DAYS as _DAYS, day as _day, hms as _hms

INCIDENT_COLUMNS = (
    "id", "title", "description", "source", "classification", "caller_id", "organisation_id", "service_id",
    "category", "impact", "urgency", "priority", "status", "tier", "group_id", "assignee_id", "owner_id",
    "vendor_ref", "escalation_level", "reopen_count", "started_at", "opened_at", "first_response_at", "resolved_at",
    "confirmed_at", "closed_at", "updated_at", "due_at", "resolved_by_id", "resolved_group_id", "closure_code",
    "resolution", "version", "service_version_id",
)
LINKS, LINK_COLUMNS = IncidentArticle._meta.table_name, ("incident_id", "article_id")
HISTORY_COLUMNS = ("entity", "entity_id", "seq", "at", "actor_id", "action", "changes", "note", "prev_hash", "hash")

# Pinned stories for the newest incidents (the last one first): (forced choices, events kept).
PINS = (
    ({"path": "desk", "variant": "direct", "after": "confirm"}, 1),  # new
    ({"path": "second", "tried": False, "pickup": "start"}, 2),  # assigned to a second-line group
    ({"path": "desk", "variant": "self", "owner": "you"}, 2),  # in progress with you
    ({"path": "desk", "variant": "direct"}, 2),  # resolved, not yet confirmed
    ({"path": "desk", "variant": "direct", "after": "confirm"}, 3),  # resolved and confirmed
    ({"path": "second", "outcome": "vendor", "vendor_back": False, "after": "confirm"}, 99),  # closed by a vendor
    ({"path": "desk", "variant": "self", "after": "reopen"}, 99),  # reopened, then closed
    ({"path": "second", "outcome": "resolve", "hierarchical": True, "after": "confirm"}, 99),
)


def make_block(plan: Plan, block: int) -> list:
    """(table, columns, rows) of the block-th plan.block incidents: incident rows, history rows and
    article links (a pure function of the plan and the block number)."""
    rng = random.Random(f"desk-demo:{plan.seed}:{plan.first_id}:block:{block}")
    rand = rng.random
    start = block * plan.block
    stop = min(plan.n, start + plan.block)
    hms = _hms()
    t0, limit, n = plan.t0, plan.limit, plan.n
    slots, open_span = plan.slots, plan.open_span
    last_slot = len(slots) - 1
    total_weight = slots[-1]
    templates = plan.templates
    template_cum = tuple(t[0] for t in templates)
    template_total = template_cum[-1]
    owners, callers = plan.owners, plan.callers
    source_cum, sources = plan.sources
    targets = plan.targets
    matrix = plan.matrix
    square = len(matrix) == 3 and len(matrix[0]) == 3
    incidents: list = []
    history: list = []
    links: list = []
    add_incident, add_history = incidents.append, history.append
    days = _DAYS

    def stamp(t):
        d, r = divmod(t0 + t, 86400)
        return (days.get(d) or _day(d))[0] + hms[r]

    sla_terms = plan.sla or {}
    epoch = datetime(1970, 1, 1)

    versions = plan.versions or {}

    def due(service_id, version_id, priority, opened):
        """The resolution due time as the SLA engine has it: business time on the calendar of the
        catalogue version the incident keeps (else its service's, else the default one)."""
        cal, resolves = (sla_terms.get(("v", version_id)) or sla_terms.get(service_id) or sla_terms.get(None)
                         or (None, {}))
        seconds = resolves.get(priority)
        if seconds is None:
            target = targets.get(priority)
            return None if target is None else stamp(opened + target[1])
        if cal is None:
            return stamp(opened + seconds)
        at = cal.add(epoch + timedelta(seconds=t0 + opened), seconds)
        return None if at is None else stamp(int((at - epoch).total_seconds()) - t0)

    for k in range(start, stop):
        iid = plan.first_id + k
        pin = n - 1 - k
        forced, max_events = PINS[pin] if pin < len(PINS) else (None, 1 << 30)

        # When: the k-th of n points along the opening-weight curve (ids grow with time).
        x = (k + rand()) / n * total_weight
        slot = bisect.bisect_right(slots, x)
        if slot > last_slot:
            slot = last_slot
        below = slots[slot - 1] if slot else 0.0
        opened = slot * 3600 + int((x - below) / (slots[slot] - below) * 3600)
        if opened >= open_span:
            opened = open_span - 1

        _, tpl, service_id, l2_ref, vendor_ref, article_id, impact_cum, urgency_cum = templates[
            bisect.bisect_right(template_cum, rand() * template_total)]
        if square:
            impact = 1 + bisect.bisect_right(impact_cum, rand() * impact_cum[-1])
            urgency = 1 + bisect.bisect_right(urgency_cum, rand() * urgency_cum[-1])
        else:
            impact, urgency = 1 + int(rand() * len(matrix)), 1 + int(rand() * len(matrix[0]))
        priority = matrix[impact - 1][urgency - 1]
        target = targets.get(priority)
        response, resolve_s = target or (3600, 86400)

        alert = tpl.monitoring and plan.monitoring is not None and rand() < tpl.monitoring
        if alert:
            source = plan.monitoring
            caller_id, org_id, lang = None, plan.monitoring_org, "zh" if rand() < 0.5 else "en"
            started = opened - 30 - int(rand() * 570)
        else:
            source = sources[bisect.bisect_right(source_cum, rand() * source_cum[-1])]
            caller_id, org_id, lang = callers[int(rand() * len(callers))]
            started = opened - 300 - int(rand() * 14100) if rand() < 0.6 else None
        r = rand()
        style = "both" if r < 0.2 else (lang if r < 0.85 else ("en" if lang == "zh" else "zh"))
        title = tpl.zh if style == "zh" else tpl.en if style == "en" else f"{tpl.en} / {tpl.zh}"
        r = rand()
        if tpl.details and r < 0.35:
            title += f" ({tpl.details[int(rand() * len(tpl.details))]})"
        elif r < 0.6 and org_id is not None and not alert:
            title += " - " + plan.org_names[org_id]
        text_lang = 1 if (style == "zh" or (style == "both" and rand() < 0.5)) else 0
        description = SOURCE_PREFIX.get(source, ("", ""))[text_lang] + tpl.symptom[text_lang]

        owner = plan.you if forced and forced.get("owner") == "you" else owners[int(rand() * len(owners))]
        life = Life(opened, limit, owner[0], plan.desk_group, priority, None if alert else opened, max_events)
        try:
            story(life, plan, rng, forced or {}, tpl, owner, priority, response, resolve_s, l2_ref, vendor_ref,
                   text_lang)
        except Stop:
            pass
        life.pending_hierarchical()

        if article_id is not None and life.status in (RESOLVED, CLOSED) and rand() < 0.5:
            links.append((iid, article_id))

        # History rows, hash-chained exactly as services.history.append does.
        prev = GENESIS
        seq = 0
        head = f"\x1fincident\x1f{iid}\x1f"
        at = {}  # event time -> its text, for the incident's own timestamps
        for t, actor, action, changes, note in life.events:
            seq += 1
            d, rem = divmod(t0 + t, 86400)
            day = days.get(d) or _day(d)
            clock = hms[rem]
            digest = sha256(f"{prev}{head}{seq}\x1f{day[1]}{clock}.000000\x1f{actor}\x1f{action}\x1f{changes}"
                            f"\x1f{note}".encode()).hexdigest()
            at[t] = text = day[0] + clock
            add_history(("incident", iid, seq, text, actor, action, changes, note, prev, digest))
            prev = digest

        assignee, group, resolved_by, resolved_group = life.assignee, life.group, life.resolved_by, life.resolved_group
        version_id = version_at(versions.get(service_id), opened)
        add_incident((
            iid, title, description, source, tpl.classification, caller_id, org_id, service_id, tpl.category,
            impact, urgency, priority, life.status, life.tier, group[0], assignee[0] if assignee else None, owner[0],
            "", life.escalation, life.reopens, None if started is None else stamp(started), at[opened],
            None if life.first_response is None else at[life.first_response],
            None if life.resolved_at is None else at[life.resolved_at],
            None if life.confirmed_at is None else at[life.confirmed_at],
            None if life.closed_at is None else at[life.closed_at], at[life.t],
            due(service_id, version_id, priority, opened),
            resolved_by[0] if resolved_by else None, resolved_group[0] if resolved_group else None,
            life.closure, life.resolution, seq, version_id,
        ))
    return [("incident", INCIDENT_COLUMNS, incidents), ("history", HISTORY_COLUMNS, history),
            (LINKS, LINK_COLUMNS, links)]


def held() -> int:
    return Incident.select().count() if Incident.table_exists() else 0


def adds(build: Build) -> dict:
    return {"incidents": build.incidents, "days": build.days}


def repair(build: Build) -> None:
    """A first load that was interrupted: put its indexes back before anything else."""
    pending = indexes.pending()
    if pending:
        indexes.restore(build.desk, pending, build.progress)


def stage(build: Build) -> int:
    desk = build.desk
    db = desk.db
    sqlite = is_sqlite(db)
    n = build.incidents
    first_id = (Incident.select(Incident.id).order_by(Incident.id.desc()).scalar() or 0) + 1
    plan = make_plan(desk, incidents=n, seed=build.seed, days=build.days, now=build.now, first_id=first_id,
                     people=build.made["people"], articles=build.made["knowledge"])
    first_load = not build.held.get("incidents") and n > 0  # nobody works on this desk's incidents yet
    saved = bulk.relax(db, first_load) if sqlite else {}
    dropped: list[tuple[str, str]] = []
    try:
        if first_load:  # build.fresh: history was empty before the request absences were written
            dropped = indexes.drop(desk, ("incident", "history") if build.fresh else ("incident",), search=True)
        build.report("incidents", 0, n)
        workers = bulk.default_workers(n) if build.workers is None else build.workers
        bulk.load(desk, make_block, plan, blocks=-(-n // plan.block), total=n, label="incidents", workers=workers,
                  progress=build.progress)
        if not sqlite and n:
            db.execute_sql("SELECT setval(pg_get_serial_sequence('incident', 'id'), "
                           "(SELECT MAX(id) FROM incident))")
        build.unbuilt += dropped  # built after the requests are written (requests.stage)
        dropped = []
    finally:
        if dropped:  # interrupted: the indexes come back before anything else happens
            try:
                indexes.restore(desk, dropped, None)
            except Exception:  # the setting keeps them for the next run
                pass
        if sqlite:
            bulk.restore(db, saved)
    return n
