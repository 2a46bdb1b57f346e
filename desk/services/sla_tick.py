"""Automatic hierarchical escalation on SLA thresholds, and the notifications it sends.

`tick(desk)` finds the clocks whose next threshold has passed (`sla_clock.next_at <= now`, one
index probe when nothing is due), and for each one, in its own transaction: moves the clock's
stage on with a conditional UPDATE (… WHERE stage = <the stage read>), and only if that row
changed records the escalation and notifies who config names. Any number of TUIs and cron jobs
may tick at once: whoever loses the UPDATE writes nothing, so each escalation and each
notification is recorded exactly once (a unique key on the escalation guards it as well).

A priority-1 ticket (`[sla.escalation] raised_priority`) tells the shift leads when it is raised
or becomes priority 1: `raised` runs inside the change's own transaction (from sla_sync.sync).

Recipients (`[sla.escalation]`): assignee, owner (first-line owner), group_lead (leads of the
ticket's group), shift_lead (every active lead)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import NamedTuple

from peewee import IntegrityError

from desk.db import write_transaction
from desk.models import Agent, Escalation, Notification, SlaClock
from desk.services import actors
from desk.services.compiled import fetch_all, fetch_one

RECIPIENTS = ("assignee", "owner", "group_lead", "shift_lead")
DEFAULTS = {"warning": ["assignee", "group_lead"], "breach": ["assignee", "shift_lead"], "raised": ["shift_lead"]}
BATCH = 200
WARNING, BREACH, RAISED = "warning", "breach", "raised"
STAGE = {1: WARNING, 2: BREACH}


class TickResult(NamedTuple):
    escalations: int
    notifications: int
    checked: int


def who(desk, stage: str) -> list[str]:
    table = desk.config.sla.section.get("escalation", {})
    return list(table.get(stage, DEFAULTS[stage]))


def raised_priority(desk) -> int | None:
    value = desk.config.sla.section.get("escalation", {}).get("raised_priority", 1)
    return None if value in (None, 0, False) else int(value)


# --- recipients ------------------------------------------------------------------------------------

def _leads(group_id: int | None = None) -> list[int]:
    rows = Agent.select(Agent.id, Agent.roles, Agent.group).where(Agent.active == True)  # noqa: E712
    return [a.id for a in rows if "lead" in a.role_set and (group_id is None or a.group_id == group_id)]


def recipients(desk, kind, row, stage: str) -> list[int]:
    out: list[int] = []
    for name in who(desk, stage):
        if name == "assignee":
            ids = [getattr(row, kind.clock.assignee, None)]
        elif name == "owner":
            ids = [getattr(row, "owner_id", None)]
        elif name == "group_lead":
            ids = _leads(getattr(row, kind.clock.group, None)) if getattr(row, kind.clock.group, None) else []
        else:
            ids = _leads()
        out += [i for i in ids if i is not None and i not in out]
    return out


# --- recording -------------------------------------------------------------------------------------

def record_stage(desk, kind, row, stage: str, cycle: int, due_at: datetime | None, now: datetime,
            tell: bool = True, people: list[int] | None = None, note: str | None = None) -> int:
    """The escalation row and its notifications (inside the caller's transaction); 0 if it was
    recorded already (the unique key: what makes a reminder once, whoever ticks). `tell`: False
    records the stage without notifying anyone (a warning passed in the same tick as the breach:
    the breach is what they are told). `people` and `note`: who is told and the notification's kind,
    where not the stage's configured recipients and `sla.<stage>` (an approval reminder)."""
    try:
        with desk.db.atomic():  # a savepoint: a duplicate undoes only itself
            Escalation.insert(entity=kind.entity, entity_id=row.id, stage=stage, cycle=cycle, at=now,
                              due_at=due_at).execute()
    except IntegrityError:
        return 0
    params = json.dumps({"id": row.id, "title": getattr(row, "title", ""), "priority": getattr(row, "priority", None),
                         "due": due_at.isoformat(timespec="minutes") if due_at else None}, ensure_ascii=False)
    people = (recipients(desk, kind, row, stage) if people is None else people) if tell else []
    if people:
        Notification.insert_many([{"agent": agent_id, "entity": kind.entity, "entity_id": row.id,
                                   "kind": note or f"sla.{stage}", "params": params, "at": now}
                                  for agent_id in people]).execute()
    return len(people)


def raised(desk, kind, row, cycle: int, now: datetime) -> None:
    """A ticket of the raised priority: its shift leads are told once (per cycle), in the change's
    transaction."""
    if raised_priority(desk) != getattr(row, kind.clock.priority):
        return
    # Inside every change's transaction, so from SQL compiled once (figure 5: the writer lock).
    exists = fetch_one(desk, "sla_tick.raised", lambda: Escalation.select(Escalation.id).where(
        (Escalation.entity == "") & (Escalation.entity_id == 0) & (Escalation.stage == "")
        & (Escalation.cycle == 0)).limit(1), (kind.entity, row.id, RAISED, cycle, 1))
    if not exists:
        record_stage(desk, kind, row, RAISED, cycle, getattr(row, kind.clock.due), now)


# --- the tick --------------------------------------------------------------------------------------

def _kinds() -> dict:
    from desk.services import incidents, requests

    return {kind.entity: kind for kind in (incidents.KIND, requests.KIND)}


def _when(value) -> datetime | None:
    return SlaClock.due_at.python_value(value) if value is not None else None


def tick(desk, login: str | None = None) -> TickResult:
    """Apply every escalation that is due; safe to run from anywhere, any number of times at once."""
    actors.resolve(desk, login)  # an agent of this desk (a person, or a service account for cron)
    from desk.services import records, sla_sync

    kinds = _kinds()
    now = desk.now()
    escalations = checked = 0
    from desk.services import report_remind

    notes = report_remind.remind(desk, now)  # a report's period closed: its writer is told, once
    from desk.services import request_remind

    notes += request_remind.remind(desk, now)  # an approval waiting too long: its approver is told, once
    after = 0
    while True:
        # (SQL built once per handle: an idle tick is this one index probe, every 15 s in every TUI)
        due = fetch_all(desk, "sla_tick.due", lambda: (
            SlaClock.select(SlaClock.id, SlaClock.entity, SlaClock.entity_id, SlaClock.stage,
                            SlaClock.cycle, SlaClock.warn_at, SlaClock.due_at)
            .where((SlaClock.next_at <= now) & (SlaClock.id > after))
            .order_by(SlaClock.id).limit(BATCH)), (SlaClock.next_at.db_value(now), after, BATCH))
        if not due:
            return TickResult(escalations, notes, checked)
        after = due[-1][0]
        for clock_id, entity, entity_id, stage, cycle, warn_at, due_at in due:
            checked += 1
            warn_at, due_at = _when(warn_at), _when(due_at)
            kind = kinds.get(entity)
            new = 2 if due_at is not None and now > due_at else (1 if warn_at is not None and now >= warn_at else 0)
            if kind is None or new <= stage:
                continue
            with write_transaction(desk.db):
                moved = SlaClock.update(stage=new, next_at=sla_sync.next_at(new, warn_at, due_at)).where(
                    (SlaClock.id == clock_id) & (SlaClock.stage == stage) & (SlaClock.cycle == cycle)).execute()
                if moved != 1:
                    continue  # another tick got there first (or the ticket changed): nothing to do
                row = records.read(desk, kind, entity_id)
                if row is None:
                    continue
                for number in range(stage + 1, new + 1):  # (each stage recorded, only the last one told)
                    sent = record_stage(desk, kind, row, STAGE[number], cycle, due_at, now, tell=number == new)
                    escalations += 1
                    notes += sent


# --- reading notifications -------------------------------------------------------------------------

class NotificationView(NamedTuple):
    id: int
    at: datetime
    kind: str
    entity: str
    entity_id: int
    params: dict
    read: bool

    def to_json(self, lang: str) -> dict:
        return {"id": self.id, "at": self.at.isoformat(timespec="seconds"), "kind": self.kind, "entity": self.entity,
                "entity_id": self.entity_id, "read": self.read, "text": text(self, lang)}


def text(n: NotificationView, lang: str, tz=None) -> str:
    """A notification in words; its due time in the desk's zone `tz` (None: as stored, UTC: JSON)."""
    from desk.domain.text import one_line
    from desk.i18n import t

    p = n.params
    title = p.get("title_zh") if lang == "zh" and p.get("title_zh") else p.get("title")
    due = _due(p.get("due"), tz)
    number = f"R{n.entity_id}" if n.entity == "request" else n.entity_id  # (a request is R12 wherever desk names it)
    more = {k: v for k, v in p.items() if k not in ("kind", "id", "title", "title_zh", "due")}  # (a kind's own)
    return t(f"notify.{n.kind}", lang, **more, kind=t(f"entity.{n.entity}", lang), id=number,
             title=one_line(str(title or ""), 80), due=due)


def _due(stored, tz) -> str:
    """The due time stored as ISO (naive UTC) as the desk prints times, in `tz` when given."""
    if not stored:
        return "—"
    if tz is not None:
        from desk.timefmt import when

        try:
            return when(datetime.fromisoformat(str(stored)), tz)
        except ValueError:  # (written by another desk: shown as it is)
            pass
    return str(stored).replace("T", " ")


def for_agent(desk, login: str | None = None, *, unread: bool = False, limit: int = 50) -> list[NotificationView]:
    actor = actors.resolve(desk, login)
    query = Notification.select().where(Notification.agent == actor.id)
    if unread:
        query = query.where(Notification.read_at.is_null())
    rows = query.order_by(Notification.id.desc()).limit(limit)
    return [NotificationView(r.id, r.at, r.kind, r.entity, r.entity_id, json.loads(r.params or "{}"),
                             r.read_at is not None) for r in rows]


def unread_count(desk, login: str | None = None) -> int:
    actor = actors.resolve(desk, login)
    return Notification.select().where((Notification.agent == actor.id) & Notification.read_at.is_null()).count()


def newer_than(desk, login: str | None, last_id: int) -> list[NotificationView]:
    """Unread notifications after `last_id` (what a running TUI shows as toasts)."""
    actor = actors.resolve(desk, login)
    rows = Notification.select().where((Notification.agent == actor.id) & (Notification.id > last_id)
                                       & Notification.read_at.is_null()).order_by(Notification.id).limit(20)
    return [NotificationView(r.id, r.at, r.kind, r.entity, r.entity_id, json.loads(r.params or "{}"), False)
            for r in rows]


def mark_read(desk, login: str | None = None, ids: list[int] | None = None, *, strict: bool = False) -> int:
    """Mark the agent's own notifications read (all unread ones when `ids` is None); how many were
    unread. `strict` (an id a person typed): an id that is not one of theirs refuses the whole
    call, nothing marked; one read already is no error."""
    actor = actors.resolve(desk, login)
    if strict and ids:
        own = {i for (i,) in Notification.select(Notification.id).where(
            (Notification.agent == actor.id) & Notification.id.in_(list(ids))).tuples()}
        missing = sorted(set(ids) - own)
        if missing:
            from desk.domain.errors import NotFound

            raise NotFound("sla.error.no_notification", id=missing[0])
    with write_transaction(desk.db):
        query = Notification.update(read_at=desk.now()).where(
            (Notification.agent == actor.id) & Notification.read_at.is_null())
        if ids is not None:
            query = query.where(Notification.id.in_(list(ids)))
        return query.execute()
