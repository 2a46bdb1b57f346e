from dataclasses import replace
from datetime import datetime, timedelta

from desk.domain.history_chain import GENESIS, ChainRow, dump_changes, row_hash, verify_chain

T0 = datetime(2026, 11, 2, 9, 0, 0, 123456)


def chain(n=4):
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = T0 + timedelta(minutes=seq)
        changes = dump_changes({"status": ["a", f"s{seq}"]})
        digest = row_hash(prev, "incident", 1, seq, at, 2, "assign", changes, f"note {seq}")
        rows.append(ChainRow(seq, "incident", 1, seq, at, 2, "assign", changes, f"note {seq}", prev, digest))
        prev = digest
    return rows


def test_intact_chain_verifies():
    assert verify_chain(chain()) is None


def test_edited_note_breaks_at_that_row():
    rows = chain()
    rows[2] = replace(rows[2], note="rewritten")
    found = verify_chain(rows)
    assert (found.seq, found.what) == (3, "hash")


def test_deleted_row_is_a_gap():
    rows = chain()
    del rows[1]
    assert verify_chain(rows).seq == 3 and verify_chain(rows).what == "seq"


def test_rehashed_row_breaks_the_next_link():
    rows = chain()
    r = rows[1]
    forged = replace(r, note="forged")
    forged = replace(forged, hash=row_hash(r.prev_hash, r.entity, r.entity_id, r.seq, r.at, r.actor_id, r.action,
                                           r.changes, "forged"))
    rows[1] = forged
    found = verify_chain(rows)
    assert (found.seq, found.what) == (3, "link")


def test_hash_covers_time_to_the_microsecond():
    a = row_hash(GENESIS, "incident", 1, 1, T0, 1, "create", "{}", "")
    b = row_hash(GENESIS, "incident", 1, 1, T0 + timedelta(microseconds=1), 1, "create", "{}", "")
    assert a != b
