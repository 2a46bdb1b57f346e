"""One migrated ticket: its rows of another tool's export (and its events) become an incident row
and its history rows, through a mapping. Values the mapping does not know are counted, and either
left to the defaults or refuse the ticket, as the mapping says."""

from __future__ import annotations

import re
from datetime import datetime

from desk.services.transfer.mapping import (CODE_FIELDS, LEVEL_FIELDS, NUMBER_FIELDS, PEOPLE_FIELDS, PLACEHOLDER,
                                            TIME_FIELDS, Mapping)
from desk.services.transfer.moves import (DISPATCH, REOPEN, RESOLVE, Moves, add_reopening, add_resolution,
                                           reopened, resolved)
from desk.services.transfer.service_map import SERVICE, ServiceMap
from desk.services.transfer.source import TicketRefused, parse_time

TRACKED = ("status", "priority", "impact", "urgency", "category", "group", "assignee", "closure_code", "service")
FORMER = "former"  # a history row the former tool recorded
MIGRATED = "migrate"  # the row that says the ticket was migrated, and by whom
# `unknown = "create"`: the code tables a value with no mapping becomes a new code of. Statuses (the
# workflow's), impacts, urgencies and priorities (the matrix and the SLA targets) are never made up:
# their unknown values take the mapping's default, as with "default".
CREATABLE = ("category", "classification", "source", "closure_code", "group")
NEW_GROUP = {"tier": 2, "kind": "l2"}  # a work group the former tool had: a second-line team
CODE_LENGTH, LABEL_LENGTH = 40, 80
_NOT_CODE = re.compile(r"[\W_]+")


def code_for(value: str) -> str:
    """The code a value becomes: lower case, each run of characters that are not letters or digits
    one `_` ("Network Ops" -> "network_ops", "网络" stays); "" when nothing is left."""
    return _NOT_CODE.sub("_", value.strip().lower()).strip("_")[:CODE_LENGTH].rstrip("_")


def fill(template: str, row: list, col: dict) -> str:
    return PLACEHOLDER.sub(lambda m: row[col[m.group(1)]], template) if template else ""


class Builder:
    """Turns a ticket's rows into an incident row and its history rows."""

    def __init__(self, desk, mapping: Mapping, col: dict, result):
        from desk.models import Agent, Caller, Group

        self.desk, self.m, self.col, self.result = desk, mapping, col, result
        self.config = desk.config
        self.codes = {f: set(self.config.codes(t)) for f, t in CODE_FIELDS.items()}
        self.levels = {f: {int(c) for c in self.config.codes(f)} for f in LEVEL_FIELDS}
        self.agents = {login: i for i, login in Agent.select(Agent.id, Agent.login).tuples()}
        self.groups = {code: (i, tier) for i, code, tier in Group.select(Group.id, Group.code, Group.tier).tuples()}
        self.callers = {name: i for i, name in Caller.select(Caller.id, Caller.name).tuples()}
        self.services = ServiceMap(mapping) if SERVICE in mapping.fields or SERVICE in mapping.defaults else None
        self.new_callers: list = []
        self.events_path: str | None = None  # (named by a refusal that an event's value caused)
        top = desk.db.execute_sql("SELECT MAX(id) FROM caller").fetchone()[0]
        self.next_caller = (top or 0) + 1

    # --- one row's values -------------------------------------------------------------------
    def _time(self, raw: str, line: int, column: str):
        return parse_time(self.m.time_formats, raw, line, column)

    def _code(self, name: str, raw: str, line: int, column: str):
        if raw == "":
            return None
        table = self.m.values.get(name)
        if table is not None and raw in table:
            return table[raw]
        if name in LEVEL_FIELDS and raw.isdigit() and int(raw) in self.levels[name]:
            return int(raw)
        if name in CODE_FIELDS and raw in self.codes[name]:
            return raw
        if name == SERVICE:
            found = self.services.find(raw)
            if found is not None:
                return found
        if self.m.unknown == "create" and name in CREATABLE:
            code = code_for(raw)
            if code:
                if code not in self.codes[name]:
                    self._create(name, code, raw)
                return code
        if self.m.unknown == "refuse":
            raise TicketRefused(line, column, "unmapped", field=name, value=raw)
        self.result.unknown[(name, raw)] += 1  # (reported: the mapping's default was used)
        return None

    def _create(self, name: str, code: str, raw: str) -> None:
        """A new code of `name`'s table for the value `raw` (its label in both languages until someone
        translates it); a new group is a second-line team, made here (a ticket names its row)."""
        from desk.models import Group

        self.codes[name].add(code)
        label = raw.strip()[:LABEL_LENGTH]
        entry = {"code": code, "en": label, "zh": label}
        if name == "group":
            entry.update(NEW_GROUP)
            if code not in self.groups:
                made = Group.insert(code=code, name_en=label, name_zh=label, **NEW_GROUP).execute()
                self.groups[code] = (made, NEW_GROUP["tier"])
        self.result.new_codes.append((CODE_FIELDS[name], entry))

    def state(self, row: list, line: int) -> dict:
        """The desk fields one row gives (a plan made once per mapping: a row is read 13 ways)."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = []
            for name, column in self.m.fields.items():
                kind = ("time" if name in TIME_FIELDS else "people" if name in PEOPLE_FIELDS
                        else "number" if name in NUMBER_FIELDS else "code")
                plan.append((name, self.col[column], column, kind, self.m.values.get(name) or {}))
        out: dict = {}
        formats = self.m.time_formats
        for name, at, column, kind, table in plan:
            raw = row[at]
            if kind == "code":
                found = table.get(raw)
                out[name] = found if found is not None else self._code(name, raw, line, column)
            elif kind == "time":
                out[name] = parse_time(formats, raw, line, column)
            elif kind == "people":
                out[name] = table.get(raw, raw) or None
            else:
                out[name] = int(raw) if raw.isdigit() else 0
        out["_group_given"] = out.get("group") is not None  # the row names it: the resolving group is known
        for name, value in self.m.defaults.items():
            if out.get(name) is None:
                out[name] = value
        return out

    def recorded(self, state: dict) -> dict:
        """What history records for a state: codes as codes, people by login or name."""
        return {f: state.get(f) for f in TRACKED if state.get(f) is not None}

    def agent(self, name) -> int | None:
        if not name:
            return None
        found = self.agents.get(name)
        if found is None:
            self.result.unknown[("agent", name)] += 1
        return found

    def caller(self, name) -> int | None:
        if not name:
            return None
        found = self.callers.get(name)
        if found is None:
            found = self.callers[name] = self.next_caller
            self.next_caller += 1
            self.new_callers.append((found, name))
        return found

    # --- a whole ticket -----------------------------------------------------------------------
    def ticket(self, incident_id: int, number: str, rows: list, events: list, now: datetime, actor_id):
        m, col = self.m, self.col
        history: list = []  # (at, actor id, action, changes, note)
        last: dict = {}
        moves = Moves()
        if m.audit:
            ordered = sorted(rows, key=lambda r: (self._time(r[1][col[m.at]], r[0], m.at) or datetime.min, r[0]))
            for line, row in ordered:
                state = self.state(row, line)
                rec = self.recorded(state)
                action, moved = FORMER, {}
                if m.group_changes == DISPATCH:  # (opted in: the mapping's group_changes)
                    if state["_group_given"]:
                        code = rec.get("group")
                        action, moved = moves.move(code, self.groups.get(code, (None, None))[1], True)
                        action = action or FORMER
                    elif "group" in last:  # no group, or one the mapping does not know: where it was
                        rec["group"] = last["group"]
                changes = {f: [last.get(f), rec.get(f)] for f in TRACKED if rec.get(f) != last.get(f)}
                if "tier" in moved:
                    changes["tier"] = moved["tier"]
                if reopened(last.get("status"), rec.get("status")):  # (a row that also moves: its reopening
                    action = REOPEN                                  # or resolution is what it is written as)
                    changes.update(moves.reopen())
                elif resolved(last.get("status"), rec.get("status")):
                    action = RESOLVE
                who = row[col[m.actor]] if m.actor else ""
                at = self._time(row[col[m.at]], line, m.at)
                if at is None:
                    raise TicketRefused(line, m.at, "no_time")
                history.append((at, self.agent(who), action, changes,
                                f"{m.tool}: {who}" if who else m.tool))
                last = rec
            line, row = ordered[-1]
            final = state
        else:
            line, row = rows[-1]
            final = self.state(row, line)
            history = self._events(events, moves)
            if moves.group is not None:
                last["group"] = moves.group
        if final.get("reopened_at") is not None:
            history = add_reopening(history, final["reopened_at"], m.tool)
        status = final.get("status")
        if status is None:
            raise TicketRefused(line, m.fields.get("status", "status"), "no_status")
        opened = final.get("opened_at") or (history[0][0] if history else None)
        if opened is None:
            raise TicketRefused(line, m.fields.get("opened_at", "opened_at"), "no_opening")
        impact, urgency = final.get("impact") or 3, final.get("urgency") or 3
        priority = final.get("priority") or self.config.matrix.priority(impact, urgency)
        final.update(impact=impact, urgency=urgency, priority=priority)
        known = final["_group_given"] or moves.group is not None  # (else the default: no resolving group)
        named = final.get("group") if final["_group_given"] or moves.group is None else moves.group
        group = self.groups.get(named or "") or self.groups.get(self.config.data.get("incident", {})
                                                                 .get("default_group", "desk"))
        finished = status in ("resolved", "closed")
        # An open ticket has no resolution time, as desk's own reopening clears it: a former tool that
        # keeps the last one on a reopened ticket would stop its SLA clock and count it as resolved.
        resolved_at = (final.get("resolved_at") or final.get("closed_at")) if finished else None
        if finished and resolved_at is None:
            resolved_at = history[-1][0] if history else opened
        if finished:
            history = add_resolution(history, resolved_at, m.tool)
        closed_at = final.get("closed_at") if status == "closed" else None
        if status == "closed" and closed_at is None:
            closed_at = resolved_at
        final["closure_code"] = (final.get("closure_code") or "fixed") if finished else None
        final["group"] = self._group_code(group)
        rec = self.recorded(final)
        changes = {f: [last.get(f), rec.get(f)] for f in TRACKED if rec.get(f) != last.get(f)}
        history.append((now, actor_id, MIGRATED, changes, f"{m.tool} {number}"))
        service, version = self.services.at(final[SERVICE], opened) if final.get(SERVICE) else (None, None)
        times = [t for t in (opened, resolved_at, closed_at, *(h[0] for h in history[:-1])) if t]
        incident = {
            "id": incident_id, "title": fill(m.title, row, col) or number,
            "description": fill(m.description, row, col), "source": final.get("source") or "phone",
            "classification": final.get("classification") or "incident", "caller": self.caller(final.get("caller")),
            "category": final.get("category") or "other", "impact": impact, "urgency": urgency,
            "priority": priority, "status": status, "tier": group[1] if group else 1,
            "group": group[0] if group else None, "assignee": self.agent(final.get("assignee")),
            "reopen_count": final.get("reopen_count") or sum(1 for h in history if h[2] == REOPEN),
            "vendor_ref": "", "escalation_level": 0, "opened_at": opened,
            "first_response_at": final.get("first_response_at"), "resolved_at": resolved_at,
            "closed_at": closed_at, "updated_at": max(times), "closure_code": final["closure_code"],
            "resolved_group": group[0] if finished and known and group else None,
            "resolution": fill(m.resolution, row, col) if finished else "",
            "service": service, "service_version": version,
            "due_at": self._due(opened, priority, service, version),
            "version": len(history), "external_ref": number, "origin": f"migrate:{m.name}:{number}",
        }
        return incident, history

    def _due(self, opened: datetime, priority: int, service: int | None, version: int | None) -> datetime | None:
        """Due as a ticket raised then under that version would be, on its targets and service hours;
        without one (opened before its service had a version, or of no service), as its clock reads
        it (desk.services.sla_terms.terms_of): its service's first version, else the defaults on the
        default calendar. Counted round the clock, it was shown with another due time than the
        stored one the queue sorts by."""
        from desk.services.incidents import due_at

        return due_at(self.desk, opened, priority, service, version)

    def _events(self, events: list, moves: Moves) -> list:
        """The history rows of a ticket's --events rows (in time order): `former`, or the desk
        action their kind and group make (desk.services.transfer.moves)."""
        ev = self.m.events
        history = []
        for at, who, note, kind, raw_group, line in events:
            action, changes = FORMER, {}
            fixed = ev.groups.get(kind)  # (a kind that always takes the ticket to one group: a vendor's)
            if fixed or raw_group:
                try:
                    code = fixed or self._code("group", raw_group, line, ev.group)
                except TicketRefused as err:
                    err.file = self.events_path
                    raise
                moved, changes = moves.move(code, self.groups.get(code, (None, None))[1] if code else None,
                                            ev.actions.get(kind) == DISPATCH)
                action = moved or action
            if ev.actions.get(kind) == REOPEN:
                action = REOPEN
                changes = {**changes, **moves.reopen()}
            history.append((at, self.agent(who), action, changes, note))
        return history

    def _group_code(self, group) -> str | None:
        if group is None:
            return None
        return next(code for code, value in self.groups.items() if value == group)
