"""Playing a demo request's script (request_story) into the rows the services would have written:
the request, its hash-chained history, its approval levels, its SLA pause ledger, its stored due
time and, while its clock runs, its `sla_clock` row — without a database.

Nothing here restates a rule: each step is planned by desk.domain.request_flow's planner (as
desk.services.requests and request_approval call it), its history row is what
desk.services.records.record makes of the plan (through requests.KIND, on a handle whose caches
already hold every login, group and service code), hashed by desk.domain.history_chain, and the
clock is desk.domain.sla_clock's `reached_at` (what its `evaluate` takes the due and warning times
from) on the request's catalogue terms, as desk.services.sla_sync.sync runs it after every change. What this module does itself is what the
services do around those calls: the approval rows, the ledger's pauses, the fields a step sets."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from operator import attrgetter
from types import SimpleNamespace

from desk.domain import request_flow as flow
from desk.domain.history_chain import GENESIS, dump_changes, row_hash_text
from desk.domain.sla_clock import ClockInput, Pause, reached_at
from desk.services import records, request_intake
from desk.services.demo.request_plan import Plan, version_at
from desk.services.demo.stamps import stamp
from desk.services.requests import ENTITY, KIND, creation_recorded, state

COLUMNS = (
    "id", "title", "description", "requester", "contact", "location", "request_class", "channel", "service_id",
    "service_version", "priority", "status", "created_by_id", "owner_id", "handler_id", "group_id", "checklist",
    "approval_levels", "approved", "approval_round", "needs_cost", "cost_confirmed", "cost_amount", "cost_currency",
    "cost_confirmed_with", "cost_confirmed_by_id", "cost_confirmed_at", "rejection_code", "outcome", "close_code",
    "completion_note", "satisfaction", "callback_comment", "remarks", "attachments", "incident_id", "auto_closed",
    "registered_at", "accepted_at", "first_response_at", "resolved_at", "callback_at", "completed_at", "closed_at",
    "updated_at", "version", "due_at",
)
HISTORY_COLUMNS = ("entity", "entity_id", "seq", "at", "actor_id", "action", "changes", "note", "prev_hash", "hash")
APPROVAL_COLUMNS = ("request_id", "round", "level", "approver_id", "decision", "decided_by_id", "decided_at", "note",
                    "asked_at")
PAUSE_COLUMNS = ("entity", "entity_id", "reason", "note", "started_at", "ended_at", "started_by_id", "ended_by_id")
CLOCK_COLUMNS = ("entity", "entity_id", "priority", "group_id", "paused_since", "warn_at", "due_at", "stage", "cycle",
                 "next_at")
_VALUES = attrgetter(*COLUMNS)
_TIMES = tuple(i for i, c in enumerate(COLUMNS) if c.endswith("_at"))


class Row:
    """A request as the services hold it, attribute for attribute (what records.record and
    requests.state read). Filled from a dict at once (`_BLANK`, then the intake's values)."""


_BLANK = dict.fromkeys(COLUMNS)
_APPROVAL_STEPS = frozenset({"ask_approval", "approve", "reject"})  # their plans name approval rows to write


_JSON: dict = {}  # a step's (name, old, new, …) -> its history `changes` JSON
_PLAIN = frozenset({str, int, type(None)})  # values that stand for themselves in a key (bool does not: True == 1)


def _dumped(recorded: dict) -> str:
    """dump_changes(recorded), cached by its names and values: a demo's ~2M request steps record
    a few thousand distinct changes (a status, a login, a code), and the JSON was a tenth of a
    request's CPU. A change holding anything but text, whole numbers or nothing (a flag: False ==
    0 in a key; a decision's record, a dict) is dumped each time."""
    key = []
    for name, pair in recorded.items():
        if type(pair) is not list or len(pair) != 2:
            return dump_changes(recorded)
        old, new = pair
        if type(old) not in _PLAIN or type(new) not in _PLAIN:
            return dump_changes(recorded)
        key += (name, old, new)
    key = tuple(key)
    found = _JSON.get(key)
    if found is None:
        if len(_JSON) > 100_000:  # a value unique to each step would only fill memory
            _JSON.clear()
        found = _JSON[key] = dump_changes(recorded)
    return found


def _text(value, texts: dict):
    """A value as the bulk writer stores it (times as peewee writes them: a step's time as the
    step formatted it, any other, a due time, by str())."""
    if isinstance(value, datetime):
        return texts.get(value) or str(value)
    return value


class Player:
    """Plays scripts of one plan; `rows()` gives what they wrote, table by table."""

    def __init__(self, plan: Plan, agents: dict | None = None, groups: dict | None = None,
                 delegations: list | None = None):
        """`agents` (login -> (id, group id)), `groups` (group id -> code) and `delegations`: the
        plan's, unless given (request_templates plays a script with stand-ins for its people)."""
        self.plan = plan
        self.agents = plan.agents if agents is None else agents
        logins = {agent_id: login for login, (agent_id, _) in self.agents.items()}
        codes = plan.group_codes if groups is None else groups
        self.handle = SimpleNamespace(cache={  # what requests.KIND's recorded() reads: no database needed
            "logins": logins, "groups": {gid: (code, 0, "") for gid, code in codes.items()},
            "service_code_by_id": {sid: code for code, (sid, _) in plan.services.items()}})
        self.epoch = datetime(1970, 1, 1) + timedelta(seconds=plan.t0)
        # what request_approval reads of the substitutes (every absence was written before any request)
        self.delegations = [flow.Delegation(plan.agents[away][0], plan.agents[sub][0], starts, ends)
                            for away, sub, starts, ends, _, _ in plan.delegations] if delegations is None \
            else delegations
        self.checklists: dict = {}  # the intake items ticked -> their JSON
        self.requests: list = []
        self.history: list = []
        self.approvals: list = []
        self.pauses: list = []
        self.clocks: list = []

    def rows(self) -> list:
        return [("service_request", COLUMNS, self.requests), ("history", HISTORY_COLUMNS, self.history),
                ("request_approval", APPROVAL_COLUMNS, self.approvals), ("sla_pause", PAUSE_COLUMNS, self.pauses),
                ("sla_clock", CLOCK_COLUMNS, self.clocks)]

    # --- one request -----------------------------------------------------------------------------

    def play(self, request_id: int, steps) -> None:
        self.write(request_id, steps, *self.steps(request_id, steps))

    def steps(self, request_id: int, steps, guards: list | None = None) -> tuple:
        """What the services make of a script: (the request as a Row, each step's (actor, action,
        changes JSON, note), its approval levels {(round, level): [approver, decision, decided by,
        decided at, note, asked at]}, its pause ledger [[start, end, reason, started by, ended by]]),
        times as datetimes. `guards` collects what a step's planner checked against the dates
        (request_templates checks them again for every request a template is used for)."""
        plan = self.plan
        agents = self.agents
        row = Row()
        events: list = []
        approvals: dict = {}
        ledger: list = []
        epoch = self.epoch
        for offset, action, login, params in steps:
            now = epoch + timedelta(seconds=offset)
            actor = agents[login][0]
            if action == "create":
                recorded, note = self._create(row, request_id, actor, now, plan.t0 + offset, params), ""
            else:
                changes = self._plan(row, action, actor, now, params, approvals, guards)
                note, recorded = records.record(self.handle, KIND, row, changes)
                if action in _APPROVAL_STEPS:
                    self._after(row, action, actor, now, params, changes, approvals)
                fields = row.__dict__
                for key, value in changes.items():
                    if key[0] != "_":
                        fields[key] = value
                row.updated_at, row.version = now, row.version + 1
            events.append((actor, action, _dumped(recorded), note))
            self._follow(row, ledger, now, actor)
        return row, events, approvals, ledger

    def write(self, request_id: int, steps, row: Row, events: list, approvals: dict, ledger: list) -> None:
        """The rows of a played request: the times as stored, the hash chain, the SLA clock."""
        plan = self.plan
        texts: dict = {}  # each step's time -> its text as stored
        epoch = self.epoch
        history = self.history
        prev = GENESIS
        seq = 0
        for (offset, _, _, _), (actor, action, changes_json, note) in zip(steps, events):
            stored, canonical = stamp(plan.t0 + offset)
            texts[epoch + timedelta(seconds=offset)] = stored
            seq += 1
            digest = row_hash_text(prev, ENTITY, request_id, seq, canonical, actor, action, changes_json, note)
            history.append((ENTITY, request_id, seq, stored, actor, action, changes_json, note, prev, digest))
            prev = digest
        self._clock(row, ledger, texts)
        values = list(_VALUES(row))
        for i in _TIMES:
            if values[i] is not None:
                values[i] = texts.get(values[i]) or str(values[i])
        self.requests.append(values)
        self.approvals += [(request_id, rnd, level, *(_text(v, texts) for v in entry))
                           for (rnd, level), entry in sorted(approvals.items())]
        self.pauses += [(ENTITY, request_id, reason, "", texts[start], _text(end, texts), by, ended_by)
                        for start, end, reason, by, ended_by in ledger]

    def _create(self, row: Row, request_id: int, actor: int, now: datetime, epoch: int, p: dict) -> dict:
        """requests.create: the intake's fields and flags, and its history row's record."""
        plan = self.plan
        service = p["service"]
        found = version_at(plan, service, epoch) if service else None
        service_id = plan.services[service][0] if service else None
        items = request_intake.BASE_ITEMS + (found[3] if found else ())
        levels, needs_cost = flow.intake_flags(found[1] if found else 0, bool(found and found[2]),
                                               p["add_approval"], p["add_cost"])
        checklist = self.checklists.get(items)
        if checklist is None:
            checklist = self.checklists[items] = json.dumps(list(items))
        fields = row.__dict__
        fields.update(_BLANK)
        fields.update(id=request_id, title=p["title"], description="", requester=p["requester"], contact="",
                      location=p["location"], request_class=p["request_class"], channel=p["channel"],
                      service_id=service_id, service_version=found[0] if found else None, priority=int(p["priority"]),
                      status=flow.PENDING, created_by_id=actor, checklist=checklist,
                      approval_levels=levels, approved=False, approval_round=0, needs_cost=needs_cost,
                      cost_confirmed=False, cost_confirmed_with="", completion_note="", callback_comment="",
                      remarks="", attachments="[]", auto_closed=False, registered_at=now, updated_at=now, version=1)
        return creation_recorded(p["priority"], service, None)

    def _plan(self, row: Row, action: str, actor: int, now: datetime, p: dict, approvals: dict,
              guards: list | None) -> dict:
        """The planner the service function of `action` calls, with what it passes."""
        plan, s, agents = self.plan, state(row), self.agents
        if action == "accept":
            return flow.plan_accept(s, now, actor)
        if action == "dispatch":
            handler, group = agents[p["to"]]
            return flow.plan_dispatch(s, now, handler, group, "")
        if action == "return":
            return flow.plan_return(s, now, p["reason"], p["suggestion"], plan.desk_group)
        if action in ("escalate", "wait", "cancel"):
            return getattr(flow, f"plan_{action}")(s, now, p["reason"])
        if action == "ask_approval":
            named = [flow.Approver(agents[login][0], True, login) for login in p["approvers"]]
            return {**flow.plan_ask_approval(s, now, named), "approval_round": row.approval_round + 1}
        if action in ("approve", "reject"):
            steps = [flow.ApprovalStep(level, v[0], v[1]) for (rnd, level), v in approvals.items()
                     if rnd == row.approval_round]
            if action == "approve":
                changes = flow.plan_approve(s, now, actor, steps, self.delegations, p["note"])
            else:
                changes = flow.plan_reject(s, now, actor, steps, self.delegations, p["code"], list(plan.rejections),
                                           p["reason"])
            decided = changes["_recorded"]["approval"][1]
            if "on_behalf_of" in decided:  # history names people by login
                if guards is not None:  # a substitute decided: for the approver on this date only
                    guards.append(("acting_for", actor, decided["on_behalf_of"], now))
                decided["on_behalf_of"] = self.handle.cache["logins"][decided["on_behalf_of"]]
            return changes
        if action == "ask_cost":
            return flow.plan_ask_cost(s, now)
        if action == "confirm_cost":
            return flow.plan_confirm_cost(s, now, p["amount"], p["currency"], p["confirmed_with"], actor)
        if action == "resolve":
            return flow.plan_resolve(s, now, p["outcome"], p["note"])
        if action == "callback":
            return flow.plan_callback(s, now, p["satisfaction"], p["comment"])
        if action == "close":
            return flow.plan_close(s, now, None)
        if action == "auto_close":
            if guards is not None:  # due only so long after it was resolved
                guards.append(("auto_close_due", row.resolved_at, now))
            return flow.plan_auto_close(s, now, plan.auto_close_days)
        raise ValueError(f"no demo step {action!r}")

    @staticmethod
    def _after(row: Row, action: str, actor: int, now: datetime, p: dict, extra: dict, approvals: dict) -> None:
        """The approval rows request_approval writes beside the change (`row`: before it), from
        the plan's `_approvals` or `_decided`."""
        if "_approvals" in extra:
            for level, approver in extra["_approvals"]:
                approvals[row.approval_round + 1, level] = [approver, None, None, None, "", now]
        elif "_decided" in extra:
            level, _behalf = extra["_decided"]
            entry = approvals[row.approval_round, level]
            entry[1:5] = ["approved" if action == "approve" else "rejected", actor, now,
                          p["note"] if action == "approve" else p["reason"]]

    # --- the SLA clock ---------------------------------------------------------------------------

    def _running(self, row: Row) -> bool:
        return row.status in flow.OPEN and row.resolved_at is None and row.closed_at is None

    def _follow(self, row: Row, ledger: list, now: datetime, actor: int) -> None:
        """sla_sync.follow_status: the pause a waiting status calls for opens, and ends when it goes."""
        pausing = self.plan.pausing
        wanted = pausing.get(row.status) if self._running(row) else None
        current = ledger[-1] if ledger and ledger[-1][1] is None else None
        if current is not None and current[2] != wanted:
            current[1], current[4] = now, actor
            current = None
        if wanted is not None and current is None:
            ledger.append([now, None, wanted, actor, None])

    def _clock(self, row: Row, ledger: list, texts: dict) -> None:
        """What sla_sync.sync leaves after the last change: the stored due time, and the clock's row
        while it runs and has a target."""
        calendar, seconds = self.target(row.service_version, row.service_id, row.priority)
        stop = row.resolved_at if row.resolved_at is not None else row.closed_at
        row.due_at = self.due(calendar, seconds, row.registered_at, stop, ledger, self._running(row), row.id,
                              row.priority, row.group_id, texts)

    def target(self, version: int | None, service: int | None, priority: int) -> tuple:
        """(calendar, target in business seconds or None) of a request's catalogue terms:
        sla_terms.terms_of: the version it was raised under, else its service's, else the defaults."""
        terms = self.plan.terms
        got = terms.get(("v", version)) if version is not None else None
        if got is None:
            got = terms[("s", service) if service is not None else None]
        calendar, minutes = got
        target = minutes.get(priority)
        return calendar, None if target is None else float(target) * 60

    def due(self, calendar, seconds: float | None, started: datetime, stop: datetime | None, ledger: list,
            running: bool, request_id: int, priority: int, group_id: int | None, texts: dict) -> datetime | None:
        """The due time (None: no target), and the clock's row if it runs (request_templates calls
        this with what its path fixes: the terms, whether the clock runs)."""
        if seconds is None:  # no target: no due time, no clock
            return None
        # evaluate's due_at and warn_at are reached_at of the target and of its warning share; the
        # time spent (what else evaluate works out) is stored nowhere, and a stopped clock's warning
        # time neither: those two were ~60% of the clock's cost.
        pauses = tuple(Pause(start, end, reason) for start, end, reason, _, _ in ledger)
        clock = ClockInput(started, stop, pauses)
        due = reached_at(calendar, clock, seconds)
        if not running:
            return due
        held = next((p for p in pauses if p.end is None), None)
        warn = _text(reached_at(calendar, clock, seconds * self.plan.warning), texts)
        self.clocks.append((ENTITY, request_id, priority, group_id, _text(held.start if held else None, texts),
                            warn, _text(due, texts), 0, 0, warn))
        return due
