"""What a list's reader (desk.widgets.queue_source.ListSource) is asked and posts back: plain
values, safe to hand between threads."""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from array import array
from typing import NamedTuple


def id_array(ids=()) -> array:
    """Ids as 4-byte ints (a million rows: 4 MB), or 8-byte ones if an id needs it."""
    try:
        return array("i", ids)
    except OverflowError:
        return array("q", ids)


class Load(NamedTuple):
    gen: int
    filter: object  # the kind's filter (ListSpec.make_filter)
    sort: str
    descending: bool = False
    have_first_page: bool = False  # the screen has it already (FirstPage, a peek): start with the id list
    need_count: bool = False  # ... but not its count (a peek): read that first


class Page(NamedTuple):
    gen: int
    offset: int
    ids: list[int]
    rows: list
    complete: bool  # fewer ids than asked: this is the end of the list


class Peeked(NamedTuple):
    rows: list  # the first page's rows, read ahead (the screen may draw them ahead)
    sort: str | None = None  # the order they were read in (drawn ahead with that order's columns)
    descending: bool = False


class Count(NamedTuple):
    gen: int
    total: int


class Order(NamedTuple):
    gen: int
    ids: array
    refresh: bool
    at: tuple[int, int] | None = None  # (the tracked row's id, its index in `ids`), found in the reader


class Rows(NamedTuple):
    rows: list
    missing: list[int]


class Changes(NamedTuple):
    ids: set[int] | None  # None: too many to list, refresh everything


class Failed(NamedTuple):
    error: Exception
    what: str
