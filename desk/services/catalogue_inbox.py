"""What the catalogue inbox screens read (desk/screens/catalogue_inbox.py): a draft or an SLR as
plain values with its history, and a draft beside the version it started from. The writes are
desk.services.catalogue_flow's."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from desk.services.views import HistoryEntry


class DraftDetail(NamedTuple):
    id: int
    code: str
    kind: str
    status: str
    title: str  # the entry's name in the user's language
    base: int
    author: str
    requirement: int | None
    entry: dict
    problems: tuple  # what still stops it being submitted (desk.domain.catalogue.Problem)
    version: int
    history: tuple[HistoryEntry, ...]


class RequirementDetail(NamedTuple):
    id: int
    status: str
    title: str
    need: str
    source: str
    service: str
    reason: str
    raised_by: str
    decided_by: str
    created_at: datetime
    version: int
    history: tuple[HistoryEntry, ...]


class DraftTerms(NamedTuple):
    """A draft shaped like a published version, for the diff view (desk.screens.catalogue_text.diff_text)."""

    code: str
    number: str
    status: str
    entry: dict


def draft_detail(desk, draft_id: int) -> DraftDetail:
    from desk.services import catalogue_flow as flow, linking

    row = flow.draft(desk, draft_id)
    entry = flow.entry_of(row)
    other = "zh" if desk.lang == "en" else "en"
    title = entry.get(f"name_{desk.lang}") or entry.get(f"name_{other}") or row.code
    problems = tuple(flow.draft_problems(desk, entry)) if row.kind != "retire" else ()
    return DraftDetail(row.id, row.code, row.kind, row.status, title, row.base or 0,
                       linking.agent_login(desk, row.created_by_id) or "", row.requirement_id, entry, problems,
                       row.version, tuple(linking.history_entries(desk, flow.DRAFT.entity, row.id)))


def requirement_detail(desk, requirement_id: int) -> RequirementDetail:
    from desk.services import catalogue_flow as flow, linking

    row = flow.requirement(desk, requirement_id)
    return RequirementDetail(row.id, row.status, row.title, row.need, row.source,
                             linking.service_code(desk, row.service_id), row.reason,
                             linking.agent_login(desk, row.raised_by_id) or "",
                             linking.agent_login(desk, row.decided_by_id) or "" if row.decided_by_id else "",
                             row.created_at, row.version,
                             tuple(linking.history_entries(desk, flow.REQUIREMENT.entity, row.id)))


def draft_and_base(desk, draft_id: int, label: str):
    """(the version the draft started from or None, the draft as DraftTerms numbered `label`)."""
    from desk.services import catalogue, catalogue_flow as flow

    row = flow.draft(desk, draft_id)
    base = catalogue.version(desk, row.code, row.base) if row.base else None
    return base, DraftTerms(row.code, label, base.status if base else "draft", flow.entry_of(row))
