"""History chains through `desk import` (desk/services/transfer/chains.py) that a removed or inverted
line would let pass (issue 19; tools/mutants/services_transfer_chains.toml): every chain in the file
is checked against its own hashes from seq 1, a file whose history was taken apart is refused whole,
and the rows a desk takes are chained anew on its own ids, so that `desk check` verifies them."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

import pytest

from conftest import AGENTS, FakeClock, fast_config, make_desk
from desk.domain.history_chain import GENESIS, row_hash
from desk.models import History, Incident
from desk.services import agents, check, incidents, setup
from desk.services.context import open_desk
from desk.services.transfer import importer
from transfer.import_files import copy, exported_lines, refused, sealed


@contextmanager
def opened(url: str, clock):
    desk = open_desk(url, fast_config(), clock=clock, user="admin", lang="en")
    try:
        yield desk
    finally:
        desk.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list:
    """An export of a desk with two incidents, the first with three history rows."""
    where = tmp_path_factory.mktemp("chains")
    clock = FakeClock()
    source = make_desk(str(where / "source.db"), clock)
    try:
        first = incidents.create(source, "li", title="VPN drops", impact=2, urgency=2)
        incidents.note(source, "li", first.id, text="tunnel flaps")
        incidents.note(source, "li", first.id, text="DPD raised")
        incidents.create(source, "zhao", title="Printer jam", impact=3, urgency=3)
        return exported_lines(source, where / "x.jsonl")
    finally:
        source.close()


def _column(header, name: str) -> int:
    return 2 + header["tables"]["history"]["columns"].index(name)


def _chain(header, rows, entity_id: int = 1) -> list:
    """The file's history rows of incident `entity_id`, in order (the lists themselves: edit them)."""
    entity, eid = _column(header, "entity"), _column(header, "entity_id")
    return [r for r in rows if r[0] == "history" and r[entity] == "incident" and r[eid] == entity_id]


def _rehash(header, chain: list) -> None:
    """Link and hash `chain` again from the genesis, as someone who knows the hash would."""
    at = {name: _column(header, name) for name in ("entity", "entity_id", "seq", "at", "actor_id", "action",
                                                     "changes", "note", "prev_hash", "hash")}
    prev = GENESIS
    for r in chain:
        r[at["prev_hash"]] = prev
        r[at["hash"]] = prev = row_hash(prev, r[at["entity"]], r[at["entity_id"]], r[at["seq"]],
                                        datetime.fromisoformat(r[at["at"]]), r[at["actor_id"]], r[at["action"]],
                                        r[at["changes"]], r[at["note"]])


def test_the_export_imports_whole_and_its_history_verifies_here(desk, tmp_path, exported):
    header, rows = copy(exported)
    result = importer.import_file(desk, sealed(tmp_path, header, rows))
    assert result.counts("incident").created == 2 and result.counts("history").created == 4
    assert check.run_check(desk).ok


def test_a_history_that_skips_a_number_is_refused_even_with_every_hash_right(desk, tmp_path, exported):
    header, rows = copy(exported)
    chain = _chain(header, rows)
    rows.remove(chain[1])  # the first note taken out, the rest renumbered 1, 3 and hashed again
    header["tables"]["history"]["rows"] -= 1
    chain = chain[:1] + chain[2:]
    _rehash(header, chain)
    error = refused(desk, sealed(tmp_path, header, rows), "transfer.import.chain")
    assert (error.params["entity"], error.params["id"], error.params["seq"]) == ("incident", 1, 3)


def test_a_row_that_names_another_row_before_it_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    _chain(header, rows)[1][_column(header, "prev_hash")] = GENESIS  # its own hash left as it was
    error = refused(desk, sealed(tmp_path, header, rows), "transfer.import.chain")
    assert (error.params["id"], error.params["seq"]) == (1, 2)


def test_a_row_edited_without_its_hash_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    _chain(header, rows)[2][_column(header, "note")] = "nothing happened"
    error = refused(desk, sealed(tmp_path, header, rows), "transfer.import.chain")
    assert (error.params["id"], error.params["seq"]) == (1, 3)


@pytest.mark.parametrize("other", ["record", "agent"])
def test_rows_whose_record_or_actor_has_another_id_here_are_chained_anew_and_verify(db_url, clock, tmp_path, other):
    """record: the central desk has an incident of its own, the imported one gets the next id;
    agent: the jump host's agents were added in another order (li has another id there). Each row
    is hashed anew on this desk's ids, so `desk check` verifies the merged history."""
    source_url = str(tmp_path / "jump.db")
    with opened(source_url, clock) as source:
        setup.init_database(source)
        if other == "agent":
            agents.save_agent(source, "admin", agent_login="temp", name="Temp", roles=["l1"], group="desk")
        for login, (roles, group) in AGENTS.items():
            agents.save_agent(source, "admin", agent_login=login, name=login.title(), roles=roles, group=group)
        jump = incidents.create(source, "li", title="VPN drops", impact=2, urgency=2)
        incidents.note(source, "li", jump.id, text="tunnel flaps")
        header, *rows = exported_lines(source, tmp_path / "jump.jsonl")
    make_desk(db_url, clock).close()
    with opened(db_url, clock) as central:
        if other == "record":
            incidents.create(central, "zhao", title="Printer jam", impact=3, urgency=3)
        importer.import_file(central, sealed(tmp_path, header, rows))
        moved = Incident.get(Incident.title == "VPN drops")
        assert (moved.id != jump.id) == (other == "record")
        notes = [(h.note, h.actor.login) for h in History.select().where(
            (History.entity == "incident") & (History.entity_id == moved.id)).order_by(History.seq)]
        assert notes[-1] == ("tunnel flaps", "li")
        report = check.run_check(central)
        assert report.ok, [p.message("en") for p in report.problems]


def test_a_record_noted_on_both_desks_at_the_same_minute_keeps_this_desk_s_history(db_url, clock, tmp_path):
    """Both desks noted the incident at 10:00 (same time, same action, other words): a conflict, the
    jump host's rows after it not appended here."""
    source_url = str(tmp_path / "jump.db")
    make_desk(source_url, clock).close()
    with opened(source_url, clock) as source:
        inc = incidents.create(source, "li", title="VPN drops", impact=2, urgency=2)
        first = exported_lines(source, tmp_path / "first.jsonl")
    make_desk(db_url, clock).close()
    with opened(db_url, clock) as central:
        importer.import_file(central, sealed(tmp_path, *copy(first), name="first.jsonl"))
        clock.now = datetime(2026, 11, 2, 10, 0)
        incidents.note(central, "li", inc.id, text="central on it")
    with opened(source_url, clock) as source:
        incidents.note(source, "li", inc.id, text="jump host on it")
        clock.advance(minutes=1)
        incidents.note(source, "li", inc.id, text="more from the jump host")
        second = exported_lines(source, tmp_path / "second.jsonl")
    with opened(db_url, clock) as central:
        result = importer.import_file(central, sealed(tmp_path, *copy(second), name="second.jsonl"))
        assert [table for table, _id, _origin in result.conflicts] == ["incident"]
        notes = [h.note for h in History.select().where(
            (History.entity == "incident") & (History.entity_id == inc.id)).order_by(History.seq)]
        assert notes[1:] == ["central on it"]
        assert check.run_check(central).ok
