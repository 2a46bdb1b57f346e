"""Schema: creation, numbered upgrade steps, the schema-version row, the history triggers and
the incident title search.

Every step runs in one transaction; afterwards the append-only triggers are (re)created,
because SQLite table rebuilds (peewee's SqliteMigrator add_not_null / alter_column_type)
silently drop a table's triggers. The title search (schema 3) is looked after the same way:
`ensure_search` puts back whatever is missing after every step and at the end of every
`desk init`, and refills the index when it no longer matches the titles.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import DatabaseError

from desk.db import is_sqlite, write_transaction
from desk.models import ALL_MODELS, Setting

VERSION_KEY = "schema_version"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
]
PG_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION desk_history_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'history is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS history_no_change ON history",
    """CREATE TRIGGER history_no_change BEFORE UPDATE OR DELETE ON history
       FOR EACH ROW EXECUTE FUNCTION desk_history_append_only()""",
    "DROP TRIGGER IF EXISTS history_no_truncate ON history",
    """CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
       FOR EACH STATEMENT EXECUTE FUNCTION desk_history_append_only()""",
    # Live refresh (desk.lists.changes.Listener): each statement appending history rows notifies
    # "entity:id,..." (or "*": too many for one notification) on desk_history_<schema>, from
    # the writing transaction: delivered at its commit, so no commit is ever missed.
    """CREATE OR REPLACE FUNCTION desk_history_notify() RETURNS trigger AS $$
       DECLARE payload text;
       BEGIN
         SELECT string_agg(DISTINCT entity || ':' || entity_id, ',') INTO payload FROM appended;
         IF payload IS NULL THEN RETURN NULL; END IF;
         IF length(payload) > 7000 THEN payload := '*'; END IF;
         PERFORM pg_notify('desk_history_' || TG_TABLE_SCHEMA, payload);
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS history_notify ON history",
    """CREATE TRIGGER history_notify AFTER INSERT ON history REFERENCING NEW TABLE AS appended
       FOR EACH STATEMENT EXECUTE FUNCTION desk_history_notify()""",
]

# --- the incident title search (schema 3) -------------------------------------------------------
#
# SQLite: incident_fts, an FTS5 index of the trigrams (every run of three characters) of each
# title. What it indexes is lower(title) — SQLite's lower() folds ASCII letters only, as LIKE
# does, so the index finds exactly what `title LIKE '%text%'` finds — followed by two U+001F
# sentinels, so that every one- or two-character piece of a title starts some indexed trigram
# (a two-character word such as 蓝屏 is found through the index as well; see desk.services.queue).
# External content: the index keeps no copy of the titles; FTS5 reads them through the view
# incident_fts_source when it rebuilds. Triggers keep it in step with every insert, title edit
# and delete. incident_fts_terms lists the indexed trigrams (fts5vocab).
#
# PostgreSQL: a GIN index with pg_trgm's trigram operator class serves ILIKE '%text%' itself.
# Installing pg_trgm needs a privilege a desk's database user may lack: the upgrade goes on
# without it (searches then scan), and a later `desk init` adds the index once pg_trgm is there.

SEARCH_SINCE = 3
SEARCH_TABLE = "incident_fts"
SEARCH_TERMS = "incident_fts_terms"
SEARCH_SOURCE = "incident_fts_source"
SEARCH_SENTINEL = "\x1f"  # what follows each indexed title, twice; a search containing it is not looked up
PG_SEARCH_INDEX = "incident_title_trgm"

_INDEXED = "lower({row}.title) || char(31, 31)"  # the indexed text of a title (SQLite)
SQLITE_SEARCH_OBJECTS = [
    (SEARCH_SOURCE, f"CREATE VIEW IF NOT EXISTS {SEARCH_SOURCE} AS "
                    f"SELECT id, {_INDEXED.format(row='incident')} AS title FROM incident"),
    (SEARCH_TABLE, f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(title, "
                   f"content='{SEARCH_SOURCE}', content_rowid='id', tokenize='trigram case_sensitive 1', "
                   "columnsize=0)"),
    (SEARCH_TERMS, f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TERMS} USING fts5vocab({SEARCH_TABLE}, row)"),
]
_ADD = f"INSERT INTO {SEARCH_TABLE}(rowid, title) VALUES (new.id, {_INDEXED.format(row='new')});"
_REMOVE = (f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title) "
           f"VALUES ('delete', old.id, {_INDEXED.format(row='old')});")
SQLITE_SEARCH_TRIGGERS = [
    ("incident_fts_insert", f"CREATE TRIGGER IF NOT EXISTS incident_fts_insert AFTER INSERT ON incident "
                            f"BEGIN {_ADD} END"),
    ("incident_fts_update", f"CREATE TRIGGER IF NOT EXISTS incident_fts_update AFTER UPDATE OF title ON incident "
                            f"BEGIN {_REMOVE} {_ADD} END"),
    ("incident_fts_delete", f"CREATE TRIGGER IF NOT EXISTS incident_fts_delete AFTER DELETE ON incident "
                            f"BEGIN {_REMOVE} END"),
]
FILL_CHUNK = 50_000  # incidents per step of a reported fill

Report = Callable[[int, int], None]  # (done, total)


def _step_1_create(db, report: Report | None = None) -> None:
    db.create_tables(ALL_MODELS, safe=True)


def _step_2_queue_indexes(db, report: Report | None = None) -> None:
    """The queue sorts open incidents by last update, and all incidents by SLA target."""
    from desk.models import Incident

    create_indexes(db, Incident)


def create_indexes(db, model) -> None:
    """The model's indexes on columns its table has. A step runs with today's models: the indexes
    of columns a later step adds are that step's to create."""
    present = {c.name for c in db.get_columns(model._meta.table_name)}
    for index in model._meta.fields_to_index():
        columns = {getattr(e, "column_name", None) for e in getattr(index, "_expressions", ())}
        if columns and None not in columns and columns <= present:
            db.execute(model._schema._create_index(index, safe=True))


def _step_3_title_search(db, report: Report | None = None) -> None:
    """The queue's free-text filter finds titles through an index instead of reading every one."""
    ensure_search(db, report)


def _step_4_alerts_and_transfer(db, report: Report | None = None) -> None:
    """Monitoring alerts (one open incident per fingerprint), the external reference of a migrated
    ticket, the origin of an incident imported from another desk, and this desk's own id."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from desk.models import Alert, Incident

    present = {c.name for c in db.get_columns("incident")}
    migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
    for name in ("external_ref", "origin"):
        if name not in present:  # nullable: an ALTER TABLE ADD COLUMN, no table rebuild
            field = Incident._meta.fields[name]
            migrate(migrator.add_column("incident", name, type(field)(null=True)))
    create_indexes(db, Incident)
    db.create_tables([Alert], safe=True)
    ensure_desk_id(db)


DESK_ID_KEY = "desk_id"


def ensure_desk_id(db) -> str:
    """This desk's id (a UUID made once): what an export names its incidents' origin with."""
    import uuid

    row = Setting.get_or_none(Setting.key == DESK_ID_KEY)
    if row is None:
        row = Setting.create(key=DESK_ID_KEY, value=str(uuid.uuid4()))
    return row.value


def _step_5_problems_changes(db, report: Report | None = None) -> None:
    """Problems and changes (issue 18): their tables, and the index that finds recurring incidents."""
    from desk.models import Change, ChangeApproval, ChangeIncident, Problem, ProblemIncident
    from desk.services import problem_candidates

    db.create_tables([Change, ChangeApproval, ChangeIncident, Problem, ProblemIncident], safe=True)
    problem_candidates.ensure_index(db)


def _step_6_requests(db, report: Report | None = None) -> None:
    """Service requests (issue 14): the requests, their approval levels, approvers' substitutes."""
    from desk.models import ApprovalDelegation, RequestApproval, ServiceRequest

    db.create_tables([ServiceRequest, RequestApproval, ApprovalDelegation], safe=True)


def _step_7_reports(db, report: Report | None = None) -> None:
    """Service reports (issue 16): the report list, the reports of each period, their feedback;
    and an index on history by kind of record, action and time, from which a report counts the
    period's escalations, returns and reopenings without reading every history row."""
    from desk.models import ReportFeedback, ReportSpec
    from desk.models import Report as ReportRow

    db.create_tables([ReportSpec, ReportRow, ReportFeedback], safe=True)
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {HISTORY_ACTION_INDEX} ON history (entity, action, at)")


HISTORY_ACTION_INDEX = "history_entity_action_at"


def _step_8_transfer_origin(db, report: Report | None = None) -> None:
    """Where imported rows came from (`desk import`): what a later import of the same desk matches them by."""
    from desk.models import TransferOrigin

    db.create_tables([TransferOrigin], safe=True)
def _step_10_catalogue(db, report: Report | None = None) -> None:
    """The service catalogue (issue 13): categories, immutable versions, requirements, drafts."""
    from desk.services import catalogue_schema

    catalogue_schema.step(db, report)


def _step_9_sla(db, report: Report | None = None) -> None:
    """SLA clocks (issue 15): the pause ledger, the running clocks the tick reads, escalations and
    notifications. Open tickets get their clocks from `desk init` (desk.services.sla.backfill)."""
    from desk.models import Escalation, Notification, SlaClock, SlaPause

    db.create_tables([SlaPause, SlaClock, Escalation, Notification], safe=True)


def _step_11_request_due(db, report: Report | None = None) -> None:
    """SLA clocks on service requests (issue 15): a request's stored due time and its index. The
    open requests get their clocks from `desk init` (desk.services.sla.backfill)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from desk.models import ServiceRequest

    present = {c.name for c in db.get_columns("service_request")}
    if "due_at" not in present:  # nullable: an ALTER TABLE ADD COLUMN, no table rebuild
        migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
        migrate(migrator.add_column("service_request", "due_at", ServiceRequest.due_at.__class__(null=True)))
    create_indexes(db, ServiceRequest)


# Step n upgrades a database at version n-1 to version n.
# A new step: a function here (or in the area's own module) and a line below. Steps that only add
# tables create them with `db.create_tables([...], safe=True)`; step 1 creates every model anyway.
STEPS: dict[int, Callable] = {
    1: _step_1_create,
    2: _step_2_queue_indexes,
    3: _step_3_title_search,
    4: _step_4_alerts_and_transfer,
    5: _step_5_problems_changes,
    6: _step_6_requests,
    7: _step_7_reports,
    8: _step_8_transfer_origin,
    9: _step_9_sla,
    10: _step_10_catalogue,
    11: _step_11_request_due,
}
SCHEMA_VERSION = max(STEPS)


def ensure_history_triggers(db) -> None:
    for sql in SQLITE_TRIGGERS if is_sqlite(db) else PG_TRIGGERS:
        db.execute_sql(sql)


def history_triggers(db) -> list[str]:
    """Names of the triggers guarding history (for checks and tests)."""
    if is_sqlite(db):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='history'")
    else:
        rows = db.execute_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'history' AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal"
        )
    return sorted(r[0] for r in rows)


# --- the title search: state, repair, fill ------------------------------------------------------

def _sqlite_objects(db) -> set[str]:
    names = [name for name, _ in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS]
    marks = ", ".join("?" for _ in names)
    return {r[0] for r in db.execute_sql(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names)}


def _varints(blob: bytes) -> list[int]:
    """SQLite varints (FTS5 writes its records with them)."""
    out, value, count = [], 0, 0
    for byte in blob:
        count += 1
        if count == 9:
            out.append((value << 8) | byte)
            value, count = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, count = 0, 0
    return out


def search_totals(db) -> tuple[tuple[int, int], tuple[int, int]]:
    """((titles, trigrams) the index holds, (incidents, trigrams) their titles make). Equal when
    the index is in step: a title of n characters is indexed as n + 2 (the sentinels), which
    makes n trigrams. FTS5 keeps its own totals in its averages record (row 1 of its data)."""
    row = db.execute_sql(f"SELECT block FROM {SEARCH_TABLE}_data WHERE id = 1").fetchone()
    held = (_varints(row[0]) + [0, 0])[:2] if row and row[0] else [0, 0]
    count, chars = db.execute_sql("SELECT COUNT(*), COALESCE(SUM(length(title)), 0) FROM incident").fetchone()
    return (held[0], held[1]), (int(count), int(chars))


def _probe(db, samples: int = 64) -> int | None:
    """Look up a few titles spread over the ids through the index: the first incident it does
    not find, or None. (FTS5's own 'integrity-check' would take the write lock, and hold it
    for seconds at a million incidents: not for a live desk.)"""
    top = db.execute_sql("SELECT MAX(id) FROM incident").fetchone()[0] or 0
    step = max(top // samples, 1)
    rows = db.execute_sql(
        f"SELECT id, lower(title) FROM incident WHERE id IN "
        f"({', '.join(str(i) for i in range(step, top + 1, step)) or '0'}) AND length(title) >= 3").fetchall()
    for incident_id, text in rows:
        phrase = '"' + text[:16].replace('"', '""') + '"'
        found = db.execute_sql(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? AND rowid = ?",
                               (phrase, incident_id)).fetchone()
        if found is None:
            return incident_id
    return None


def search_problems(db) -> list[tuple[str, dict]]:
    """What is wrong with the title search, as (kind, params): `search_missing` (name),
    `search_stale` (the totals differ), `search_unfound` (id: an incident its own title does not
    find), `search_broken` (detail: the index cannot be read). Read-only. On PostgreSQL
    only a missing index while pg_trgm is installed counts (without pg_trgm searches scan)."""
    if not is_sqlite(db):
        if _pg_trgm_schema(db) is not None and not _pg_has_index(db):
            return [("search_missing", {"name": PG_SEARCH_INDEX})]
        return []
    present = _sqlite_objects(db)
    missing = [name for name, _ in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS if name not in present]
    if missing:
        return [("search_missing", {"name": name}) for name in missing]
    try:
        (held, held_chars), (count, chars) = search_totals(db)
        if (held, held_chars) != (count, chars):
            return [("search_stale", {"indexed": held, "indexed_chars": held_chars, "incidents": count,
                                      "chars": chars})]
        unfound = _probe(db)
    except DatabaseError as exc:
        return [("search_broken", {"detail": (str(exc).strip() or type(exc).__name__).splitlines()[0]})]
    return [("search_unfound", {"id": unfound})] if unfound is not None else []


def fill_search(db, report: Report | None = None) -> None:
    """Index every title again (SQLite): all at once, or in steps of FILL_CHUNK ids when
    `report` wants to hear how far it is (about 8 s for a million incidents)."""
    if report is None:
        db.execute_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
        return
    db.execute_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
    low, top = db.execute_sql("SELECT MIN(id), MAX(id) FROM incident").fetchone()
    total = db.execute_sql("SELECT COUNT(*) FROM incident").fetchone()[0]
    report(0, total)
    if top is not None:
        start = low - 1
        while start < top:
            db.execute_sql(f"INSERT INTO {SEARCH_TABLE}(rowid, title) SELECT id, {_INDEXED.format(row='incident')} "
                           "FROM incident WHERE id > ? AND id <= ?", (start, start + FILL_CHUNK))
            start += FILL_CHUNK
            report(min(total, total * (start - low + 1) // (top - low + 1)), total)
    report(total, total)


def drop_search_triggers(db) -> list[tuple[str, str]]:
    """Drop the SQLite triggers that keep the index in step (a bulk load fills it once at the
    end instead): (name, CREATE statement) of each one dropped."""
    present = _sqlite_objects(db)
    dropped = [(name, sql) for name, sql in SQLITE_SEARCH_TRIGGERS if name in present]
    for name, _ in dropped:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    return dropped


def drop_search_view(db) -> None:
    """SQLite will not rename a table while a view names a table that is not there, which is what
    a table rebuild does (peewee's SqliteMigrator): every step runs without the view."""
    if is_sqlite(db):
        db.execute_sql(f"DROP VIEW IF EXISTS {SEARCH_SOURCE}")


def ensure_search(db, report: Report | None = None) -> bool:
    """Create what is missing of the title search; on SQLite refill the index when it was
    created, a trigger was missing (titles may have changed unseen) or it no longer matches the
    titles. Returns whether it refilled. Runs inside the caller's transaction."""
    if not is_sqlite(db):
        _pg_search(db)
        return False
    present = _sqlite_objects(db)
    for name, sql in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS:
        if name not in present:
            db.execute_sql(sql)
    lost = any(name not in present for name, _ in [SQLITE_SEARCH_OBJECTS[1], *SQLITE_SEARCH_TRIGGERS])
    if lost or search_problems(db):
        fill_search(db, report)
        return True
    return False


def _pg_trgm_schema(db) -> str | None:
    row = db.execute_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                         "WHERE extname = 'pg_trgm'").fetchone()
    return row[0] if row else None


def _pg_has_index(db) -> bool:
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (PG_SEARCH_INDEX,)).fetchone()[0]


def _pg_search(db) -> None:
    schema = _pg_trgm_schema(db)
    if schema is None:
        # In public where allowed (a schema dropped with its desk would take the extension, and
        # every other desk's index, with it); else in the desk's own schema.
        for sql in ("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public", "CREATE EXTENSION IF NOT EXISTS pg_trgm"):
            try:
                with db.atomic():  # a savepoint: a refusal must not spoil the upgrade's transaction
                    db.execute_sql(sql)
                break
            except DatabaseError:
                continue
        schema = _pg_trgm_schema(db)
    if schema is not None and not _pg_has_index(db):
        db.execute_sql(f"CREATE INDEX {PG_SEARCH_INDEX} ON incident USING gin (title {schema}.gin_trgm_ops)")


# --- versions -----------------------------------------------------------------------------------

def schema_version(db) -> int:
    if not db.table_exists("setting"):
        return 0
    row = Setting.get_or_none(Setting.key == VERSION_KEY)
    return int(row.value) if row else 0


def upgrade(db, target: int = SCHEMA_VERSION,
            progress: Callable[[int, int, int], None] | None = None) -> tuple[int, int]:
    """Bring the database to `target`. Returns (from_version, to_version).

    `progress(step, done, total)` hears of the work: (n, 0, 1) as step n starts, (n, 1, 1) when it
    is committed, and in between (n, done, total) from a long step (titles indexed by step 3)."""
    start = schema_version(db)
    for number in range(start + 1, target + 1):
        report = (lambda done, total, n=number: progress(n, done, total)) if progress else None
        if progress:
            progress(number, 0, 1)
        with write_transaction(db):
            drop_search_view(db)
            STEPS[number](db, report)
            Setting.insert(key=VERSION_KEY, value=str(number)).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: str(number)}
            ).execute()
            ensure_history_triggers(db)
            if number > SEARCH_SINCE:  # step 3 made it; a later step may have rebuilt the incident table
                ensure_search(db, report)
        if progress:
            progress(number, 1, 1)
    reached = max(start, target)
    report = (lambda done, total: progress(reached, done, total)) if progress else None
    with write_transaction(db):
        ensure_history_triggers(db)
        if reached >= SEARCH_SINCE:
            ensure_search(db, report)
    return start, reached
