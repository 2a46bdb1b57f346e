"""The catalogue's read API: what other areas (requests, SLA, incidents, the browse screen) call.

Contract (stable; requests and SLA build on it):

- A service has numbered, immutable **versions** (`ServiceTerms`). Each has an `effective_at`;
  version numbers grow with it, so the version **in force** at a moment is the highest-numbered
  one whose `effective_at` is not after it. A version's `status` is `published` (the service may
  be ordered) or `retired` (the service ended then: `orderable` is False).
- `service_version(desk, code_or_id, at=None)` (also `version_in_force`) → the version in force at `at` (default: the
  desk's clock now), or None (no such service, or no version in force yet). A ticket raised
  at `t` stores `terms.version_id` and keeps it: `version_by_id` gives the same terms back
  forever, whatever is published later.
- `sla_terms(desk, code_or_id, at=None)` → (targets table, calendar name, None) for the SLA area.
- `published_services(desk, at=None, category=None, retired=False)` → the versions in force
  that may be ordered (with `retired=True` the retired ones too), by category then code.
- `ServiceTerms.targets_for(priority)` → `desk.domain.sla.Targets` (response, resolve
  minutes) for a priority code (int or str), or None. `hours` names the service-hours calendar
  (`24x7`, `business`, …; the SLA area defines calendars). `needs_approval`,
  `approval_levels`, `needs_cost_confirmation`, `checklist` ([{"en", "zh"}]: extra items the
  request intake ticks) drive the request flow. `name(lang)`, `text(field, lang)` read texts.
- Everything here reads; nothing writes. Writes: desk.services.catalogue_flow (the workflow)
  and desk.services.catalogue_load (the shipped sample and import).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from desk.domain.catalogue import FIELDS, TEXT_FIELDS
from desk.domain.sla import Targets
from desk.models import Service, ServiceCategory, ServiceVersion


@dataclass(frozen=True)
class ServiceTerms:
    """One published version of a service: what a ticket raised under it is bound by."""

    service_id: int
    code: str
    version_id: int
    number: int
    status: str  # published | retired
    effective_at: datetime
    published_at: datetime
    entry: dict  # every field of the entry (desk.domain.catalogue.FIELDS), code included
    note: str = ""

    @property
    def id(self) -> int:
        """The version's id (what a ticket stores): the same as `version_id`."""
        return self.version_id

    @property
    def orderable(self) -> bool:
        return self.status == "published"

    @property
    def hours(self) -> str:
        return self.entry["hours"]

    @property
    def category(self) -> str:
        return self.entry["category"]

    @property
    def needs_approval(self) -> bool:
        return bool(self.entry["needs_approval"])

    @property
    def approval_levels(self) -> int:
        return int(self.entry["approval_levels"])

    @property
    def needs_cost_confirmation(self) -> bool:
        return bool(self.entry["needs_cost_confirmation"])

    @property
    def checklist(self) -> list[dict]:
        return [dict(item) for item in self.entry["checklist"]]

    @property
    def targets(self) -> dict[str, Targets]:
        return {p: Targets(int(v["response"]), int(v["resolve"])) for p, v in self.entry["targets"].items()}

    def targets_for(self, priority) -> Targets | None:
        pair = self.entry["targets"].get(str(priority))
        return Targets(int(pair["response"]), int(pair["resolve"])) if pair else None

    def text(self, field: str, lang: str) -> str:
        """A text field (`name`, `summary`, …) in `lang`, else in the other language."""
        other = "en" if lang == "zh" else "zh"
        return self.entry.get(f"{field}_{lang}") or self.entry.get(f"{field}_{other}") or ""

    def name(self, lang: str) -> str:
        return self.text("name", lang) or self.code


@dataclass(frozen=True)
class CategoryNode:
    id: int
    code: str
    parent: str  # "" at the top
    name_en: str
    name_zh: str
    position: int

    def name(self, lang: str) -> str:
        return (self.name_zh if lang == "zh" else self.name_en) or self.code


# --- rows -> terms --------------------------------------------------------------------------------

_VERSION_COLUMNS = (ServiceVersion.id, ServiceVersion.service, ServiceVersion.number, ServiceVersion.status,
                    ServiceVersion.effective_at, ServiceVersion.published_at, ServiceVersion.note,
                    *(getattr(ServiceVersion, f) for f in FIELDS if f != "code"), Service.id, Service.code)


def entry_of(row) -> dict:
    """The entry (desk.domain.catalogue canonical form) of a ServiceVersion row (joined to its service)."""
    entry = {}
    for name in FIELDS:
        if name == "code":
            entry[name] = row.service.code
        elif name in ("targets", "checklist"):
            entry[name] = json.loads(getattr(row, name) or ("{}" if name == "targets" else "[]"))
        else:
            entry[name] = getattr(row, name)
    return entry


def _terms(row) -> ServiceTerms:
    return ServiceTerms(service_id=row.service.id, code=row.service.code, version_id=row.id, number=row.number,
                        status=row.status, effective_at=row.effective_at, published_at=row.published_at,
                        entry=entry_of(row), note=row.note or "")


def _versions():
    return ServiceVersion.select(*_VERSION_COLUMNS).join(Service, on=(ServiceVersion.service == Service.id))


def _now(desk, at: datetime | None) -> datetime:
    return at if at is not None else desk.now()


def _in_force(at: datetime):
    """(service id, highest version number in force at `at`)."""
    return (ServiceVersion.select(ServiceVersion.service.alias("sid"), fn.MAX(ServiceVersion.number).alias("n"))
            .where(ServiceVersion.effective_at <= at).group_by(ServiceVersion.service))


# --- the API --------------------------------------------------------------------------------------

def service_id(desk, code_or_id) -> int | None:
    """The id of a service given by code (str) or id (int, or a str of digits that is no code)."""
    if isinstance(code_or_id, int):
        return code_or_id if Service.select().where(Service.id == code_or_id).exists() else None
    row = Service.select(Service.id).where(Service.code == code_or_id).first()
    if row is None and str(code_or_id).isdigit():
        return service_id(desk, int(code_or_id))
    return row.id if row else None


def service_version(desk, code_or_id, at: datetime | None = None) -> ServiceTerms | None:
    """The version of a service in force at `at` (default now); None: no such service, or no
    version in force yet. Check `.orderable` before raising a ticket for it."""
    sid = service_id(desk, code_or_id)
    if sid is None:
        return None
    row = (_versions().where((ServiceVersion.service == sid) & (ServiceVersion.effective_at <= _now(desk, at)))
           .order_by(ServiceVersion.number.desc()).first())
    return _terms(row) if row else None


version_in_force = service_version  # the name the requests area calls it by


def sla_terms(desk, code_or_id, at: datetime | None = None) -> tuple[dict, str, None] | None:
    """For the SLA area: (targets table {priority: {"response", "resolve"}}, the service-hours
    calendar's name, None) of the version in force, or None (no such service or version)."""
    terms = service_version(desk, code_or_id, at=at)
    if terms is None:
        return None
    return {p: dict(v) for p, v in terms.entry["targets"].items()}, terms.hours, None


def version_by_id(desk, version_id: int) -> ServiceTerms | None:
    """A version by its id: what a ticket raised under it stored, and keeps."""
    row = _versions().where(ServiceVersion.id == version_id).first()
    return _terms(row) if row else None


def versions(desk, code_or_id) -> list[ServiceTerms]:
    """Every version of a service, oldest first (future-dated ones included)."""
    sid = service_id(desk, code_or_id)
    if sid is None:
        return []
    return [_terms(r) for r in _versions().where(ServiceVersion.service == sid).order_by(ServiceVersion.number)]


def version(desk, code_or_id, number: int) -> ServiceTerms | None:
    sid = service_id(desk, code_or_id)
    if sid is None:
        return None
    row = _versions().where((ServiceVersion.service == sid) & (ServiceVersion.number == number)).first()
    return _terms(row) if row else None


def published_services(desk, at: datetime | None = None, category: str | None = None,
                       retired: bool = False) -> list[ServiceTerms]:
    """The versions in force at `at` (default now) that may be ordered (and, with `retired`,
    those that ended the service), by category then code. `category`: that category and the
    categories below it."""
    current = _in_force(_now(desk, at)).alias("cur")
    query = (_versions().join(current, on=((ServiceVersion.service == current.c.sid)
                                          & (ServiceVersion.number == current.c.n)), src=ServiceVersion))
    if not retired:
        query = query.where(ServiceVersion.status == "published")
    if category:
        query = query.where(ServiceVersion.category.in_(subtree(desk, category)))
    return [_terms(r) for r in query.order_by(ServiceVersion.category, Service.code)]


def categories(desk) -> list[CategoryNode]:
    """The category tree as a list: each node after its parent, siblings by position then code."""
    rows = list(ServiceCategory.select().order_by(ServiceCategory.position, ServiceCategory.code))
    by_id = {r.id: r for r in rows}
    nodes = [CategoryNode(r.id, r.code, by_id[r.parent_id].code if r.parent_id in by_id else "", r.name_en,
                          r.name_zh, r.position) for r in rows]
    children: dict[str, list[CategoryNode]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node)
    out: list[CategoryNode] = []

    def walk(parent: str) -> None:
        for node in children.get(parent, []):
            out.append(node)
            walk(node.code)

    walk("")
    return out


def subtree(desk, code: str) -> list[str]:
    """A category's code and the codes of every category below it."""
    nodes = categories(desk)
    found = [code]
    for node in nodes:
        if node.parent in found:
            found.append(node.code)
    return found


def category_codes(desk) -> set[str]:
    return {c for (c,) in ServiceCategory.select(ServiceCategory.code).tuples()}


def search(desk, text: str, at: datetime | None = None, retired: bool = False) -> list[ServiceTerms]:
    """Services in force whose code, name or summary (either language) contains `text`
    (case-insensitive), by category then code."""
    needle = (text or "").strip().casefold()
    found = published_services(desk, at=at, retired=retired)
    if not needle:
        return found
    fields = ("code", *(f for f in TEXT_FIELDS if f[:-3] in ("name", "summary")))
    return [s for s in found if any(needle in str(s.entry.get(f, "")).casefold() for f in fields)]


def all_services(desk) -> list[tuple[int, str, str, int | None]]:
    """(id, code, status, current version number) of every service row, by code."""
    return list(Service.select(Service.id, Service.code, Service.status, Service.current)
                .order_by(Service.code).tuples())
