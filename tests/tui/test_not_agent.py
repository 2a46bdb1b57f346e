"""`desk` for someone who is not an agent of this desk (issue 11, item 4): one screen says who
desk takes them to be and how to become an agent; nothing of the desk is read or shown; q quits
with exit code 1. Snapshots at 80×24 and 120×40, English and Chinese."""

from __future__ import annotations

import pytest

from desk.domain.errors import UnknownUser
from desk.services import actors, incidents

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def _refusal(desk, login="stranger"):
    desk.user, desk.user_from = login, "env"
    with pytest.raises(UnknownUser) as caught:
        actors.resolve(desk)
    return caught.value


def _shown(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_screen_says_who_desk_thinks_you_are_and_shows_no_ticket(desk, lang):
    from desk.app import RefusedApp

    incidents.create(desk, "admin", title="Payroll export fails", impact=3, urgency=3, caller="Zhang Wei")
    desk.lang = lang
    app = RefusedApp(desk, _refusal(desk))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = _shown(app)
        assert "stranger" in text and "DESK_USER" in text and "desk agent add stranger" in text
        assert ("not an agent" if lang == "en" else "不是本服务台的处理人") in text
        assert "Payroll" not in text and "Zhang" not in text
        await pilot.press("q")
    assert app.return_code == 1


async def test_escape_quits_too(desk):
    from desk.app import RefusedApp

    app = RefusedApp(desk, _refusal(desk))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
    assert app.return_code == 1


def test_desk_opens_the_refusal_screen_not_the_queue_for_someone_who_is_not_an_agent(db_url, monkeypatch):
    import desk.app
    from desk import cli
    from desk.services import setup
    from desk.services.context import open_desk

    setup.init_database(open_desk(db_url, None, user="admin"))
    shown = []
    monkeypatch.setattr(desk.app, "run_refused", lambda d, err: shown.append(err.message("en")) or 1)
    monkeypatch.setenv("DESK_USER", "stranger")
    assert cli.main(["--db", db_url]) == 1
    assert len(shown) == 1 and "'stranger' (from DESK_USER)" in shown[0]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(desk, snap_compare, db_url, lang, size):
    from desk.app import RefusedApp

    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    desk.lang = lang
    assert snap_compare(RefusedApp(desk, _refusal(desk)), terminal_size=SIZES[size])
