"""The paging / count / window query layer for a kind whose table is not a million rows deep
(problems, changes, requests, catalogue entries, reports): one model, a `where` built from the
kind's filter, orders by name. The incident queue has its own tuned layer (desk.services.queue).

    PAGING = Paging(Problem, where, {"priority": [(Problem.priority, False), (Problem.opened_at, False)]})
    PAGING.count(f, ctx); PAGING.window(f, ctx, sort, offset, limit, descending); PAGING.iter_ids(...)

Every order ends with the id (the same direction as its first key), so pages never overlap.
"""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any, NamedTuple

from peewee import NodeList, SQL, fn


class ListContext(NamedTuple):
    """Who is looking and when."""

    login: str
    agent_id: int | None
    group_id: int | None
    now: datetime
    tz: Any = None  # the desk's zone ([sla] timezone): its days are the days a substitution names

    def at(self, now: datetime) -> "ListContext":
        return self._replace(now=now)


def context(desk, login: str | None = None) -> ListContext:
    from desk.models import Agent
    from desk.timefmt import zone

    login = login or desk.user
    agent = Agent.get_or_none(Agent.login == login)
    now = desk.now()
    return ListContext(login, agent.id if agent else None, agent.group_id if agent else None, now,
                       zone(desk.config))


def like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def contains(column, text: str):
    """`column` holds `text`, the case of ASCII letters aside (LIKE; ILIKE on PostgreSQL)."""
    from desk.db import is_sqlite

    op = "LIKE" if is_sqlite() else "ILIKE"
    mark = "?" if is_sqlite() else "%s"
    return NodeList((column, SQL(f"{op} {mark} ESCAPE '\\'", [like(text)])))


class Paging:
    def __init__(self, model, where, orders: dict) -> None:
        self.model = model
        self.where = where  # (filter, ctx) -> [conditions]
        self.orders = orders  # sort -> [(column, descending)], the id appended

    def _query(self, f, ctx, *fields):
        query = self.model.select(*fields)
        conds = self.where(f, ctx)
        return query.where(*conds) if conds else query

    def _order(self, sort: str, descending: bool):
        keys = list(self.orders.get(sort) or next(iter(self.orders.values())))
        keys.append((self.model.id, keys[0][1]))
        return [column.desc() if desc != descending else column.asc() for column, desc in keys]

    def count(self, f, ctx) -> int:
        # COUNT(*), not COUNT(id): SQLite counts a whole table from its b-tree's pages without
        # reading an entry (an "all" view's count costs the same at any size), and a filtered one
        # without reading each entry's id to test it for NULL (figure 14: 0.73 -> 0.01 ms and
        # 1.31 -> 0.52 ms of CPU for 20,000 problems, all / open).
        return self._query(f, ctx, fn.COUNT(SQL("*"))).scalar() or 0

    def window(self, f, ctx, sort: str, offset: int = 0, limit: int = 100, descending: bool = False) -> list[int]:
        query = self._query(f, ctx, self.model.id).order_by(*self._order(sort, descending))
        return [r[0] for r in query.offset(offset).limit(limit).tuples()]

    def iter_ids(self, f, ctx, sort: str, descending: bool = False, chunk: int = 5_000, execute=None):
        from desk.db import database

        sql, params = self._query(f, ctx, self.model.id).order_by(*self._order(sort, descending)).sql()
        cursor = (execute or database.execute_sql)(sql, params)
        try:
            yield from id_chunks(cursor, chunk)
        finally:
            cursor.close()


def id_chunks(cursor, chunk: int):
    """The first column of a cursor's rows, `chunk` ids a list. Each row's tuple is let go once its
    id is taken: `fetchmany(chunk)` held 5,000 of them at once, and every 700 live ones set off a
    garbage collection (19 for 20,000 problems, ~1,400 for a million incidents), now and then a full
    one of the app's whole heap (~40 ms) that the UI thread waits out for the interpreter."""
    first = itemgetter(0)
    while True:
        ids = list(map(first, islice(cursor, chunk)))
        if not ids:
            return
        yield ids


def message_aliases(prefix: str, codes) -> dict[str, str]:
    """Filter bar aliases for codes labelled by messages (`{prefix}{code}`, both languages, and a
    label's first word) -> the code; codes win over labels."""
    from desk.i18n import t

    out: dict[str, str] = {}
    for code in codes:
        for lang in ("en", "zh"):
            words = t(f"{prefix}{code}", lang).split()
            if words:
                out.setdefault(" ".join(words).lower(), code)
                out.setdefault(words[0].lower(), code)
    for code in codes:
        out[code] = code
    return out


def title_counted(index: str, all_filter, pager):
    """A list's count function: a text alone on the "all" view (`all_filter`) is counted in the title
    search's index named `index` (desk.services.title_search: "PROBLEMS", "CHANGES"), its matches'
    rows not read (0.9 ms rather than 4-5 ms for 5,000 of 50,000 changes); anything else, and what
    the index cannot answer, by `pager()`'s count."""

    def count(f, ctx) -> int:
        from desk.services import queue_text, title_search

        if f._replace(text="") == all_filter:
            found = queue_text.count_titles(getattr(title_search, index), f.text)
            if found is not None:
                return found
        return pager().count(f, ctx)

    return count
