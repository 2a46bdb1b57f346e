"""The catalogue's two inboxes as kinds of list (seed 001; issue 13): drafts of entries on their way
to publication (the reviewers' review inbox, the maintainers' drafts, the ops lead's approved
drafts to publish) and service-level requirements (the ops lead's SLR inbox). The catalogue
screen opens them (desk/screens/catalogue_inbox.py); the list machinery does the rest."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from desk.domain import catalogue as rules
from desk.lists import paging
from desk.lists.spec import ListSpec

DRAFT_VIEWS = ("review", "editing", "approved", "open", "all")
OPEN_DRAFTS = ("editing", "in_review", "returned", "approved")
REQUIREMENT_VIEWS = ("open", "accepted", "rejected", "all")
SORTS = ("updated", "age")


class InboxFilter(NamedTuple):
    view: str
    text: str = ""
    statuses: frozenset = frozenset()


class DraftRow(NamedTuple):
    id: int
    code: str
    kind: str  # new, change, retire
    status: str
    name_en: str
    name_zh: str
    base: int  # the version it started from (0: a new service)
    author: str  # who opened it
    created_at: datetime
    updated_at: datetime
    version: int

    def name(self, lang: str) -> str:
        return (self.name_zh if lang == "zh" else self.name_en) or self.name_en or self.name_zh


class RequirementRow(NamedTuple):
    id: int
    status: str
    title: str
    service: str  # the service's code ("" : a new service)
    source: str
    raised_by: str
    created_at: datetime
    updated_at: datetime
    version: int


def make_filter(view: str, parsed) -> InboxFilter:
    return InboxFilter(view, parsed.text, parsed.statuses)


def _draft_where(f: InboxFilter, ctx):
    from desk.models import CatalogueDraft as D

    statuses = {"review": ("in_review",), "editing": ("editing", "returned"), "approved": ("approved",),
                "open": OPEN_DRAFTS}.get(f.view)
    conds = [D.status.in_(statuses)] if statuses else []
    if f.statuses:
        conds.append(D.status.in_(sorted(f.statuses)))
    if f.text.strip():
        text = f.text.strip()
        conds.append(paging.contains(D.code, text) | D.id.in_(_entries_holding(text)))
    return conds


def _entries_holding(text: str) -> list[int]:
    """Drafts any text of whose entry holds `text` (the case aside). Read in Python, not by LIKE on
    the entry's JSON: that matched its keys too, so `price` or `name` listed every draft. A draft
    table holds a catalogue's few dozen drafts a year; an entry that cannot be read holds nothing."""
    import json

    from desk.models import CatalogueDraft as D

    needle = text.casefold()
    found = []
    for draft_id, entry in D.select(D.id, D.entry).tuples():
        try:
            data = json.loads(entry or "{}")
        except ValueError:
            continue
        if any(needle in value.casefold() for value in _texts(data)):
            found.append(draft_id)
    return found


def _texts(value):
    """The texts of an entry (desk.domain.catalogue.normalise: texts, and tables of them), its keys left out."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, str):
        yield value


def _requirement_where(f: InboxFilter, ctx):
    from desk.models import CatalogueRequirement as R

    conds = [R.status == f.view] if f.view in rules.REQUIREMENT_STATUSES else []
    if f.statuses:
        conds.append(R.status.in_(sorted(f.statuses)))
    if f.text.strip():
        text = f.text.strip()
        conds.append(paging.contains(R.title, text) | paging.contains(R.need, text) | paging.contains(R.source, text))
    return conds


_PAGING: dict = {}


def _pager(kind: str) -> paging.Paging:
    if kind not in _PAGING:  # (the models are imported when first read, not with the spec)
        from desk.models import CatalogueDraft, CatalogueRequirement

        model, where = ((CatalogueDraft, _draft_where) if kind == "catalogue_draft"
                        else (CatalogueRequirement, _requirement_where))
        _PAGING[kind] = paging.Paging(model, where, {"updated": [(model.updated_at, True)],
                                                      "age": [(model.created_at, False)]})
    return _PAGING[kind]


def draft_rows(desk, ids) -> list[DraftRow]:
    """DraftRows for these ids, in the order given (missing ids skipped)."""
    import json

    from desk.models import CatalogueDraft
    from desk.services import linking

    ids = [int(i) for i in ids]
    found = {}
    for r in CatalogueDraft.select().where(CatalogueDraft.id.in_(ids)) if ids else ():
        try:
            entry = json.loads(r.entry or "{}")
        except ValueError:
            entry = {}
        found[r.id] = DraftRow(r.id, r.code, r.kind, r.status, str(entry.get("name_en") or ""),
                               str(entry.get("name_zh") or ""), r.base or 0,
                               linking.agent_login(desk, r.created_by_id) or "", r.created_at, r.updated_at, r.version)
    return [found[i] for i in ids if i in found]


def requirement_rows(desk, ids) -> list[RequirementRow]:
    from desk.models import CatalogueRequirement
    from desk.services import linking

    ids = [int(i) for i in ids]
    found = {}
    for r in CatalogueRequirement.select().where(CatalogueRequirement.id.in_(ids)) if ids else ():
        found[r.id] = RequirementRow(r.id, r.status, r.title, linking.service_code(desk, r.service_id), r.source,
                                     linking.agent_login(desk, r.raised_by_id) or "", r.created_at, r.updated_at,
                                     r.version)
    return [found[i] for i in ids if i in found]


TERMS = frozenset({"s"})  # (a draft or a requirement has no priority, group, category or due time)


def _vocabulary(kind: str, prefix: str, codes):
    def vocabulary(config):
        from desk.domain.filter_terms import Vocabulary

        return Vocabulary(statuses=paging.message_aliases(prefix, codes), terms=TERMS, kind=kind)

    return vocabulary


def _spec(kind: str, views, rows, table: str, actions: dict, permissions: dict, allowed_from: dict,
          status_label: str, rowless=frozenset()) -> ListSpec:
    return ListSpec(
        kind=kind,
        views=views,
        sorts=SORTS,
        context=paging.context,
        make_filter=make_filter,
        count=lambda f, ctx: _pager(kind).count(f, ctx),
        window=lambda f, ctx, sort="updated", offset=0, limit=100, descending=False:
            _pager(kind).window(f, ctx, sort, offset, limit, descending),
        iter_ids=lambda f, ctx, sort="updated", descending=False, **kw:
            _pager(kind).iter_ids(f, ctx, sort, descending, **kw),
        rows=rows,
        vocabulary=_vocabulary(kind, status_label, rules.DRAFT_STATUSES if kind == "catalogue_draft"
                               else rules.REQUIREMENT_STATUSES),
        table=table,
        actions=actions,
        permissions=permissions,
        allowed_from=allowed_from,
        status_label=status_label,
        rowless=rowless,
        view_label=f"lists.{kind}.view.",
        sort_label="lists.sort.",
        key_label=f"lists.{kind}.key.",
        filter_hint=f"tui.filter.hint_{kind}",
        filter_placeholder=f"tui.filter.placeholder_{kind}",
    )


def _from(action: str) -> frozenset:
    return frozenset(rules.DRAFT_FLOW[action][0])


DRAFTS = _spec(
    "catalogue_draft", DRAFT_VIEWS, draft_rows, "desk.lists.catalogue_inbox_cells:DRAFT_TABLE",
    actions={"detail": "enter", "new": "n", "edit": "e", "submit": "u", "approve": "p", "return": "x", "publish": "P",
             "withdraw": "w", "diff": "d"},
    permissions={"new": "catalogue.draft", "edit": "catalogue.draft", "submit": "catalogue.draft", "withdraw": "catalogue.draft",
                 "approve": "catalogue.review", "return": "catalogue.review", "publish": "catalogue.publish"},
    allowed_from={name: _from(name) for name in ("edit", "submit", "approve", "return", "publish", "withdraw")},
    status_label="catalogue_draft.status.", rowless=frozenset({"new"}),
)

REQUIREMENTS = _spec(
    "requirement", REQUIREMENT_VIEWS, requirement_rows, "desk.lists.catalogue_inbox_cells:REQUIREMENT_TABLE",
    actions={"detail": "enter", "new": "n", "accept": "a", "reject": "x"},
    permissions={"new": "catalogue.requirement", "accept": "catalogue.decide", "reject": "catalogue.decide"},
    allowed_from={"accept": frozenset({"open"}), "reject": frozenset({"open"})},
    status_label="requirement.status.", rowless=frozenset({"new"}),
)
