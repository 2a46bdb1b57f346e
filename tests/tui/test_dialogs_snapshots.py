"""Snapshots of the incident detail and of each action dialog at 80×24 and 120×40, in English
and Chinese, on a fixed clock with data made through the services.

Regenerate with `pytest tests/tui/test_dialogs_snapshots.py --snapshot-update`, then look at
the report (or the .svg files under __snapshots__) before committing."""

from __future__ import annotations

import pytest

from desk.services import incidents, knowledge

try:
    from .test_actions_host import HOSTILE, HostApp, pick, root_conftest, row, seed, settle, still, type_text
except ImportError:
    from test_actions_host import HOSTILE, HostApp, pick, root_conftest, row, seed, settle, still, type_text

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def snap_desk(tmp_path, clock):
    """SQLite only: one snapshot per case whatever DESK_TEST_PG says."""
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "admin"
    data = seed(desk, clock)
    knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400 on the branch router.\n"
                    "Then renew the lease.", incident_id=data[0].id)
    knowledge.draft(desk, "li", title="Printer jams on tray 2", body="Open tray 2 and remove the paper.")
    yield desk, data
    desk.close()


def _case(name: str, data, desk=None):
    """(action, rows, steps): what to open and what to do in it before the picture."""
    a, b, c, d = data

    async def nothing(pilot):
        pass

    async def assign(pilot):
        await type_text(pilot, "zh")

    async def escalate(pilot):
        await type_text(pilot, "net")
        await pilot.press("ctrl+s")  # no reason: the message under the field

    async def resolve(pilot):
        await pick(pilot, "#code", ["down", "down"])
        pilot.app.screen.query_one("#resolution").focus()
        await type_text(pilot, "Pinned the VPN MTU to 1400.")

    async def new(pilot):
        await type_text(pilot, "Branch 7 cannot print")
        pilot.app.screen.query_one("#caller").focus()
        await type_text(pilot, "Du Fei")
        await pick(pilot, "#impact", ["down", "down"])
        await pick(pilot, "#urgency", ["down"])
        pilot.app.screen.query_one("#started").focus()
        await type_text(pilot, "yesterday")
        await pilot.press("ctrl+s")

    async def knowledge_(pilot):
        await type_text(pilot, "vpn")

    async def note(pilot):
        await type_text(pilot, "Called Ann back.")
        await pilot.press("enter")
        await type_text(pilot, "Branch 3 still drops after the MTU change.")

    async def return_(pilot):
        await type_text(pilot, "not a firmware fault: the branch router")

    async def confirm(pilot):
        await type_text(pilot, "Cai Na: mail arrives again")

    def escalated():
        """b, escalated to the network team and on to the network vendor (made only for its case)."""
        incidents.escalate(desk, "li", b.id, to="network", reason="cabling")
        return row(incidents.escalate(desk, "admin", b.id, to="vendor-net", reason="switch firmware"))

    async def result(pilot):
        pilot.app.screen.query_one("#confirmed").focus()
        await pilot.press("space", "ctrl+s")

    return {
        "detail": ("detail", [row(d)], nothing),
        "assign": ("assign", [row(a), row(b), row(c), row(d)], assign),
        "escalate": ("escalate", [row(a)], escalate),
        "resolve": ("resolve", [row(a)], resolve),
        "close": ("close", [row(d)], nothing),
        "reopen": ("reopen", [row(d)], nothing),
        "new": ("new", [], new),
        "knowledge": ("knowledge", [row(a)], knowledge_),
        "result": ("close", [row(a), row(d)], result),
        "note": ("note", [row(a)], note),
        "return": ("return", [escalated()] if name == "return" else [], return_),
        "confirm": ("confirm", [row(d)], confirm),
    }[name]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["detail", "assign", "escalate", "resolve", "close", "reopen", "new", "knowledge",
                                  "result", "note", "return", "confirm"])
def test_snapshot(snap_compare, snap_desk, name, lang, size):
    desk, data = snap_desk
    desk.lang = lang
    action, rows, steps = _case(name, data, desk)
    app = HostApp(desk, action, rows)

    async def run_before(pilot):
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


def test_snapshot_hostile_detail(snap_compare, snap_desk, clock):
    desk, _ = snap_desk
    bad = incidents.create(desk, "li", title=HOSTILE[:500], impact=3, urgency=3, caller="[red]Mallory[/red]",
                           description=HOSTILE[:300])
    app = HostApp(desk, "detail", [row(bad)])

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
