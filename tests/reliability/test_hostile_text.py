"""Hostile text through every entry point: stored exactly, shown inert, refused cleanly.

Decisions (docs/security.md): text is stored exactly as given, whatever it contains, except
NUL (refused: PostgreSQL cannot store it and C tools truncate at it) and text that is not
valid Unicode (lone surrogates, i.e. undecodable bytes on argv: refused, "not valid UTF-8").
Shown text is neutralised (desk.domain.text): markup is never parsed, and ESC, C0/C1
controls and bidi overrides are replaced by visible stand-ins before they reach a terminal.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.domain.errors import DeskError, ValidationError
from desk.models import History, Incident, Refusal
from desk.services import history, incidents
from reliability.helpers import dump, run_cli, size

PAYLOADS = {
    "markup": "[bold]loud[/bold] [@click=app.quit]quit[/] [link=https://evil.example]x[/link] [/] [",
    "csi_clear": "\x1b[2J\x1b[Hwiped",
    "osc52_clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07copied",
    "osc8_link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c1_csi": "\u009b31mred via C1\u009b0m",
    "bidi_override": "invoice_\u202egpj.exe",
    "bidi_isolates": "\u2066a\u2069\u2067b\u2069\u2068c\u2069\u200f",
    "cr_backspace": "ok\rFAKE\b\b\x7f",
    "zero_width": "z\u200b\u200c\u200d\ufeffw",
    "cjk_emoji": "打印机卡纸 ✓ 💥",
    "percent_braces": "%s %(x)s {id} {0} \\N{BEL}",
    "sql": "'; DROP TABLE incident; --",
}
ALL = " ".join(PAYLOADS.values())

# What must never reach a terminal from the data: C0 controls but tab/newline, DEL, C1, bidi.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> bool:
    return FORBIDDEN.search(text) is None


# --- services: stored exactly ---------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_services_store_hostile_text_exactly(desk, name):
    text = PAYLOADS[name]
    inc = incidents.create(desk, "li", title=text, description=text * 3, caller=text, impact=3, urgency=3)
    inc = incidents.note(desk, "li", inc.id, text=text)
    inc = incidents.escalate(desk, "li", inc.id, to="network", reason=text)
    inc = incidents.resolve(desk, "wang", inc.id, code="fixed", note=text)
    got = incidents.get(desk, inc.id)
    assert (got.title, got.description, got.caller, got.resolution) == (text, text * 3, text.strip(), text)
    assert [h.note for h in got.history[1:]] == [text, text, text]
    assert history.verify("incident", inc.id) is None


def test_one_megabyte_is_stored_and_a_byte_more_is_refused_with_nothing_written(desk):
    big = ("長" * 999_999) + "\x1b"
    inc = incidents.create(desk, "li", title="big", description=big, impact=3, urgency=3)
    incidents.note(desk, "li", inc.id, text=big)
    got = incidents.get(desk, inc.id)
    assert got.description == big and got.history[-1].note == big
    before = dump(desk.db)
    for call in (lambda: incidents.note(desk, "li", inc.id, text=big + "x"),
                 lambda: incidents.create(desk, "li", title="t", description=big + "x", impact=3, urgency=3),
                 lambda: incidents.create(desk, "li", title="x" * 501, impact=3, urgency=3)):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.key == "error.too_long"
    assert dump(desk.db) == before


# Every free-text parameter of every incident use case, with what it takes to reach it.
TEXT_ENTRY_POINTS = {
    "create.title": lambda d, i, s: incidents.create(d, "li", title=s, impact=3, urgency=3),
    "create.description": lambda d, i, s: incidents.create(d, "li", title="t", description=s, impact=3, urgency=3),
    "create.caller": lambda d, i, s: incidents.create(d, "li", title="t", caller=s, impact=3, urgency=3),
    "assign.note": lambda d, i, s: incidents.assign(d, "li", i, to="me", note=s),
    "escalate.reason": lambda d, i, s: incidents.escalate(d, "li", i, to="network", reason=s),
    "escalate_hierarchical.reason": lambda d, i, s: incidents.escalate(d, "lead", i, hierarchical=True, reason=s),
    "resolve.note": lambda d, i, s: incidents.resolve(d, "li", i, code="fixed", note=s),
    "note.text": lambda d, i, s: incidents.note(d, "li", i, text=s),
    "assign.to": lambda d, i, s: incidents.assign(d, "li", i, to=s),
    "assign.group": lambda d, i, s: incidents.assign(d, "li", i, group=s),
    "escalate.to": lambda d, i, s: incidents.escalate(d, "li", i, to=s, reason="r"),
    "resolve.code": lambda d, i, s: incidents.resolve(d, "li", i, code=s, note="n"),
    "create.organisation": lambda d, i, s: incidents.create(d, "li", title="t", organisation=s, impact=3, urgency=3),
}
RESOLVED_ENTRY_POINTS = {
    "confirm.note": lambda d, i, s: incidents.confirm(d, "li", i, note=s),
    "reopen.reason": lambda d, i, s: incidents.reopen(d, "li", i, reason=s),
    "close.code": lambda d, i, s: incidents.close(d, "li", i, code=s),
}


@pytest.mark.parametrize("bad", ["nul\x00byte", "undecodable \udcff byte"], ids=["nul", "surrogate"])
@pytest.mark.parametrize("entry", sorted(TEXT_ENTRY_POINTS) + sorted(RESOLVED_ENTRY_POINTS))
def test_nul_and_invalid_unicode_are_refused_everywhere_with_nothing_written(desk, entry, bad):
    inc = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    if entry in RESOLVED_ENTRY_POINTS:
        inc = incidents.resolve(desk, "li", inc.id, code="fixed", note="done")
    call = {**TEXT_ENTRY_POINTS, **RESOLVED_ENTRY_POINTS}[entry]
    before = dump(desk.db)
    with pytest.raises(ValidationError) as err:
        call(desk, inc.id, bad)
    assert err.value.key in ("error.nul", "error.not_utf8", "error.unknown_agent", "error.unknown_group",
                             "error.unknown_code", "error.unknown_org")
    assert dump(desk.db) == before


# --- the command line: stored exactly, shown inert ------------------------------------------------

@pytest.fixture
def cli_desk(desk, db_url):
    desk.close()
    return db_url


def _new(db, title, **extra):
    args = ["incident", "new", "--title", title, "--json"]
    for k, v in extra.items():
        args += [f"--{k}", v]
    out = run_cli(*args, db=db)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["id"]


def test_cli_hostile_text_round_trips_and_is_shown_inert(cli_desk, desk):
    db = cli_desk
    iid = _new(db, ALL, description=ALL, caller=PAYLOADS["bidi_override"] + PAYLOADS["csi_clear"])
    for args in (["note", str(iid), "--text", ALL], ["start", str(iid)],
                 ["resolve", str(iid), "--code", "fixed", "--note", ALL]):
        out = run_cli("incident", *args, db=db)
        assert out.returncode == 0, out.stderr
        assert inert(out.stdout.decode()) and inert(out.stderr.decode())
    from desk.services.context import open_desk

    again = open_desk(db, user="admin")
    got = incidents.get(again, iid)
    assert (got.title, got.description, got.resolution) == (ALL, ALL, ALL)
    assert got.history[1].note == ALL
    for args in (["show", str(iid)], ["list", "--view", "all"], ["list", "--text", "wiped"]):
        out = run_cli("incident", *args, db=db)
        text = out.stdout.decode("utf-8")
        assert out.returncode == 0 and inert(text), (args, [m.group() for m in FORBIDDEN.finditer(text)])
        assert "[bold]loud[/bold]" in text or args[0] == "list"  # markup shown as typed, never applied
    show = run_cli("incident", "show", str(iid), db=db).stdout.decode()
    assert "␛[2J" in show and "[@click=app.quit]quit[/]" in show
    # JSON is for programs: exact after parsing, but still nothing raw for a terminal to act on.
    out = run_cli("incident", "show", str(iid), "--json", db=db)
    assert inert(out.stdout.decode()) and json.loads(out.stdout)["title"] == ALL
    again.close()


def test_cli_error_messages_quoting_input_are_inert(cli_desk):
    db = cli_desk
    iid = _new(db, "printer")
    for args in (["incident", "assign", str(iid), "--to", "\x1b[2J\x1b]52;c;aGk=\x07"],
                 ["incident", "escalate", str(iid), "--to", "\u202enetwork", "--reason", "r"],
                 ["incident", "resolve", str(iid), "--code", "\u009b31m", "--note", "n"]):
        out = run_cli(*args, db=db)
        err = out.stderr.decode()
        assert out.returncode == 1 and len(err.splitlines()) == 1 and inert(err), err


def test_cli_undecodable_argv_is_refused_with_one_line_and_nothing_written(cli_desk, desk):
    db = cli_desk
    iid = _new(db, "printer")
    from desk.services.context import open_desk

    probe = open_desk(db, user="admin")
    before = dump(probe.db)
    probe.close()
    cases = [
        (["incident", "new", "--title", b"bad \xff\xfe title"], "title is not valid UTF-8 text"),
        (["incident", "note", str(iid), "--text", b"\xc3\x28 half a character"], "text is not valid UTF-8 text"),
        (["incident", "resolve", str(iid), "--code", "fixed", "--note", b"\xed\xa0\x80"], "note is not valid UTF-8"),
        (["incident", "assign", str(iid), "--to", b"\xff"], "not valid UTF-8"),
    ]
    for args, expected in cases:
        argv = [a if isinstance(a, bytes) else a.encode() for a in args]
        out = run_cli(*[os.fsdecode(a) for a in argv], db=db)
        err = out.stderr.decode("utf-8", "replace")
        assert out.returncode == 1 and expected in err and len(err.splitlines()) == 1, err
    # Bytes on stdin are not read by any command: they change nothing either.
    out = run_cli("incident", "show", str(iid), db=db, input=b"\xff\xfe\x1b[2J\x00" * 1000)
    assert out.returncode == 0
    probe = open_desk(db, user="admin")
    assert dump(probe.db) == before
    probe.close()


def test_cli_a_large_argument_round_trips(cli_desk):
    db = cli_desk
    iid = _new(db, "big note")
    text = ("描述\x1b[2J " * 12_000)[:64_000]  # argv takes up to 128 KiB per argument: this is ~100 KB
    assert 90_000 < len(text.encode()) < 128 * 1024
    assert run_cli("incident", "note", str(iid), "--text", text, db=db).returncode == 0
    out = run_cli("incident", "show", str(iid), "--json", db=db)
    assert json.loads(out.stdout)["history"][-1]["note"] == text


# --- random text, random sequences ----------------------------------------------------------------

# Weighted towards what succeeds (repeats), so that sequences get far into the life cycle.
LOGINS = ["admin", "li", "lead", "admin", "li", "lead", "zhao", "wang", "chen", "vend", "appr", "repw", "nobody"]
GROUPS = ["desk", "network", "vendor-net", "", "desk", "network", "systems", "vendor-net", "vendor-hw", "nowhere", ""]
CODES = ["fixed", "workaround", "fixed", "vendor_fixed", "bogus", "", None]
HOSTILE = st.sampled_from(list(PAYLOADS.values()) + ["\x00", "\udcff", "", " ", "\n", "x" * 600])
TEXT = st.one_of(st.text(max_size=60), HOSTILE,
                 st.text(alphabet=st.characters(codec=None, categories=None), max_size=30),
                 st.lists(HOSTILE, max_size=4).map("".join))
ACTION = st.tuples(
    st.sampled_from(["assign", "start", "escalate", "escalate_h", "return", "resolve", "confirm", "reopen",
                     "close", "note"]),
    st.sampled_from(LOGINS), st.one_of(st.just("because"), TEXT), st.sampled_from(GROUPS), st.sampled_from(CODES),
    st.sampled_from(["none", "current", "none", "current", "old"]))


def _happy(name, group="", code="fixed"):
    return st.tuples(st.just(name), st.sampled_from(["admin", "lead"]), st.one_of(st.just("because"), TEXT),
                     st.just(group), st.just(code), st.just("current"))


# The life cycle to the end (with hostile text in every reason and note), between random steps.
HAPPY_PATH = st.tuples(_happy("assign", "desk"), _happy("start"), _happy("escalate", "network"),
                       _happy("note"), _happy("resolve"), _happy("confirm"), _happy("close")).map(list)
STEPS = st.one_of(
    st.lists(ACTION, max_size=8),
    st.tuples(st.lists(ACTION, max_size=2), HAPPY_PATH, st.lists(ACTION, max_size=2)).map(lambda t: t[0] + t[1] + t[2]),
)


def _version(iid) -> int:
    return Incident.select(Incident.version).where(Incident.id == iid).scalar()


def _run(desk, iid, step, current):
    name, login, text, group, code, version = step
    ev = {"none": None, "current": current, "old": current - 1}[version]
    if name == "assign":
        return incidents.assign(desk, login, iid, to=login if group == "" else None, group=group or None, note=text,
                                expect_version=ev)
    if name == "start":
        return incidents.start(desk, login, iid, expect_version=ev)
    if name == "escalate":
        return incidents.escalate(desk, login, iid, to=group, reason=text, expect_version=ev)
    if name == "escalate_h":
        return incidents.escalate(desk, login, iid, hierarchical=True, reason=text, expect_version=ev)
    if name == "return":
        return incidents.return_(desk, login, iid, to=group or None, reason=text, expect_version=ev)
    if name == "resolve":
        return incidents.resolve(desk, login, iid, code=code, note=text, expect_version=ev)
    if name == "confirm":
        return incidents.confirm(desk, login, iid, note=text, expect_version=ev)
    if name == "reopen":
        return incidents.reopen(desk, login, iid, reason=text, expect_version=ev)
    if name == "close":
        return incidents.close(desk, login, iid, code=code, expect_version=ev)
    return incidents.note(desk, login, iid, text=text, expect_version=ev)


def _invariants(iid):
    inc = Incident.get_by_id(iid)
    rows = list(History.select().where((History.entity == "incident") & (History.entity_id == iid))
                .order_by(History.seq))
    assert inc.version == len(rows)
    statuses = [json.loads(r.changes)["status"] for r in rows if "status" in json.loads(r.changes)]
    assert statuses[-1][1] == inc.status
    assert all(a[1] == b[0] for a, b in zip(statuses, statuses[1:]))  # each change starts where the last ended
    assert history.verify("incident", iid) is None


@pytest.mark.stress
def test_random_text_and_random_action_sequences_keep_every_invariant(db_url, clock, tmp_path, capsys):
    from conftest import make_desk
    from desk.config import load_config

    fast = tmp_path / "fast.toml"
    fast.write_text('[desk]\ndurability = "normal"\n')
    desk = make_desk(db_url, clock, load_config(fast))
    sqlite = not db_url.startswith("postgres")
    examples = size(2000 if sqlite else 200, 5000 if sqlite else 2000)
    seen = {"ok": 0, "refused": 0, "created": 0, "closed": 0}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(title=TEXT, description=TEXT, steps=STEPS)
    def scenario(title, description, steps):
        refusals = Refusal.select().count()
        try:
            inc = incidents.create(desk, "li", title=title, description=description, impact=2, urgency=3)
        except ValidationError:
            assert not title.strip() or "\x00" in title + description or len(title) > 500 or \
                not (title + description).encode("utf-8", "surrogatepass") == (title + description).encode(
                    "utf-8", "ignore")
            assert Refusal.select().count() == refusals  # bad input is not a refusal to audit
            return
        seen["created"] += 1
        got = incidents.get(desk, inc.id, with_history=False)
        assert (got.title, got.description) == (title, description)
        for step in steps:
            clock.advance(minutes=1)
            before = _version(inc.id)
            try:
                seen["closed"] += _run(desk, inc.id, step, before).status == "closed"
                seen["ok"] += 1
            except DeskError:
                seen["refused"] += 1
                assert _version(inc.id) == before  # refused: nothing partial
        _invariants(inc.id)

    started = time.monotonic()
    scenario()
    with capsys.disabled():
        print(f"\n[hypothesis] {examples} examples in {time.monotonic() - started:.1f} s: {seen}")
    # Both paths well exercised, and the sequences reach the end of the life cycle.
    assert seen["ok"] > examples // 4 and seen["refused"] > examples // 2 and seen["closed"] > 5, seen
    desk.close()
