"""The fresh desks tests get are copies (tests/desk_templates.py): each must hold exactly what
`desk init` and the AGENTS make, however the test before it left its own."""

from __future__ import annotations

import pytest

import desk_templates
from conftest import PG_URL, FakeClock, _init_desk, fast_config, make_desk
from desk.services import agents, incidents
from desk.services.context import open_desk
from desk.services.schema import ensure_desk_id
from reliability.helpers import dump


def _open(url):
    return open_desk(url, fast_config(), clock=FakeClock(), user="admin", lang="en")


def _state(url) -> tuple[list, str]:
    """Every row (and on SQLite every table's SQL) but the desk's id; the desk's id."""
    d = _open(url)
    try:
        own = ensure_desk_id(d.db)
        return [r for r in dump(d.db) if own not in repr(r)], own
    finally:
        d.close()


def _next_incident_id(url) -> int:
    d = _open(url)
    try:
        return incidents.create(d, "li", title="probe", impact=3, urgency=3).id
    finally:
        d.close()


def test_a_copied_sqlite_desk_is_what_init_makes(tmp_path):
    fresh = _init_desk(str(tmp_path / "fresh.db"), FakeClock(), fast_config())
    fresh.close()
    copied = make_desk(str(tmp_path / "copied.db"), FakeClock())
    copied.close()
    assert desk_templates._sqlite_files, "make_desk should have copied a template"
    (rows, own), (init_rows, init_own) = _state(str(tmp_path / "copied.db")), _state(str(tmp_path / "fresh.db"))
    assert rows == init_rows
    assert len(own) == len(init_own) == 36  # a UUID, as init makes ...
    again = make_desk(str(tmp_path / "again.db"), FakeClock())
    again.close()
    # ... of its own: an import tells this desk's rows from another's by it
    assert _state(str(tmp_path / "again.db"))[1] not in (own, init_own)
    assert _next_incident_id(str(tmp_path / "copied.db")) == _next_incident_id(str(tmp_path / "fresh.db"))


@pytest.mark.skipif(not PG_URL, reason="needs DESK_TEST_PG")
def test_a_pooled_schema_comes_back_as_init_made_it_or_not_at_all():
    k = desk_templates.key(fast_config(), FakeClock())

    def build(url):
        _init_desk(url, FakeClock(), fast_config()).close()

    url = desk_templates.pg_take(k, build)
    assert url is not None
    make_desk(url, FakeClock()).close()  # (init's desk is there: make_desk copies nothing)
    as_made, own = _state(url)

    d = _open(url)  # what a test leaves: new rows, a changed row, sequences moved on
    incidents.create(d, "li", title="left behind", impact=3, urgency=3)
    agents.save_agent(d, "admin", agent_login="li", name="Someone Else", roles=["l1", "lead"], group="desk")
    d.close()
    desk_templates.pg_give_back(url)

    again = desk_templates.pg_take(k, build)
    assert again == url  # the same schema, handed out again ...
    make_desk(again, FakeClock()).close()
    rows, again_own = _state(again)
    assert rows == as_made and again_own != own  # ... holding init's rows, and an id of its own
    assert _next_incident_id(again) == 1  # and its sequences where init left them

    d = _open(again)  # a test that changes the structure: that schema is never handed out again
    d.db.execute_sql("ALTER TABLE history DISABLE TRIGGER history_no_change")
    d.close()
    desk_templates.pg_give_back(again)
    other = desk_templates.pg_take(k, build)
    assert other != again
    desk_templates.pg_give_back(other)
