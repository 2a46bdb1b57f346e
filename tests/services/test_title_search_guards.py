"""The title search's own checks and fill (issue 19, tools/mutants/services_title_search.toml):
`desk check` probes every incident of a small desk, the first and the last too; a healthy desk
with short or quoted titles passes; a fill in steps indexes every title. SQLite only: the
trigram index is SQLite's (PostgreSQL's pg_trgm index has no such checks)."""

from __future__ import annotations

import pytest

from conftest import make_desk
from desk.services import check, incidents, queue, title_search


@pytest.fixture
def sqlite_desk(tmp_path, clock):
    desk = make_desk(str(tmp_path / "search.db"), clock)
    yield desk
    desk.close()


def _finds(desk, text):
    return queue.ids(queue.QueueFilter(view="all", text=text), queue.context(desk, "li"))


def _new(desk, *titles):
    return [incidents.create(desk, "li", title=t, impact=2, urgency=2).id for t in titles]


def _edit_unseen(desk, incident_id, title):
    """A title changed while the index's triggers were away (as a bulk load could leave it)."""
    db = desk.db
    dropped = title_search.drop_search_triggers(db)
    db.execute_sql("UPDATE incident SET title = ? WHERE id = ?", (title, incident_id))
    for _, sql in dropped:
        db.execute_sql(sql)


@pytest.mark.parametrize("which", [0, -1])
def test_the_first_and_the_last_incident_are_probed(sqlite_desk, which):
    ids = _new(sqlite_desk, "printer 0 jammed", "printer 1 jammed", "printer 2 jammed", "printer 3 jammed")
    _edit_unseen(sqlite_desk, ids[which], "toner 9 is empty")  # as long as before: the totals agree
    found = [(p.kind, p.entity_id) for p in check.run_check(sqlite_desk).problems]
    assert found == [("search_unfound", ids[which])]


def test_short_and_quoted_titles_pass_the_check(sqlite_desk):
    a, b = _new(sqlite_desk, "ab", 'the 24" screen flickers')
    assert check.run_check(sqlite_desk).problems == []
    assert _finds(sqlite_desk, '24" screen') == [b] and _finds(sqlite_desk, "ab") == [a]


def test_a_fill_in_steps_indexes_every_title_and_says_how_far_it_is(sqlite_desk, monkeypatch):
    ids = _new(sqlite_desk, *(f"disk {i} full" for i in range(5)))
    monkeypatch.setattr(title_search, "FILL_CHUNK", 2)
    heard = []
    title_search.fill_search(sqlite_desk.db, lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 5) and heard[-1] == (5, 5)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert [_finds(sqlite_desk, f"disk {i} full") for i in range(5)] == [[i] for i in ids]
    assert check.run_check(sqlite_desk).problems == []
