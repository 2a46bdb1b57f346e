"""Fresh desks without running `desk init` for every test.

`desk init` costs about 0.1 s on SQLite and 1-2 s on PostgreSQL (some 900 DDL statements), and
some 2,500 tests start from a fresh desk. Each xdist worker therefore builds a desk once per
(config, clock) and hands out copies:

- SQLite: the built file is copied (milliseconds): byte for byte what init wrote, but for the
  desk's id (a random UUID init makes), which each copy gets anew (new_desk_id).
- PostgreSQL: a pool of schemas, each built by a real init. A test's schema is put back in the
  pool only if its structure is exactly as init left it (no catalogue row of its tables, columns,
  defaults, indexes, constraints, triggers, functions, policies, sequences or types added, removed
  or rewritten: a trigger disabled or a grant counts); the tables whose rows differ from init's get
  init's rows back (from a snapshot taken right after init) and every sequence its value. A schema
  whose structure a test changed is dropped, never reused.

Nothing here is used unless the session fixture in conftest.py has set `ROOT`.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid

ROOT: str | None = None  # this worker's directory for template files (set per session)
PG_URL = os.environ.get("DESK_TEST_PG")

_sqlite_files: dict[str, str] = {}  # key -> template file


def key(config, clock) -> str:
    """What init's output depends on besides the code: the config's data and the clock's time
    (make_desk always acts as admin, in English)."""
    return json.dumps([config.data, clock.now], sort_keys=True, default=str)


def new_desk_id(desk) -> None:
    """A copy gets an id of its own, as init would have made it: the one thing init makes at
    random, and what an import tells this desk's own rows from another desk's by."""
    from desk.db import write_transaction
    from desk.models import Setting
    from desk.services.schema import DESK_ID_KEY

    with write_transaction(desk.db):
        Setting.update(value=str(uuid.uuid4())).where(Setting.key == DESK_ID_KEY).execute()


# --- SQLite ----------------------------------------------------------------------------------------

def sqlite_copy(path: str, k: str, build) -> bool:
    """Copy the template for `k` to `path` (building it with `build(template_path)` on first
    use). False when `path` already exists: that test re-opens or re-inits a desk on purpose."""
    if ROOT is None or any(os.path.exists(path + s) for s in ("", "-wal", "-journal")):
        return False
    template = _sqlite_files.get(k)
    if template is None:
        template = os.path.join(ROOT, f"desk-{len(_sqlite_files)}.db")
        build(template)
        _sqlite_files[k] = template
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    shutil.copy(template, path)  # mode bits too (0660, as init makes them)
    if os.path.exists(template + "-wal"):
        shutil.copy(template + "-wal", path + "-wal")
    return True


# --- PostgreSQL ------------------------------------------------------------------------------------

def _schema_url(name: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={name}"


# Each catalogue row of the schema's objects: how many there are and the newest writer (xmin). Any
# DDL (a column, an index, a trigger disabled, a grant, a function replaced, a policy, a sequence's
# settings) writes such a row or removes one; rows, sequences' values, VACUUM and ANALYZE do not.
STRUCTURE = """
WITH n AS (SELECT oid FROM pg_namespace WHERE nspname = %(s)s),
cls AS (SELECT c.oid, c.xmin FROM pg_class c, n WHERE c.relnamespace = n.oid)
SELECT 'namespace', count(*), max(xmin::text::bigint) FROM pg_namespace WHERE nspname = %(s)s
UNION ALL SELECT 'class', count(*), max(xmin::text::bigint) FROM cls
UNION ALL SELECT 'attribute', count(*), max(a.xmin::text::bigint) FROM pg_attribute a JOIN cls ON cls.oid = a.attrelid
UNION ALL SELECT 'attrdef', count(*), max(d.xmin::text::bigint) FROM pg_attrdef d JOIN cls ON cls.oid = d.adrelid
UNION ALL SELECT 'index', count(*), max(i.xmin::text::bigint) FROM pg_index i JOIN cls ON cls.oid = i.indrelid
UNION ALL SELECT 'constraint', count(*), max(k.xmin::text::bigint) FROM pg_constraint k, n WHERE k.connamespace = n.oid
UNION ALL SELECT 'trigger', count(*), max(t.xmin::text::bigint) FROM pg_trigger t JOIN cls ON cls.oid = t.tgrelid
UNION ALL SELECT 'proc', count(*), max(p.xmin::text::bigint) FROM pg_proc p, n WHERE p.pronamespace = n.oid
UNION ALL SELECT 'policy', count(*), max(p.xmin::text::bigint) FROM pg_policy p JOIN cls ON cls.oid = p.polrelid
UNION ALL SELECT 'rewrite', count(*), max(r.xmin::text::bigint) FROM pg_rewrite r JOIN cls ON cls.oid = r.ev_class
UNION ALL SELECT 'sequence', count(*), max(q.xmin::text::bigint) FROM pg_sequence q JOIN cls ON cls.oid = q.seqrelid
UNION ALL SELECT 'type', count(*), max(t.xmin::text::bigint) FROM pg_type t, n WHERE t.typnamespace = n.oid
UNION ALL SELECT 'description', count(*), max(d.xmin::text::bigint) FROM pg_description d JOIN cls ON cls.oid = d.objoid
"""

_TABLES = """
SELECT c.relname,
       array_agg(quote_ident(a.attname) ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
GROUP BY c.relname ORDER BY c.relname
"""


class PgPool:
    """This worker's schemas holding a fresh desk of one (config, clock) key, ready to hand out."""

    def __init__(self):
        import psycopg2

        self.conn = psycopg2.connect(PG_URL, options="-c synchronous_commit=off -c jit=off")
        self.conn.autocommit = True
        self.key: str | None = None
        self.free: list[str] = []
        self.structure: dict[str, list] = {}  # schema -> its catalogue rows right after init
        self.lent: dict[str, bool] = {}  # url -> still holding init's desk (not yet opened)
        self.snapshot: str | None = None  # a schema with init's rows as plain tables
        self.tables: dict[str, tuple] = {}  # table -> (columns, (count, md5) of init's rows)
        self.sequences: dict[str, tuple] = {}  # sequence -> (last_value, is_called) after init
        self.reusable = True

    def _cur(self):
        return self.conn.cursor()

    def _structure(self, schema: str) -> list:
        cur = self._cur()
        cur.execute(STRUCTURE, {"s": schema})
        return cur.fetchall()

    def _contents(self, schema: str) -> dict[str, tuple]:
        """Each table's row count and the md5 of its rows in the order a scan returns them."""
        cur = self._cur()
        cur.execute(" UNION ALL ".join(
            f"SELECT '{t}', count(*), md5(string_agg(r::text, E'\\n')) FROM {schema}.{t} r" for t in self.tables))
        return {t: (count, digest) for t, count, digest in cur.fetchall()}

    def _new_schema(self, build) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self._cur().execute(f"CREATE SCHEMA {name}")
        build(_schema_url(name))
        self.structure[name] = self._structure(name)
        if self.snapshot is None:
            self._take_snapshot(name)
        return name

    def _take_snapshot(self, schema: str) -> None:
        cur = self._cur()
        cur.execute(_TABLES, (schema,))
        columns = dict(cur.fetchall())
        snap = "t_" + uuid.uuid4().hex[:12] + "_init"
        cur.execute(f"CREATE SCHEMA {snap}")
        for table in columns:  # (desk's table names are plain identifiers)
            cur.execute(f"CREATE TABLE {snap}.{table} AS SELECT * FROM {schema}.{table}")
        self.snapshot = snap
        self.tables = {t: (cols, None) for t, cols in columns.items()}
        contents = self._contents(schema)
        self.tables = {t: (cols, contents[t]) for t, cols in columns.items()}
        cur.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relkind = 'S'", (schema,))
        for (seq,) in cur.fetchall():
            cur.execute(f"SELECT last_value, is_called FROM {schema}.{seq}")
            self.sequences[seq] = cur.fetchone()

    def take(self, k: str, build) -> str | None:
        """A schema URL holding init's desk for `k` (`build(url)` runs init into an empty schema),
        or None for a key other than the pool's: that test gets an empty schema, as it would anyway."""
        if self.key is None:
            self.key = k
        if k != self.key:
            return None
        name = self.free.pop() if self.free else self._new_schema(build)
        url = _schema_url(name)
        self.lent[url] = True
        return url

    def claim(self, url: str, k: str) -> bool:
        """make_desk(url): True the first time for a lent URL and the pool's key (init's desk is
        there). For another key the schema is emptied, for init to run into as on any schema."""
        if not self.lent.pop(url, False):
            return False
        if k == self.key:
            return True
        name = _schema_of(url)
        self._cur().execute(f"DROP SCHEMA {name} CASCADE; CREATE SCHEMA {name}")
        self.structure.pop(name, None)  # never back into the pool
        return False

    def give_back(self, url: str) -> None:
        """Back into the pool with init's rows if its structure is still init's, else dropped."""
        self.lent.pop(url, None)
        name = _schema_of(url)
        expected = self.structure.get(name)
        try:
            if self.reusable and expected is not None and self._structure(name) == expected:
                self._reset(name)
                self.free.append(name)
                return
        except Exception:
            self.reusable = False  # (say, no right to set session_replication_role): drop them all
        self.structure.pop(name, None)
        self._cur().execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    def _reset(self, schema: str) -> None:
        """The changed tables get init's rows again (DELETE then INSERT, triggers and foreign keys
        off for it: the append-only history's guard included), every sequence its value."""
        contents = self._contents(schema)
        sql = ["SET LOCAL session_replication_role = replica", "SET LOCAL lock_timeout = '30s'"]
        for table, (cols, init) in self.tables.items():
            if contents[table] == init:
                continue
            sql.append(f"DELETE FROM {schema}.{table}")
            if init[0]:
                c = ", ".join(cols)
                sql.append(f"INSERT INTO {schema}.{table} ({c}) SELECT {c} FROM {self.snapshot}.{table}")
        sql.append("SELECT " + ", ".join(f"setval('{schema}.{seq}', {int(v)}, {bool(called)})"
                                         for seq, (v, called) in self.sequences.items()))
        self.conn.autocommit = False
        try:
            self._cur().execute(";\n".join(sql))
            self.conn.commit()
        except Exception:
            self.conn.rollback()
            raise
        finally:
            self.conn.autocommit = True

    def close(self) -> None:
        for name in self.free + ([self.snapshot] if self.snapshot else []):
            self._cur().execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        self.conn.close()


def _schema_of(url: str) -> str:
    from desk.db import Target

    return Target("postgres", url=url).schema


_pool: PgPool | None = None


def pg_take(k: str, build) -> str | None:
    global _pool
    if ROOT is None or not PG_URL:
        return None
    if _pool is None:
        _pool = PgPool()
    return _pool.take(k, build)


def pg_give_back(url: str) -> None:
    _pool.give_back(url)


def prepared(url: str, k: str, build) -> bool:
    """make_desk's question: does `url` already hold init's desk for `k`? (A SQLite path is filled
    from the template here; `build(target)` runs init.)"""
    from desk.db import resolve_target

    target = resolve_target(url)
    if target.kind == "postgres":
        return _pool is not None and _pool.claim(url, k)
    return sqlite_copy(target.path, k, build)


def close() -> None:
    global _pool, ROOT
    if _pool is not None:
        _pool.close()
        _pool = None
    _sqlite_files.clear()
    ROOT = None
