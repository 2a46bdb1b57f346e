"""Child-process bodies for the reliability tests. Each opens its own desk with
`open_desk(url, user=...)`, exactly as a second terminal would, and reports over a queue.

Run through a forkserver context (see helpers.mp_context): desk is imported once in the
server, each child forks from it in milliseconds, and no child inherits a database
connection from the test process.
"""

from __future__ import annotations

import os
import random
import time
import traceback
from collections import Counter

from desk.domain.errors import DeskError, InvalidTransition, StaleVersion

# Weighted choices by the status an incident was read in. A share of attempts ignores the
# status altogether, so invalid transitions are attempted too.
# Closing is for good, so it is rare: the incidents stay contended to the end of a run.
OPEN_ACTIONS = [("assign", 3), ("start", 3), ("escalate", 2), ("return", 2), ("resolve", 2), ("note", 3)]
RESOLVED_ACTIONS = [("reopen", 5), ("confirm_close", 0.3), ("note", 2)]
ALL_ACTIONS = ["assign", "start", "escalate", "return", "resolve", "reopen", "note"]
UP = {1: "network", 2: "vendor-net"}


def _pick(rng: random.Random, status: str) -> str:
    if rng.random() < 0.15 or status == "closed":
        return rng.choice(ALL_ACTIONS)
    table = RESOLVED_ACTIONS if status == "resolved" else OPEN_ACTIONS
    names, weights = zip(*table)
    return rng.choices(names, weights)[0]


def act(desk, login: str, action: str, detail, rng: random.Random, logins: list[str], note_size: int = 40) -> list:
    """Attempt one action on an incident read at `detail.version`. Returns the details of the
    successful changes (confirm+close is two); raises what the service raises."""
    from desk.services import incidents

    v = detail.version
    iid = detail.id
    text = "x" * note_size
    if action == "assign":
        return [incidents.assign(desk, login, iid, to=rng.choice(logins), expect_version=v)]
    if action == "start":
        return [incidents.start(desk, login, iid, expect_version=v)]
    if action == "escalate":
        # Mostly the right next tier; sometimes a wrong one (an InvalidTransition).
        target = UP.get(detail.tier, "network") if rng.random() < 0.9 else "desk"
        return [incidents.escalate(desk, login, iid, to=target, reason="needs the next line", expect_version=v)]
    if action == "return":
        return [incidents.return_(desk, login, iid, reason="not ours", expect_version=v)]
    if action == "resolve":
        return [incidents.resolve(desk, login, iid, code="fixed", note=f"fixed {text}", expect_version=v)]
    if action == "reopen":
        return [incidents.reopen(desk, login, iid, reason="caller says no", expect_version=v)]
    if action == "note":
        return [incidents.note(desk, login, iid, text=f"note {text}", expect_version=v)]
    if action == "confirm_close":
        done = [incidents.confirm(desk, login, iid, expect_version=v)]
        try:
            done.append(incidents.close(desk, login, iid, expect_version=done[0].version))
        except DeskError as err:
            err.partial = done  # the confirm stands: the caller counts it
            raise
        return done
    raise ValueError(action)


def transitions(url: str, login: str, logins: list[str], ids: list[int], count: int, seed: int, env: dict,
                start, results) -> None:
    """The concurrency worker: `count` attempts, each reading a version then changing with it."""
    os.environ.update(env)
    from desk.services import incidents
    from desk.services.context import open_desk

    out = {"login": login, "attempts": 0, "ok": 0, "ok_by_action": Counter(), "stale": 0, "invalid": 0,
           "stale_by": Counter(), "unexpected": [], "seconds": 0.0}
    try:
        desk = open_desk(url, user=login, lang="en")
        rng = random.Random(seed)
        start.wait()
        t0 = time.monotonic()
        for _ in range(count):
            iid = rng.choice(ids)
            detail = incidents.get(desk, iid, with_history=False)
            action = _pick(rng, detail.status)
            time.sleep(rng.uniform(0, 0.004))  # a moment to think, as a person would: others act meanwhile
            out["attempts"] += 1
            try:
                done = act(desk, login, action, detail, rng, logins)
                out["ok"] += len(done)
                out["ok_by_action"][action] += 1
            except StaleVersion as err:
                out["stale"] += 1
                out["ok"] += len(getattr(err, "partial", ()))
                out["stale_by"][str(err.params.get("by"))] += 1
                if err.params.get("by") == login:
                    out["unexpected"].append(f"stale version blamed on ourselves: {err.params}")
            except InvalidTransition as err:
                out["invalid"] += 1
                out["ok"] += len(getattr(err, "partial", ()))
            except DeskError as err:  # NotAllowed, ValidationError, DatabaseBusy …: a failure of the test
                out["ok"] += len(getattr(err, "partial", ()))
                out["unexpected"].append(f"{type(err).__name__}: {err.message('en')}")
            except Exception as exc:  # noqa: BLE001 — "database is locked" escaping would land here
                out["unexpected"].append(f"{type(exc).__name__}: {exc}")
        out["seconds"] = time.monotonic() - t0
        desk.close()
    except Exception:  # noqa: BLE001
        out["unexpected"].append(traceback.format_exc())
    out["ok_by_action"] = dict(out["ok_by_action"])
    out["stale_by"] = dict(out["stale_by"])
    results.put(out)


def writer_loop(url: str, login: str, logins: list[str], ids: list[int], seed: int, env: dict, ready,
                big_note_every: int = 5, writing=None) -> None:
    """The crash and load writer: transitions until killed. Some notes are large (200 KB) so a
    kill often lands inside a write. `writing` (a shared flag) is 1 while a write transaction
    is open, so the test can tell where its kill landed."""
    os.environ.update(env)
    from contextlib import contextmanager

    from desk.services import incidents
    from desk.services.context import open_desk

    if writing is not None:
        inner = incidents.write_transaction

        @contextmanager
        def flagged(db=None):
            writing.value = 1  # from BEGIN (waiting for the lock included) to the end of COMMIT
            try:
                with inner(db) as tx:
                    yield tx
            finally:
                writing.value = 0

        incidents.write_transaction = flagged

    desk = open_desk(url, user=login, lang="en")
    rng = random.Random(seed)
    ready.set()
    n = 0
    while True:
        n += 1
        iid = rng.choice(ids)
        try:
            detail = incidents.get(desk, iid, with_history=False)
            size = 200_000 if big_note_every and n % big_note_every == 0 else 40
            act(desk, login, _pick(rng, detail.status), detail, rng, logins, note_size=size)
        except (StaleVersion, InvalidTransition):
            pass


def hold_in_transaction(url: str, login: str, incident_id: int, env: dict, inside) -> None:
    """Start a note on an incident and stop for ever inside its write transaction: after the
    incident row is updated, before its history row is written. The test kills us there."""
    os.environ.update(env)
    from desk.services import history, incidents
    from desk.services.context import open_desk

    def stuck(*args, **kwargs):
        inside.set()
        while True:
            time.sleep(1)

    desk = open_desk(url, user=login, lang="en")
    history.append = stuck
    incidents.note(desk, login, incident_id, text="this note must never land")
