"""`desk import`: a jump host's offline desk merged into a central one (overlapping ids, both
backends), round trips, idempotence, records brought forward or kept on conflict, history chains
valid after, and files that are refused whole with nothing written."""

from __future__ import annotations

import json
import uuid

import pytest

from conftest import PG_URL, FakeClock, _pg_schema_url, make_desk
from desk.models import Alert, History, Incident, ServiceRequest
from desk.services import alert_payloads, alerts, check, incidents, knowledge, problems, requests
from desk.services.context import open_desk
from desk.services.transfer import export, importer, spec
from desk.services.transfer.reader import ImportRefused, Reader
from reliability.helpers import dump, run_cli


@pytest.fixture
def other_url(db_url, tmp_path):
    """A second fresh database (the central desk) on db_url's backend."""
    if not db_url.startswith("postgresql"):
        yield str(tmp_path / "central.db")
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


def _work(desk, clock, titles) -> list[int]:
    """A little real work: incidents with histories, a note, an escalation, an alert, an article, a problem."""
    ids = []
    for title in titles:
        inc = incidents.create(desk, "li", title=title, impact=2, urgency=2, caller=f"caller of {title}")
        clock.advance(minutes=3)
        incidents.note(desk, "li", inc.id, text=f"note on {title}")
        ids.append(inc.id)
    incidents.escalate(desk, "li", ids[0], to="network", reason="tunnel")
    incidents.resolve(desk, "wang", ids[0], code="fixed", note="DPD raised")
    alerts.ingest(desk, "admin", [alert_payloads.AlertIn("zabbix", f"fp-{titles[0]}", "high", "db01", "",
                                                          "disk full", "", False)] * 3)
    knowledge.draft(desk, "li", title=f"about {titles[0]}", body="restart it", incident_id=ids[0])
    problems.create(desk, "li", title=f"problem of {titles[0]}", incidents_=ids[:2])
    request = requests.create(desk, "li", title=f"request of {titles[0]}", checked=("identity", "details", "type", "scope"), accept=True)
    requests.note(desk, "li", request.id, text=f"request note of {titles[0]}")
    return ids


def _export(url, clock, path) -> None:
    desk = open_desk(url, clock=clock, user="admin", lang="en")
    try:
        with open(path, "wb") as fh:
            export.write_jsonl(desk, fh)
    finally:
        desk.close()


def _import(url, clock, path):
    desk = open_desk(url, clock=clock, user="admin", lang="en")
    try:
        return importer.import_file(desk, str(path))
    finally:
        desk.close()


def _checked(url) -> None:
    desk = open_desk(url, user="admin")
    try:
        report = check.run_check(desk)
        assert report.ok, [p.message("en") for p in report.problems]
    finally:
        desk.close()


def _rows(path) -> list:
    lines = [json.loads(x) for x in open(path, encoding="utf-8").read().splitlines()]
    return lines[1:-1]


def test_jump_host_desk_merges_into_a_central_one_with_overlapping_ids(db_url, other_url, tmp_path):
    clock = FakeClock()
    jump = make_desk(db_url, clock)
    jump_ids = _work(jump, clock, ["VPN drops", "打印机卡纸", "mail slow"])
    jump.close()
    central = make_desk(other_url, clock)
    central_ids = _work(central, clock, ["core switch down", "disk full", "badge reader"])
    central.close()
    assert jump_ids == central_ids  # the same ids on both desks: they collide
    path = tmp_path / "jump.jsonl"
    _export(db_url, clock, path)

    result = _import(other_url, clock, path)
    assert result.conflicts == []
    desk = open_desk(other_url, user="admin")
    try:
        assert Incident.select().count() == 8  # three and an alert's on each desk
        titles = {i.title: i for i in Incident.select()}
        for cid, title in zip(central_ids, ["core switch down", "disk full", "badge reader"]):
            assert titles[title].id == cid and titles[title].origin is None
        moved = titles["VPN drops"]
        assert moved.id not in central_ids and moved.origin.endswith(f":{jump_ids[0]}")
        assert moved.status == "resolved" and moved.group.code == "network"
        assert moved.caller.name == "caller of VPN drops"
        history = [h.action for h in History.select().where((History.entity == "incident")
                                                             & (History.entity_id == moved.id)).order_by(History.seq)]
        assert history[:2] == ["create", "note"] and len(history) == moved.version
        # a kind of record added by another part of desk (service requests) moves the same way,
        # its history (entity "request") following its new id
        request = ServiceRequest.get(ServiceRequest.title == "request of VPN drops")
        assert request.id != 1 and request.version == History.select().where(
            (History.entity == "request") & (History.entity_id == request.id)).count() >= 2
        alert = Alert.get(Alert.fingerprint == "fp-VPN drops")
        assert alert.occurrences == 3 and alert.incident.origin is not None and alert.incident.id not in central_ids
        before = dump(desk.db)
    finally:
        desk.close()
    _checked(other_url)

    again = _import(other_url, clock, path)
    assert again.total("created") == again.total("updated") == again.total("conflicts") == 0
    desk = open_desk(other_url, user="admin")
    try:
        assert dump(desk.db) == before
    finally:
        desk.close()


def test_export_import_into_an_empty_desk_and_export_again_gives_the_same_rows(db_url, other_url, tmp_path):
    clock = FakeClock()
    source = make_desk(db_url, clock)
    _work(source, clock, ["VPN drops", "打印机卡纸"])
    source.close()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _export(db_url, clock, first)
    make_desk(other_url, clock).close()
    _import(other_url, clock, first)
    _checked(other_url)
    _export(other_url, clock, second)
    header = json.loads(open(first, encoding="utf-8").readline())
    a_desk = header["desk"]
    columns = header["tables"]["incident"]["columns"]

    natural = {s.name for s in spec.specs() if s.natural_key}

    def values(rows):  # everything but where each row came from; rows found by natural key are the target's own
        out = []
        for row in rows:
            if row[0] in natural:
                continue
            row = list(row[2:]) if row[0] != "incident" else [v for c, v in zip(columns, row[2:]) if c != "origin"]
            out.append(row)
        return out

    assert values(_rows(first)) == values(_rows(second))
    # Rows the central desk had already (code tables, groups, agents: by their natural key) are its
    # own; history rows are known by their record and seq; every other row names the desk it was
    # first recorded on.
    b_rows = _rows(second)
    assert all(r[1] is None for r in b_rows if r[0] == "history")
    assert all(r[1].startswith(a_desk) for r in b_rows if r[0] not in natural | {"history"})
    assert not any((r[1] or "").startswith(a_desk) for r in b_rows if r[0] in {"code", "group", "agent"})


def test_a_record_worked_on_after_the_first_import_is_brought_forward_or_kept_on_conflict(db_url, other_url,
                                                                                           tmp_path):
    clock = FakeClock()
    jump = make_desk(db_url, clock)
    a, b = _work(jump, clock, ["VPN drops", "mail slow"])[:2]
    jump.close()
    make_desk(other_url, clock).close()
    _export(db_url, clock, tmp_path / "1.jsonl")
    _import(other_url, clock, tmp_path / "1.jsonl")

    jump = open_desk(db_url, clock=clock, user="admin", lang="en")
    incidents.note(jump, "li", b, text="more from the jump host")
    incidents.note(jump, "li", a, text="jump host on a")
    jump.close()
    central = open_desk(other_url, clock=clock, user="admin", lang="en")
    central_a = Incident.get(Incident.title == "VPN drops").id
    central_b = Incident.get(Incident.title == "mail slow").id
    incidents.note(central, "li", central_a, text="central on a")
    central.close()

    _export(db_url, clock, tmp_path / "2.jsonl")
    result = _import(other_url, clock, tmp_path / "2.jsonl")
    assert [(t, i) for t, i, _o in result.conflicts] == [("incident", central_a)]
    desk = open_desk(other_url, user="admin")
    try:
        notes = lambda i: [h.note for h in History.select().where(  # noqa: E731
            (History.entity == "incident") & (History.entity_id == i)).order_by(History.seq)]
        assert notes(central_b)[-1] == "more from the jump host"
        assert Incident.get_by_id(central_b).version == len(notes(central_b))
        assert notes(central_a)[-1] == "central on a" and "jump host on a" not in notes(central_a)
    finally:
        desk.close()
    _checked(other_url)


@pytest.mark.parametrize("damage", ["cut_at_line", "cut_mid_line", "version", "edited_row", "edited_history",
                                    "not_export"])
def test_a_damaged_or_foreign_file_is_refused_in_one_line_and_nothing_is_written(db_url, tmp_path, damage):
    clock = FakeClock()
    source_url = str(tmp_path / "source.db")
    source = make_desk(source_url, clock)
    _work(source, clock, ["VPN drops", "打印机卡纸"])
    source.close()
    good = tmp_path / "good.jsonl"
    _export(source_url, clock, good)
    other_url = db_url
    lines = good.read_bytes().splitlines(keepends=True)
    if damage == "cut_at_line":
        data = b"".join(lines[:-5])
    elif damage == "cut_mid_line":
        data = b"".join(lines)[:-40]
    elif damage == "version":
        header = json.loads(lines[0])
        header["version"] = 99
        data = json.dumps(header).encode() + b"\n" + b"".join(lines[1:])
    elif damage == "edited_row":
        data = b"".join(lines).replace("VPN drops".encode(), b"VPN fine!")
    elif damage == "edited_history":  # an edit whose author also re-sealed the file
        import hashlib

        body = [x.replace(b'"note on VPN drops"', b'"nothing happened"') for x in lines[:-1]]
        trailer = json.loads(lines[-1])
        trailer["sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
        data = b"".join(body) + json.dumps(trailer).encode() + b"\n"
    else:
        data = b"incident_id,status\n1,closed\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(data)
    make_desk(other_url, clock).close()
    desk = open_desk(other_url, user="admin")
    before = dump(desk.db)
    desk.close()
    out = run_cli("import", str(bad), db=other_url)
    assert out.returncode == 1, out
    err = out.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "nothing was imported" in err[0] and str(bad) in err[0]
    desk = open_desk(other_url, user="admin")
    try:
        assert dump(desk.db) == before
    finally:
        desk.close()


def test_import_over_the_command_line_says_what_it_did_and_refuses_other_roles(db_url, other_url, tmp_path):
    clock = FakeClock()
    source = make_desk(db_url, clock)
    _work(source, clock, ["VPN drops"])
    source.close()
    path = tmp_path / "a.jsonl"
    assert run_cli("export", "--out", str(path), db=db_url).returncode == 0
    make_desk(other_url, clock).close()
    out = run_cli("import", str(path), db=other_url, user="li")
    assert out.returncode == 1 and len(out.stderr.decode().strip().splitlines()) == 1
    out = run_cli("import", str(path), db=other_url)
    assert out.returncode == 0, out.stderr
    assert "created" in out.stdout.decode() and "0 in conflict" in out.stdout.decode()
    out = run_cli("--lang", "zh", "import", str(path), db=other_url)
    assert out.returncode == 0 and "新建 0 行" in out.stdout.decode()


def test_reader_refuses_an_unknown_version_before_anything(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"format": "desk-export", "version": 2, "desk": "x", "tables": {}}) + "\n")
    with pytest.raises(ImportRefused) as err:
        Reader(str(path))
    assert "version 2" in err.value.message("en")


@pytest.mark.skipif(not PG_URL, reason="needs DESK_TEST_PG")
def test_a_sqlite_jump_host_merges_into_a_postgresql_central_desk(tmp_path):
    """The usual shape of the jump-host case: an offline SQLite file, a central PostgreSQL desk."""
    clock = FakeClock()
    jump_url = str(tmp_path / "jump.db")
    jump = make_desk(jump_url, clock)
    _work(jump, clock, ["VPN drops", "打印机卡纸"])
    jump.close()
    path = tmp_path / "jump.jsonl"
    _export(jump_url, clock, path)
    import psycopg2

    name = "t_" + uuid.uuid4().hex[:12]
    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {name}")
    try:
        central_url = _pg_schema_url(name)
        central = make_desk(central_url, clock)
        _work(central, clock, ["core switch down"])
        central.close()
        first = _import(central_url, clock, path)
        assert first.total("created") > 0 and first.conflicts == []
        assert _import(central_url, clock, path).total("created") == 0
        _checked(central_url)
        desk = open_desk(central_url, user="admin")
        try:
            assert Incident.select().count() == (2 + 1) + (1 + 1)  # and an alert's on each desk
            # the sequences continue above the imported ids: a new incident gets a fresh one
            new = incidents.create(desk, "li", title="after the merge", impact=3, urgency=3)
            assert new.id == max(i.id for i in Incident.select())
        finally:
            desk.close()
    finally:
        from desk.db import database

        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
        conn.cursor().execute(f"DROP SCHEMA {name} CASCADE")
        conn.close()


def test_a_jump_host_seeded_from_the_central_desk_brings_its_work_back(db_url, other_url, tmp_path):
    """Central → jump host (an import into its own desk) → work there → back: the central desk's own
    incidents are recognised by their own ids, brought forward; nothing is duplicated."""
    clock = FakeClock()
    central = make_desk(other_url, clock)
    ids = _work(central, clock, ["core switch down", "disk full"])
    central.close()
    jump = make_desk(db_url, clock)
    _work(jump, clock, ["jump host's own"])  # its own incidents take the low ids: the central ones are mapped
    jump.close()
    _export(other_url, clock, tmp_path / "central.jsonl")
    _import(db_url, clock, tmp_path / "central.jsonl")
    jump = open_desk(db_url, clock=clock, user="admin", lang="en")
    there = Incident.get(Incident.title == "disk full")
    assert there.id != ids[1]
    clock.advance(minutes=10)
    incidents.note(jump, "li", there.id, text="worked on the jump host")
    jump.close()
    _export(db_url, clock, tmp_path / "back.jsonl")
    desk = open_desk(other_url, user="admin")
    count = Incident.select().count()
    desk.close()
    result = _import(other_url, clock, tmp_path / "back.jsonl")
    assert result.conflicts == []
    desk = open_desk(other_url, user="admin")
    try:
        back = Incident.get_by_id(ids[1])
        notes = [h.note for h in History.select().where((History.entity == "incident")
                                                         & (History.entity_id == back.id)).order_by(History.seq)]
        assert notes[-1] == "worked on the jump host" and back.version == len(notes)
        assert Incident.select().count() == count + 2  # the jump host's own incident and its alert's
    finally:
        desk.close()
    _checked(other_url)


def test_a_big_import_drops_and_remakes_indexes_and_the_title_search(db_url, other_url, tmp_path, monkeypatch):
    """Above BULK_SEARCH incidents (SQLite) the import fills indexes and the title search once at the
    end: afterwards the database has every index and trigger a fresh one has, and search finds titles."""
    if db_url.startswith("postgresql"):
        pytest.skip("a SQLite bulk path")
    monkeypatch.setattr(importer, "BULK_SEARCH", 1)
    clock = FakeClock()
    source = make_desk(db_url, clock)
    _work(source, clock, ["VPN drops", "打印机卡纸"])
    source.close()
    _export(db_url, clock, tmp_path / "a.jsonl")
    make_desk(other_url, clock).close()
    desk = open_desk(other_url, user="admin")
    fresh = sorted(desk.db.execute_sql("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')").fetchall())
    desk.close()
    _import(other_url, clock, tmp_path / "a.jsonl")
    desk = open_desk(other_url, user="admin")
    try:
        assert sorted(desk.db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')").fetchall()) == fresh
        from desk.services import schema

        assert schema.search_problems(desk.db) == []
    finally:
        desk.close()
    _checked(other_url)
