"""The catalogue's workflow (seed 001 §5): a service-level requirement (SLR) is raised → the ops
lead accepts it (a draft is opened) or rejects it with a reason → catalogue maintainers edit the
draft → a reviewer approves it or returns it with comments (as often as needed) → the ops lead
publishes it: a new immutable version with an effective date (a retirement draft publishes the
version that ends the service).

Every step goes through desk.services.records (actor → permission → rule → one transaction with
the version check → history row); refusals are recorded. Who may do what: the permission table
(catalogue.requirement, catalogue.decide, catalogue.draft, catalogue.review, catalogue.publish).
Nobody approves a draft they wrote. With `[change] publication_requires_change`, publishing
names a change approved for the service (desk.services.change_calendar.change_approved_for).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from desk.db import write_transaction
from desk.domain import catalogue as rules
from desk.domain.errors import NotAllowed, NotFound, Said, ValidationError
from desk.models import CatalogueDraft, CatalogueRequirement, History, Service
from desk.services import actors, catalogue, catalogue_load, history, records

REQUIREMENT = records.Kind("requirement", CatalogueRequirement, tracked=("status",), scope=None)
DRAFT = records.Kind("catalogue_draft", CatalogueDraft, tracked=("status",), scope=None)


def _text(value, field: str, limit: int = rules.TEXT_LIMIT, required: bool = False) -> str:
    return records.text(value, field, limit, required=required)


# --- requirements (SLRs) --------------------------------------------------------------------------

def raise_requirement(desk, login: str | None, *, title: str, need: str = "", source: str = "",
                      service: str | None = None) -> CatalogueRequirement:
    """Record what a customer needs that the catalogue lacks (`service`: an existing service's
    code, or None for a new one)."""
    title = _text(title, "title", rules.NAME_LIMIT, required=True)
    need, source = _text(need, "need"), _text(source, "source", rules.NAME_LIMIT)

    def work(actor: actors.Actor):
        actors.require(actor, "catalogue.requirement")
        svc = None
        if service:
            svc = Service.get_or_none(Service.code == _text(service, "service", 64))
            if svc is None:
                raise ValidationError("error.unknown_service", code=service)
        now = desk.now()
        with write_transaction(desk.db):
            row = CatalogueRequirement.create(title=title, need=need, source=source, service=svc, status="open",
                                              raised_by=actor.id, created_at=now, updated_at=now, version=1)
            history.append(REQUIREMENT.entity, row.id, actor.id, "create", {"status": [None, "open"]}, need, now,
                           desk=desk)
        return row

    return records.guarded(desk, login, "requirement.create", "requirement", None, work)


def accept_requirement(desk, login: str | None, requirement_id: int, *, code: str | None = None,
                       note: str = "", expect_version: int | None = None) -> tuple[CatalogueRequirement, int]:
    """The ops lead accepts an SLR: a draft is opened in the same transaction (a change of its
    service, or a new service with `code`). Returns (the requirement, the new draft's id)."""
    note = _text(note, "note")
    opened: dict[str, int] = {}

    def plan(actor, row, now):
        rules.requirement_step(row.status, "accept")
        if row.service_id is None:
            if not code:
                raise ValidationError("catalogue.invalid.required", field=Said("catalogue.field.code"))
            if not rules.CODE.match(code):
                raise ValidationError("catalogue.invalid.code", field="code", value=code)
            if Service.select().where(Service.code == code).exists():
                raise ValidationError("catalogue.error.code_taken", code=code)
        return {"status": "accepted", "decided_by_id": actor.id, "_note": note}

    def after(actor, row, changes, now):
        kind = "new" if row.service_id is None else "change"
        svc_code = code if row.service_id is None else Service.get_by_id(row.service_id).code
        opened["id"] = _open(desk, actor, kind, svc_code, row.id, now)

    records.transition(desk, REQUIREMENT, login, requirement_id, "accept", "catalogue.decide",
                       expect_version, plan, after=after)
    return requirement(desk, requirement_id), opened["id"]


def reject_requirement(desk, login: str | None, requirement_id: int, *, reason: str,
                       expect_version: int | None = None) -> CatalogueRequirement:
    reason = _text(reason, "reason", required=True)

    def plan(actor, row, now):
        rules.requirement_step(row.status, "reject")
        return {"status": "rejected", "decided_by_id": actor.id, "reason": reason, "_note": reason}

    records.transition(desk, REQUIREMENT, login, requirement_id, "reject", "catalogue.decide", expect_version, plan)
    return requirement(desk, requirement_id)


# --- drafts ---------------------------------------------------------------------------------------

def _open(desk, actor, kind: str, code: str, requirement_id: int | None, now: datetime) -> int:
    """Insert a draft and its first history row (inside the caller's transaction)."""
    current = catalogue.service_version(desk, code, at=datetime.max)
    service = Service.get_or_none(Service.code == code)
    entry = dict(current.entry) if current else rules.empty_entry(code)
    draft = CatalogueDraft.create(kind=kind, code=code, service=service.id if service else None,
                                  requirement=requirement_id, status="editing", entry=_dump(entry),
                                  base=current.number if current else 0, created_by=actor.id, created_at=now,
                                  updated_at=now, version=1)
    history.append(DRAFT.entity, draft.id, actor.id, "create", {"status": [None, "editing"], "kind": [None, kind]},
                   "", now, desk=desk)
    return draft.id


def _dump(entry: dict) -> str:
    return json.dumps(rules.normalise(entry), ensure_ascii=False)


def open_draft(desk, login: str | None, *, code: str, kind: str = "change",
               requirement: int | None = None) -> int:
    """A maintainer opens a draft directly (the yearly review, a retirement): `new` (a code not
    taken), `change` or `retire` (a service that is in the catalogue and not retired)."""
    code = _text(code, "code", 64, required=True)
    if kind not in rules.DRAFT_KINDS:
        raise ValidationError("catalogue.error.kind", code=kind)

    def work(actor: actors.Actor):
        actors.require(actor, "catalogue.draft")
        current = catalogue.service_version(desk, code, at=datetime.max)
        if kind == "new":
            if not rules.CODE.match(code):
                raise ValidationError("catalogue.invalid.code", field="code", value=code)
            if Service.select().where(Service.code == code).exists():
                raise ValidationError("catalogue.error.code_taken", code=code)
        elif current is None:
            raise NotFound(kind="catalogue", id=code)
        elif not current.orderable:
            raise ValidationError("catalogue.error.retired", code=code)
        if requirement is not None and CatalogueRequirement.get_or_none(CatalogueRequirement.id == requirement) is None:
            raise NotFound(kind="requirement", id=requirement)
        with write_transaction(desk.db):
            return _open(desk, actor, kind, code, requirement, desk.now())

    return records.guarded(desk, login, "catalogue_draft.create", "catalogue_draft", None, work)


def entry_of(draft: CatalogueDraft) -> dict:
    return rules.normalise(json.loads(draft.entry or "{}"))


def draft_problems(desk, entry: dict) -> list[rules.Problem]:
    return rules.problems(entry, desk.config.codes("priority"), catalogue.category_codes(desk))


def edit_draft(desk, login: str | None, draft_id: int, changes: dict[str, Any], *,
               expect_version: int | None = None) -> CatalogueDraft:
    """Change fields of a draft being edited (`changes`: field -> value in the canonical form;
    `targets` merge per priority). Refused, naming the field, when a changed field breaks a rule;
    fields not touched may still be incomplete (submitting checks the whole entry)."""
    unknown = [k for k in changes if k not in rules.FIELDS or k == "code"]
    if unknown:
        raise ValidationError("catalogue.error.field", field=unknown[0])

    def plan(actor, row, now):
        rules.draft_step(row.status, "edit")
        if row.kind == "retire":
            raise ValidationError("catalogue.error.retire_edit")
        entry = entry_of(row)
        before = dict(entry)
        for name, value in changes.items():
            if name == "targets" and isinstance(value, dict) and isinstance(entry["targets"], dict):
                entry["targets"] = {**entry["targets"], **{str(k): v for k, v in value.items()}}
            else:
                entry[name] = value
        entry = rules.normalise(entry)
        touched = {n for n in changes if n != "targets"} | {f"targets.{p}" for p in (changes.get("targets") or {})}
        if "targets" in changes and not isinstance(changes["targets"], dict):
            touched.add("targets")
        for problem in draft_problems(desk, entry):
            if problem.field in touched:
                raise rules.EntryInvalid(problem)
        changed = {c.field: [c.old, c.new] for c in rules.diff(before, entry)}
        if not changed:
            raise ValidationError("catalogue.error.no_change")
        return {"entry": _dump(entry), "_recorded": changed}

    records.transition(desk, DRAFT, login, draft_id, "edit", "catalogue.draft", expect_version, plan)
    return draft(desk, draft_id)


def _step(desk, login, draft_id, action: str, permission: str, expect_version, note: str = "",
          check=None, after=None, recorded: dict | None = None) -> CatalogueDraft:
    def plan(actor, row, now):
        target = rules.draft_step(row.status, action)
        if check is not None:
            check(actor, row)
        return {"status": target, "_note": note, **({"_recorded": recorded} if recorded else {})}

    records.transition(desk, DRAFT, login, draft_id, action, permission, expect_version, plan, after=after)
    return draft(desk, draft_id)


def submit(desk, login, draft_id: int, *, note: str = "", expect_version: int | None = None) -> CatalogueDraft:
    """Send a draft for review: the whole entry must be valid (the first problem is named)."""
    note = _text(note, "note")

    def check(actor, row):
        if row.kind != "retire":
            found = draft_problems(desk, entry_of(row))
            if found:
                raise rules.EntryInvalid(found[0])

    return _step(desk, login, draft_id, "submit", "catalogue.draft", expect_version, note, check)


def authors(row: CatalogueDraft) -> set[int]:
    """Who wrote a draft: whoever edited it (a retirement draft, never edited: whoever opened it)."""
    editors = {a for (a,) in History.select(History.actor).where(
        (History.entity == DRAFT.entity) & (History.entity_id == row.id) & (History.action == "edit")).tuples()}
    return editors or {row.created_by_id}


def approve(desk, login, draft_id: int, *, note: str = "", expect_version: int | None = None) -> CatalogueDraft:
    note = _text(note, "note")

    def check(actor, row):
        if actor.id in authors(row):
            raise NotAllowed("catalogue.error.own_draft", login=actor.login)

    return _step(desk, login, draft_id, "approve", "catalogue.review", expect_version, note, check)


def return_draft(desk, login, draft_id: int, *, comments: str, expect_version: int | None = None) -> CatalogueDraft:
    """The reviewer sends it back to the maintainers with comments (required)."""
    comments = _text(comments, "comments", required=True)
    return _step(desk, login, draft_id, "return", "catalogue.review", expect_version, comments)


def withdraw(desk, login, draft_id: int, *, reason: str, expect_version: int | None = None) -> CatalogueDraft:
    reason = _text(reason, "reason", required=True)
    return _step(desk, login, draft_id, "withdraw", "catalogue.draft", expect_version, reason)


def publish(desk, login, draft_id: int, *, effective_at: datetime | None = None, change: int | None = None,
            note: str = "", expect_version: int | None = None) -> CatalogueDraft:
    """The ops lead publishes an approved draft as the service's next version, in force from
    `effective_at` (default now; never before the previous version's). A retirement draft
    publishes the version that retires the service. Old versions are never touched."""
    note = _text(note, "note")
    from desk.services import change_calendar

    def check(actor, row):
        if change_calendar.publication_requires_change(desk):
            if change is None:
                raise ValidationError("catalogue.error.change_required", code=row.code)
            change_calendar.change_approved_for(desk, change, row.code)
        if row.kind == "new" and Service.select().where(Service.code == row.code).exists():
            raise ValidationError("catalogue.error.code_taken", code=row.code)

    def after(actor, row, changes, now):
        entry = entry_of(row)
        status = "published"
        if row.kind == "retire":
            current = catalogue.service_version(desk, row.code, at=datetime.max)
            if current is None:
                raise NotFound(kind="catalogue", id=row.code)
            entry, status = dict(current.entry), "retired"
        catalogue_load.write_version(desk, entry, actor_id=actor.id, now=now, effective_at=effective_at,
                                     status=status, draft_id=row.id, note=note,
                                     action="retire" if status == "retired" else "publish")

    # the change it was published under: named in the draft's history row
    return _step(desk, login, draft_id, "publish", "catalogue.publish", expect_version, note, check, after,
                 recorded={"change": [None, change]} if change is not None else None)


# --- reading --------------------------------------------------------------------------------------

def requirement(desk, requirement_id: int) -> CatalogueRequirement:
    row = CatalogueRequirement.get_or_none(CatalogueRequirement.id == requirement_id)
    if row is None:
        raise NotFound(kind="requirement", id=requirement_id)
    return row


def draft(desk, draft_id: int) -> CatalogueDraft:
    row = CatalogueDraft.get_or_none(CatalogueDraft.id == draft_id)
    if row is None:
        raise NotFound(kind="catalogue_draft", id=draft_id)
    return row


def requirements(desk, status: str | None = "open") -> list[CatalogueRequirement]:
    """The ops lead's SLR inbox (status None: every one), oldest first."""
    query = CatalogueRequirement.select().order_by(CatalogueRequirement.id)
    return list(query.where(CatalogueRequirement.status == status) if status else query)


def drafts(desk, statuses: tuple[str, ...] | None = None) -> list[CatalogueDraft]:
    """Drafts in these statuses (None: every one), oldest first. The review inbox: ("in_review",)."""
    query = CatalogueDraft.select().order_by(CatalogueDraft.id)
    return list(query.where(CatalogueDraft.status.in_(statuses)) if statuses else query)
