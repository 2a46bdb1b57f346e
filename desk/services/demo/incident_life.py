"""The simulation of one demo incident's life: `Life` records each step as the services would
(desk.domain.incident_flow's planners, services.incidents' recording), and `story` plays an
incident forward from its creation, cut at now.

Speed matters here (a million lives in about a minute): the changes JSON of a step is cached by
its (action, old, new …) key, and a lognormal wait is one table look-up."""

from __future__ import annotations

import bisect
import math
import random
from statistics import NormalDist
from typing import TYPE_CHECKING

from desk.domain import incident_flow as flow
from desk.domain.history_chain import dump_changes
from desk.services.demo.incident_templates import (
    CONFIRM_NOTES, ESCALATE_REASONS, GENERIC_FIXES, HIERARCHICAL_REASONS, REOPEN_REASONS, RETURN_REASONS, STALL,
    VENDOR_FIX, VENDOR_REASONS, VENDOR_RETURN_REASONS, WORK_NOTES, Template,
)

if TYPE_CHECKING:
    from desk.services.demo.incidents import Plan

NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED = flow.NEW, flow.ASSIGNED, flow.IN_PROGRESS, flow.RESOLVED, flow.CLOSED
OPEN = flow.OPEN

_JSON: dict = {}

# The tracked fields each action may change, in the order its cache key lists (old, new) pairs.
_RECORDS = {
    "create": ("group", "priority", "status"),
    "assign": ("assignee", "status"),
    "start": ("assignee", "status"),
    "escalate": ("assignee", "group", "status", "tier"),
    "return": ("assignee", "group", "status", "tier"),
    "escalate_hierarchical": ("escalation_level",),
    "resolve": ("closure_code", "status"),
    "reopen": ("assignee", "closure_code", "group", "reopen_count", "status", "tier"),
    "close": ("status",),
}


def _recorded(key: tuple) -> str:
    """The history `changes` JSON for `key` = (action, old1, new1, old2, new2, …): the fields that
    changed, as services.incidents._prepare records them (cached: there are few distinct ones)."""
    found = _JSON.get(key)
    if found is None:
        pairs = {name: [key[1 + 2 * i], key[2 + 2 * i]] for i, name in enumerate(_RECORDS[key[0]])}
        found = _JSON[key] = dump_changes({name: pair for name, pair in pairs.items() if pair[0] != pair[1]})
    return found


# Standard normal quantiles: a lognormal draw is one table look-up (fast, and the same everywhere).
_Z = tuple(NormalDist().inv_cdf((i + 0.5) / 4096) for i in range(4096))


class Stop(Exception):
    """The next step would come after now (or after a pinned incident's last step)."""


class Life:
    """An incident's state and history as the services would leave it, step by step.

    Each method mirrors a planner in desk.domain.incident_flow and the recording in
    services.incidents._prepare: only tracked fields that changed, groups by code, agents by login.
    Agents are (id, login) and groups (id, code, tier).
    """

    __slots__ = ("events", "t", "limit", "max_events", "status", "tier", "group", "assignee", "closure",
                 "escalation", "reopens", "resolved_by", "resolved_group", "resolved_at", "confirmed_at",
                 "closed_at", "first_response", "resolution", "hier_at", "hier_actor", "hier_note")

    def __init__(self, t, limit, owner_id, group, priority, first_response, max_events):
        self.t = t
        self.limit = limit
        self.max_events = max_events
        self.status, self.tier, self.group, self.assignee = NEW, group[2], group, None
        self.closure, self.escalation, self.reopens = None, 0, 0
        self.resolved_by = self.resolved_group = self.resolved_at = self.confirmed_at = self.closed_at = None
        self.first_response = first_response
        self.resolution = ""
        self.hier_at = None
        self.events = [(t, owner_id, "create", _recorded(("create", None, group[1], None, priority, None, NEW)), "")]

    def _emit(self, t, actor, action, changes, note):
        if self.hier_at is not None and self.hier_at <= t and self.status in OPEN:
            self._hierarchical()
        if t <= self.t:
            t = self.t + 1
        if t > self.limit or len(self.events) >= self.max_events:
            raise Stop
        self.t = t
        self.events.append((t, actor, action, changes, note))
        return t

    def _hierarchical(self):
        at = self.hier_at if self.hier_at > self.t else self.t + 1
        self.hier_at = None
        if at > self.limit or len(self.events) >= self.max_events:
            raise Stop
        level = self.escalation
        self.t = at
        self.events.append((at, self.hier_actor, "escalate_hierarchical",
                            _recorded(("escalate_hierarchical", level, level + 1)), self.hier_note))
        self.escalation = level + 1

    def pending_hierarchical(self):
        """At the end (or the cut at now): a due hierarchical escalation of a still-open incident."""
        if self.hier_at is not None and self.hier_at <= self.limit and self.status in OPEN:
            try:
                self._hierarchical()
            except Stop:
                pass

    def assign(self, t, actor, agent):
        """To an agent of the incident's own group (plan_assign with an agent and no group)."""
        old = self.assignee
        status = IN_PROGRESS if (self.status == IN_PROGRESS and agent == old) else ASSIGNED
        key = ("assign", old[1] if old else None, agent[1], self.status, status)
        self._emit(t, actor[0], "assign", _JSON.get(key) or _recorded(key), "")
        self.assignee, self.status = agent, status

    def start(self, t, agent):
        old = self.assignee
        key = ("start", old[1] if old else None, agent[1], self.status, IN_PROGRESS)
        t = self._emit(t, agent[0], "start", _JSON.get(key) or _recorded(key), "")
        self.assignee, self.status = agent, IN_PROGRESS
        if self.first_response is None:
            self.first_response = t

    def escalate(self, t, actor, group, note):
        old = self.assignee
        key = ("escalate", old[1] if old else None, None, self.group[1], group[1], self.status, ASSIGNED,
               self.tier, group[2])
        t = self._emit(t, actor[0], "escalate", _JSON.get(key) or _recorded(key), note)
        self.assignee, self.group, self.status, self.tier = None, group, ASSIGNED, group[2]
        if self.first_response is None:
            self.first_response = t

    def return_(self, t, actor, group, note):
        old = self.assignee
        key = ("return", old[1] if old else None, None, self.group[1], group[1], self.status, ASSIGNED,
               self.tier, group[2])
        self._emit(t, actor[0], "return", _JSON.get(key) or _recorded(key), note)
        self.assignee, self.group, self.status, self.tier = None, group, ASSIGNED, group[2]

    def resolve(self, t, agent, code, text):
        key = ("resolve", self.closure, code, self.status, RESOLVED)
        t = self._emit(t, agent[0], "resolve", _JSON.get(key) or _recorded(key), text)
        self.status, self.closure, self.resolution = RESOLVED, code, text
        self.resolved_at, self.confirmed_at = t, None
        self.resolved_by, self.resolved_group = agent, self.group
        if self.first_response is None:
            self.first_response = t

    def confirm(self, t, actor, note):
        self.confirmed_at = self._emit(t, actor[0], "confirm", "{}", note)

    def reopen(self, t, actor, note):
        """Back to whoever resolved it, in the group and tier it was resolved in."""
        assignee = self.resolved_by if self.resolved_by is not None else self.assignee
        group = self.resolved_group if self.resolved_group is not None else self.group
        old = self.assignee
        key = ("reopen", old[1] if old else None, assignee[1] if assignee else None, self.closure, None,
               self.group[1], group[1], self.reopens, self.reopens + 1, self.status, ASSIGNED, self.tier, group[2])
        self._emit(t, actor[0], "reopen", _JSON.get(key) or _recorded(key), note)
        self.status, self.closure, self.resolved_at, self.confirmed_at = ASSIGNED, None, None, None
        self.reopens += 1
        self.assignee, self.group, self.tier = assignee, group, group[2]

    def close(self, t, actor):
        key = ("close", self.status, CLOSED)
        self.closed_at = self._emit(t, actor[0], "close", _JSON.get(key) or _recorded(key), "")
        self.status = CLOSED

    def note(self, t, actor, text):
        t = self._emit(t, actor[0], "note", "{}", text)
        if self.first_response is None:
            self.first_response = t


def story(life: Life, plan: Plan, rng: random.Random, forced: dict, tpl: Template, owner, priority, response,
           resolve_s, l2_ref, vendor_ref, lang):
    """Play the incident's life forward from its creation; Stop ends it at now.

    A pinned story (`forced`) takes the choices it names and short steps, so that it fits in
    the minutes before now."""
    rand = rng.random
    members = plan.members
    fast = bool(forced)

    def wait(median, sigma=0.8):
        if fast:
            return 10 + int(rand() * 20)
        return 1 + int(median * math.exp(sigma * _Z[int(rand() * 4096)]))

    def text(pairs):
        return pairs[int(rand() * len(pairs))][lang]

    def closure(kind):
        cum, codes = plan.closure[kind]
        return codes[bisect.bisect_right(cum, rand() * cum[-1])]

    def member(group):
        people = members.get(group[0])
        return people[int(rand() * len(people))] if people else owner

    def lead():
        return plan.leads[int(rand() * len(plan.leads))]

    def fix():
        return tpl.fix[lang] if rand() < 0.7 else text(GENERIC_FIXES)

    t = life.t
    # Some wait for days (parts, a caller away…); urgent ones are never left to wait.
    stall = 0 if fast or rand() >= STALL.get(priority, 0.02) else int((1 + rand() * 20) * 86400)
    # Hierarchical escalation (4.4): a shift lead raises it once a time threshold passes, if it is
    # still open by then; urgent ones often early.
    if forced.get("hierarchical"):
        life.hier_at = t + 40 + int(rand() * 20)
    elif not fast:
        r = rand()
        if priority == 1 and r < 0.3:
            life.hier_at = t + int(resolve_s * (0.25 + 0.25 * rand()))
        elif r < 0.6:
            life.hier_at = t + int(resolve_s * (0.8 + 0.2 * rand()))
    if life.hier_at is not None:
        life.hier_actor = lead()[0]
        life.hier_note = text(HIERARCHICAL_REASONS)

    up = plan.next_groups.get(life.tier, ())
    second = l2_ref if l2_ref is not None else (up[int(rand() * len(up))] if up else None)
    path = forced.get("path")
    if path is None:
        path = "desk" if second is None or rand() < 0.25 + 0.75 * tpl.fcr else "second"
    elif second is None:
        path = "desk"

    if path == "desk":
        variant = forced.get("variant")
        if variant is None:
            r = rand()
            variant = "direct" if r < 0.45 else "self" if r < 0.85 else "handoff"
        worker = owner
        if variant == "direct":  # resolved on the call
            t += wait(600, 0.6)
        elif variant == "self":
            t += wait(response * 0.3, 1.0)
            life.start(t, owner)
            t = life.t + wait(1200)
        else:
            t += wait(response * 0.3, 1.0)
            colleagues = members.get(life.group[0]) or (owner,)
            worker = colleagues[int(rand() * len(colleagues))]
            life.assign(t, lead() if rand() < 0.3 else owner, worker)
            t = life.t + wait(900)
            life.start(t, worker)
            t = life.t + wait(1800)
        if variant != "direct":
            t += stall
        if not fast and rand() < 0.05:
            life.note(t, worker, text(WORK_NOTES))
            t = life.t + wait(900)
        life.resolve(t, worker, closure("desk"), fix())
    else:
        t += wait(response * 0.3, 1.0)
        tried = forced.get("tried")
        if tried if tried is not None else (not fast and rand() < 0.3):  # the desk tried first (200.4)
            life.start(t, owner)
            t = life.t + wait(1200)
        life.escalate(t, owner, second, text(ESCALATE_REASONS))
        t = life.t + wait(response, 1.0)
        worker = member(second)
        if forced.get("pickup") != "start" and rand() < 0.4:
            life.assign(t, lead(), worker)
            t = life.t + wait(900)
        life.start(t, worker)
        t = life.t + wait(resolve_s * 0.2, 0.9) + stall
        if not fast and rand() < 0.1:
            life.note(t, worker, text(WORK_NOTES))
            t = life.t + wait(resolve_s * 0.05, 0.9)
        up3 = plan.next_groups.get(life.tier, ())
        vendor = vendor_ref if vendor_ref is not None and vendor_ref[2] == life.tier + 1 else (
            up3[int(rand() * len(up3))] if up3 and tpl.vendor else None)
        outcome = forced.get("outcome")
        if outcome is None:
            r = rand()
            outcome = "return" if r < 0.06 else "vendor" if vendor is not None and r < 0.06 + 0.3 * (1 - tpl.fcr) \
                else "resolve"
        if outcome == "vendor" and vendor is None:
            outcome = "resolve"
        if outcome == "resolve":
            life.resolve(t, worker, closure("l2"), fix())
        elif outcome == "return":  # not theirs: back to the service desk with the reason
            life.return_(t, worker, plan.desk_group, text(RETURN_REASONS))
            t = life.t + wait(response * 0.5, 1.0)
            life.start(t, owner)
            t = life.t + wait(1800)
            life.resolve(t, owner, closure("desk"), text(GENERIC_FIXES))
        else:  # 200.7: contact the vendor
            back_to = life.group
            life.escalate(t, worker, vendor, text(VENDOR_REASONS))
            t = life.t + wait(response * 2, 1.0)
            contact = member(vendor)
            life.start(t, contact)
            t = life.t + wait(resolve_s * 0.4, 0.8)
            vendor_back = forced.get("vendor_back")
            if vendor_back if vendor_back is not None else rand() < 0.15:
                life.return_(t, contact, back_to, text(VENDOR_RETURN_REASONS))
                t = life.t + wait(response, 1.0)
                life.start(t, worker)
                t = life.t + wait(resolve_s * 0.1, 0.8)
                life.resolve(t, worker, closure("l2"), text(GENERIC_FIXES))
            else:
                life.resolve(t, contact, closure("vendor"), VENDOR_FIX[lang] if rand() < 0.5 else tpl.fix[lang])

    # 200.9: the caller confirms, or does not (reopened), or stays silent (closed after the set days).
    after = forced.get("after")
    if after is None:
        r = rand()
        after = "reopen" if r < 0.04 else "silent" if r < 0.16 else "confirm"
    if after == "reopen":
        t = life.t + wait(3 * 3600, 1.0)
        life.reopen(t, owner, text(REOPEN_REASONS))
        resolver = life.assignee or owner
        t = life.t + wait(1800, 1.0)
        life.start(t, resolver)
        t = life.t + wait(3600, 1.0)
        life.resolve(t, resolver, closure("desk" if life.tier == 1 else "l2"), text(GENERIC_FIXES))
        after = "confirm"
    if after == "confirm":
        t = life.t + wait(90 * 60, 1.2)
        life.confirm(t, owner, text(CONFIRM_NOTES) if rand() < 0.5 else "")
        t = life.t + wait(20 * 60, 1.0)
        life.close(t, owner if rand() < 0.85 else lead())
    else:
        t = life.resolved_at + plan.auto_confirm + 600 + int(rand() * 86400)
        life.close(t, owner if rand() < 0.6 else lead())


