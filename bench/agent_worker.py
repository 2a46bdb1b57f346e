"""One agent process of the concurrency figure: random incident transitions through the services.

    python -m bench.agent_worker --db PATH|URL --login bench.1 --ids FILE --seconds S [--durability full]

Prints "ready" once the desk is open, waits for a line on stdin (the start gun, so all agents
begin together), works for S seconds, then prints one JSON line: outcome counts and latencies.
Each step reads the incident's status and version (as a screen would have), picks a transition
that is valid from there, and calls it with expect_version, so a concurrent change shows up as a
stale-version conflict rather than being overwritten.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from contextlib import contextmanager


class _Tracer:
    """Where a call's time goes: stamps (wall, and this process's CPU) at the writer gate, BEGIN
    IMMEDIATE and COMMIT, so a slow call shows whether it waited for the lock, ran inside the
    transaction, waited on the fsync, or was not given the CPU (wall well above CPU while runnable)."""

    def __init__(self, db):
        self.calls: list[dict] = []
        self.stamps: list[tuple[str, float, float]] = []
        gate = getattr(db, "desk_gate", None)
        if gate is not None:
            hold = gate.hold

            @contextmanager
            def traced_hold():
                self._stamp("gate")
                with hold():
                    self._stamp("locked")
                    yield
                self._stamp("unlocked")

            gate.hold = traced_hold
        begin, commit = db.begin, db.commit

        def traced_begin(*a, **k):
            self._stamp("begin")
            begin(*a, **k)
            self._stamp("begun")

        def traced_commit(*a, **k):
            self._stamp("commit")
            commit(*a, **k)
            self._stamp("committed")

        db.begin, db.commit = traced_begin, traced_commit

    def _stamp(self, name: str) -> None:
        self.stamps.append((name, time.perf_counter(), time.process_time()))

    def start(self) -> None:
        self.stamps = []
        self._stamp("start")

    def stop(self, kind: str, ms: float) -> None:
        self._stamp("end")
        t0, c0 = self.stamps[0][1], self.stamps[0][2]
        self.calls.append({"kind": kind, "ms": round(ms, 3),
                           "at": [(n, round((t - t0) * 1000, 3), round((c - c0) * 1000, 3)) for n, t, c in self.stamps]})


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--ids", required=True, help="JSON file with the incident ids to work on")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--durability", choices=("full", "normal"), default="full")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--trace", action="store_true", help="stamp each phase of every call (see _Tracer)")
    args = p.parse_args(argv)

    from peewee import OperationalError

    from desk.config import load_config
    from desk.domain.errors import DatabaseBusy, InvalidTransition, StaleVersion
    from desk.models import Agent, Group, Incident
    from desk.services import incidents
    from desk.services.context import open_desk

    config = load_config()
    config.data["desk"] = {**config.data.get("desk", {}), "durability": args.durability}
    desk = open_desk(args.db, config, user=args.login, lang="en")
    tracer = _Tracer(desk.db) if args.trace else None
    rng = random.Random(args.seed)
    with open(args.ids) as fh:
        pool = json.load(fh)
    groups = {}
    for g in Group.select():
        groups.setdefault(g.tier, []).append(g.code)
    desk_group = config.data["incident"]["default_group"]
    peers = [a.login for a in Agent.select().where(Agent.login.startswith("bench."))] or [args.login]
    codes = sorted(c for c in config.closure_codes if c != "cancelled")

    def choose(status: str, tier: int, confirmed) -> tuple[str, dict] | None:
        r = rng.random()
        if status == "new":
            return "assign", {"to": rng.choice(peers + ["me"])}
        if status == "assigned":
            if r < 0.25 and tier < 3:
                return "escalate", {"to": rng.choice(groups[tier + 1]), "reason": "needs the next line"}
            if r < 0.35 and tier > 1:
                return "return", {"to": rng.choice(groups[tier - 1]) if tier > 2 else desk_group,
                                  "reason": "not ours"}
            return "start", {}
        if status == "in_progress":
            if r < 0.2 and tier < 3:
                return "escalate", {"to": rng.choice(groups[tier + 1]), "reason": "needs the next line"}
            if r < 0.3 and tier > 1:
                return "return", {"to": rng.choice(groups[tier - 1]) if tier > 2 else desk_group,
                                  "reason": "not ours"}
            return "resolve", {"code": rng.choice(codes), "note": "restarted the service"}
        if status == "resolved":
            if confirmed is None:
                return ("confirm", {}) if r < 0.6 else ("reopen", {"reason": "caller says it is not fixed"})
            return ("close", {}) if r < 0.15 else ("reopen", {"reason": "came back"})
        return None  # closed: nothing more to do with it

    calls = {
        "assign": incidents.assign, "start": incidents.start, "escalate": incidents.escalate,
        "return": incidents.return_, "resolve": incidents.resolve, "confirm": incidents.confirm,
        "reopen": incidents.reopen, "close": incidents.close,
    }
    outcome = {"ok": 0, "stale": 0, "invalid": 0, "busy": 0, "locked": 0, "other": 0, "skipped": 0}
    per_action: dict[str, int] = {}
    latencies: list[float] = []
    ok_latencies: list[float] = []
    errors: dict[str, int] = {}

    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu0 = time.perf_counter(), time.process_time()
    deadline = started + args.seconds
    while time.perf_counter() < deadline:
        iid = rng.choice(pool)
        row = (Incident.select(Incident.status, Incident.tier, Incident.version, Incident.confirmed_at)
               .where(Incident.id == iid).tuples().first())
        picked = choose(row[0], row[1], row[3]) if row else None
        if picked is None:
            outcome["skipped"] += 1
            continue
        action, kwargs = picked
        if tracer:
            tracer.start()
        t0 = time.perf_counter()
        try:
            calls[action](desk, None, iid, expect_version=row[2], **kwargs)
            kind = "ok"
            per_action[action] = per_action.get(action, 0) + 1
        except StaleVersion:
            kind = "stale"
        except InvalidTransition as exc:
            kind = "invalid"
            errors[f"invalid:{action}:{exc.key}"] = errors.get(f"invalid:{action}:{exc.key}", 0) + 1
        except DatabaseBusy:
            kind = "busy"
        except OperationalError as exc:
            text = str(exc).lower()
            kind = "locked" if ("locked" in text or "busy" in text) else "other"
            errors[str(exc)[:80]] = errors.get(str(exc)[:80], 0) + 1
        except Exception as exc:  # anything else is reported, never hidden
            kind = "other"
            name = f"{type(exc).__name__}: {str(exc)[:80]}"
            errors[name] = errors.get(name, 0) + 1
        ms = (time.perf_counter() - t0) * 1000
        if tracer:
            tracer.stop(kind, ms)
        outcome[kind] += 1
        if kind in ("ok", "stale"):
            latencies.append(ms)
        if kind == "ok":
            ok_latencies.append(ms)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
    desk.close()
    print(json.dumps({"login": args.login, "elapsed": elapsed, "cpu": cpu, "outcome": outcome, "per_action": per_action,
                      "latencies": [round(x, 3) for x in latencies],
                      "ok_latencies": [round(x, 3) for x in ok_latencies], "errors": errors,
                      **({"trace": tracer.calls} if tracer else {})}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
