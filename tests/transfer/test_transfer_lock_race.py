"""PostgreSQL: an incident raised by an agent while `desk import` or `desk migrate` runs (issue 19;
the EXCLUSIVE table locks each takes first, tools/mutants/services_transfer_importer.toml and
services_transfer_migrate.toml). Both read the highest ids here and write rows with ids of their
own above them, moving the sequences past them only at the end. Without the locks an agent's new
incident takes the next id from the sequence meanwhile, the very id the import or migration is
about to write, and the whole import or migration is refused on it. With them the agent's write
waits, and gets a fresh id once the import or migration has committed. The agent is injected at
the moment the rows are about to be written (tests/pg_race.py), not timed."""

from __future__ import annotations

import pytest
from conftest import FakeClock, make_desk
from pg_race import Racer
from test_import import _export
from test_migrate_guards import run

from desk.models import Incident
from desk.services import check, incidents
from desk.services.transfer import importer, migrate


def _postgresql_only(db_url) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite: one writer at a time, the agent waits for the whole import's transaction")


def _central(db_url, clock):
    _postgresql_only(db_url)
    return make_desk(db_url, clock)  # a new schema: the incident sequence starts at 1, as on a new desk


def _raised_meanwhile(desk) -> Racer:
    return Racer(desk.db, lambda: incidents.create(desk, "li", title="raised meanwhile", impact=3, urgency=3))


def _both_kept(desk, racer: Racer, written: int) -> None:
    racer.join()  # the agent's incident was written too, not refused
    ids = [i.id for i in Incident.select().order_by(Incident.id)]
    assert len(ids) == written + 1 and len(set(ids)) == len(ids)
    assert Incident.get(Incident.title == "raised meanwhile").id == max(ids)  # after the sequence was moved
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]
    assert racer.blocked  # (the agent came at the moment the lock matters, and waited for it)


def test_an_incident_raised_while_an_import_runs_waits_for_it_and_both_are_kept(db_url, tmp_path, monkeypatch):
    _postgresql_only(db_url)
    clock = FakeClock()
    jump_url = str(tmp_path / "jump.db")
    jump = make_desk(jump_url, clock)
    incidents.create(jump, "li", title="VPN drops on the jump host", impact=2, urgency=2)
    jump.close()
    path = tmp_path / "jump.jsonl"
    _export(jump_url, clock, path)
    desk = _central(db_url, clock)
    racer, real = _raised_meanwhile(desk), importer._Importer.flush

    def then_an_agent(self, t):
        if t.spec.name == "incident" and t.buffer and racer.pid is None:
            racer.start()  # the import has read the highest incident id, and writes id 1 next
        real(self, t)

    monkeypatch.setattr(importer._Importer, "flush", then_an_agent)
    result = importer.import_file(desk, str(path))
    assert result.counts("incident").created == 1
    _both_kept(desk, racer, 1)
    desk.close()


def test_an_incident_raised_while_a_migration_runs_waits_for_it_and_both_are_kept(db_url, tmp_path, monkeypatch):
    desk = _central(db_url, FakeClock())
    racer, real = _raised_meanwhile(desk), migrate._write

    def then_an_agent(db, builder, incidents_, history):
        if incidents_ and racer.pid is None:
            racer.start()  # the migration has read the highest incident id, and writes id 1 next
        real(db, builder, incidents_, history)

    monkeypatch.setattr(migrate, "_write", then_an_agent)
    result = run(desk, tmp_path)
    assert result.created == 2
    _both_kept(desk, racer, 2)
    desk.close()
