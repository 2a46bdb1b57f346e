"""Shared TUI fixtures: an app factory over a seeded desk with a fixed clock, and helpers that
wait for the queue's reader thread instead of sleeping.

    def test_x(make_app):
        app = make_app()                      # a fresh seeded desk, English, 120×40
        app = make_app(desk, lang="zh")       # an existing desk (its clock stays)
        async with app.run_test(size=app.test_size) as pilot:
            await queue_ready(pilot)            # from tui_helpers
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
from tui_helpers import seed_queue

SIZES = {"small": (80, 24), "large": (120, 40)}


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """`async def test_…` runs on a fresh event loop (no asyncio plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


_ROOT = None


def _root_conftest():
    """tests/conftest.py, loaded by path (this file shadows the module name `conftest`)."""
    global _ROOT
    if _ROOT is None:
        import importlib.util
        from pathlib import Path

        path = Path(__file__).resolve().parents[1] / "conftest.py"
        spec = importlib.util.spec_from_file_location("_desk_tests_root_conftest_tui", path)
        _ROOT = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_ROOT)
    return _ROOT


# Both conftest files are imported as the module `conftest`; whichever pytest loaded last is the
# one `from conftest import make_desk` finds. Offer the root's helpers (not its fixtures) here too.
AGENTS = _root_conftest().AGENTS
BACKENDS = _root_conftest().BACKENDS
FakeClock = _root_conftest().FakeClock
PG_URL = _root_conftest().PG_URL
START = _root_conftest().START
make_desk = _root_conftest().make_desk
fast_config = _root_conftest().fast_config
_pg_schema_url = _root_conftest()._pg_schema_url


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's snap_compare, first waiting for the app's start-up read of the
    unread notifications: a header takes the count when that read comes in, so a snapshot taken
    before it would show the count or not by chance."""
    from tui_helpers import unread_counted

    def compare(app, press=(), terminal_size=(80, 24), run_before=None):
        async def before(pilot):
            await unread_counted(pilot)
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result

        return snap_compare(app, press=press, terminal_size=terminal_size, run_before=before)

    return compare


@pytest.fixture
def seeded(desk, clock):
    """The conftest `desk`, seeded for the queue."""
    ids = seed_queue(desk, clock)
    desk.seeded_ids = ids
    return desk


@pytest.fixture
def make_app(desk, clock):
    """Factory: make_app(desk_or_url=None, lang="en", size=(120, 40), user="admin", keymap=None,
    seed=True). With no desk, the conftest desk is seeded once and used."""
    from desk.app import DeskApp, operator_for

    state = {"seeded": False}

    def factory(desk_or_url=None, lang: str = "en", size=SIZES["large"], user: str = "admin",
                keymap: dict | None = None, seed: bool = True):
        target = desk
        if isinstance(desk_or_url, str):
            target = _root_conftest().make_desk(desk_or_url, clock)
            if seed:
                seed_queue(target, clock)
        elif desk_or_url is not None:
            target = desk_or_url
        elif seed and not state["seeded"]:
            state["seeded"] = True
            target.seeded_ids = seed_queue(target, clock)
        target.lang = lang
        target.user = user
        app = DeskApp(target, operator_for(target, user), keymap=keymap or {})
        app.test_size = size
        return app

    return factory


@pytest.fixture
def data(desk, clock):
    """The incidents of the action dialogs' host app (test_actions_host.seed), the desk acting as
    li (an l1 agent). A module that needs another user defines its own `data`."""
    from test_actions_host import seed

    desk.user = "li"
    return seed(desk, clock)
