"""Shared fixtures: a real database (a SQLite file in tmp_path; PostgreSQL in a schema of its
own when DESK_TEST_PG is set), a fake clock, and a desk with agents of every role."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta

import pytest

import desk_templates
from desk.config import load_config

PG_URL = os.environ.get("DESK_TEST_PG")
BACKENDS = ["sqlite"] + (["pg"] if PG_URL else [])
START = datetime(2026, 11, 2, 9, 0, 0)


class FakeClock:
    def __init__(self, start: datetime = START):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def pytest_configure(config):
    import bench_smoke

    config.pluginmanager.register(bench_smoke, "desk-bench-smoke")


@pytest.fixture(scope="session")
def _test_cache_home(tmp_path_factory):
    """One start-up cache for the whole run (a warm cache, as a user has), not the developer's."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch, _test_cache_home):
    """No test reads the developer's own config, data, cache or language."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_test_cache_home))
    for var in ("DESK_DB", "DESK_CONFIG", "DESK_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DESK_USER", "admin")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _pg_schema_url(name: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema={name}"


@pytest.fixture(scope="session", autouse=True)
def _desk_templates(tmp_path_factory):
    """Fresh desks are copies of one built per worker (tests/desk_templates.py)."""
    desk_templates.ROOT = str(tmp_path_factory.mktemp("desk-templates"))
    yield
    desk_templates.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database: a file path, or a PostgreSQL URL with its own schema. (For a test
    that uses `desk`, the PostgreSQL schema already holds init's desk: see make_desk.)"""
    if request.param == "sqlite":
        yield str(tmp_path / "desk.db")
        return
    if "desk" in request.fixturenames:
        url = desk_templates.pg_take(desk_templates.key(fast_config(), FakeClock()),
                                     lambda target: _init_desk(target, FakeClock(), fast_config()).close())
        if url is not None:
            try:
                yield url
            finally:
                from desk.db import database

                if database.obj is not None and not database.obj.is_closed():
                    database.obj.close()
                desk_templates.pg_give_back(url)
            return
    import psycopg2

    name = "t_" + uuid.uuid4().hex[:12]
    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {name}")
    try:
        yield _pg_schema_url(name)
    finally:
        from desk.db import database

        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
        conn.cursor().execute(f"DROP SCHEMA {name} CASCADE")
        conn.close()


# Agents of every role, used across service tests: login -> (roles, group)
AGENTS = {
    "admin": (["l1", "lead", "admin"], "desk"),
    "li": (["l1"], "desk"),
    "zhao": (["l1"], "desk"),
    "lead": (["lead"], "desk"),
    "wang": (["l2"], "network"),
    "chen": (["l2"], "systems"),
    "vend": (["vendor"], "vendor-net"),
    "appr": (["approver"], None),
    "reqm": (["request_manager"], None),
    "ops": (["ops_lead"], None),
    "catm": (["catalogue_maintainer"], None),
    "repm": (["report_manager"], None),
    "repr": (["report_reviewer"], None),
    "repw": (["report_writer"], None),
}


def fast_config():
    """The shipped config with durability "normal": a test's commits do not each wait for the disk
    (about 4 ms a commit here, a fifth of the suite's time). Nothing a test checks depends on power
    loss; the durability setting itself is tested where it is applied (tests/reliability)."""
    config = load_config()
    config.data["desk"] = {**config.data.get("desk", {}), "durability": "normal"}
    return config


def make_desk(url: str, clock: FakeClock, config=None):
    """A desk as `desk init` and the AGENTS make it, at `url`, acting as admin. Where `url` is free
    (no file yet, or a schema the `desk` fixture lent), it is a copy of one built earlier for the
    same config and clock (tests/desk_templates.py): init's output, without init's time."""
    from desk.services.context import open_desk

    config = config or fast_config()
    k = desk_templates.key(config, clock)
    if desk_templates.prepared(url, k, lambda target: _init_desk(target, FakeClock(clock.now), config).close()):
        return open_desk(url, config, clock=clock, user="admin", lang="en")
    return _init_desk(url, clock, config)


def _init_desk(url: str, clock: FakeClock, config):
    from desk.services import agents, setup
    from desk.services.context import open_desk

    desk = open_desk(url, config, clock=clock, user="admin", lang="en")
    setup.init_database(desk)
    for login, (roles, group) in AGENTS.items():
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=roles, group=group)
    return desk


@pytest.fixture
def desk(db_url, clock):
    d = make_desk(db_url, clock)
    yield d
    d.close()


@pytest.fixture
def waiting_for_boss(desk):
    """A request waiting for the approval of boss (an approver, as is sub, who may stand in): its id."""
    from desk.services import agents, request_approval, requests

    for login in ("boss", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    r = requests.create(desk, "li", title="VPN access", checked=["identity", "details", "type", "scope"])
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    return r.id


def pytest_collection_modifyitems(config, items):
    """Screens reach the database only through the services, which run on both backends; so the TUI
    tests run on SQLite alone (halving their share of the suite's time), except in a module that
    tests something only PostgreSQL does (`BOTH_BACKENDS = True`: reconnection, notifications)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("db_url") == "pg"
        in_tui = "/tests/tui/" in str(item.path).replace("\\", "/")
        both = getattr(item.module, "BOTH_BACKENDS", False) if hasattr(item, "module") else False
        (dropped if on_pg and in_tui and not both else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
