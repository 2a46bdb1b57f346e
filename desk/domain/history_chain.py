"""The hash chain over history rows: each row's hash covers its content and the previous hash,
so editing or deleting a row breaks verification at that row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


def canonical_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


# One encoder for every history row: json.dumps with these options builds a new one per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode


def dump_changes(changes: dict) -> str:
    return _ENCODE(changes)


def row_hash(prev_hash: str, entity: str, entity_id: int, seq: int, at: datetime, actor_id: int | None,
             action: str, changes_json: str, note: str) -> str:
    return row_hash_text(prev_hash, entity, entity_id, seq, canonical_time(at), actor_id, action, changes_json, note)


def row_hash_text(prev_hash: str, entity: str, entity_id: int, seq: int, at_text: str, actor_id: int | None,
                  action: str, changes_json: str, note: str) -> str:
    """row_hash with the time already in canonical_time's form (a bulk writer formats its own, fast)."""
    payload = "\x1f".join(
        [prev_hash, entity, str(entity_id), str(seq), at_text, str(actor_id or ""), action, changes_json, note]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    id: int
    entity: str
    entity_id: int
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    changes: str
    note: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    seq: int
    what: str  # "hash" (content edited), "link" (previous hash differs), "seq" (a gap: row deleted)


def verify_chain(rows: Iterable[ChainRow]) -> ChainBreak | None:
    """Rows of one ticket in seq order. Returns the first break, or None."""
    prev = GENESIS
    expected_seq = 1
    for row in rows:
        if row.seq != expected_seq:
            return ChainBreak(row.id, row.seq, "seq")
        if row.prev_hash != prev:
            return ChainBreak(row.id, row.seq, "link")
        digest = row_hash(row.prev_hash, row.entity, row.entity_id, row.seq, row.at, row.actor_id, row.action,
                          row.changes, row.note)
        if digest != row.hash:
            return ChainBreak(row.id, row.seq, "hash")
        prev = row.hash
        expected_seq += 1
    return None
