"""Writing catalogue versions: the one function that appends a version (publication, retirement,
import, the shipped sample), and the shipped sample's loading by `desk init` / `desk demo`.

A version is never edited: `write_version` only inserts, and the database refuses UPDATE and
DELETE on service_version (triggers, desk.services.catalogue_schema).
"""

from __future__ import annotations

import json
from datetime import datetime

from peewee import fn

from desk.db import write_transaction
from desk.domain import catalogue as rules
from desk.domain.errors import ValidationError
from desk.models import Service, ServiceCategory, ServiceVersion
from desk.services import history, records
from desk.timefmt import when, zone

SERVICE = records.Kind("catalogue", Service, scope=None)
SYSTEM_NOTE = "shipped catalogue"
IMPORT_NOTE = "imported from "  # + the file's name: what `desk catalogue import` notes on a version or draft


def note_text(note: str, lang: str) -> str:
    """A version's note in `lang` when desk itself wrote it (the shipped sample, an import: stored in
    English, as every database holds them), else as its publisher wrote it."""
    from desk.i18n import t

    if note == SYSTEM_NOTE:
        return t("catalogue.note.shipped", lang)
    if note.startswith(IMPORT_NOTE):
        return t("catalogue.note.imported", lang, file=note[len(IMPORT_NOTE):])
    return note


def _version_values(entry: dict) -> dict:
    values = {name: entry[name] for name in rules.FIELDS if name not in ("code", "targets", "checklist")}
    values["targets"] = json.dumps(entry["targets"], sort_keys=True, ensure_ascii=False)
    values["checklist"] = json.dumps(entry["checklist"], ensure_ascii=False)
    return values


def _mirror(entry: dict, status: str) -> dict:
    """What the service row copies from its newest version."""
    return {"name_en": entry["name_en"], "name_zh": entry["name_zh"], "category": entry["category"],
            "summary_en": entry["summary_en"], "summary_zh": entry["summary_zh"], "hours": entry["hours"],
            "sla": json.dumps(entry["targets"], sort_keys=True), "status": status}


def write_version(desk, entry: dict, *, actor_id: int | None, now: datetime, effective_at: datetime | None = None,
                  status: str = "published", draft_id: int | None = None, note: str = "",
                  action: str = "publish", expect_version: int | None = None,
                  history_note: str | None = None) -> ServiceVersion:
    """Append the next version of the service `entry["code"]` (creating the service when new);
    call inside a write transaction. The service row copies the new version and moves to its
    next row version (checked against `expect_version` when given); its history gets one row
    (but for `action="load"`: what desk init loads from the shipped file is no one's decision,
    and keeps a fresh desk's history empty). `effective_at` (default `now`) may not precede the
    previous version's. `history_note`: the history row's note where it differs from the version's."""
    effective_at = effective_at or now
    service = Service.get_or_none(Service.code == entry["code"])
    previous = None if service is None else (
        ServiceVersion.select(ServiceVersion.number, ServiceVersion.effective_at, ServiceVersion.status)
        .where(ServiceVersion.service == service.id).order_by(ServiceVersion.number.desc()).first())
    if previous is not None and effective_at < previous.effective_at:
        raise ValidationError("catalogue.error.effective_before", code=entry["code"], number=previous.number,
                              at=when(previous.effective_at, zone(desk.config)))  # as --effective is typed
    if previous is not None and previous.status == "retired":
        raise ValidationError("catalogue.error.retired", code=entry["code"])
    number = previous.number + 1 if previous else 1
    mirror = {**_mirror(entry, status), "current": number, "updated_at": now}
    recorded: dict = {"version": [previous.number if previous else None, number]}
    values = {getattr(Service, k): v for k, v in mirror.items()}
    if service is None:
        service = Service.create(code=entry["code"], version=1, **mirror)
        recorded["status"] = [None, status]
    else:
        if expect_version is not None:
            records.check_version(SERVICE, service, expect_version)
        if service.status != status or previous is None:
            recorded["status"] = [None if previous is None else service.status, status]
        if action == "load":  # version 1 of a row from before versions (schema <= 5)
            Service.update(values).where(Service.id == service.id).execute()
        elif not records.apply(desk, SERVICE, service, values):
            raise records.stale(SERVICE, service.id, expect_version or service.version)
    row = ServiceVersion.create(service=service.id, number=number, status=status, effective_at=effective_at,
                                published_at=now, published_by=actor_id, draft=draft_id, note=note,
                                **_version_values(entry))
    if action != "load":
        history.append(SERVICE.entity, service.id, actor_id, action, recorded,
                       note if history_note is None else history_note, now, desk=desk)
    return row


def follow_newest(desk) -> int:
    """Each service row copies its newest version again where it does not (inside a write
    transaction). `desk import` appends the versions another desk published without touching the
    service rows this desk has of the same code: the version in force, the lists and lookups that
    read the row, and the row version a form holds would all still say the old version. Moving a
    row forward bumps its row version (a form opened on the old one is refused). Returns how many
    rows moved; none when every row follows already (a second import of the same file)."""
    from desk.services import catalogue

    newest = (ServiceVersion.select(ServiceVersion.service.alias("sid"), fn.MAX(ServiceVersion.number).alias("n"))
              .group_by(ServiceVersion.service).alias("newest"))
    behind = (Service.select(Service, newest.c.n.alias("newest_number"))
              .join(newest, on=(Service.id == newest.c.sid))
              .where(Service.current.is_null() | (Service.current != newest.c.n)).objects())
    moved = 0
    for service in behind:
        terms = catalogue.version(desk, service.id, service.newest_number)
        mirror = {**_mirror(terms.entry, terms.status), "current": terms.number, "updated_at": terms.published_at}
        if not records.apply(desk, SERVICE, service, {getattr(Service, k): v for k, v in mirror.items()}):
            raise records.stale(SERVICE, service.id, service.version)
        moved += 1
    return moved


# --- categories -----------------------------------------------------------------------------------

def save_categories(desk, categories: list[rules.Category]) -> int:
    """Add the categories not there yet, rename those that are (inside a write transaction).
    Categories are labels of the tree, not versioned: a published version names its category's code."""
    known = {c.code: c for c in ServiceCategory.select()}
    for position, cat in enumerate(categories):
        parent = known.get(cat.parent)
        values = {"name_en": cat.en, "name_zh": cat.zh, "parent": parent.id if parent else None}
        if cat.code in known:
            ServiceCategory.update(values).where(ServiceCategory.id == known[cat.code].id).execute()
        else:
            known[cat.code] = ServiceCategory.create(code=cat.code, position=position, **values)
    return len(categories)


# --- the shipped sample ---------------------------------------------------------------------------

def _from_stub(desk, service: Service) -> dict:
    """Version 1 of a service a database held before the catalogue had versions (schema ≤ 5)."""
    try:
        sla = json.loads(service.sla or "{}")
    except ValueError:
        sla = {}
    targets = {}
    for priority in desk.config.codes("priority"):
        pair = sla.get(priority) or {}
        default = desk.config.targets(priority)
        targets[priority] = {"response": int(pair.get("response", default.response_minutes)),
                             "resolve": int(pair.get("resolve", default.resolve_minutes))}
    entry = rules.empty_entry(service.code)
    entry.update(name_en=service.name_en or service.code, name_zh=service.name_zh or service.code,
                 summary_en=service.summary_en or service.name_en or service.code,
                 summary_zh=service.summary_zh or service.name_zh or service.code,
                 category=service.category or "", hours="24x7" if service.hours in ("", "24x7") else "business",
                 targets=targets)
    return entry


def load_sample(desk) -> int:
    """`desk init` / `desk demo`: the shipped (or configured) categories, and version 1 of every
    configured service the database has no version of yet; a service a database held before
    versions existed gets its version 1 from its own row. Services with versions are left to the
    workflow. Returns how many versions it published."""
    categories, entries, problem = rules.parse_catalogue(desk.config.data, desk.config.codes("priority"))
    if problem is not None:  # desk.config validated it already; a config built in code may not be
        raise ValidationError("error.validation", detail=problem[1])
    published = 0
    with write_transaction(desk.db):
        save_categories(desk, categories)
        versioned = {sid for (sid,) in ServiceVersion.select(ServiceVersion.service).distinct().tuples()}
        configured = {e["code"] for e in entries}
        now = desk.now()
        for entry in entries:
            service = Service.get_or_none(Service.code == entry["code"])
            if service is None or service.id not in versioned:
                write_version(desk, entry, actor_id=None, now=now, note=SYSTEM_NOTE, action="load")
                published += 1
        known = {c.code for c in ServiceCategory.select(ServiceCategory.code)}
        for service in Service.select().where(Service.id.not_in(list(versioned) or [0])):
            if service.code in configured:
                continue
            entry = _from_stub(desk, service)
            # (the category "other" is made once, for the first service without a category)
            entry["category"] = code = entry["category"] or "other"
            if code not in known:
                ServiceCategory.create(code=code, name_en=code if code != "other" else "Other",
                                       name_zh=code if code != "other" else "其他", position=len(known))
                known.add(code)
            write_version(desk, entry, actor_id=None, now=now, note=SYSTEM_NOTE, action="load")
            published += 1
    return published
