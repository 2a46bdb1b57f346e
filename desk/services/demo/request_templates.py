"""Playing a demo request from its path's template: the services' planners run once per *path*, not
once per request.

A path is what a script says apart from who, when and the free texts: its actions in order, their
parameters, the catalogue version in force when it was raised, and which steps share a person (and
which people share a group). Two scripts of one path give the same rows but for their request id,
their times, their people and groups, and their title, requester and location — so the first
script of a path is played by request_life.Player with stand-ins for those (an id and a text that
cannot occur in a desk: `_id(n)`, `_tag(n)`), and what it made is kept with each stand-in marked as
a slot. Every later script of the path fills the slots in: ~330k requests of a million-incident demo
follow a few thousand paths.

What a planner checked against the dates (a substitute deciding for an approver on that day, a
resolved request due to be auto-closed) is checked again with each request's own dates, by the same
rules (desk.domain.request_flow); a script failing one is played in full, and fails as it did. A
path whose first play put a time anywhere but in a step's own time fields (in a note, say) is always
played in full. tests/services/test_demo_request_templates.py plays scripts both ways and compares
every row."""

from __future__ import annotations

import json
import re
from hashlib import sha256 as _sha256
from datetime import datetime, timedelta

from desk.domain import request_flow as flow
from desk.domain.history_chain import GENESIS
from desk.services.demo.request_life import COLUMNS, Player
from desk.services.demo.request_plan import version_at
from desk.services.demo import stamps
from desk.services.demo.stamps import DAYS, HMS
from desk.services.requests import ENTITY

# What a step names in its parameters: people (a login, or logins in order) and free texts.
PEOPLE = ("to", "approvers")
FREE = ("title", "requester", "location", "channel", "request_class")  # copied into the request as they are
_PEOPLE, _FREE = frozenset(PEOPLE), frozenset(FREE)
_NAMED = _PEOPLE | _FREE

_BASE = 10 ** 12  # stand-in ids: -(_BASE + slot), below any id a desk gives
_SLOT = re.compile("\ue000([0-9]+)\ue001")
_WHOLE = re.compile("{[0-9]+}")  # a format that is one slot's text


def _id(slot: int) -> int:
    return -(_BASE + slot)


def _tag(slot: int) -> str:
    return f"\ue000{slot}\ue001"


_FOUND: list = [None, {}, {}]  # [the plan, its paths' templates, its people's values]


class _Untemplated(Exception):
    """What the first play made holds a value no slot explains (a time outside the steps' own)."""


class Templates:
    """The templates of one plan's paths, and the player that plays scripts with them."""

    def __init__(self, player: Player):
        self.player = player
        if _FOUND[0] is not player.plan:  # one set for every block this process plays of the plan
            _FOUND[:] = [player.plan, {}, {}]
        self.found: dict = _FOUND[1]  # path -> Template, or None: played in full
        self.people: dict = _FOUND[2]  # people (logins in slot order) -> their ids, texts and texts in JSON

    def play(self, request_id: int, steps) -> None:
        player = self.player
        key, people, texts = _path(player, steps)
        template = self.found.get(key, False)
        if template is False:
            template = self.found[key] = _make(player, steps, people, texts)
        if template is None:
            player.play(request_id, steps)
            return
        epoch = player.epoch  # the step times a clock, a pause or a check reads, as datetimes
        times = {i: epoch + timedelta(seconds=steps[i][0]) for i in template.needs}
        values = _values(player, self.people, request_id, people, texts)
        if not template.holds(player, values, times):
            player.play(request_id, steps)  # the planner refuses it, as it would have
            return
        template.write(player, request_id, steps, values, times)


def _path(player: Player, steps) -> tuple:
    """(the script's path, its people in slot order, its free texts in slot order)."""
    people: dict = {}  # login -> slot number (from 1: slot 0 is the request)
    texts: list = []
    path = []
    for offset, action, login, params in steps:
        who = people.get(login) or people.setdefault(login, len(people) + 1)
        if _NAMED.isdisjoint(params):
            path.append((action, who, *params.items()))
            continue
        said = [action, who]
        for name, value in params.items():
            if name in _PEOPLE:
                if type(value) is str:
                    value = people.get(value) or people.setdefault(value, len(people) + 1)
                else:
                    value = tuple(people.get(v) or people.setdefault(v, len(people) + 1) for v in value)
            elif name in _FREE:
                texts.append(value)
                value = None
            said.append((name, value))
        path.append(tuple(said))
        if action == "create":  # the catalogue version in force when it was raised
            service = params.get("service")
            found = version_at(player.plan, service, player.plan.t0 + offset) if service else None
            path.append(found[0] if found else None)
    agents = player.agents
    desk_group = player.plan.desk_group
    groups: dict = {}
    shared = tuple(
        group if group is None or group == desk_group else groups.setdefault(group, -len(groups) - 1)
        for group in (agents[login][1] for login in people))  # which people share a group
    return (tuple(path), shared), tuple(people), texts


def _values(player: Player, known: dict, request_id: int, people: tuple, texts: list) -> tuple:
    """(ids by slot, texts by slot, the texts as JSON writes them) of one script: the request, each
    person and their group, the free texts."""
    found = known.get(people)
    if found is None:
        agents, codes = player.agents, player.plan.group_codes
        ids, words = [None], [None]
        for login in people:
            ids.append(agents[login][0])
            words.append(login)
        for login in people:
            group = agents[login][1]
            ids.append(group)
            words.append(codes.get(group))
        found = known[people] = (ids, words, [w if w is None else _escaped(w) for w in words])
    ids, words, escaped = found
    ids = ids.copy()
    ids[0] = request_id
    return ids + [None] * len(texts), words + texts, escaped + [_escaped(w) for w in texts]


def _make(player: Player, steps, people: tuple, texts: list):
    """The path's template from a play of `steps` with stand-ins (None: played in full)."""
    plan = player.plan
    n = len(people)
    agents = dict(player.agents)
    groups = dict(plan.group_codes)
    real_group = {}
    for slot, login in enumerate(people, 1):
        group = agents[login][1]
        if group is not None and group != plan.desk_group:  # a group of its own: a slot too
            real_group.setdefault(group, n + slot)
    stand_in = {}
    for slot, login in enumerate(people, 1):
        group = agents[login][1]
        stand_in[login] = (_id(slot), _id(real_group[group]) if group in real_group else group)
        agents[_tag(slot)] = stand_in[login]
    for group, slot in real_group.items():
        groups[_id(slot)] = _tag(slot)
    real_ids = {agents[login][0]: _id(slot) for slot, login in enumerate(people, 1)}
    delegations = [d._replace(approver_id=real_ids.get(d.approver_id, d.approver_id),
                              substitute_id=real_ids.get(d.substitute_id, d.substitute_id))
                   for d in player.delegations]
    tags = {login: _tag(slot) for slot, login in enumerate(people, 1)}
    free = iter(range(1 + 2 * n, 1 + 2 * n + len(texts)))
    script = []
    for offset, action, login, params in steps:
        said = {}
        for name, value in params.items():
            if name in PEOPLE:
                value = tags[value] if type(value) is str else [tags[v] for v in value]
            elif name in FREE:
                value = _tag(next(free))
            said[name] = value
        script.append((offset, action, tags[login], said))
    stand = Player(plan, agents, groups, delegations)
    stand.checklists = player.checklists
    guards: list = []
    try:
        made = stand.steps(_id(0), script, guards)
        return Template(stand, made, guards, [player.epoch + timedelta(seconds=s[0]) for s in steps])
    except _Untemplated:
        return None


CONST, ID, TIME, TEXT, JSON = range(5)  # how a template holds a value: itself, or a slot's
_CLOCK_FIELDS = ("id", "priority", "status", "service_id", "service_version", "group_id", "registered_at",
                 "resolved_at", "closed_at")  # what Player._clock reads of the request
_DUE = COLUMNS.index("due_at")


class Template:
    """What a path's first play made, each stand-in a slot: (ID, slot) an id, (TIME, step) a step's
    time, (TEXT, parts) a text holding slots' texts, (JSON, parts) the same inside JSON, else
    (CONST, the value)."""

    def __init__(self, player: Player, made: tuple, guards: list, times: list):
        row, events, approvals, ledger = made
        self.at = {t: i for i, t in enumerate(times)}
        self.days = {t.strftime("%Y-%m-%d") for t in times}
        self.row = [getattr(row, c) for c in COLUMNS]
        self.id_slots, self.time_slots, self.text_slots = [], [], []  # (column, slot) of the request's slots
        for i, value in enumerate(self.row):
            kind, arg = self._slot(value)
            if kind != CONST:
                (self.id_slots if kind == ID else self.time_slots if kind == TIME else self.text_slots).append((i, arg))
                self.row[i] = None
        # a column that is one slot's text whole (the title, the requester…) is that text: no format
        self.whole = [(i, int(arg[1:-1])) for i, arg in self.text_slots if _WHOLE.fullmatch(arg)]
        self.text_slots = [(i, arg) for i, arg in self.text_slots if not _WHOLE.fullmatch(arg)]
        clock = [(name, self._slot(getattr(row, name))) for name in _CLOCK_FIELDS]
        spec = dict(clock)
        if spec["registered_at"][0] != TIME or any(
                spec[name][0] != CONST for name in ("priority", "status", "service_id", "service_version")):
            raise _Untemplated  # (never a stand-in's: the clock's terms are the path's)
        # What Player._clock reads, as the path fixes it: the terms, whether the clock runs, and
        # the slots of its start, its stop and its group.
        self.calendar, self.seconds = player.target(spec["service_version"][1], spec["service_id"][1],
                                                    spec["priority"][1])
        self.priority = spec["priority"][1]
        self.running = spec["status"][1] in flow.OPEN and spec["resolved_at"] == spec["closed_at"] == (CONST, None)
        self.started = spec["registered_at"]
        self.stop = spec["closed_at"] if spec["resolved_at"] == (CONST, None) else spec["resolved_at"]
        self.group = spec["group_id"]
        self.events = []  # (actor's slot, action, changes JSON or its format, note or its format, hashed tail)
        for actor, action, changes, note in events:
            (kind, actor), changes, note = self._slot(actor), self._slot(changes, True), self._slot(note)
            if kind != ID or changes[0] not in (CONST, JSON) or note[0] not in (CONST, TEXT):
                raise _Untemplated
            plain, said = changes[0] == CONST, note[0] == CONST
            # what the hash covers after the actor (history_chain.row_hash_text), when it is the same every time
            tail = f"\x1f{action}\x1f{changes[1]}\x1f{note[1]}" if plain and said else None
            self.events.append((actor, action, plain, changes[1], said, note[1], tail))
        self.approvals = [(key, [self._slot(v) for v in entry]) for key, entry in sorted(approvals.items())]
        self.ledger = [[self._slot(v) for v in entry] for entry in ledger]
        self.guards = [(name, *(self._slot(v) for v in args)) for name, *args in guards]
        self.needs = sorted({arg for kind, arg in [*(spec for _, spec in clock), *(v for entry in self.ledger for v in entry),
                                                   *(v for _, *args in self.guards for v in args)] if kind == TIME})
        if row.due_at is not None and self.row[_DUE] is not None:
            raise _Untemplated  # (Player.steps leaves the due time to Player.write)

    def _slot(self, value, in_json: bool = False) -> tuple:
        if type(value) is int and value <= -_BASE:
            return ID, -value - _BASE
        if isinstance(value, datetime):
            step = self.at.get(value)
            if step is None:
                raise _Untemplated
            return TIME, step
        if type(value) is str:
            if "-" in value and any(day in value for day in self.days):  # (a day's text has a "-": most have none)
                raise _Untemplated  # a date in a text: it would not follow the request's own
            if "\ue000" in value:  # a str.format of the slots' texts
                parts = _SLOT.split(value.replace("{", "{{").replace("}", "}}"))  # text, slot, text, …, text
                return JSON if in_json else TEXT, "".join(f"{{{p}}}" if i % 2 else p for i, p in enumerate(parts))
        return CONST, value

    def holds(self, player: Player, values: tuple, times: list) -> bool:
        """Do the checks the planners made against the dates hold for this request's dates?"""
        for name, *args in self.guards:
            args = [_fill(a, values, times) for a in args]
            if name == "acting_for":
                actor, approver, now = args
                if not flow.acting_for(actor, approver, player.delegations, now.date()):
                    return False
            elif name == "auto_close_due":
                resolved, now = args
                state = flow.RequestState(flow.RESOLVED, resolved_at=resolved)  # resolved, no callback: its path
                if not flow.auto_close_due(state, now, player.plan.auto_close_days):
                    return False
        return True

    def write(self, player: Player, request_id: int, steps, values: tuple, times: list) -> None:
        """What Player.write makes of Player.steps' result, for this request: its rows."""
        t0 = player.plan.t0
        ids, words, escaped = values
        stored = []
        history = player.history
        prev = GENESIS
        seq = 0
        days, hms = DAYS, HMS or stamps.hms()
        head = f"\x1f{ENTITY}\x1f{request_id}\x1f"  # history_chain.row_hash_text's payload, inline
        for (offset, _, _, _), (actor, action, plain, changes, said, note, tail) in zip(steps, self.events):
            day, second = divmod(t0 + offset, 86400)  # stamps.stamp, inline: 6 a request
            text, hashed = days.get(day) or stamps.day(day)
            second = hms[second]
            text += second
            stored.append(text)
            actor = ids[actor]
            seq += 1
            if tail is None:
                if not plain:
                    changes = changes.format(*escaped)
                if not said:
                    note = note.format(*words)
                tail = f"\x1f{action}\x1f{changes}\x1f{note}"
            payload = f"{prev}{head}{seq}\x1f{hashed}{second}.000000\x1f{actor or ''}{tail}"
            digest = _sha256(payload.encode()).hexdigest()
            history.append((ENTITY, request_id, seq, text, actor, action, changes, note, prev, digest))
            prev = digest
        ledger = [[_fill(v, values, times) for v in entry] for entry in self.ledger] if self.ledger else ()
        # the texts of the times the clock reads (of any other, Player._text's str() is the same text)
        texts = {times[i]: stored[i] for i in self.needs}
        due = player.due(self.calendar, self.seconds, times[self.started[1]], _fill(self.stop, values, times), ledger,
                         self.running, request_id, self.priority, _fill(self.group, values, times), texts)
        row_values = self.row.copy()
        for i, arg in self.id_slots:
            row_values[i] = ids[arg]
        for i, arg in self.time_slots:
            row_values[i] = stored[arg]
        for i, arg in self.whole:
            row_values[i] = words[arg]
        for i, arg in self.text_slots:
            row_values[i] = arg.format(*words)
        row_values[0] = request_id
        if due is not None:
            row_values[_DUE] = texts.get(due) or str(due)
        player.requests.append(row_values)
        for (rnd, level), entry in self.approvals:
            player.approvals.append((request_id, rnd, level, *(
                stored[arg] if kind == TIME else _fill((kind, arg), values, times) for kind, arg in entry)))
        for start, end, reason, by, ended_by in ledger:
            player.pauses.append((ENTITY, request_id, reason, "", texts[start], None if end is None else texts[end],
                                  by, ended_by))  # (pauses start and end at steps: `needs` has them)


_ESCAPED: dict = {}


def _escaped(text: str) -> str:
    """A text as JSON writes it inside a string (ensure_ascii off, as history's encoder)."""
    found = _ESCAPED.get(text)
    if found is None:
        found = _ESCAPED[text] = json.dumps(text, ensure_ascii=False)[1:-1]
    return found


def _fill(spec: tuple, values: tuple, times: list):
    kind, arg = spec
    if kind == CONST:
        return arg
    if kind == ID:
        return values[0][arg]
    if kind == TIME:
        return times[arg]
    return arg.format(*values[1 if kind == TEXT else 2])
