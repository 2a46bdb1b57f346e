"""`desk demo`: a realistic desk in which every incident could have been made by the services.

Runs on SQLite, and on PostgreSQL too when DESK_TEST_PG is set. Sizes are small; the speed at
1M incidents is measured by the bench, never asserted here.
"""

import dataclasses
import json
import os
import random
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from demo_schema import index_sql as _index_sql

from desk.db import is_sqlite
from desk.domain import incident_flow as flow
from desk.domain.errors import NotAllowed
from desk.domain.permissions import can, may_assign_within, may_touch
from desk.models import Agent, Article, Caller, Group, History, Incident, IncidentArticle, Setting
from desk.services import agents, demo, history, incidents, queue, schema, sla
from desk.services.incidents import TRACKED

N = 300
OPEN = ("new", "assigned", "in_progress")


@pytest.fixture
def demo_desk(desk):
    demo.generate(desk, incidents=N, seed=7, days=30)
    return desk


def incidents_by_id() -> dict[int, Incident]:
    return {inc.id: inc for inc in Incident.select().order_by(Incident.id)}


def histories() -> dict[int, list[History]]:
    out: dict[int, list[History]] = {}
    for row in History.select().where(History.entity == "incident").order_by(History.entity_id, History.seq):
        out.setdefault(row.entity_id, []).append(row)
    return out


def test_a_small_demo_shows_every_state_and_every_path(demo_desk):
    incs = incidents_by_id()
    assert len(incs) == N
    statuses = {inc.status for inc in incs.values()}
    assert statuses == set(flow.STATUSES)
    resolved = [inc for inc in incs.values() if inc.status == "resolved"]
    assert any(inc.confirmed_at is None for inc in resolved) and any(inc.confirmed_at for inc in resolved)
    actions = {row.action for rows in histories().values() for row in rows}
    assert actions >= {"create", "assign", "start", "escalate", "escalate_hierarchical", "return", "resolve",
                       "confirm", "reopen", "close", "note"}
    groups = {g.id: g for g in Group.select()}
    reached = {groups[inc.resolved_group_id].kind for inc in incs.values() if inc.resolved_group_id}
    assert reached == {"desk", "l2", "vendor"}  # resolved by the desk, by second line and by vendors
    assert any(inc.reopen_count for inc in incs.values())
    assert any(inc.escalation_level for inc in incs.values())
    assert IncidentArticle.select().count() > 0
    assert Article.select().count() >= 30
    # titles in both languages
    titles = " ".join(inc.title for inc in incs.values())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in titles) and any(ch.isascii() and ch.isalpha() for ch in titles)


def test_versions_statuses_times_and_hashes_agree_with_the_history(demo_desk):
    now = demo_desk.now()
    config = demo_desk.config
    chains = histories()
    for inc in incidents_by_id().values():
        rows = chains[inc.id]
        assert inc.version == len(rows), inc.id
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        last_status = [json.loads(r.changes)["status"][1] for r in rows if "status" in json.loads(r.changes)][-1]
        assert inc.status == last_status, inc.id
        times = [r.at for r in rows]
        assert times == sorted(set(times)), inc.id  # strictly increasing
        assert times[0] == inc.opened_at and times[-1] == inc.updated_at <= now
        assert inc.priority == config.matrix.priority(inc.impact, inc.urgency)
        # business time on the service's calendar, as the SLA engine has it (issue 15)
        assert inc.due_at == sla.due_for(demo_desk, incidents.CLOCK, inc), inc.id
    assert list(history.verify_all()) == []


def test_recent_incidents_are_open_and_old_ones_closed(demo_desk):
    incs = list(incidents_by_id().values())
    oldest, newest = incs[: N // 3], incs[-N // 10:]
    assert [inc.opened_at for inc in incs] == sorted(inc.opened_at for inc in incs)  # ids grow with time
    open_old = sum(inc.status in OPEN for inc in oldest)
    assert open_old <= len(oldest) * 0.05
    assert sum(inc.status != "closed" for inc in newest) >= 5
    breached = [inc for inc in incs if (inc.resolved_at or demo_desk.now()) > inc.due_at]
    assert 0 < len(breached) < len(incs) * 0.4  # some breach their SLA, most do not


# --- replaying every history row through the domain planners ----------------------------------------------

STATE_FIELDS = set(flow.IncidentState._fields)
NAMES = {"group_id": "group", "assignee_id": "assignee", "resolved_by_id": "resolved_by",
         "resolved_group_id": "resolved_group"}
PERMISSION = {"assign": "incident.assign", "start": "incident.start", "escalate": "incident.escalate",
              "escalate_hierarchical": "incident.escalate_hierarchical", "return": "incident.return",
              "resolve": "incident.resolve", "confirm": "incident.confirm", "reopen": "incident.reopen",
              "close": "incident.close", "note": "incident.note"}
SCOPED = {"assign", "start", "escalate", "return", "resolve", "note"}
# Rows an incident's history gets when a problem or a change links to it: no change of its own state.
LINKS = {"link_problem": ("problem.link", "problem"), "unlink_problem": ("problem.link", "problem"),
         "caused_by_change": ("change.link_incident", "caused_by_change")}


def _recorded(state, planned, groups, logins) -> dict:
    """What services.incidents._prepare records for `planned` applied to `state`."""
    out = {}
    for key, new in planned.items():
        name = NAMES.get(key, key)
        if name not in TRACKED or key not in STATE_FIELDS:
            continue
        old = getattr(state, key)
        if old == new:
            continue
        if name == "group":
            out[name] = [groups[old].code if old else None, groups[new].code if new else None]
        elif name == "assignee":
            out[name] = [logins.get(old), logins.get(new)]
        else:
            out[name] = [old, new]
    return out


def _apply(state, planned, groups):
    values = {k: v for k, v in planned.items() if k in STATE_FIELDS}
    if "resolved_group_id" in values:
        values["resolved_tier"] = groups[values["resolved_group_id"]].tier
    return state._replace(**values)


def test_every_history_row_is_what_the_planners_would_have_written(demo_desk):
    groups = {g.id: g for g in Group.select()}
    group_by_code = {g.code: g for g in groups.values()}
    people = {a.id: a for a in Agent.select()}
    logins = {a.id: a.login for a in people.values()}
    ids = {a.login: a.id for a in people.values()}
    closure_codes = demo_desk.config.closure_codes
    days = demo_desk.config.auto_confirm_days

    def ref(code):
        g = group_by_code[code]
        return flow.GroupRef(g.id, g.tier, g.kind)

    for inc_id, rows in histories().items():
        inc = Incident.get_by_id(inc_id)
        first = rows[0]
        assert first.action == "create" and can(people[first.actor_id].role_set, "incident.create")
        assert json.loads(first.changes) == {"status": [None, "new"], "priority": [None, inc.priority],
                                             "group": [None, demo_desk.config.data["incident"]["default_group"]]}
        grp = group_by_code[json.loads(first.changes)["group"][1]]
        state = flow.IncidentState(status="new", tier=grp.tier, group_id=grp.id,
                                   first_response_at=None if inc.source == "monitoring" else first.at)
        assert inc.owner_id == first.actor_id
        closed_at = None
        for row in rows[1:]:
            recorded, actor, at = json.loads(row.changes), people[row.actor_id], row.at
            action = row.action
            if action in LINKS:
                permission, field = LINKS[action]
                assert can(actor.role_set, permission) and list(recorded) == [field] and row.note == ""
                continue
            assert can(actor.role_set, PERMISSION[action]), (inc_id, row.seq, actor.login, action)
            if action in SCOPED:
                assert may_touch(actor.role_set, PERMISSION[action], actor.group_id, state.group_id), (inc_id, row.seq)
            if action == "assign":
                agent_id = ids[recorded["assignee"][1]]
                assert may_assign_within(actor.role_set, actor.group_id, people[agent_id].group_id)
                assert people[agent_id].group_id == state.group_id  # within the incident's group
                assert state.assignee_id in (None, actor.id, agent_id) or can(actor.role_set, "incident.reassign")
                planned = flow.plan_assign(state, at, agent_id, None)
            elif action == "start":
                planned = flow.plan_start(state, at, actor.id)
            elif action == "escalate":
                planned = flow.plan_escalate(state, at, ref(recorded["group"][1]), row.note)
            elif action == "escalate_hierarchical":
                planned = flow.plan_escalate_hierarchical(state, at, row.note)
            elif action == "return":
                planned = flow.plan_return(state, at, ref(recorded["group"][1]), row.note)
            elif action == "resolve":
                code = recorded["closure_code"][1] if "closure_code" in recorded else state.closure_code
                planned = flow.plan_resolve(state, at, actor.id, code, row.note, closure_codes)
            elif action == "confirm":
                planned = flow.plan_confirm(state, at)
                if row.note:
                    planned["_note"] = row.note
            elif action == "reopen":
                planned = flow.plan_reopen(state, at, row.note)
            elif action == "close":
                planned = flow.plan_close(state, at, None, closure_codes, days)
                closed_at = at
            else:
                assert action == "note"
                planned = flow.plan_note(state, at, row.note)
            assert planned.pop("_note", "") == row.note, (inc_id, row.seq)
            assert _recorded(state, planned, groups, logins) == recorded, (inc_id, row.seq, action)
            state = _apply(state, planned, groups)
        for field in ("status", "tier", "group_id", "assignee_id", "resolved_by_id", "resolved_group_id",
                      "resolved_at", "confirmed_at", "closure_code", "first_response_at", "reopen_count",
                      "escalation_level"):
            assert getattr(inc, field) == getattr(state, field), (inc_id, field)
        assert inc.closed_at == closed_at
        if inc.resolved_by_id:
            last_resolve = [r for r in rows if r.action == "resolve"][-1]
            assert inc.resolution == last_resolve.note


# --- reproducible -----------------------------------------------------------------------------------------

@pytest.fixture
def second_url(db_url, tmp_path):
    """Another fresh, empty database of the same kind as `db_url`."""
    if not db_url.startswith("postgres"):
        yield str(tmp_path / "second.db")
        return
    import psycopg2

    base = os.environ["DESK_TEST_PG"]
    name = "t_" + uuid.uuid4().hex[:12]
    conn = psycopg2.connect(base)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {name}")
    try:
        yield f"{base}{'&' if '?' in base else '?'}schema={name}"
    finally:
        from desk.db import database

        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
        conn.cursor().execute(f"DROP SCHEMA {name} CASCADE")
        conn.close()


def _snapshot() -> tuple[list, list, list]:
    incs = list(Incident.select().order_by(Incident.id).tuples())
    rows = list(History.select(History.entity, History.entity_id, History.seq, History.at, History.actor,
                               History.action, History.changes, History.note, History.prev_hash, History.hash)
                .order_by(History.entity, History.entity_id, History.seq).tuples())
    links = list(IncidentArticle.select(IncidentArticle.incident, IncidentArticle.article)
                 .order_by(IncidentArticle.incident).tuples())
    return incs, rows, links


def fresh_desk(url, clock, user="admin"):
    """A new desk on `url` as `desk init` leaves it (no agents but the administrator)."""
    from desk.config import load_config
    from desk.services import setup
    from desk.services.context import open_desk

    d = open_desk(url, load_config(), clock=clock, user=user, lang="en")
    setup.init_database(d)
    return d


def test_the_same_seed_gives_the_same_desk(db_url, second_url, clock):
    snapshots = []
    for url in (db_url, second_url):
        d = fresh_desk(url, clock)
        demo.generate(d, incidents=250, seed=11, days=20)
        snapshots.append(_snapshot())
        d.close()
    assert len(snapshots[0][0]) == 250 and len(snapshots[0][1]) > 250
    assert snapshots[0] == snapshots[1]


def _history_with_ids() -> list:
    return list(History.select(History.id, History.entity_id, History.seq, History.hash).order_by(History.id).tuples())


def test_worker_processes_write_the_same_rows_as_this_one(db_url, second_url, clock, monkeypatch):
    monkeypatch.setattr(demo.incident_plan, "BLOCK", 100)  # five blocks of 100: the workers take turns
    snapshots = []
    for url, workers in ((db_url, 0), (second_url, 2)):
        d = fresh_desk(url, clock)
        calls = []
        demo.generate(d, incidents=450, seed=5, days=9, workers=workers, progress=lambda *a: calls.append(a))
        assert [c[1] for c in calls if c[0] == "incidents"] == [0, 100, 200, 300, 400, 450]
        snapshots.append((_snapshot(), _history_with_ids()))
        assert list(history.verify_all()) == []
        d.close()
    assert snapshots[0] == snapshots[1]  # ids included: blocks are written in order


def test_a_failing_worker_says_why_and_nothing_is_half_written(desk):
    people = demo.people.make(desk, random.Random("desk-demo:5:people"), None)
    articles = demo.knowledge.make(desk, random.Random("desk-demo:5:knowledge"), desk.now(), None)
    plan = demo.incident_plan.make_plan(desk, incidents=250, seed=5, days=9, now=desk.now(), first_id=1,
                                        people=people, articles=articles)
    broken = dataclasses.replace(plan, block=100, templates=())  # every block fails to generate
    with pytest.raises(RuntimeError, match="IndexError"):
        demo.bulk.load(desk, demo.incidents.make_block, broken, blocks=3, total=250, label="incidents", workers=2,
                       progress=None)
    assert Incident.select().count() == 0 and History.select().count() == 0


# --- progress, people, adding to a desk -------------------------------------------------------------------

def test_progress_reports_every_stage_to_the_end(desk):
    calls = []
    result = demo.generate(desk, incidents=120, seed=3, days=10, progress=lambda *a: calls.append(a))
    assert [s for s in dict.fromkeys(c[0] for c in calls)] == ["people", "knowledge", "absences", "incidents", "requests",
                                                               "indexes", "search", "changes", "problems", "catalogue",
                                                               "sla", "reports"]
    for stage in demo.LABELS:
        last = [c for c in calls if c[0] == stage][-1]
        assert last[1] == last[2] > 0, last
    assert [c for c in calls if c[0] == "incidents"][-1] == ("incidents", 120, 120)
    assert result.incidents == 120 and result.seconds >= 0
    assert result.agents == Agent.select().where(Agent.active == True).count() >= 20  # noqa: E712
    assert result.callers >= 300


def test_people_across_the_configured_groups(demo_desk):
    roster = agents.list_agents(demo_desk)
    roles = {r for a in roster for r in a.roles}
    assert roles >= {"l1", "l2", "vendor", "lead", "approver", "request_manager", "ops_lead", "catalogue_maintainer",
                     "report_manager", "report_reviewer", "report_writer", "admin"}
    for group in Group.select():
        assert any(a.group == group.code for a in roster if a.active), group.code
    me = agents.whoami(demo_desk)
    assert set(me.roles) >= {"l1", "lead", "admin"} and me.group == "desk"
    assert sum(a.login.count(".") > 0 for a in roster) >= 20  # the demo's own agents
    names = [c.name for c in Caller.select()]
    assert len(names) >= 300
    assert any(all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)  # 张伟
    assert any(n.isascii() for n in names)  # Zhang Wei, Emily Carter


def test_the_user_becomes_shift_lead_and_admin_on_a_fresh_desk(db_url, clock):
    d = fresh_desk(db_url, clock)
    agents.save_agent(d, "admin", agent_login="zhao", roles=["l1", "report_writer"], group="network")
    d.user = "zhao"  # an L1 agent of a desk without incidents yet
    demo.generate(d, incidents=20, seed=1, days=5)
    me = agents.whoami(d)
    assert set(me.roles) == {"l1", "lead", "admin", "report_writer"} and me.group == "desk"
    d.close()


def test_adding_to_a_desk_in_use_keeps_it_consistent_and_needs_an_admin(demo_desk):
    desk = demo_desk
    before = incidents_by_id()
    indexes = _index_sql(desk)
    with pytest.raises(NotAllowed):
        demo.generate(dataclasses.replace(desk, user="li"), incidents=10, seed=8, days=5, force=True)
    assert Incident.select().count() == N
    demo.generate(desk, incidents=40, seed=8, days=5, force=True)
    after = incidents_by_id()
    assert len(after) == N + 40 and list(after)[N:] == list(range(max(before) + 1, max(before) + 41))
    assert all(after[i].version == before[i].version for i in before)  # nothing old was touched
    assert list(history.verify_all()) == []
    assert _index_sql(desk) == indexes
    assert Agent.select().where(Agent.login == "li.na").count() == 1  # people reused, not duplicated
    demo.generate(desk, incidents=40, seed=8, days=5, force=True)  # the same seed again adds other incidents
    titles = [(i.title, i.opened_at) for i in Incident.select().where(Incident.id > N).order_by(Incident.id)]
    assert len(titles) == 80 and titles[:40] != titles[40:]
    if not is_sqlite(desk.db):  # the id sequence follows the explicit ids
        from desk.services import incidents

        made = incidents.create(desk, "admin", title="after the demo", impact=3, urgency=3)
        assert made.id == N + 81


def test_a_desk_holding_tickets_is_refused_unless_forced_and_nothing_is_added(desk):
    from desk.domain.errors import DeskError
    from desk.services import incidents

    incidents.create(desk, "admin", title="a real incident", impact=3, urgency=3)
    people = (Agent.select().count(), Caller.select().count(), Article.select().count())
    with pytest.raises(DeskError) as refused:
        demo.generate(desk, incidents=10, seed=1, days=5)
    assert refused.value.key == "error.demo_in_use"
    message = refused.value.message("en")
    assert "1 incident" in message and "--force" in message
    assert "1 条事件记录" in refused.value.message("zh")
    assert Incident.select().count() == 1
    assert (Agent.select().count(), Caller.select().count(), Article.select().count()) == people
    demo.generate(desk, incidents=10, seed=1, days=5, force=True)
    assert Incident.select().count() == 11


def test_what_a_demo_will_add_is_said_before_it_is_added(desk):
    from desk.i18n import t

    said = {key: params for key, params in demo.adds(desk, incidents=123, days=45)}
    assert said["demo.adds.incidents"] == {"incidents": 123, "days": 45}
    people = said["demo.adds.people"]
    assert people["organisations"] >= 20 and people["callers"] >= 300 and people["agents"] >= 20
    assert said["demo.adds.knowledge"]["articles"] >= 20
    before = Agent.select().count()
    demo.generate(desk, incidents=0, seed=1, days=5)
    assert Agent.select().count() - before <= people["agents"]  # said "about": never fewer than it adds
    for lang in ("en", "zh"):
        line = t("demo.adds.intro", lang, target="x.db",
                 what=t("demo.adds.sep", lang).join(t(k, lang, **p) for k, p in said.items()))
        assert "123" in line and "45" in line and "{" not in line


def test_a_first_load_recreates_the_same_indexes_and_settings(desk):
    indexes = _index_sql(desk)
    names = ("synchronous", "journal_mode", "cache_size", "threads", "foreign_keys")
    pragmas = {p: desk.db.execute_sql(f"PRAGMA {p}").fetchone()[0] for p in names} if is_sqlite(desk.db) else {}
    demo.generate(desk, incidents=50, seed=2, days=3)
    assert _index_sql(desk) == indexes
    if pragmas:
        assert {p: desk.db.execute_sql(f"PRAGMA {p}").fetchone()[0] for p in pragmas} == pragmas
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None


def test_an_interrupted_first_load_puts_the_indexes_back(desk, monkeypatch):
    indexes = _index_sql(desk)
    calls = []

    def failing(self, table, columns, rows):
        calls.append(table)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo.bulk.Writer, "insert", failing)
    with pytest.raises(RuntimeError):
        demo.generate(desk, incidents=30, seed=2, days=3)
    assert calls
    assert _index_sql(desk) == indexes
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None
    assert Incident.select().count() == 0
    assert schema.search_problems(desk.db) == []


def _history_indexes(desk) -> list:
    if is_sqlite(desk.db):
        return sorted(desk.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                          "AND tbl_name = 'history' AND sql IS NOT NULL").fetchall())
    return sorted(desk.db.execute_sql("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                                      "AND tablename = 'history'").fetchall())


def _history_indexes_while_writing(desk, monkeypatch) -> list:
    """History's indexes each time the bulk writer wrote incidents' history rows."""
    seen = []
    insert = demo.bulk.Writer.insert

    def spying(self, table, columns, rows):
        if table == "history" and rows and rows[0][0] == "incident":
            seen.append(_history_indexes(desk))
        return insert(self, table, columns, rows)

    monkeypatch.setattr(demo.bulk.Writer, "insert", spying)
    return seen


def test_a_desk_that_recorded_nothing_gets_its_history_indexes_built_after_the_incidents(desk, monkeypatch):
    before = _history_indexes(desk)
    seen = _history_indexes_while_writing(desk, monkeypatch)
    demo.generate(desk, incidents=40, seed=2, days=3, workers=0)
    keeps = [i for i in before if "UNIQUE" in i[1].upper() and not is_sqlite(desk.db)]  # PostgreSQL's constraint
    assert len(before) >= 3 and seen and all(s == keeps for s in seen)
    assert _history_indexes(desk) == before


def test_a_desk_with_history_keeps_its_history_indexes_while_incidents_load(desk, monkeypatch):
    """Someone may be recording on it: history's unique (entity, id, seq) keeps their chains whole."""
    from desk.services import requests

    requests.create(desk, "admin", title="A new mouse", checked=["all"])
    before = _history_indexes(desk)
    seen = _history_indexes_while_writing(desk, monkeypatch)
    demo.generate(desk, incidents=40, seed=2, days=3, workers=0, force=True)
    assert seen and all(s == before for s in seen)


def test_the_bulk_writer_keeps_text_exactly(desk):
    """Backslashes, tabs and newlines survive executemany (SQLite) and COPY (PostgreSQL) alike."""
    from desk.db import write_transaction

    demo.generate(desk, incidents=0)
    tricky = "\\\\fs01\\finance\t\\N tab\nnew line\r\\.\u5f20\u4f1f"
    assert Incident.select().count() == 0
    group = Group.get(Group.code == "desk").id
    columns = demo.incidents.INCIDENT_COLUMNS
    values = dict.fromkeys(columns)
    values.update(id=99, title=tricky, description=tricky, source="phone", classification="incident",
                  category="other", impact=3, urgency=3, priority=4, status="new", tier=1, group_id=group,
                  vendor_ref="", escalation_level=0, reopen_count=0, opened_at="2026-11-01 08:00:00",
                  updated_at="2026-11-01 08:00:00", resolution="", version=1)
    with write_transaction(desk.db):
        demo.bulk.Writer(desk.db).insert("incident", columns, [tuple(values[c] for c in columns)])
    got = Incident.get_by_id(99)
    assert got.title == got.description == tricky
    assert got.opened_at.isoformat() == "2026-11-01T08:00:00" and got.due_at is None


def _found(desk, text: str) -> tuple[int, list[int]]:
    ctx = queue.context(desk, "admin")
    f = queue.QueueFilter(view="all", text=text)
    return queue.count(f, ctx), queue.window(f, ctx, "age", 0, 50)


def _reference(text: str) -> list[int]:
    """Incidents whose title or caller's name holds `text`, ASCII case aside, in age order."""
    low = text.lower()
    names = {c.id: c.name.lower() for c in Caller.select()}
    rows = Incident.select().order_by(Incident.opened_at, Incident.id)
    return [i.id for i in rows if low in i.title.lower() or low in names.get(i.caller_id, "")]


def test_the_text_filter_finds_what_a_first_load_and_a_later_one_wrote(demo_desk):
    """A first load fills the title search at the end; loads into a desk in use keep it in step row by row."""
    desk = demo_desk
    assert schema.search_problems(desk.db) == []
    titles = [i.title for i in Incident.select().order_by(Incident.id).limit(40)]
    words = sorted({w for t in titles for w in t.replace("(", " ").split() if len(w) >= 3})[:6]
    words += [titles[0][:2], titles[1][-2:]] + [c.name for c in Caller.select().limit(2)]
    for word in words:
        expected = _reference(word)
        assert _found(desk, word) == (len(expected), expected[:50]), word
    demo.generate(desk, incidents=30, seed=9, days=3, force=True)  # into a desk in use: the triggers stay
    assert schema.search_problems(desk.db) == []
    newest = Incident.select().order_by(Incident.id.desc()).first()
    expected = _reference(newest.title)
    assert newest.id in expected and _found(desk, newest.title) == (len(expected), expected[:50])


def test_bad_sizes_are_refused(desk):
    from desk.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        demo.generate(desk, incidents=-1)
    with pytest.raises(ValidationError):
        demo.generate(desk, incidents=10, days=0)


# --- the command ----------------------------------------------------------------------------------------------

def test_desk_demo_command_then_the_queue_lists_its_incidents(tmp_path):
    env = dict(os.environ, DESK_USER="tester", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), LANG="C.UTF-8")
    env.pop("DESK_DB", None)
    db = str(tmp_path / "cli.db")
    made = subprocess.run([sys.executable, "-m", "desk", "demo", "--incidents", "200", "--db", db],
                          capture_output=True, env=env, timeout=120)
    assert made.returncode == 0, made.stderr.decode()
    assert "200" in made.stdout.decode() and "tester" in made.stdout.decode()
    listed = subprocess.run([sys.executable, "-m", "desk", "incident", "list", "--view", "all", "--json", "--db", db],
                            capture_output=True, env=env, timeout=60)
    assert listed.returncode == 0, listed.stderr.decode()
    out = json.loads(listed.stdout)
    assert out["total"] == 200 and out["incidents"]
    who = subprocess.run([sys.executable, "-m", "desk", "agent", "whoami", "--json", "--db", db],
                         capture_output=True, env=env, timeout=60)
    assert {"l1", "lead", "admin"} <= set(json.loads(who.stdout)["roles"])


def test_desk_demo_refuses_a_database_with_tickets_unless_forced(tmp_path):
    env = dict(os.environ, DESK_USER="tester", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), LANG="C.UTF-8")
    db = str(tmp_path / "real.db")

    def desk_cmd(*args):
        return subprocess.run([sys.executable, "-m", "desk", *args, "--db", db], capture_output=True, env=env,
                              timeout=120)

    assert desk_cmd("init").returncode == 0
    assert desk_cmd("incident", "new", "--title", "Printer jam", "--impact", "3", "--urgency", "3").returncode == 0
    refused = desk_cmd("demo", "--incidents", "5")
    assert refused.returncode == 1
    err = refused.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "1 incident" in err and "--force" in err, err
    assert refused.stdout == b""
    listed = json.loads(desk_cmd("incident", "list", "--view", "all", "--json").stdout)
    assert listed["total"] == 1
    assert len(json.loads(desk_cmd("agent", "list", "--json").stdout)) == 1  # no demo people either
    forced = desk_cmd("demo", "--incidents", "5", "--days", "7", "--force")
    assert forced.returncode == 0, forced.stderr.decode()
    first = forced.stdout.decode().splitlines()[0]
    assert "5 incidents" in first and "7 days" in first and "agents" in first and db in first, first
    assert json.loads(desk_cmd("incident", "list", "--view", "all", "--json").stdout)["total"] == 6
