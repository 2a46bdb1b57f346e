"""Schema step 15 (issue 16, figure 11): the per-day summary of incidents a report of a closed
period reads instead of every incident of it, and the change markers that keep it true.

- `report_day`: per local day an incident was opened, its priority and the local day `at_day` from
  which a contribution counts (see desk.services.report_days), the sums of the period's headline
  figures.
- `report_day_mix`: per local day opened, category, source and group: how many were opened.
- `report_day_dirty`: the UTC dates (`opened_at`) whose incidents changed since the summary was
  computed. Triggers on the incident table (insert, delete, and an update of any column a figure
  reads) and on history (an `escalate` row: first-call resolution; on SQLite the incident's id, in
  `report_day_dirty_incident`) write them in the writer's own
  transaction, whoever writes: the services, the SLA tick, `desk import`, `desk migrate`, the demo's
  bulk loader, the sqlite3 shell. A marker is never missed, so the summary is never read stale:
  desk.services.report_days.refresh recomputes the marked days before a report reads it.

SQLite keeps one marker per date (INSERT OR IGNORE; writers are serialised, and the refresh reads,
recomputes and deletes markers inside one IMMEDIATE transaction). PostgreSQL: statement triggers
over the transition tables; each marks under a ROW EXCLUSIVE lock of the marker table, which the
refresh's EXCLUSIVE lock waits for, so a change can never commit unseen between the refresh reading
the rows and deleting the markers.

SQLite drops a table's triggers when a later step rebuilds it: `ensure` (run by schema.upgrade
after every step from this one on) puts them back and, if one was missing, forgets the summary's
basis so that the next report recomputes every day.
"""

from __future__ import annotations

from desk.db import is_sqlite

SINCE = 15
SUMMARY = "report_day"
MIX = "report_day_mix"
DIRTY = "report_day_dirty"
DIRTY_IDS = "report_day_dirty_incident"  # SQLite: incidents whose history gained an `escalate` row
BASIS_KEY = "report_days.basis"  # Setting: what the summary was computed with (reports.report_days.basis)

# The incident columns a report's summarised figures read: an update of any of them marks the day.
COLUMNS = ("opened_at", "priority", "category", "source", "group_id", "status", "resolved_at",
           "first_response_at", "due_at", "reopen_count", "escalation_level", "resolved_group_id")
SUMS = ("opened", "resolved", "fcr", "late", "reopened", "ever_resolved", "responded", "response_ms",
        "resolve_ms", "known")

TABLES = (
    f"CREATE TABLE IF NOT EXISTS {SUMMARY} (day VARCHAR(10) NOT NULL, priority INTEGER, "
    f"at_day VARCHAR(10) NOT NULL, {', '.join(f'{s} BIGINT NOT NULL' for s in SUMS)})",
    f"CREATE INDEX IF NOT EXISTS {SUMMARY}_day ON {SUMMARY} (day)",
    f"CREATE TABLE IF NOT EXISTS {MIX} (day VARCHAR(10) NOT NULL, category VARCHAR(255), source VARCHAR(255), "
    "group_id INTEGER, opened BIGINT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {MIX}_day ON {MIX} (day)",
)
SQLITE_DIRTY = (f"CREATE TABLE IF NOT EXISTS {DIRTY} (day VARCHAR(10) PRIMARY KEY)",
                f"CREATE TABLE IF NOT EXISTS {DIRTY_IDS} (id INTEGER PRIMARY KEY)")
PG_DIRTY = (f"CREATE TABLE IF NOT EXISTS {DIRTY} (day VARCHAR(10) NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {DIRTY}_day ON {DIRTY} (day)")


def _mark(value: str) -> str:
    return f"INSERT OR IGNORE INTO {DIRTY} (day) SELECT date({value}) WHERE {value} IS NOT NULL;"


SQLITE_TRIGGERS = [
    ("report_day_insert", f"CREATE TRIGGER IF NOT EXISTS report_day_insert AFTER INSERT ON incident "
                          f"BEGIN {_mark('NEW.opened_at')} END"),
    ("report_day_update", f"CREATE TRIGGER IF NOT EXISTS report_day_update AFTER UPDATE OF {', '.join(COLUMNS)} "
                          f"ON incident BEGIN {_mark('OLD.opened_at')} {_mark('NEW.opened_at')} END"),
    ("report_day_delete", f"CREATE TRIGGER IF NOT EXISTS report_day_delete AFTER DELETE ON incident "
                          f"BEGIN {_mark('OLD.opened_at')} END"),
    # By the incident's id, not its date: a trigger that named the incident table would stop SQLite
    # renaming it, which a table rebuild by a later schema step does (the refresh reads the dates)
    ("report_day_escalate", f"CREATE TRIGGER IF NOT EXISTS report_day_escalate AFTER INSERT ON history "
                            "WHEN NEW.entity = 'incident' AND NEW.action = 'escalate' "
                            f"BEGIN INSERT OR IGNORE INTO {DIRTY_IDS} (id) VALUES (NEW.entity_id); END"),
]

_PG_DAY = "to_char({t}.opened_at, 'YYYY-MM-DD')"


def _pg_mark(source: str) -> str:
    """Mark the dates of the incidents in `source` (a transition table, or a join), skipping the
    marked ones; under the lock the refresh waits for (module docstring)."""
    day = _PG_DAY.format(t="r")
    return (f"LOCK TABLE {DIRTY} IN ROW EXCLUSIVE MODE; "
            f"INSERT INTO {DIRTY} (day) SELECT DISTINCT {day} FROM {source} r WHERE r.opened_at IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {DIRTY} d WHERE d.day = {day});")


PG_TRIGGERS = [
    ("desk_report_day_mark", f"""CREATE OR REPLACE FUNCTION desk_report_day_mark() RETURNS trigger AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') THEN {_pg_mark('old_rows')} END IF;
         IF TG_OP IN ('UPDATE', 'INSERT') THEN {_pg_mark('new_rows')} END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql"""),
    ("desk_report_day_escalate", f"""CREATE OR REPLACE FUNCTION desk_report_day_escalate() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM appended WHERE entity = 'incident' AND action = 'escalate') THEN
           {_pg_mark("(SELECT i.opened_at FROM appended a JOIN incident i ON i.id = a.entity_id "
                     "WHERE a.entity = 'incident' AND a.action = 'escalate')")}
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql"""),
    ("report_day_insert", "CREATE TRIGGER report_day_insert AFTER INSERT ON incident REFERENCING NEW TABLE AS "
                          "new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_report_day_mark()"),
    # (a column list is not allowed with transition tables: every UPDATE statement checks its rows)
    ("report_day_update", "CREATE TRIGGER report_day_update AFTER UPDATE ON incident REFERENCING OLD TABLE AS "
                          "old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_report_day_mark()"),
    ("report_day_delete", "CREATE TRIGGER report_day_delete AFTER DELETE ON incident REFERENCING OLD TABLE AS "
                          "old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_report_day_mark()"),
    ("report_day_escalate", "CREATE TRIGGER report_day_escalate AFTER INSERT ON history REFERENCING NEW TABLE AS "
                            "appended FOR EACH STATEMENT EXECUTE FUNCTION desk_report_day_escalate()"),
]
TRIGGER_NAMES = ("report_day_insert", "report_day_update", "report_day_delete", "report_day_escalate")


def exists(db) -> bool:
    """Whether the summary's tables are there (schema 15), in this connection's schema."""
    if is_sqlite(db):
        sql = f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{DIRTY}'"
    else:
        sql = f"SELECT 1 WHERE to_regclass('{DIRTY}') IS NOT NULL"
    return db.execute_sql(sql).fetchone() is not None


def triggers(db) -> list[str]:
    """The names of the summary's triggers present (for `ensure` and tests)."""
    if is_sqlite(db):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                              "AND substr(name, 1, 11) = 'report_day_'")
    else:
        rows = db.execute_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = to_regnamespace(current_schema()) AND NOT t.tgisinternal "
            "AND left(t.tgname, 11) = 'report_day_'")
    return sorted(r[0] for r in rows.fetchall())


def step(db, report=None) -> None:
    """Create the tables and the triggers (the summary is computed by the first report that reads it)."""
    for sql in TABLES + (SQLITE_DIRTY if is_sqlite(db) else PG_DIRTY):
        db.execute_sql(sql)
    ensure(db)


def ensure(db) -> bool:
    """Put back the triggers that are missing; if one was, changes may have gone unmarked: forget
    the basis (the next refresh recomputes every day). Returns whether one was missing. Runs inside
    the caller's transaction."""
    if not exists(db):
        return False
    present = set(triggers(db))
    if present >= set(TRIGGER_NAMES):
        return False
    if is_sqlite(db):
        for _name, sql in SQLITE_TRIGGERS:
            db.execute_sql(sql)
    else:
        for name, sql in PG_TRIGGERS:
            if name.startswith("report_day_"):
                table = "history" if name == "report_day_escalate" else "incident"
                db.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            db.execute_sql(sql)
    db.execute_sql(f"DELETE FROM setting WHERE key = {'?' if is_sqlite(db) else '%s'}", (BASIS_KEY,))
    return True
