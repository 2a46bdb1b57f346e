"""How the queue matches the free text of a filter: the plans (drive, probe, rows, a bounded
walk), chosen from an estimate of the matches, and the SQL condition of each. desk.services.queue
builds its queries with them; each way gives the same rows in the same order."""

from __future__ import annotations

import string
from typing import NamedTuple

from peewee import SQL, IntegerField, NodeList

from desk.models import Caller, Incident


def _unindexed(column, everywhere: bool = False):
    """`+column`: SQLite then will not use an index on it (PostgreSQL plans well without the hint,
    except when it cannot know how few rows a text matches: then `everywhere`, and the column
    plus nothing — which PostgreSQL's indexes do not hold either)."""
    from desk.db import is_sqlite

    if is_sqlite():
        return NodeList((SQL("+"), column), glue="")
    if not everywhere or column is Incident.id:
        return column
    zero = "0" if isinstance(column, IntegerField) else "interval '0'"
    return NodeList((SQL("("), column, SQL(f"+ {zero})")))


def selective(f) -> bool:
    """Does the filter narrow the table a lot (a status set, a group, an assignee)? Then the
    rows are best found through the filter's index and sorted, rather than found by walking
    the sort order's index past a million closed incidents."""
    return f.view != "all" or bool(f.statuses or f.groups or f.assignees or f.breached or f.refs)


# --- free text ------------------------------------------------------------------------------------
#
# A text filter finds the incidents whose title or caller's name contains the text, the case of
# ASCII letters aside (LIKE on SQLite; ILIKE on PostgreSQL, which folds every letter). What is
# typed is matched literally: % and _ are characters like any other.
#
# SQLite finds titles through incident_fts (desk.services.schema), a trigram index of each
# lower-cased title: text of three characters or more is a phrase of its trigrams; text of two
# (蓝屏) is any indexed trigram that starts with it (the index lists them); one character, or text
# holding the index's sentinel, is compared row by row. How a query uses the matches depends on
# how many there are, estimated first from the index (it reads at most ESTIMATE_CAP of them):
#   drive  few: look each match up, sort them;
#   probe  more: collect the matches in a set, walk the order's index keeping the ids in the set;
#   rows   very many: walk the order reading each row's title — the first page is a few hundred
#          rows away. A window tries this within a bound (the first `walk` rows of the order)
#          and falls back to drive or probe when the bound leaves it short.
# Every way gives the same rows in the same order; only the time differs. The walks assume the
# matches spread evenly over the order; words that come with low priorities (printers) make the
# priority order's walk longer, which is why a walk is bounded or weighed with a margin.
#
# PostgreSQL's planner weighs its own trigram index (pg_trgm, GIN) against walking the order.

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_FTS = "incident_fts"
_CALLERS = "SELECT id FROM caller WHERE name LIKE ? ESCAPE '\\'"
_PG_CALLERS = "SELECT id FROM caller WHERE name ILIKE %s ESCAPE '\\'"
PG_CALLERS_CAP = 50_000
_PG_SEEK = 2.3  # PostgreSQL, µs per match read (bitmap heap scan) and sorted
_PG_ROW = 1.8  # PostgreSQL, µs per row of the order walked and its title compared
ESTIMATE_CAP = 500  # matches read to estimate how many there are
TERMS_CAP = 256  # indexed trigrams a two-character search may stand for; more: row by row
# What each way costs, in µs (SQLite 3.40, a million incidents, warm cache):
_BUILD = 0.3  # per match: found in the index and put in the set
_PROBE = 0.06  # per entry of the order walked: looked up in the set
_SEEK = 2.0  # per match: its row read and sorted
_ROW = 1.0  # per entry of the order walked: its row read and its title compared
# A walk's length were the matches spread evenly over the order is need * rows / matches. They
# are not (printers come with low priorities): a probe's walk is weighed at _SPREAD times that,
# and a window's rows walk is tried within _ATTEMPT times that.
_SPREAD = 8
_ATTEMPT = 3
_SELECTIVE_ROWS = 10_000  # rows a selective filter's own index yields (open incidents: ~5k at 1M)


class _Text(NamedTuple):
    """How one query matches a text. `mode`: "nothing" (no title or name can hold it), "rows",
    "probe" or "drive"; `match`: the FTS5 expression for titles; `walk`: for a window, first try
    mode "rows" within the first `walk` rows of the order (None: do not)."""

    like: str  # the LIKE pattern: %text% with \\ % _ escaped
    match: str | None
    mode: str
    walk: int | None = None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _title_match(text: str, kind=None) -> tuple[str | None, int | None]:
    """(FTS5 expression for the titles of `kind` (incidents by default) containing `text`, or
    None: not through the index; an upper bound of the matching titles when the expression came
    from the index's terms)."""
    from desk.db import database
    from desk.services.title_search import INCIDENTS, SEARCH_SENTINEL

    SEARCH_TERMS = (kind or INCIDENTS).terms
    lowered = text.translate(_ASCII_LOWER)
    if len(lowered) < 2 or SEARCH_SENTINEL in lowered:
        return None, None
    if len(lowered) >= 3:
        return _fts_phrase(lowered), None
    rows = database.execute_sql(f"SELECT term, doc FROM {SEARCH_TERMS} WHERE term >= ? AND term <= ? LIMIT ?",
                                (lowered, lowered + "\U0010ffff", TERMS_CAP + 1)).fetchall()
    if len(rows) > TERMS_CAP:
        return None, None
    if not rows:  # no indexed title holds it: a phrase that finds nothing
        return _fts_phrase(lowered + SEARCH_SENTINEL * 3), 0
    return " OR ".join(_fts_phrase(term) for term, _ in rows), sum(doc for _, doc in rows)


_TEXT_MODE: str | None = None  # tests force a mode, or "walk:N" (a window's walk of N rows, then probe)


def _text_plan(f, need: int | None, sort: str = "priority") -> _Text | None:
    """How to match `f.text` when the first `need` rows of the order are wanted (None: all)."""
    from desk.db import is_sqlite

    text = f.text.strip()
    if not text:
        return None
    like = _like(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (undecodable bytes on argv): no row holds one
        return _Text(like, None, "nothing")
    if "\x00" in text:  # no title or name holds a NUL (and PostgreSQL cannot even be asked)
        return _Text(like, None, "nothing")
    if not is_sqlite():
        if _TEXT_MODE in ("drive", "rows"):
            return _Text(like, None, _TEXT_MODE)
        # pg_trgm's index needs three characters; with fewer, reading the matches means a scan
        drive = need is not None and len(text) >= 3 and not selective(f) and _pg_drive(like, need)
        return _Text(like, None, "drive" if drive else "rows")
    match, bound = _title_match(text)
    if match is None:
        return _Text(like, None, "rows")
    if _TEXT_MODE and _TEXT_MODE.startswith("walk:"):
        return _Text(like, match, "probe", walk=int(_TEXT_MODE[5:]) if need else None)
    if _TEXT_MODE:
        return _Text(like, match, _TEXT_MODE)
    return _choose(like, match, bound, need, selective(f), _walkable(sort))


def _walkable(sort: str) -> bool:
    """A bounded walk compares row values, which cannot hold NULL: the SLA order can be walked
    while every incident has a due time (none is held, and every priority has a target)."""
    from desk.db import database

    return sort != "sla" or database.execute_sql("SELECT 1 FROM incident WHERE due_at IS NULL LIMIT 1").fetchone() \
        is None


def _choose(like: str, match: str, bound: int | None, need: int | None, narrow: bool, walkable: bool) -> _Text:
    """The cheapest way by the costs above, from an estimate of the matches."""
    from desk.db import database

    found, last, callers, top = database.execute_sql(
        f"SELECT t.n, t.last, c.n, (SELECT MAX(id) FROM incident) FROM "
        f"(SELECT COUNT(*) AS n, MAX(r) AS last FROM (SELECT rowid AS r FROM {_FTS} WHERE {_FTS} MATCH ? LIMIT ?)) t, "
        f"(SELECT COUNT(*) AS n FROM (SELECT 1 FROM incident WHERE caller_id IN ({_CALLERS}) LIMIT ?)) c",
        (match, ESTIMATE_CAP, like, ESTIMATE_CAP)).fetchone()
    rows = max(top or 0, 1)
    titles = found if found < ESTIMATE_CAP else found * rows // max(last or 1, 1)  # as dense as the first ones
    if bound is not None:
        titles = min(titles, bound)
    matches = max(titles + callers, 1)
    costs = {"drive": matches * _SEEK}
    if narrow:  # the filter's own index yields its rows; each is checked
        costs["probe"] = matches * _BUILD + _SELECTIVE_ROWS * _PROBE
        costs["rows"] = _SELECTIVE_ROWS * _ROW
        return _Text(like, match, min(costs, key=costs.get))
    if need is None:  # every match: the whole order is walked
        costs["probe"] = matches * _BUILD + rows * _PROBE
        return _Text(like, match, min(costs, key=costs.get))
    even = need * rows / matches
    costs["probe"] = matches * _BUILD + min(rows, _SPREAD * even) * _PROBE
    mode = min(costs, key=costs.get)
    walk = int(min(rows, _ATTEMPT * even))
    if walkable and walk * _ROW < costs[mode]:
        return _Text(like, match, mode, walk=max(walk, need))
    return _Text(like, match, mode)


def _pg_drive(like: str, need: int) -> bool:
    """Read every match and sort them, rather than walk the order? From the matches PostgreSQL
    expects for the titles (it tries the pattern on its column statistics) and the callers'
    incidents (counted, up to PG_CALLERS_CAP)."""
    from desk.db import database

    plan = database.execute_sql("EXPLAIN (FORMAT JSON) SELECT 1 FROM incident WHERE title ILIKE %s ESCAPE '\\'",
                                (like,)).fetchone()[0]
    callers, top = database.execute_sql(
        f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM incident WHERE caller_id = ANY(ARRAY({_PG_CALLERS})) "
        "LIMIT %s) AS c), (SELECT MAX(id) FROM incident)", (like, PG_CALLERS_CAP)).fetchone()
    matches = max(float(plan[0]["Plan"]["Plan Rows"]) + callers, 1.0)
    rows = max(top or 0, 1)
    return matches * _PG_SEEK < min(rows, _SPREAD * need * rows / matches) * _PG_ROW


def _text_condition(text: _Text, mode: str | None = None):
    from desk.db import is_sqlite

    mode = mode or text.mode
    if mode == "nothing":
        return SQL("1 = 0")
    sqlite = is_sqlite()
    op, mark = "LIKE", "?"
    if not sqlite:  # an array, not a subquery: the trigram index and the caller index then combine (BitmapOr)
        return (NodeList((Incident.title, SQL("ILIKE %s ESCAPE '\\'", [text.like])))
                | NodeList((Incident.caller, SQL(f"= ANY(ARRAY({_PG_CALLERS}))", [text.like]))))
    if mode == "rows" or text.match is None:
        def like(column):
            return NodeList((column, SQL(f"{op} {mark} ESCAPE '\\'", [text.like])))

        return like(Incident.title) | Incident.caller.in_(Caller.select(Caller.id).where(like(Caller.name)))
    matches = SQL(f"(SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ? "
                  f"UNION ALL SELECT id FROM incident WHERE caller_id IN ({_CALLERS}))", [text.match, text.like])
    return (Incident.id if mode == "drive" else _unindexed(Incident.id)).in_(matches)


def _count_text_only(text: _Text) -> int:
    """The matches of a text alone, from the index and the caller index (no incident row read):
    the titles found, plus the callers' incidents whose title is not among them."""
    from desk.db import database

    return database.execute_sql(
        f"SELECT (SELECT COUNT(*) FROM {_FTS} WHERE {_FTS} MATCH ?) + "
        f"(SELECT COUNT(*) FROM incident WHERE caller_id IN ({_CALLERS}) "
        f"AND id NOT IN (SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ?))",
        (text.match, text.like, text.match)).fetchone()[0]


def title_contains(model, text: str):
    """The condition "`model`'s title holds `text`" (the case of ASCII letters aside; % and _ are
    characters like any other) of the problem and change queues. A page walks the order comparing
    titles: it is a few hundred rows away, which costs less than reading the title search's
    matches as a set (1.2 against 2.8 ms of CPU for the count and first page of "printer" at
    50,000 changes, 5,000 matches); their count of a text alone is read from the index
    (count_titles)."""
    from desk.lists.paging import contains

    text = text.strip()
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate (undecodable argv): no title holds one, and SQLite cannot be asked
        return model.id.in_([])
    return contains(model.title, text)


def count_titles(kind, text: str) -> int | None:
    """How many records of `kind` have a title holding `text`, counted in the index alone (no
    record read); None where the index cannot answer (PostgreSQL, text it does not look up)."""
    from desk.db import database, is_sqlite

    text = text.strip()
    if not is_sqlite() or "\x00" in text:
        return None
    try:
        text.encode()
    except UnicodeEncodeError:
        return None
    match, _ = _title_match(text, kind)
    if match is None:
        return None
    return database.execute_sql(f"SELECT COUNT(*) FROM {kind.table} WHERE {kind.table} MATCH ?",
                                (match,)).fetchone()[0]
