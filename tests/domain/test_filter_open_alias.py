"""The filter's error for a bad `s:` value lists `open` among what it takes (issue 11, item 15)."""

from __future__ import annotations

from desk.config import load_config
from desk.domain.filter_terms import parse
from desk.services.queue import vocabulary


def test_a_bad_status_lists_open_first():
    parsed = parse("s:bogus", vocabulary(load_config(None)))
    (error,) = parsed.errors
    known = error.params["known"].split(", ")
    assert known[0] == "open" and "new" in known and "closed" in known
    assert parse("s:open", vocabulary(load_config(None))).ok
