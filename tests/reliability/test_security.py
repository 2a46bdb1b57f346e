"""The claims of docs/security.md, each held by a test."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from desk.db import is_sqlite
from desk.domain.history_chain import row_hash
from desk.models import History, Incident, Refusal
from desk.services import agents, check, incidents, schema
from desk.services.context import open_desk
from reliability.helpers import ROOT, run_cli

DOC = ROOT / "docs" / "security.md"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("umask", [0o077, 0o022, 0o000], ids=["umask077", "umask022", "umask000"])
def test_the_database_file_is_owner_and_group_only_whatever_the_umask(tmp_path, umask):
    db = tmp_path / "shared.db"
    code = ("import os; os.umask(%d); from desk.services.context import open_desk; "
            "from desk.services import setup; d = open_desk(%r, user='admin'); setup.init_database(d); "
            "d.db.execute_sql('SELECT 1'); "
            "print(*[oct(os.stat(p).st_mode & 0o777) for p in (%r, %r + '-wal', %r + '-shm')])"
            % (umask, str(db), str(db), str(db), str(db)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT),
                         env={**os.environ, "DESK_USER": "admin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0o660", "0o660", "0o660"]  # the database, its WAL and shared memory


def test_an_existing_files_mode_is_kept(tmp_path, clock):
    from conftest import make_desk

    path = tmp_path / "mine.db"
    path.touch(mode=0o600)
    os.chmod(path, 0o600)
    make_desk(str(path), clock).close()
    assert _mode(path) == 0o600  # desk never widens it


def test_history_is_append_only_in_the_database_itself(desk):
    inc = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    statements = ["UPDATE history SET note = 'rewritten'", "DELETE FROM history"]
    if not is_sqlite(desk.db):
        statements.append("TRUNCATE history")
    for sql in statements:
        with pytest.raises(Exception, match="append-only"):
            with desk.db.atomic():
                desk.db.execute_sql(sql)
    assert len(incidents.get(desk, inc.id).history) == 1


def test_a_consistently_rewritten_chain_is_not_detected(desk):
    """The documented limit: with write access and the triggers dropped, a whole chain can be
    rewritten so that every hash matches again. The chain has no secret and no outside anchor."""
    inc = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    incidents.note(desk, "li", inc.id, text="the caller was rude")
    incidents.note(desk, "li", inc.id, text="fixed the tray")
    db = desk.db
    with db.atomic():
        for name in schema.history_triggers(db):
            db.execute_sql(f"DROP TRIGGER {name}" if is_sqlite(db) else f"DROP TRIGGER {name} ON history")
        rows = list(History.select().where(History.entity_id == inc.id).order_by(History.seq))
        prev = rows[0].prev_hash
        for row in rows:
            note = "the caller was lovely" if row.seq == 2 else row.note
            digest = row_hash(prev, row.entity, row.entity_id, row.seq, row.at, row.actor_id, row.action,
                              row.changes, note)
            History.update(note=note, prev_hash=prev, hash=digest).where(History.id == row.id).execute()
            prev = digest
        schema.ensure_history_triggers(db)
    assert incidents.get(desk, inc.id).history[1].note == "the caller was lovely"
    assert check.run_check(desk).problems == []  # undetectable from inside the file


def test_desk_user_only_picks_among_active_agents(desk, db_url):
    iid = incidents.create(desk, "li", title="printer", impact=3, urgency=3).id
    agents.save_agent(desk, "admin", agent_login="gone", roles=["l1", "lead", "admin"], group="desk", active=False)
    desk.close()
    for login in ("mallory", "gone"):
        out = run_cli("incident", "note", str(iid), "--text", "hello", user=login, db=db_url)
        assert out.returncode == 1 and f"'{login}' is not an agent of this desk" in out.stderr.decode()
    # …and within them, it is the honour system: anyone may name the administrator.
    out = run_cli("agent", "add", "mallory", "--role", "admin", user="admin", db=db_url)
    assert out.returncode == 0
    again = open_desk(db_url, user="admin")
    assert [(r.actor, r.action) for r in Refusal.select().order_by(Refusal.id)] == \
        [("mallory", "incident.note"), ("gone", "incident.note")]
    assert Incident.get_by_id(iid).version == 1
    again.close()


# --- PostgreSQL: the role script in the security notes, run on a live server -------------------------

def _script(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"```sql\n-- " + re.escape(name) + r"[^\n]*\n(.*?)```", text, re.S)
    assert match, f"no `{name}` block in {DOC}"
    return match.group(1)


def _psql_vars(sql: str, **values) -> str:
    """What `psql -v name=value` does with :"name" (a quoted identifier)."""
    return re.sub(r':"(\w+)"', lambda m: '"' + values[m.group(1)].replace('"', '""') + '"', sql)


def test_the_security_notes_carry_both_scripts():
    assert "CREATE POLICY history_as_yourself" in _script("desk-pg-roles")
    assert "CREATE ROLE" in _script("desk-pg-agent")


def test_postgres_roles_make_the_identity_real(db_url, clock):
    if not db_url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    import psycopg2
    from peewee import DatabaseError

    from conftest import PG_URL, make_desk

    tag = uuid.uuid4().hex[:8]
    names = {"schema": db_url.rsplit("schema=", 1)[1], "agents": f"desk_agents_{tag}",
             "admins": f"desk_admins_{tag}"}
    me, other = f"li_{tag}", f"lead_{tag}"
    desk = make_desk(db_url, clock)
    agents.save_agent(desk, "admin", agent_login=me, roles=["l1"], group="desk")
    agents.save_agent(desk, "admin", agent_login=other, roles=["l1", "lead"], group="desk")
    iid = incidents.create(desk, "admin", title="printer", impact=3, urgency=3).id
    desk.close()

    owner = psycopg2.connect(PG_URL)
    owner.autocommit = True
    cur = owner.cursor()
    try:
        cur.execute(_psql_vars(_script("desk-pg-roles"), **names))
        cur.execute(_psql_vars(_script("desk-pg-agent"), agent=me, **names))

        as_me = open_desk(db_url.replace("postgres@", f"{me}@", 1), user=me)
        assert as_me.db.execute_sql("SELECT current_user").fetchone()[0] == me
        inc = incidents.note(as_me, me, iid, text="as myself")  # allowed: recorded under my own login
        assert inc.version == 2 and incidents.get(as_me, iid).history[-1].actor == me
        with pytest.raises(DatabaseError, match="row-level security"):
            incidents.note(as_me, other, iid, text="as someone else")  # DESK_USER=<other>: refused
        assert incidents.get(as_me, iid, with_history=False).version == 2  # and nothing written
        for sql in ("UPDATE history SET note = 'x'", "DELETE FROM history", "TRUNCATE history",
                    "DELETE FROM refusal", "DROP TRIGGER history_no_change ON history",
                    "ALTER TABLE history DISABLE TRIGGER history_no_change", "UPDATE agent SET roles = 'admin'"):
            with pytest.raises(DatabaseError, match="permission denied|must be owner"):
                with as_me.db.atomic():
                    as_me.db.execute_sql(sql)
        assert check.run_check(as_me).problems == []  # the check only reads: any agent may run it
        as_me.close()
        out = run_cli("incident", "note", str(iid), "--text", "x", user=other,
                      db=db_url.replace("postgres@", f"{me}@", 1))
        assert out.returncode == 3 and "row-level security" in out.stderr.decode()
    finally:
        from desk.db import database

        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
        for role in (me, names["admins"], names["agents"]):  # roles are global to the server: leave none
            if _role_exists(cur, role):
                cur.execute(f'DROP OWNED BY "{role}"')
                cur.execute(f'DROP ROLE "{role}"')
        owner.close()


def _role_exists(cur, role: str) -> bool:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    return cur.fetchone() is not None


def test_docs_name_tests_that_exist():
    """Every test the security notes cite exists, so the notes cannot drift from what is held."""
    text = DOC.read_text(encoding="utf-8")
    here = Path(__file__).parent
    for module, name in re.findall(r"`(test_\w+)\.py::(test_\w+)`", text):
        source = (here / f"{module}.py").read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{module}.py::{name}"
    for name in re.findall(r"(?<![:\w])`?(test_\w+)\.py", text):
        assert (here / f"{name}.py").exists(), name
