"""The report list (服务报告清单, seed 000 steps 1–2): the report manager drafts an entry or a
change to one, and it takes effect only when a reviewer confirms it. Every step is a history row
of the entry (entity `report_spec`) through desk.services.records; nobody confirms their own change.

`desk init` loads the shipped entries (config/reports.toml) a desk does not have yet, as
confirmed: the list a new desk starts from. Like the code tables it loads, that is configuration,
not someone's change: it has no history row (an entry's history starts at its first drafted change;
`created_at` says when it was loaded), so an upgrade leaves the history exactly as it was.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from desk.db import write_transaction
from desk.domain import report_flow as flow
from desk.domain.errors import InvalidTransition, NotFound, ValidationError
from desk.models import Agent, ReportSpec
from desk.services import actors, history, linking, records

ENTITY = "report_spec"
KIND = records.Kind(ENTITY, ReportSpec, ("status",), None, scope=None)
MAX_CODE = 60


class SpecView(NamedTuple):
    id: int
    code: str
    status: str  # pending (never confirmed), confirmed, retired
    active: bool
    content: dict  # the entry in force ({} until first confirmed)
    pending: dict | None  # a drafted change waiting for confirmation
    pending_action: str
    pending_by: str
    version: int

    def name(self, lang: str) -> str:
        entry = self.content or self.pending or {}
        return entry.get(lang) or entry.get("en") or self.code

    def to_json(self) -> dict:
        return {"id": self.id, "code": self.code, "status": self.status, "active": self.active,
                "content": self.content, "pending": self.pending, "pending_action": self.pending_action,
                "pending_by": self.pending_by, "version": self.version}


def _dump(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False)


def _view(desk, row: ReportSpec) -> SpecView:
    return SpecView(row.id, row.code, row.status, bool(row.active), json.loads(row.content) if row.content else {},
                    json.loads(row.pending) if row.pending else None, row.pending_action or "",
                    linking.agent_login(desk, row.pending_by_id) or "" if row.pending_by_id else "", row.version)


def entries(desk, *, active_only: bool = False) -> list[SpecView]:
    query = ReportSpec.select().order_by(ReportSpec.code)
    if active_only:
        query = query.where(ReportSpec.active == True)  # noqa: E712
    return [_view(desk, row) for row in query]


def _row(code: str) -> ReportSpec:
    row = ReportSpec.get_or_none(ReportSpec.code == code)
    if row is None:
        raise NotFound("report.error.no_spec", kind=ENTITY, id=code, code=code)
    return row


def get(desk, code: str) -> SpecView:
    return _view(desk, _row(code))


def load_defaults(desk) -> int:
    """The shipped entries this desk does not have yet, as confirmed."""
    added = 0
    with write_transaction(desk.db):
        have = {code for (code,) in ReportSpec.select(ReportSpec.code).tuples()}
        for entry in desk.config.entries("report"):
            if entry["code"] in have:
                continue
            content = flow.normalised(entry)
            now = desk.now()
            ReportSpec.create(code=entry["code"], content=_dump(content), status=flow.SPEC_CONFIRMED,
                              active=True, created_at=now, updated_at=now, version=1)
            added += 1
    return added


def _checked(entry: dict) -> dict:
    """A whole entry as the report list will hold it, or the first thing wrong with it."""
    for field, what in flow.spec_problems(entry):
        raise ValidationError("report.error.bad_spec", field=field, what=what)
    entry = flow.normalised(entry)
    for name in ("en", "zh", "channel"):
        records.text(entry[name], name, 300, required=name != "channel")
    for recipient in entry["recipients"]:
        records.text(recipient, "recipients", 300, required=True)
    for name in ("writer", "confirmer", "reviewer"):
        login = entry[name]
        if login and Agent.get_or_none(Agent.login == login) is None:
            raise ValidationError("report.error.unknown_agent", field=name, login=login)
    return entry


def propose(desk, login: str | None, code: str, changes: dict, *, retire: bool = False,
            expect_version: int | None = None) -> SpecView:
    """The report manager drafts a new entry (`code` not on the list yet: `changes` is the whole
    entry), a change to one (the fields given), or its retirement. It waits for confirmation."""
    code = records.text(code, "code", MAX_CODE, required=True).strip()
    row = ReportSpec.get_or_none(ReportSpec.code == code)
    if row is None:
        if retire:
            raise NotFound("report.error.no_spec", kind=ENTITY, id=code, code=code)
        entry = _checked(dict(changes))

        def work(actor: actors.Actor):
            actors.require(actor, "report.list_edit")
            with write_transaction(desk.db):
                now = desk.now()
                created = ReportSpec.create(code=code, content="", pending=_dump(entry), pending_action="create",
                                            pending_by=actor.id, status=flow.SPEC_PENDING, active=False,
                                            created_at=now, updated_at=now, version=1)
                history.append(ENTITY, created.id, actor.id, "propose", {"status": [None, flow.SPEC_PENDING],
                               "pending": [None, entry]}, "", now, desk=desk)
            return get(desk, code)

        return records.guarded(desk, login, "report_spec.propose", ENTITY, None, work)

    def plan(actor, current, now):
        if current.status == flow.SPEC_RETIRED:
            raise InvalidTransition("report.error.spec_retired", code=code)
        base = json.loads(current.pending) if current.pending else json.loads(current.content or "{}")
        entry = base if retire else _checked({**base, **changes})
        return {"pending": _dump(entry), "pending_action": "retire" if retire else "edit",
                "pending_by_id": actor.id, "_recorded": {"pending": [None, entry], "action": [None, "retire" if retire
                                                                                                   else "edit"]}}

    records.transition(desk, KIND, login, row.id, "propose", "report.list_edit", expect_version, plan)
    return get(desk, code)


def confirm(desk, login: str | None, code: str, *, expect_version: int | None = None) -> SpecView:
    """A reviewer confirms the drafted change: from now on it is the entry in force."""
    row = _row(code)

    def plan(actor, current, now):
        pending = json.loads(current.pending) if current.pending else None
        content = json.loads(current.content) if current.content else {}
        entry = flow.plan_spec_confirm(current.pending_by_id, actor.id, content, pending)
        retire = current.pending_action == "retire"
        changed = {k: [content.get(k), v] for k, v in entry.items() if content.get(k) != v}
        return {"content": _dump(entry), "pending": None, "pending_action": "", "pending_by_id": None,
                "status": flow.SPEC_RETIRED if retire else flow.SPEC_CONFIRMED, "active": not retire,
                "_recorded": changed}

    records.transition(desk, KIND, login, row.id, "confirm", "report.list_confirm", expect_version, plan)
    return get(desk, code)


def reject(desk, login: str | None, code: str, *, reason: str | None, expect_version: int | None = None) -> SpecView:
    """A reviewer sends the drafted change back: the entry in force stays as it was (an entry never
    confirmed is retired)."""
    row = _row(code)
    reason = records.text(reason, "reason", 2000, required=True)

    def plan(actor, current, now):
        if current.pending is None:
            raise InvalidTransition("report.error.nothing_pending")
        return {"pending": None, "pending_action": "", "pending_by_id": None, "_note": reason,
                "status": current.status if current.content else flow.SPEC_RETIRED}

    records.transition(desk, KIND, login, row.id, "reject", "report.list_confirm", expect_version, plan)
    return get(desk, code)


def spec_history(desk, code: str):
    """The entry's history: who drafted, confirmed or rejected what, and when."""
    return linking.history_entries(desk, ENTITY, _row(code).id)
