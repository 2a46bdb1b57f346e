"""The queue's free-text filter: what a user typing in the filter bar finds.

A text finds the incidents whose title or caller's name contains it, the case of ASCII letters
aside; what is typed is taken literally (% _ \\ quotes, control characters, Chinese). On SQLite
the titles are found through a trigram index (schema 3) that triggers keep in step; the query
layer picks one of several ways to use it from an estimate of the matches — each way must give
the same rows in the same order, so the tests force each in turn. Runs on PostgreSQL too when
DESK_TEST_PG is set.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

import pytest

from desk.db import is_sqlite
from desk.models import Agent, Caller, Group, Incident
from desk.services import incidents, queue, queue_text, schema

TITLES = [
    "VPN drops every hour", "vpn: cannot connect (error 809)", "Printer jammed on 3F", "打印机卡纸", "打印机无法打印",
    "电脑蓝屏", "蓝屏了", "开机蓝屏 - 北京分行", "50% of mails bounce", "disk_usage at 95%", "path C:\\Temp\\x full",
    'quote " and \' in title', "tab\there", "bell \x07 and esc \x1b[2J", "unit\x1fseparator", "x", "蓝", "ab",
    "ÉCOLE réseau",
    "Mail server down", "mailbox full", "MAILBOX FULL again", "Outlook keeps asking for the password", "password reset",
    "emoji 🖨️ printer", "a_b_c", "a%b%c", "aXb",
]
CALLERS = ["Zhang Wei", "李娜", "Emily Carter", "O'Brien", "Wei_Wei", None]
SEARCHES = [
    "vpn", "VPN", "Vpn Drops", "printer", "打印机", "打印", "蓝屏", "蓝", "屏", "%", "_", "50%", "a_b", "a%b", "\\", "C:\\Temp",
    '"', "'", 'quote "', "\t", "\x07", "\x1b[2J", "\x1f", "t\x1fs", "x", "ab", "mailbox", "MAILBOX", "ÉCOLE", "école",
    "réseau", "wei", "Zhang", "李", "李娜", "o'b", "carter", "🖨️", "nothing like this", "  mail  ", "r\x00x",
]
MODES = [None, "drive", "probe", "rows", "walk:1", "walk:7"]


def matches(text: str, title: str, caller: str | None) -> bool:
    """The reference: ASCII letters' case aside on SQLite (LIKE); every letter's on PostgreSQL (ILIKE)."""
    def fold(s: str) -> str:
        if not is_sqlite():
            return s.lower()
        return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)

    text = fold(text.strip())
    return text in fold(title) or (caller is not None and text in fold(caller))


@pytest.fixture
def searchable(desk, clock):
    """Every title above, three times over, with callers, statuses, priorities and groups mixed."""
    rnd = random.Random(11)
    agents = [a.id for a in Agent.select()]
    groups = [g.id for g in Group.select()]
    callers = {name: Caller.create(name=name).id for name in CALLERS if name}
    rows = []
    for i in range(3 * len(TITLES)):
        status = rnd.choice(["new", "assigned", "in_progress", "resolved", "closed"])
        priority = rnd.randint(1, 4)
        opened = clock.now - timedelta(minutes=rnd.randint(0, 5000))
        caller = rnd.choice(CALLERS)
        rows.append(dict(
            title=TITLES[i % len(TITLES)], impact=2, urgency=2, priority=priority, status=status, tier=1,
            group=rnd.choice(groups), assignee=None if status == "new" else rnd.choice(agents),
            caller=callers.get(caller), opened_at=opened, updated_at=opened + timedelta(minutes=rnd.randint(0, 60)),
            due_at=opened + timedelta(minutes=desk.config.targets(priority).resolve_minutes),
            resolved_at=opened if status in ("resolved", "closed") else None,
            closed_at=clock.now - timedelta(minutes=rnd.randint(0, 900)) if status == "closed" else None,
            version=1))
    with desk.db.atomic():
        Incident.insert_many(rows).execute()
    return desk


@pytest.fixture
def force():
    def set_mode(mode):
        queue_text._TEXT_MODE = mode
    yield set_mode
    queue_text._TEXT_MODE = None


class Reference:
    """The view's own order (tested against a plain reading in test_queue), kept where the text matches."""

    def __init__(self, ctx):
        self.ctx = ctx
        names = {c.id: c.name for c in Caller.select()}
        self.rows = {i.id: (i.title, names.get(i.caller_id)) for i in Incident.select()}
        self.orders: dict = {}

    def __call__(self, f: queue.QueueFilter, sort: str, descending: bool = False) -> list[int]:
        key = (f.with_(text=""), sort, descending)
        if key not in self.orders:
            self.orders[key] = queue.ids(key[0], self.ctx, sort, descending)
        if "\x00" in f.text:
            return []
        return [i for i in self.orders[key] if matches(f.text, *self.rows[i])]


def test_every_search_finds_titles_and_callers_in_every_view_and_sort(searchable):
    ctx = queue.context(searchable, "li")
    expected_ids = Reference(ctx)
    for text in SEARCHES:
        for view in queue.VIEWS:
            f = queue.QueueFilter(view=view, text=text)
            for sort in queue.SORTS:
                expected = expected_ids(f, sort)
                assert queue.window(f, ctx, sort, 0, 500) == expected, (text, view, sort)
            assert queue.count(f, ctx) == len(expected), (text, view)


def test_every_way_of_matching_gives_the_same_rows(searchable, force):
    ctx = queue.context(searchable, "li")
    expected_ids = Reference(ctx)
    for mode in MODES[1:]:
        force(mode)
        for text in SEARCHES[::3]:
            for view in ("all", "open", "closed_today"):
                f = queue.QueueFilter(view=view, text=text)
                for sort in queue.SORTS:
                    assert queue.window(f, ctx, sort, 0, 500) == expected_ids(f, sort), (mode, text, view, sort)
                assert queue.count(f, ctx) == len(expected_ids(f, "age")), (mode, text, view)


def test_pages_and_the_whole_order_agree(searchable, force):
    ctx = queue.context(searchable, "li")
    expected_ids = Reference(ctx)
    for mode in MODES:
        force(mode)
        for text in ("mail", "蓝屏", "打印机", "printer", "wei"):
            f = queue.QueueFilter(view="all", text=text)
            for sort in queue.SORTS:
                for descending in (False, True):
                    expected = expected_ids(f, sort, descending)
                    assert expected, text
                    assert queue.ids(f, ctx, sort, descending) == expected
                    pages = [queue.window(f, ctx, sort, start, 4, descending) for start in range(0, len(expected), 4)]
                    assert [i for page in pages for i in page] == expected, (mode, text, sort, descending)


def test_a_search_is_literal_text_not_a_pattern(searchable):
    ctx = queue.context(searchable, "li")

    def titles(text):
        found = queue.ids(queue.QueueFilter(view="all", text=text), ctx)
        return {i.title for i in Incident.select().where(Incident.id.in_(found))}

    assert titles("a_b") == {"a_b_c"}  # not aXb
    assert titles("a%b") == {"a%b%c"}
    assert titles("50%") == {"50% of mails bounce"}
    assert titles("C:\\Temp") == {"path C:\\Temp\\x full"}
    assert titles("%") == {"50% of mails bounce", "disk_usage at 95%", "a%b%c"}


def test_case_is_ignored_for_ascii_letters(searchable):
    ctx = queue.context(searchable, "li")
    lower = queue.ids(queue.QueueFilter(view="all", text="mailbox full"), ctx)
    assert lower == queue.ids(queue.QueueFilter(view="all", text="MailBox FULL"), ctx)
    assert {i.title for i in Incident.select().where(Incident.id.in_(lower))} == {"mailbox full", "MAILBOX FULL again"}


def test_new_incidents_title_edits_and_deletions_are_found_at_once(searchable):
    desk = searchable
    ctx = queue.context(desk, "li")

    def found(text):
        f = queue.QueueFilter(view="all", text=text)
        return queue.count(f, ctx), queue.ids(f, ctx, "age")

    assert found("coffee machine") == (0, [])
    made = incidents.create(desk, "li", title="Coffee machine leaks", impact=3, urgency=3, caller="Ada Lovelace")
    assert found("coffee machine") == (1, [made.id])
    assert found("lovelace") == (1, [made.id])
    assert found("咖啡") == (0, [])
    Incident.update(title="咖啡机漏水").where(Incident.id == made.id).execute()
    assert found("coffee machine") == (0, [])
    assert found("咖啡") == (1, [made.id]) and found("咖啡机漏水") == (1, [made.id])
    assert found("lovelace") == (1, [made.id])  # the caller still finds it
    Incident.update(status="closed").where(Incident.id == made.id).execute()  # not the title: nothing to do
    assert found("咖啡") == (1, [made.id])
    Incident.delete().where(Incident.id == made.id).execute()
    assert found("咖啡") == (0, [])
    if is_sqlite(desk.db):
        desk.db.execute_sql("INSERT INTO incident_fts(incident_fts) VALUES ('integrity-check')")
    assert schema.search_problems(desk.db) == []


def test_the_filter_combines_with_other_terms(searchable):
    ctx = queue.context(searchable, "li")
    f = queue.QueueFilter(view="all", text="蓝屏", priorities=frozenset({1, 2}), statuses=frozenset({"new", "closed"}))
    got = queue.ids(f, ctx)
    expected = [i.id for i in Incident.select().where(Incident.title.contains("蓝屏") & Incident.priority.in_([1, 2])
                                                      & Incident.status.in_(["new", "closed"]))]
    assert sorted(got) == sorted(expected) and queue.count(f, ctx) == len(expected)


def test_scoped_agents_search_only_what_they_may_see(searchable):
    ctx = queue.context(searchable, "wang", scoped=True)
    f = queue.QueueFilter(view="all", text="printer")
    got = queue.ids(f, ctx)
    for inc in Incident.select().where(Incident.id.in_(got)):
        assert inc.group_id == ctx.group_id or inc.assignee_id == ctx.agent_id
    assert queue.count(f, ctx) == len(got)


# --- SQLite: the index, its plans, its copies ----------------------------------------------------------------

@pytest.fixture
def sqlite_searchable(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "search.db"), clock)
    for i in range(40):
        incidents.create(desk, "li", title=f"{['VPN', '打印机', 'mail'][i % 3]} trouble {i}", impact=3, urgency=3,
                         caller="Zhang Wei" if i % 5 == 0 else None)
    yield desk
    desk.close()


def _plan(desk, query) -> list[str]:
    sql, params = query.sql()
    return [r[-1] for r in desk.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def _reads_every_row(plan: list[str]) -> bool:
    """A step that scans the incident table itself (t1: the query's own alias for it)."""
    return any(step.split(" ")[:2] in (["SCAN", "t1"], ["SCAN", "incident"]) and "INDEX" not in step for step in plan)


SORT_INDEX = {"priority": "incident_priority_opened_at", "sla": "incident_due_at_id", "age": "incident_opened_at",
              "updated": "incident_updated_at"}


def test_sqlite_plans_walk_the_sort_index_or_read_the_matches_never_the_table(sqlite_searchable, force):
    """probe: the order's covering index, each entry looked up in the set of matches found through
    the trigram index; drive: each match read by id, then sorted. Neither reads every row."""
    desk = sqlite_searchable
    ctx = queue.context(desk, "li")
    f = queue.QueueFilter(view="all", text="trouble")
    for sort in queue.SORTS:
        force("probe")
        plan = _plan(desk, queue._ordered(f, ctx, sort, False, queue._text_plan(f, 120, sort)).limit(120))
        assert plan[0] == f"SCAN t1 USING COVERING INDEX {SORT_INDEX[sort]}", plan
        assert "SCAN incident_fts VIRTUAL TABLE INDEX 0:M1" in plan and not any("TEMP B-TREE" in p for p in plan), plan
        assert not _reads_every_row(plan)
        force("drive")
        plan = _plan(desk, queue._ordered(f, ctx, sort, False, queue._text_plan(f, 120, sort)).limit(120))
        assert plan[0] == "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)", plan
        assert "USE TEMP B-TREE FOR ORDER BY" in plan and not _reads_every_row(plan), plan
    for view in queue.VIEWS:  # a selective view: its own index finds its rows
        if queue.selective(queue.QueueFilter(view=view)):
            for mode in ("probe", "drive"):
                force(mode)
                g = queue.QueueFilter(view=view, text="trouble")
                plan = _plan(desk, queue._ordered(g, ctx, "priority", False, queue._text_plan(g, 120)).limit(120))
                assert not _reads_every_row(plan), (view, mode, plan)


def test_sqlite_counts_a_text_alone_from_the_indexes(sqlite_searchable):
    desk = sqlite_searchable
    text = queue._text_plan(queue.QueueFilter(view="all", text="wei"), None)
    sql = ("SELECT (SELECT COUNT(*) FROM incident_fts WHERE incident_fts MATCH ?) + (SELECT COUNT(*) FROM incident "
           "WHERE caller_id IN (SELECT id FROM caller WHERE name LIKE ? ESCAPE '\\') "
           "AND id NOT IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?))")
    plan = [r[-1] for r in desk.db.execute_sql("EXPLAIN QUERY PLAN " + sql, (text.match, text.like, text.match))]
    touching = [p for p in plan if " incident " in p + " "]
    assert touching == ["SEARCH incident USING COVERING INDEX incident_caller_id (caller_id=?)"], plan
    ctx = queue.context(desk, "li")
    assert queue.count(queue.QueueFilter(view="all", text="wei"), ctx) == 8
    assert queue.count(queue.QueueFilter(view="all", text="VPN trouble"), ctx) == 14


def test_two_characters_are_found_through_the_index_one_by_reading_rows(sqlite_searchable):
    text = queue._text_plan(queue.QueueFilter(view="all", text="打印"), 120)
    assert text.match is not None and "打印机" in text.match  # the indexed trigrams that start with it
    assert queue._text_plan(queue.QueueFilter(view="all", text="打"), 120).mode == "rows"
    assert queue._text_plan(queue.QueueFilter(view="all", text="zq"), 120).match is not None  # nothing indexed


def test_a_restored_backup_still_filters(sqlite_searchable, tmp_path):
    from desk.services import backup
    from desk.services.context import open_desk

    desk = sqlite_searchable
    ctx = queue.context(desk, "li")
    f = queue.QueueFilter(view="all", text="打印机")
    before = queue.ids(f, ctx)
    copy = tmp_path / "copy.db"
    backup.backup(desk, str(copy))
    desk.close()
    restored = open_desk(str(copy), user="admin")
    try:
        assert schema.search_problems(restored.db) == []
        assert queue.ids(f, queue.context(restored, "li")) == before and len(before) == 13
        made = incidents.create(restored, "li", title="打印机 in the copy", impact=3, urgency=3)
        assert made.id in queue.ids(f, queue.context(restored, "li"))
    finally:
        restored.close()


def test_the_index_holds_no_copy_of_the_titles(sqlite_searchable):
    """External content: the titles live in incident only; the index keeps trigrams."""
    path = sqlite_searchable.db.database
    conn = sqlite3.connect(path)
    try:
        blobs = b"".join(r[0] for r in conn.execute("SELECT block FROM incident_fts_data"))
        assert "trouble 17".encode() not in blobs
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'incident_fts_content'").fetchone() is None
    finally:
        conn.close()
