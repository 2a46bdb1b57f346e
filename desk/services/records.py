"""The guarded write path every kind of record shares.

A change of any record (incident, request, catalogue draft, report, problem, change) runs the
same way: resolve the actor → check the permission (and the group scope) → apply the domain
rule → in one IMMEDIATE transaction, write the change only if the record is still at the
version the rule was planned on, and append its history row. A refusal writes nothing but a
refusal record. A kind of record says what it is in a `Kind`; nothing here names a table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from peewee import JOIN, SQL, NodeList, OperationalError

from desk.db import write_transaction
from desk.domain.errors import DatabaseBusy, DeskError, NotFound, StaleVersion, ValidationError
from desk.models import Agent, History
from desk.services import actors, history
from desk.services.compiled import compiled, fetch_one, set_columns, to_python
from desk.timefmt import zone

MAX_TEXT = 1_000_000


class Kind(NamedTuple):
    """One kind of record, as the write path needs it.

    `entity`: its name in history, refusals and messages; `model`: its peewee row (with `id`,
    `version` and `updated_at`); `tracked`: fields whose old -> new its history records;
    `recorded(desk, field, value)`: what history records for a value (a group id -> its code);
    `scope`: the field the group-scope rule reads (None: the rule does not apply); `clock`: how
    its SLA clock reads it (a desk.services.sla.Clocked; None: it has no SLA clock)."""

    entity: str
    model: Any
    tracked: tuple[str, ...] = ()
    recorded: Callable[[Any, str, Any], Any] | None = None
    scope: str | None = "group_id"
    clock: Any = None


# --- input checks -------------------------------------------------------------------------------

def text(value: str | None, field: str, limit: int = MAX_TEXT, required: bool = False) -> str:
    """Free text as given, refused when no database could store it or it is out of bounds."""
    value = value or ""
    if "\x00" in value:
        raise ValidationError("error.nul", field=field)
    if not encodable(value):
        raise ValidationError("error.not_utf8", field=field)
    if required and not value.strip():
        raise ValidationError("error.required", field=field)
    if len(value) > limit:
        raise ValidationError("error.too_long", field=field, limit=limit)
    return value


def encodable(value: str) -> bool:
    """False for lone surrogates: undecodable bytes on argv (surrogateescape) that no database can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- the actor, refusals, contention ------------------------------------------------------------

def _busy(exc: OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def guarded(desk, login: str | None, action: str, entity: str, entity_id: int | None, work: Callable):
    """Run `work(actor)`; refusals become records, database contention a typed error."""
    login = login or desk.user
    text(login, "login", 200)
    try:
        actor = actors.resolve(desk, login)
        return work(actor)
    except DeskError as err:
        err.zone = zone(desk.config)  # an instant it names reads as every time the user sees
        if not isinstance(err, (ValidationError, NotFound)):
            actors.record_refusal(desk, login, action, err.key, entity, entity_id)
        raise
    except OperationalError as exc:
        if _busy(exc):
            raise DatabaseBusy() from None
        raise
    except UnicodeEncodeError:
        # A lookup key (a login, a group code) with undecodable bytes from argv: nothing matches it.
        raise ValidationError("error.not_utf8", field="input") from None


# --- reading a record and who changed it ----------------------------------------------------------

def _fields(kind: Kind) -> tuple:
    return tuple(kind.model._meta.sorted_fields)


def read(desk, kind: Kind, record_id: int):
    """The record as a model instance (None: no such record), through SQL compiled once."""
    fields = _fields(kind)
    row = fetch_one(desk, f"{kind.entity}.by_id",
                    lambda: kind.model.select(*fields).where(kind.model.id == 0), (record_id,))
    return kind.model(**to_python(fields, row)) if row else None


def last_change(kind: Kind, record_id: int) -> tuple[str, datetime | None]:
    """(login, time) of the record's newest history row."""
    last = (History.select(History, Agent).join(Agent, JOIN.LEFT_OUTER)
            .where((History.entity == kind.entity) & (History.entity_id == record_id))
            .order_by(History.seq.desc()).first())
    return (last.actor.login if last and last.actor_id else "?"), (last.at if last else None)


def stale(kind: Kind, record_id: int, expected: int | None) -> StaleVersion:
    """Who changed the record last, and when: the newest history row says."""
    current = kind.model.get_or_none(kind.model.id == record_id)
    by, at = last_change(kind, record_id)
    return StaleVersion(id=record_id, kind=kind.entity, by=by,
                        at=at or "?",  # (said in the desk's zone: `guarded`)
                        version=current.version if current else "?", expected=expected)


def check_version(kind: Kind, row, expected: int | None) -> None:
    """A version the user saw must be the record's; one it never had is a bad argument."""
    if expected is None or row.version == expected:
        return
    if expected > row.version or expected < 1:
        raise ValidationError("error.version_unknown", kind=kind.entity, id=row.id, expected=expected,
                              version=row.version)
    raise stale(kind, row.id, expected)


# --- the write ------------------------------------------------------------------------------------

class _LostRace(Exception):
    """The record changed between our read and our write."""


def prepare(desk, kind: Kind, row, changes: dict, now: datetime) -> tuple[str, dict, dict]:
    """(note, the UPDATE's values, the history row's old -> new) from a rule's planned changes.
    Keys are field names, or `<field>_id` for a foreign key; `_note` is the history note;
    `_recorded` ({name: [old, new]}) is what the history row records besides the fields (records
    linked or unlinked, a decision), with no column of its own."""
    note, recorded = record(desk, kind, row, changes)
    model = kind.model
    updates: dict = {getattr(model, _field_name(kind, key)): new for key, new in changes.items() if key not in _META}
    updates[model.updated_at] = now
    return note, updates, recorded


_META = frozenset({"_note", "_recorded"})  # what a plan says of its history row, not a field


def _field_name(kind: Kind, key: str) -> str:
    return key[:-3] if key.endswith("_id") and key[:-3] in kind.model._meta.fields else key


_TRACKED_KEYS: dict = {}  # Kind -> {a plan's key of a tracked field ("group_id" or "group"): the field}


def _tracked_keys(kind: Kind) -> dict:
    found = _TRACKED_KEYS.get(kind)
    if found is None:
        fields = kind.model._meta.fields
        found = {name: name for name in kind.tracked}
        found.update({f"{name}_id": name for name in kind.tracked if name in fields})
        _TRACKED_KEYS[kind] = found
    return found


def record(desk, kind: Kind, row, changes: dict) -> tuple[str, dict]:
    """(note, the history row's old -> new) of planned changes: prepare's history half, alone for
    a writer that makes the rows itself (the demo's bulk writer: no UPDATE to build)."""
    recorded: dict = dict(changes.get("_recorded", ()))
    names = kind.recorded
    tracked = _TRACKED_KEYS.get(kind) or _tracked_keys(kind)
    for key, new in changes.items():
        name = tracked.get(key)
        if name is not None:
            old = getattr(row, key)
            if old != new:
                recorded[name] = [names(desk, name, old), names(desk, name, new)] if names is not None else [old, new]
    return changes.get("_note", ""), recorded


def apply(desk, kind: Kind, row, updates: dict) -> bool:
    """UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?; compiled once per set
    of changed fields. False: the record is no longer at that version."""
    model = kind.model
    fields = tuple(sorted((f for f in updates if f is not model.version), key=lambda f: f.column_name))
    sql = compiled(desk, (f"{kind.entity}.update", tuple(f.name for f in fields)), lambda: (
        model.update({**{f: None for f in fields}, model.version: NodeList((model.version, SQL("+ 1")))})
        .where((model.id == 0) & (model.version == 0))), len(fields) + 2)
    by_column = {f.column_name: f for f in fields}
    order = [by_column[c] for c in set_columns(sql) if c in by_column]
    params = [f.db_value(updates[f]) if updates[f] is not None else None for f in order]
    cursor = desk.db.execute_sql(sql, (*params, row.id, row.version))
    return cursor.rowcount == 1


Plan = Callable[[actors.Actor, Any, datetime], dict]
After = Callable[[Any, Any, dict, datetime], None]


class Step(NamedTuple):
    """One action of a user's change: its name in history, the permission it needs, and its plan
    `(actor, row, now) -> changes` (None: the step does not apply to the record as it is, and is
    skipped). `after(actor, row, changes, now)` runs inside the transaction, after its write."""

    action: str
    permission: str
    plan: Callable[[actors.Actor, Any, datetime], dict | None]
    scoped: bool = True
    after: After | None = None


def transition(desk, kind: Kind, login: str | None, record_id: int, action: str, permission: str,
               expect_version: int | None, plan: Plan, scoped: bool = True, after: After | None = None):
    """Read, check and plan outside the write lock; then, in one IMMEDIATE transaction, write the
    change only if the record is still at the version planned on, and append its history row.
    Returns the record as written (read back in the same transaction).

    Keeping reads and planning out of the lock keeps the lock short (many agents, one file). The
    version-checked UPDATE makes this as safe as reading under the lock: if anyone changed the
    record in between, nothing is written. A caller who pinned a version (the user saw it) gets
    StaleVersion; otherwise the change is planned again on the fresh state. `after(actor, row,
    changes, now)` runs inside the transaction, after the write (rows that go with the change:
    a pause in the SLA ledger, a link)."""
    return steps(desk, kind, login, record_id, expect_version, [Step(action, permission, plan, scoped, after)])


def steps(desk, kind: Kind, login: str | None, record_id: int, expect_version: int | None,
          actions: list[Step], name: str | None = None):
    """One user action made of several workflow steps (confirm, then close): each is planned on
    the record as the step before leaves it, and all are written in ONE IMMEDIATE transaction,
    each with its version-checked UPDATE and its history row, so a failure anywhere writes
    nothing. `expect_version` is the version the user saw, checked before the first step.
    `name` is the user's action in a refusal record (default: the last step's)."""
    name = name or actions[-1].action

    def work(actor: actors.Actor):
        for _attempt in range(5):
            row = read(desk, kind, record_id)
            if row is None:
                raise NotFound(kind=kind.entity, id=record_id)
            for step in actions:
                actors.require(actor, step.permission, getattr(row, kind.scope) if kind.scope else None,
                               check_scope=step.scoped and kind.scope is not None)
            check_version(kind, row, expect_version)
            now = desk.now()
            planned, state = [], row
            for step in actions:
                changes = step.plan(actor, state, now)
                if changes is None:
                    continue
                note, updates, recorded = prepare(desk, kind, state, changes, now)
                planned.append((step, state, changes, note, updates, recorded))
                state = _after_step(kind, state, changes, now)
            try:
                with write_transaction(desk.db):
                    for step, state, changes, note, updates, recorded in planned:
                        if not apply(desk, kind, state, updates):
                            raise _LostRace()
                        history.append(kind.entity, state.id, actor.id, step.action, recorded, note, now, desk=desk)
                        if step.after is not None:
                            step.after(actor, state, changes, now)
                    if kind.clock is not None:  # the stored due time (and a status's pause) moves with it
                        kind.clock.sync(desk, kind, row.id, now, actor.id, before=row)
                return row
            except _LostRace:
                if expect_version is not None:
                    raise stale(kind, record_id, expect_version) from None
        raise stale(kind, record_id, None)

    return guarded(desk, login, f"{kind.entity}.{name}", kind.entity, record_id, work)


def _after_step(kind: Kind, row, changes: dict, now: datetime):
    """The record as a step's write leaves it (in memory), for the next step to plan on."""
    after = kind.model(**dict(row.__data__))
    for key, value in changes.items():
        if not key.startswith("_"):
            setattr(after, key, value)
    after.updated_at, after.version = now, row.version + 1
    return after


def created(desk, kind: Kind, record_id: int, now: datetime, actor_id: int | None = None) -> None:
    """A kind's creation calls this inside its transaction: its SLA clock starts in step."""
    if kind.clock is not None:
        kind.clock.sync(desk, kind, record_id, now, actor_id)


def linked(desk, kind: Kind, record_id: int, expected: int | None, actor_id: int, action: str,
           recorded: dict, note: str, now: datetime) -> Any:
    """The other side of a link (an incident linked to a problem, to the change that caused it),
    inside the transaction of the record being changed (from its `after`): the linked record
    gets its own version-checked change (version + 1) and its own history row. `expected`: the
    version the user saw (None: the one read here). Returns the row as it was before."""
    row = read(desk, kind, record_id)
    if row is None:
        raise NotFound(kind=kind.entity, id=record_id)
    check_version(kind, row, expected)
    if not apply(desk, kind, row, {kind.model.updated_at: now}):
        raise stale(kind, record_id, expected if expected is not None else row.version)
    history.append(kind.entity, record_id, actor_id, action, recorded, note, now, desk=desk)
    return row
