"""Schema: creation, numbered upgrade steps, the schema-version row and the history triggers.
The incident title search (schema 3) lives in desk.services.title_search; its names are
importable from here too.

Every step runs in one transaction; afterwards the append-only triggers are (re)created,
because SQLite table rebuilds (peewee's SqliteMigrator add_not_null / alter_column_type)
silently drop a table's triggers. The title search (schema 3) is looked after the same way:
`ensure_search` puts back whatever is missing after every step and at the end of every
`desk init`, and refills the index when it no longer matches the titles.
"""

from __future__ import annotations

from collections.abc import Callable

from desk.db import is_sqlite, write_transaction
from desk.models import Setting
from desk.services.title_search import (  # noqa: F401  (importable from here, as before the split)
    FILL_CHUNK, PG_SEARCH_INDEX, SEARCH_SENTINEL, SEARCH_SINCE, SEARCH_SOURCE, SEARCH_TABLE, SEARCH_TERMS,
    SQLITE_SEARCH_OBJECTS, SQLITE_SEARCH_TRIGGERS, drop_search_triggers, drop_search_view, ensure_search,
    fill_search, search_problems, search_totals,
)

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


Report = Callable[[int, int], None]  # (done, total)


def _step_1_create(db, report: Report | None = None) -> None:
    from desk.models import ALL_MODELS  # (every model: imported here, not by the TUI's start)

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
    ensure_search(db, report, reached=3)


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
    notifications. Open tickets get their clocks from `desk init` (desk.services.sla_sync.backfill)."""
    from desk.models import Escalation, Notification, SlaClock, SlaPause

    db.create_tables([SlaPause, SlaClock, Escalation, Notification], safe=True)


def _step_11_report_indexes(db, report: Report | None = None) -> None:
    """Covering indexes for report figures (issue 16): see desk.services.report_indexes."""
    from desk.services import report_indexes

    report_indexes.step(db, report)


def _step_12_request_due(db, report: Report | None = None) -> None:
    """SLA clocks on service requests (issue 15): a request's stored due time and its index. The
    open requests get their clocks from `desk init` (desk.services.sla_sync.backfill)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from desk.models import ServiceRequest

    present = {c.name for c in db.get_columns("service_request")}
    if "due_at" not in present:  # nullable: an ALTER TABLE ADD COLUMN, no table rebuild
        migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
        migrate(migrator.add_column("service_request", "due_at", ServiceRequest.due_at.__class__(null=True)))
    create_indexes(db, ServiceRequest)


def _step_13_incident_versions(db, report: Report | None = None) -> None:
    """Incidents keep the catalogue version they were raised under (issue 13): the column, and the
    version in force at each recorded incident's opening (desk.services.catalogue_schema)."""
    from desk.services import catalogue_schema

    catalogue_schema.incident_versions_step(db, report)


def _step_14_change_open_index(db, report: Report | None = None) -> None:
    """The change queue's "open" view (issue 18, figure 14): an index on (updated_at, id, status),
    so the newest-updated-first walk and its count read each change's status from the index, not its row."""
    from desk.models import Change

    create_indexes(db, Change)


def _step_15_report_days(db, report: Report | None = None) -> None:
    """The per-day summary of incidents a report of a closed period reads (issue 16, figure 11),
    its change markers and the triggers that write them: see desk.services.report_days_schema."""
    from desk.services import report_days_schema

    report_days_schema.step(db, report)


def _step_16_problem_order_index(db, report: Report | None = None) -> None:
    """The problem queue's views (issue 18, figure 14): an index on (priority, opened_at, id, status),
    the queue's order with the status, so a view's first page and its whole order walk the index
    instead of sorting every problem of the view in a temporary B-tree at each view change."""
    from desk.models import Problem

    create_indexes(db, Problem)


def _step_17_sla_board_index(db, report: Report | None = None) -> None:
    """The wallboard's breached and breaching-soon counts and lists (issue 15, figure 8): an index
    on sla_clock (entity, paused_since, due_at, warn_at), so they read the running clocks of a kind
    by due time from the index, not every clock row (a 1M demo desk with its 333,333 requests has
    65,000 running clocks: the count of the breached ones 7.3 -> 3.0 ms, the soon ones 6.7 -> 0.2 ms)."""
    from desk.models import SlaClock

    create_indexes(db, SlaClock)


def _step_18_problem_change_sort_indexes(db, report: Report | None = None) -> None:
    """The problem and change queues' other sorts (issue 18, figure 14): for each sort key an index
    that gives its order (with the status, for the "open" view), and one per status in that order,
    so that every view's first page walks an index and stops at the page instead of sorting every
    record of the view (at 50,000 changes a view change's first page 7-10 ms -> 0.3 ms of CPU)."""
    from desk.models import Change, Problem

    create_indexes(db, Problem)
    create_indexes(db, Change)


def _step_19_request_sort_indexes(db, report: Report | None = None) -> None:
    """The request queue's sorts (issues 14 and 18, figure 15): (priority, registered_at) for the "all"
    view's default order, (status, registered_at) and (status, updated_at) for a view of some
    statuses by age or last update, so that a view's first page walks an index and stops at the page
    instead of sorting every request of the view (300,000 on a 1M demo desk)."""
    from desk.models import ServiceRequest

    create_indexes(db, ServiceRequest)


def _step_20_sla_first_version(db, report: Report | None = None) -> None:
    """Tickets raised before their service had a catalogue version in force are timed on its first
    version, not the one in force now (issue 15): the running clocks of the open ones are dropped,
    for `desk init` to re-time them (desk.services.sla_retime)."""
    from desk.services import sla_retime

    sla_retime.step(db, report)


def _step_21_problem_change_title_search(db, report: Report | None = None) -> None:
    """The problem and change queues' free-text filter finds titles through an index of their own
    (the incidents' mechanism, desk.services.title_search) instead of reading every title."""
    ensure_search(db, report, reached=21)


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
    11: _step_11_report_indexes,
    12: _step_12_request_due,
    13: _step_13_incident_versions,
    14: _step_14_change_open_index,
    15: _step_15_report_days,
    16: _step_16_problem_order_index,
    17: _step_17_sla_board_index,
    18: _step_18_problem_change_sort_indexes,
    19: _step_19_request_sort_indexes,
    20: _step_20_sla_first_version,
    21: _step_21_problem_change_title_search,
}
SCHEMA_VERSION = max(STEPS)


def ensure_history_triggers(db) -> None:
    for sql in SQLITE_TRIGGERS if is_sqlite(db) else PG_TRIGGERS:
        db.execute_sql(sql)


def history_triggers(db) -> list[str]:
    """Names of the triggers guarding history (for checks and tests); not the report summary's,
    which marks days on history rows (report_days_schema) and guards nothing."""
    if is_sqlite(db):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='history' "
                              "AND substr(name, 1, 11) != 'report_day_'")
    else:
        rows = db.execute_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'history' AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal AND left(t.tgname, 11) <> 'report_day_'"
        )
    return sorted(r[0] for r in rows)


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
    is committed, and in between (n, done, total) from a long step (titles indexed by step 3).
    A database newer than this desk knows is refused before anything is written (an older desk's
    `desk init` would otherwise load its code tables into a schema it does not know)."""
    start = schema_version(db)
    if start > SCHEMA_VERSION:
        from desk.domain.errors import DeskError

        raise DeskError("error.schema_newer", found=start, known=SCHEMA_VERSION)
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
            _ensure_report_days(db, number)
        if progress:
            progress(number, 1, 1)
    reached = max(start, target)
    report = (lambda done, total: progress(reached, done, total)) if progress else None
    with write_transaction(db):
        ensure_history_triggers(db)
        if reached >= SEARCH_SINCE:
            ensure_search(db, report)
        _ensure_report_days(db, reached)
        _ensure_catalogue_triggers(db, reached)
    return start, reached


CATALOGUE_SINCE = 10  # the step that made service_version and its triggers


def _ensure_catalogue_triggers(db, reached: int) -> None:
    """The catalogue's immutability triggers, as history's: a step that rebuilt service_version lost
    them, or they were dropped; put back once the steps are done (`desk check` names what is missing)."""
    from desk.services import catalogue_schema

    if reached >= CATALOGUE_SINCE:
        catalogue_schema.restore_triggers(db)


def _ensure_report_days(db, reached: int) -> None:
    """The report summary's triggers, as the title search's: a step that rebuilt the incident or
    history table lost them (and the summary its trust: it is computed again)."""
    from desk.services import report_days_schema

    if reached >= report_days_schema.SINCE:
        report_days_schema.ensure(db)
