"""Issue 12: which incident actions act on every marked row is defined once, in the incident
kind's spec (desk.lists.incident INCIDENTS.bulk); the dialogs act on the rows they are given
and keep no list of their own. A change of the spec's set changes what every dialog acts on."""

from __future__ import annotations

import pytest

from desk.lists.incident import INCIDENTS
from desk.screens import actions

from test_actions_host import HostApp, drive, row


@pytest.mark.parametrize("action, bulk, acts_on", [
    ("resolve", {"resolve"}, 2),   # made bulk in the spec: the dialog acts on both rows
    ("close", {"resolve"}, 1),     # no longer bulk in the spec: the cursor row alone
    ("assign", set(INCIDENTS.bulk), 2),
    ("problem", {"resolve"}, 1),   # (P: a problem from the incidents)
])
def test_what_a_dialog_acts_on_follows_the_kind_s_one_bulk_set(desk, data, monkeypatch, action, bulk, acts_on):
    monkeypatch.setattr(actions, "INCIDENTS", INCIDENTS._replace(bulk=frozenset(bulk)))
    app = HostApp(desk, action, [row(data[3]), row(data[0])])
    seen = []

    async def scenario(pilot):
        seen.append(list(app.screen.rows))

    drive(app, scenario)
    assert seen == [[row(data[3]), row(data[0])][:acts_on]]
