"""`desk init` shows how far it is in every long stage (issue 19; desk/services/setup.py passes its
progress on, tools/mutants/services_setup.toml): each schema step as it runs, the re-timing of
resolved tickets without a catalogue version, and the clocks given to open tickets that have none.
What a user sees on a big desk, where each stage outlasts the quiet time; here the quiet time is
taken away, so that a small desk shows the lines."""

from __future__ import annotations

import pytest

from desk import cli
from desk.commands import admin
from desk.i18n import t
from desk.models import SlaClock
from desk.services import incidents, schema, sla_retime

from test_sla_unversioned import _three_resolved_without_a_version


@pytest.fixture
def shown(monkeypatch, capsys):
    """`desk init`'s progress lines (stderr), shown at once as on a big desk."""

    class Shown(admin._Progress):
        def __init__(self, lang, labels="demo.stage", quiet_for=0.0):
            super().__init__(lang, labels=labels, quiet_for=0.0)

    monkeypatch.setattr(admin, "_Progress", Shown)

    def lines() -> list[str]:
        return capsys.readouterr().err.splitlines()

    return lines


def test_desk_init_names_each_schema_step_as_it_runs(tmp_path, shown):
    assert cli.main(["--db", str(tmp_path / "new.db"), "init"]) == 0
    err = shown()
    for number in schema.STEPS:
        label = t(f"schema.step.{number}", "en")
        counts = [line[len(label) + 2:].split("/") for line in err if line.startswith(f"{label}: ")]
        assert counts and counts[0] == ["0", "1"], (number, err)  # as it starts
        assert counts[-1][0] == counts[-1][1], (number, err)  # and once it is done (a long step: its rows)


def test_desk_init_counts_the_resolved_tickets_it_re_times(desk, clock, db_url, shown):
    _three_resolved_without_a_version(desk, clock)
    shown()
    assert cli.main(["--db", db_url, "init"]) == 0
    assert f"{t(f'schema.step.{sla_retime.STAGE}', 'en')}: 3/3" in shown()


def test_desk_init_counts_the_open_tickets_it_gives_a_clock(desk, clock, db_url, shown):
    for n in range(3):  # as on a database from before the SLA clocks
        incidents.create(desk, "li", title=f"VPN drops {n}", impact=2, urgency=2)
    SlaClock.delete().where(SlaClock.entity == "incident").execute()
    shown()
    assert cli.main(["--db", db_url, "init"]) == 0
    assert f"{t('schema.step.clocks_incident', 'en')}: 3/3" in shown()
