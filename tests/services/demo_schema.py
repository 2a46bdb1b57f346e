"""What a demo load must leave as it found: the schema's indexes (test_demo.py, test_demo_indexes.py)."""

from __future__ import annotations

from desk.db import is_sqlite


def index_sql(desk) -> list:
    """Indexes, and on SQLite the triggers (the title search's are dropped by a first load)."""
    if is_sqlite(desk.db):
        return sorted(desk.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                          "AND sql IS NOT NULL").fetchall())
    return sorted(desk.db.execute_sql("SELECT indexname, indexdef FROM pg_indexes "
                                      "WHERE schemaname = current_schema()").fetchall())
