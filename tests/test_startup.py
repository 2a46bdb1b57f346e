"""What start-up loads: peewee without psycopg2 for a SQLite target (and PostgreSQL still works
after that in the same process), and the TUI launch read without building the subcommands'
parser. Each check runs in a fresh interpreter, as a user's `desk` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PY = sys.executable
PG_URL = os.environ.get("DESK_TEST_PG")


def _run(code: str, env: dict) -> dict:
    out = subprocess.run([PY, "-c", code], capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path):
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"),
               DESK_USER="admin", LANG="C.UTF-8")
    for name in ("DESK_DB", "DESK_CONFIG", "DESK_LANG"):
        env.pop(name, None)
    db = str(tmp_path / "desk.db")
    assert subprocess.run([PY, "-m", "desk", "--db", db, "init"], env=env, capture_output=True,
                          timeout=120).returncode == 0
    env["TEST_DB"] = db
    return env


# The TUI launch, up to the app: run_app is replaced by one that imports what the real one does
# (desk.app, after the launcher has run) and reports instead of opening a screen.
LAUNCH = """
import json, os, sys, types
fake = types.ModuleType("desk.app")
def run_app(args, **prepared):
    textual_before = "textual" in sys.modules
    first_page = prepared.get("first_page")
    del sys.modules["desk.app"]
    import desk.app
    print(json.dumps({"db": args.db, "lang": args.lang, "command": args.command,
                      "psycopg2": sorted(m for m in sys.modules if m.startswith("psycopg2")),
                      "commands": sorted(m for m in sys.modules if m.startswith("desk.commands.")),
                      "argparse": "argparse" in sys.modules,
                      "textual_before": textual_before,
                      "first_page": first_page.view if first_page is not None else None,
                      "first_page_ok": first_page is not None and first_page.done.wait(10)
                                       and first_page.result is not None,
                      "requests": sorted(m for m in sys.modules if m.startswith("desk.domain.request"))}))
    return 0
fake.run_app = run_app
sys.modules["desk.app"] = fake
from desk.cli import main
sys.exit(main(ARGV))
"""


def test_tui_launch_for_sqlite_loads_no_psycopg2_and_no_subcommands(env):
    got = _run(LAUNCH.replace("ARGV", repr(["--db", env["TEST_DB"], "--lang", "zh"])), env)
    assert got["db"] == env["TEST_DB"] and got["lang"] == "zh" and got["command"] is None
    assert got["psycopg2"] == []
    # the subcommands' parser is not built
    assert got["commands"] == ["desk.commands.common"] and not got["argparse"]
    # the first page is being read before Textual is imported
    assert not got["textual_before"] and got["first_page"] == "open" and got["first_page_ok"]
    # the queue's SLA column checks the request statuses that pause a clock without the request
    # state machine (~1.3 ms of the reading thread's CPU before the first frame)
    assert got["requests"] == ["desk.domain.request_statuses"]


def test_tui_launch_for_postgres_loads_psycopg2(env):
    code = """
import json, sys
from desk.cli import main
rc = main(["--db", "postgresql://nobody@127.0.0.1:1/none"])  # nothing listens there
print(json.dumps({"rc": rc, "psycopg2": sorted(m for m in sys.modules if m.startswith("psycopg2"))}))
"""
    got = _run(code, env)
    assert got["rc"] == 3 and "psycopg2" in got["psycopg2"]


def test_a_subcommand_on_sqlite_loads_no_psycopg2_and_works(env):
    code = f"""
import json, sys
from desk.cli import main
rc = main(["--db", {env["TEST_DB"]!r}, "incident", "list", "--json"])
print(json.dumps({{"rc": rc, "psycopg2": sorted(m for m in sys.modules if m.startswith("psycopg2"))}}))
"""
    got = _run(code, env)
    assert got == {"rc": 0, "psycopg2": []}


def test_an_unknown_option_still_gets_argparse_usage_error(env):
    out = subprocess.run([PY, "-m", "desk", "--db", env["TEST_DB"], "--nope"], capture_output=True, env=env,
                         timeout=60)
    assert out.returncode == 2
    assert b"unknown arguments: --nope" in out.stderr


# After peewee was imported without psycopg2 (a SQLite target), a PostgreSQL database opened in the
# same process is bound to psycopg2 as if peewee had found it at import.
AFTER_SQLITE = """
import json, sys
from desk.cli import main
main(["--db", DB, "codes"])
import peewee
before = peewee.psycopg2 is None
from desk.db import open_database, resolve_target
db = open_database(resolve_target(PG))
out = {"before": before, "after": peewee.psycopg2 is not None,
       "adapter": type(db._adapter).__name__, "idle": hasattr(peewee.Psycopg2Adapter, "txn_idle")}
if CONNECT:
    with db.connection_context():
        out["one"] = db.execute_sql("SELECT 1").fetchone()[0]
        out["in_txn"] = db.in_transaction()
print(json.dumps(out))
"""


def test_postgres_works_after_peewee_was_imported_for_sqlite(env):
    url = PG_URL or "postgresql://nobody@127.0.0.1:1/none"
    code = AFTER_SQLITE.replace("DB", repr(env["TEST_DB"])).replace("PG", repr(url))
    code = code.replace("CONNECT", repr(bool(PG_URL)))
    got = _run(code, env)
    assert got["before"] is True  # the guard did apply
    assert got["after"] and got["adapter"] == "Psycopg2Adapter" and got["idle"]
    if PG_URL:
        assert got["one"] == 1 and got["in_txn"] is False


# Collection is off while desk starts up: a subcommand runs with it back on, and main() leaves it
# as it found it, whatever happens.
GC_SUBCOMMAND = """
import gc, json, sys
import desk.commands.admin as admin
seen = []
real = admin.cmd_codes
def cmd_codes(args):
    seen.append(gc.isenabled())
    return real(args)
admin.cmd_codes = cmd_codes
from desk.cli import main
rc = main(["--db", DB, "codes"])
after = gc.isenabled()
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps({"rc": rc, "during": seen, "after": after, "after_help": gc.isenabled()}))
"""


def test_a_subcommand_runs_with_the_collector_on(env):
    got = _run(GC_SUBCOMMAND.replace("DB", repr(env["TEST_DB"])), env)
    assert got == {"rc": 0, "during": [True], "after": True, "after_help": True}


def test_the_tui_collects_again_after_its_first_frame(tmp_path):
    """desk.cli turns collection off for start-up; the app turns it on (and freezes what start-up
    built) once the first frame is painted."""
    import asyncio
    import gc

    from desk.app import DeskApp, operator_for
    from desk.services.context import open_desk
    from desk.services.setup import init_database

    desk = open_desk(str(tmp_path / "desk.db"), None, lang="en", create=True)
    init_database(desk)
    app = DeskApp(desk, operator_for(desk, "admin"))

    found = gc.get_threshold()

    async def run() -> tuple[bool, int, tuple]:
        gc.disable()
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.pause()
                return gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()
        finally:
            gc.unfreeze()
            gc.enable()

    enabled, frozen, running = asyncio.run(run())
    desk.close()
    assert enabled and frozen > 0
    # full passes wait for the user to pause (desk.idle_gc); the app's end gives them back to Python
    assert running[:2] == found[:2] and running[2] > 1_000_000
    assert gc.get_threshold() == found


# The app up to its first frame, in a fresh interpreter: which screens' modules it imported.
FIRST_FRAME_MODULES = """
import asyncio, json, sys
from desk.app import DeskApp, SCREENS, operator_for
from desk.services.context import open_desk
desk = open_desk(DB, None, lang="en", create=False)
app = DeskApp(desk, operator_for(desk, "admin"), keymap={})
async def first_frame():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return type(app.screen).__name__, sorted(sys.modules)
shown, modules = asyncio.run(first_frame())
desk.close()
print(json.dumps({"shown": shown, "screens": [e.target.partition(":")[0] for e in SCREENS],
                  "loaded": [m for m in modules if m.startswith(("desk.screens.", "markdown_it", "pygments"))],
                  "models": [m for m in modules if m.startswith("desk.models.")]}))
"""


def test_the_tui_imports_no_screen_but_the_queue_before_its_first_frame(env):
    """The other screens (and Markdown, pygments, the catalogue's widgets with them) were ~60 ms of
    CPU before the first frame: each is imported when it is first shown (tests/tui/test_screens_on_demand.py)."""
    got = _run(FIRST_FRAME_MODULES.replace("DB", repr(env["TEST_DB"])), env)
    queue, *others = got["screens"]
    assert got["shown"] == "QueueScreen" and queue in got["loaded"]
    assert [m for m in got["loaded"] if m in others or m.startswith(("markdown_it", "pygments"))] == []


def test_the_tui_imports_only_the_models_the_queue_reads(env):
    """desk.models imports a model when it is first asked for (~6 ms of CPU at start for the seven
    modules the queue does not read); ALL_MODELS still has every one, in creation order."""
    got = _run(FIRST_FRAME_MODULES.replace("DB", repr(env["TEST_DB"])), env)
    assert "desk.models.incident" in got["models"]
    for unread in ("alert", "change", "knowledge", "problem", "report", "request", "transfer"):
        assert f"desk.models.{unread}" not in got["models"]


def test_all_models_and_every_name_are_still_there():
    import desk.models as models

    names = [m.__name__ for m in models.ALL_MODELS]
    assert len(names) == 33 and names[:3] == ["Setting", "Code", "Organisation"]
    assert set(models.__all__) == {*names, "ALL_MODELS"}
    assert models.ServiceRequest.__module__ == "desk.models.request"
    try:
        models.NoSuchModel  # noqa: B018
    except AttributeError as err:
        assert "NoSuchModel" in str(err)
    else:
        raise AssertionError("an unknown name was found")


CONFIG_CHECK_MODULES = """
import json, sys
from desk.config import load_config
from desk.config_check import report_problems
bad = report_problems(load_config(None), "en")
print(json.dumps({"bad": bad, "loaded": [m for m in sys.modules if m in ("desk.lists", "desk.services.saved_views")]}))
"""


def test_the_start_up_check_of_no_saved_views_imports_nothing_for_them(env):
    assert _run(CONFIG_CHECK_MODULES, env) == {"bad": False, "loaded": []}


# Modules read before the first frame that define NamedTuples (~230 fields). Under `from __future__
# import annotations` every field's annotation is a string that typing compiles into a ForwardRef
# when the class is made (~9 µs a field): ~2 ms of CPU at every start.
START_PATH_RECORDS = ("desk.services.views", "desk.lists.spec", "desk.widgets.list_messages",
                      "desk.domain.filter_terms", "desk.services.sla_views", "desk.domain.incident_flow",
                      "desk.services.queue", "desk.services.sla", "desk.domain.sla_clock")


def test_the_records_read_before_the_first_frame_are_made_without_compiling_annotations():
    import importlib
    import typing

    for name in START_PATH_RECORDS:
        module = importlib.import_module(name)
        records = [v for v in vars(module).values()
                   if isinstance(v, type) and issubclass(v, tuple) and hasattr(v, "_fields") and v.__module__ == name]
        assert records, name
        for record in records:
            compiled = [f for f, a in record.__annotations__.items() if isinstance(a, (str, typing.ForwardRef))]
            assert compiled == [], (name, record.__name__)
