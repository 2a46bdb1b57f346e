"""The intake of a service request: what the chosen catalogue service asks for (approval levels,
cost confirmation, its own checklist items) and the intake checklist (seed 003 phase 1: verify
the requester, details complete, type and priority set, within the service's scope). Read-only.

The service is read through `terms()`: the catalogue's version in force when the catalogue API
(desk.services.catalogue) is there, else the plain service row (no approval, no cost, no items).
"""

from __future__ import annotations

import json
from typing import NamedTuple

from desk.domain import request_flow as flow
from desk.domain.errors import ValidationError
from desk.i18n import t
from peewee import JOIN as _JOIN, fn

from desk.models import Service
from desk.services import records
from desk.services.request_views import ChecklistItem

# The checklist every request goes through, in order (labels: request.checklist.<code>).
BASE_ITEMS = ("identity", "details", "type", "scope")


class ServiceTerms(NamedTuple):
    service_id: int | None
    version_id: int | None  # the catalogue version in force (None: no catalogue version)
    approval_levels: int
    needs_cost: bool
    items: tuple[tuple[str, dict], ...] = ()  # (code, {"en": label, "zh": label}) of the service's own items


NO_SERVICE = ServiceTerms(None, None, 0, False)


def _catalogue():
    try:
        from desk.services import catalogue  # the catalogue issue's read API
    except ImportError:
        return None
    return catalogue if hasattr(catalogue, "version_in_force") else None


def terms(desk, code: str | None) -> ServiceTerms:
    """What the service asks of a request raised for it now."""
    if not code:
        return NO_SERVICE
    records.text(code, "service", 200)
    catalogue = _catalogue()
    if catalogue is None:  # services change only with the catalogue: read once per handle
        known = desk.cache.setdefault("request_services", {})
        if code not in known:
            row = Service.select(Service.id, Service.status).where(Service.code == code).first()
            known[code] = row.id if row is not None and row.status in ("published", "", None) else None
        if known[code] is None:
            raise ValidationError("error.unknown_service", code=code)
        return ServiceTerms(known[code], None, 0, False)
    row = Service.get_or_none(Service.code == code)
    if row is None or getattr(row, "status", "published") not in ("published", "", None):
        raise ValidationError("error.unknown_service", code=code)
    return of_version(row.id, catalogue.version_in_force(desk, code))


def of_version(service_id: int, version) -> ServiceTerms:
    """What a catalogue version (None: none in force) asks of a request raised under it."""
    if version is None:
        return ServiceTerms(service_id, None, 0, False)
    levels = int(getattr(version, "approval_levels", 0) or 0)
    if getattr(version, "needs_approval", False):
        levels = max(levels, 1)
    items = getattr(version, "checklist", ()) or ()
    if isinstance(items, str):
        items = json.loads(items or "[]")
    own = tuple((f"service.{i + 1}", item if isinstance(item, dict) else {"en": str(item), "zh": str(item)})
                for i, item in enumerate(items))
    return ServiceTerms(service_id, getattr(version, "id", None), levels,
                        bool(getattr(version, "needs_cost_confirmation", False)), own)


def items(desk, service_terms: ServiceTerms) -> list[tuple[str, str]]:
    """(code, label in the desk's language) of every checklist item the request must tick."""
    base = [(code, t(f"request.checklist.{code}", desk.lang)) for code in BASE_ITEMS]
    own = [(code, labels.get(desk.lang) or labels.get("en") or code) for code, labels in service_terms.items]
    return base + own


def checklist(desk, service_terms: ServiceTerms, ticked) -> list[ChecklistItem]:
    ticked = set(ticked)
    return [ChecklistItem(code, label, code in ticked) for code, label in items(desk, service_terms)]


def require_complete(desk, service_terms: ServiceTerms, ticked) -> list[str]:
    """The ticked items, in order; refused with the missing ones named while any is missing."""
    codes = [code for code, _ in items(desk, service_terms)]
    ticked = set(ticked)
    unknown = sorted(ticked - set(codes) - {"all"})
    if unknown:
        raise ValidationError("request.error.unknown_item", item=unknown[0], known=", ".join(codes))
    if "all" in ticked:
        return codes
    missing = flow.missing_items(codes, ticked)
    if missing:
        labels = dict(items(desk, service_terms))
        raise ValidationError("request.error.checklist", missing="; ".join(labels[m] for m in missing))
    return codes


def services(desk, text: str = "", limit: int = 50) -> list[tuple[str, str]]:
    """Published services whose code or name holds `text` (the intake's search as you type):
    (code, name in the desk's language)."""
    query = Service.select(Service.code, Service.name_en, Service.name_zh, Service.status).order_by(Service.code)
    rows = []
    needle = (text or "").strip().lower()
    for row in query:
        if getattr(row, "status", "published") not in ("published", "", None):
            continue
        name = row.name_zh if desk.lang == "zh" else row.name_en
        if not needle or needle in row.code.lower() or needle in row.name_en.lower() or needle in row.name_zh:
            rows.append((row.code, name))
        if len(rows) >= limit:
            break
    return rows


def requesters(desk, text: str = "", limit: int = 8) -> list[tuple[str, str]]:
    """Known callers whose name holds `text` (the intake's requester search as you type):
    (name, organisation or ""), by name. A requester not among them is typed in full."""
    from desk.models import Caller, Organisation

    needle = (text or "").strip()
    if not needle:
        return []
    query = (Caller.select(Caller.name, Organisation.name)
             .join(Organisation, join_type=_JOIN.LEFT_OUTER, on=(Caller.organisation == Organisation.id))
             .where(fn.LOWER(Caller.name).contains(needle.lower())).order_by(Caller.name).limit(limit))
    return [(name, org or "") for name, org in query.tuples()]
