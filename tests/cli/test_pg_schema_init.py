"""`desk init` on PostgreSQL with a ?schema= that does not exist yet (issue 11, item 14): it creates
the schema when the login may, else says in one line what the owner must run (exit 3); other
commands say the schema is missing rather than "no schema has been selected to create in".
Runs on the server DESK_TEST_PG names (skipped without one)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import urlparse, urlunparse

import pytest

PG_URL = os.environ.get("DESK_TEST_PG")
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs DESK_TEST_PG (a PostgreSQL server)")
ROLE = "desk_test_no_create"


def _admin():
    import psycopg2

    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    return conn


@pytest.fixture
def schema():
    name = "t_new_" + uuid.uuid4().hex[:10]
    yield name
    with _admin() as conn:
        conn.cursor().execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def _url(schema: str, user: str | None = None) -> str:
    parts = urlparse(PG_URL)
    if user:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{user}@{host}")
    sep = "&" if parts.query else ""
    return urlunparse(parts._replace(query=f"{parts.query}{sep}schema={schema}"))


def _desk(*args, tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "DESK_USER": "admin", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, env=env, timeout=120)


def _exists(name: str) -> bool:
    with _admin() as conn:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,))
        return cur.fetchone() is not None


def test_init_creates_a_schema_that_is_not_there(schema, tmp_path):
    out = _desk("--db", _url(schema), "init", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines()[0] == f"created the schema `{schema}`"
    assert _exists(schema)
    listed = _desk("--db", _url(schema), "incident", "list", tmp_path=tmp_path)
    assert listed.returncode == 0, listed.stderr


def test_other_commands_say_the_schema_is_missing(schema, tmp_path):
    out = _desk("--db", _url(schema), "incident", "list", tmp_path=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 3
    assert err.count("\n") == 1 and f"The schema `{schema}` does not exist" in err and "`desk init`" in err
    assert not _exists(schema)


def test_a_login_that_may_not_create_it_is_told_what_to_ask_for(schema, tmp_path):
    with _admin() as conn:
        conn.cursor().execute(f"DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; "
                              "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    out = _desk("--db", _url(schema, user=ROLE), "init", tmp_path=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 3, err
    assert err.count("\n") == 1, err
    assert f"The schema `{schema}` does not exist" in err and f"{ROLE} may not create it" in err
    assert f'`CREATE SCHEMA "{schema}" AUTHORIZATION "{ROLE}";`' in err
    assert not _exists(schema)
