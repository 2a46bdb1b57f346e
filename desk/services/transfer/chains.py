"""History rows of an import: staged, checked against the file's own hashes, then re-chained here.

A history row's hash covers its record's id and its actor's id (desk.domain.history_chain): once
ids are mapped, the source desk's hashes cannot verify here. So an import does two things:
  1. it checks every chain in the file against the file's own hashes, with the source's ids,
     from seq 1 — a file whose history was edited is refused whole;
  2. it appends the rows this desk lacks to the record's chain here, each hashed anew on the row
     before it (the same content, seq, time, actor and note): `desk check` verifies the result
     like any other history.
Rows are known by their record and seq: a record's rows that this desk has already must be the
same (time, action, changes, note) as the file's, else the record changed on both desks and
this desk's history is kept (a conflict). Rows arrive in id order, chains interleaved; they are
staged in a temporary table and read back chain by chain, so memory stays flat at any size.
"""

from __future__ import annotations

from datetime import datetime

from desk.db import is_sqlite
from desk.domain.history_chain import GENESIS, row_hash
from desk.services.transfer import spec as specs_
from desk.services.transfer.export import stream

COLUMNS = ("id", "entity", "entity_id", "seq", "at", "actor_id", "action", "changes", "note", "prev_hash", "hash")
STAGE = "transfer_stage"
CHAIN = "transfer_chain"


def _when(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


class Stage:
    def __init__(self, imp):
        self.imp, self.db = imp, imp.db
        self.table = imp.current
        self.name = self.table.spec.name
        missing = [c for c in COLUMNS if c not in self.table.spec.columns]
        if missing:
            raise RuntimeError(f"{self.name}: a chained table needs {missing}")
        self.at = [self.table.spec.columns.index(c) for c in COLUMNS]
        self.src_at = [self.table.take[i] for i in self.at]
        time_type = "TEXT" if is_sqlite(self.db) else "timestamp"
        self.db.execute_sql(f"DROP TABLE IF EXISTS {STAGE}")
        self.db.execute_sql(
            f"CREATE TEMPORARY TABLE {STAGE} (src_id INTEGER, entity TEXT, eid INTEGER, src_eid INTEGER, "
            f"seq INTEGER, at {time_type}, actor INTEGER, src_actor INTEGER, action TEXT, changes TEXT, "
            "note TEXT, prev_hash TEXT, hash TEXT)")
        self.buffer: list = []
        self.sql = f"INSERT INTO {STAGE} VALUES ({', '.join([self.db.param] * 13)})"

    def add(self, t, rec: list, src: list) -> None:
        i_id, i_ent, i_eid, i_seq, i_at, i_actor, i_action, i_changes, i_note, i_prev, i_hash = self.at
        self.buffer.append((
            rec[i_id], rec[i_ent], rec[i_eid], src[self.src_at[2]], rec[i_seq], rec[i_at], rec[i_actor],
            src[self.src_at[5]], rec[i_action], rec[i_changes], rec[i_note], rec[i_prev], rec[i_hash]))
        if len(self.buffer) >= 5000:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.imp.executemany(self.sql, self.buffer, self.name)
            self.buffer = []

    def finish(self) -> None:
        db, hist = self.db, self.name
        self._flush()
        db.execute_sql(f"CREATE INDEX {STAGE}_chain ON {STAGE} (entity, eid, seq)")
        # Records whose rows here differ from the file's at the same seq: changed on both desks.
        diverged = set(db.execute_sql(
            f"SELECT DISTINCT s.entity, s.eid FROM {STAGE} s JOIN {hist} h ON h.entity = s.entity "
            "AND h.entity_id = s.eid AND h.seq = s.seq WHERE h.at <> s.at OR h.action <> s.action "
            "OR h.changes <> s.changes OR h.note <> s.note").fetchall())
        # How far each record's chain here goes, and its last hash (records new here have none).
        db.execute_sql(f"DROP TABLE IF EXISTS {CHAIN}")
        db.execute_sql(
            f"CREATE TEMPORARY TABLE {CHAIN} AS SELECT c.entity, c.eid, h.seq AS lmax, h.hash AS lhash "
            f"FROM (SELECT DISTINCT entity, eid FROM {STAGE}) c JOIN {hist} h ON h.entity = c.entity "
            f"AND h.entity_id = c.eid AND h.seq = (SELECT MAX(seq) FROM {hist} x WHERE x.entity = c.entity "
            "AND x.entity_id = c.eid)")
        db.execute_sql(f"CREATE INDEX {CHAIN}_key ON {CHAIN} (entity, eid)")
        rows = stream(db, f"SELECT s.*, c.lmax, c.lhash FROM {STAGE} s LEFT JOIN {CHAIN} c ON c.entity = s.entity "
                          "AND c.eid = s.eid ORDER BY s.entity, s.eid, s.seq")
        try:
            self._append(rows, diverged)
        finally:
            rows.close()
        db.execute_sql(f"DROP TABLE {CHAIN}")
        db.execute_sql(f"DROP TABLE {STAGE}")

    def _append(self, rows, diverged: set) -> None:
        db, hist = self.db, self.name
        counts = self.imp.result.counts(hist)
        out: list = []
        insert = (f"INSERT INTO {hist} ({', '.join(COLUMNS)}) VALUES ({', '.join([db.param] * len(COLUMNS))})")
        current = None
        appended = False
        src_prev, expected, here_prev, lmax = GENESIS, 1, GENESIS, 0
        for (src_id, entity, eid, src_eid, seq, at, actor, src_actor, action, changes, note, prev_hash, digest,
             c_lmax, c_lhash) in rows:
            key = (entity, eid)
            if key != current:
                if current is not None:
                    self._settle(current, appended, lmax, current in diverged)
                current, appended = key, False
                src_prev, expected = GENESIS, 1
                lmax, here_prev = (c_lmax or 0), (c_lhash or GENESIS)
            when = _when(at)
            if seq != expected or prev_hash != src_prev or row_hash(
                    src_prev, entity, src_eid, seq, when, src_actor, action, changes, note) != digest:
                from desk.services.transfer.reader import ImportRefused

                raise ImportRefused("transfer.import.chain", path=self.imp.reader.path, entity=entity,
                                    id=src_eid, seq=seq)
            src_prev, expected = digest, expected + 1
            if key in diverged:
                counts.conflicts += 1
                continue
            if seq <= lmax:
                counts.unchanged += 1
                continue
            if here_prev == prev_hash and eid == src_eid and actor == src_actor:
                new_hash = digest  # the same row on the same chain: the file's hash is this desk's
            else:
                new_hash = row_hash(here_prev, entity, eid, seq, when, actor, action, changes, note)
            row_id = src_id if src_id > self.table.keep_above else self.imp._next(self.table)
            out.append((row_id, entity, eid, seq, at, actor, action, changes, note, here_prev, new_hash))
            here_prev, appended = new_hash, True
            counts.created += 1
            if len(out) >= 5000:
                self.imp.executemany(insert, out, hist)
                out = []
        if current is not None:
            self._settle(current, appended, lmax, current in diverged)
        if out:
            self.imp.executemany(insert, out, hist)

    def _settle(self, key, appended: bool, lmax: int, diverged: bool) -> None:
        """A record's chain is read: bring the record forward, or report it changed on both desks."""
        entity, eid = key
        table = specs_.entity_table(entity)
        pending = self.imp.pending.pop((table, eid), None)
        counts = self.imp.result.counts(table)
        if diverged:
            counts.conflicts += 1
            if pending is None:
                counts.unchanged -= 1
            self.imp.result.conflicts.append((table, eid, pending[2] if pending else f"{entity}:{eid}"))
        elif pending is not None and appended and lmax > 0:
            t, rec, _origin = pending
            self.imp.update(t, rec)
            counts.updated += 1
        elif pending is not None:
            self.imp.pending[(table, eid)] = pending  # reported by the importer
