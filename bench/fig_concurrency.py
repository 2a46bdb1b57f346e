"""Figure 5: eight agents transitioning incidents at once on one database.

Eight processes (bench.agent_worker) assign, start, escalate, return, resolve, confirm, reopen and
close random incidents from a shared pool, each call with expect_version, for a fixed time. Each
round gets a fresh database: SQLite with synchronous=FULL (the default durability) and with NORMAL,
run side by side in alternating rounds, and PostgreSQL (a schema of its own) when reachable.

Afterwards the database is checked: every incident's version equals its number of history rows,
and the successful transitions the agents counted equal the history rows added. Anything else is
a lost update. "database is locked" surfacing to a caller (DatabaseBusy or a raw OperationalError)
is counted too; stale-version conflicts are the optimistic lock doing its job and only reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

from bench.harness import ROOT, Context, FigureResult, median, percentile

NUMBER, ID, TITLE = 5, "concurrency", "Concurrent agents: 8 processes transitioning incidents"
AGENTS = 8


def _prepare(ctx: Context, url: str, pool_size: int, durability: str) -> tuple[list[int], int]:
    from desk.config import load_config
    from desk.models import History
    from desk.services import agents, setup
    from desk.services.context import open_desk

    from bench import bulk

    config = load_config()
    config.data["desk"] = {**config.data.get("desk", {}), "durability": durability}
    desk = open_desk(url, config, user="admin", lang="en")
    try:
        setup.init_database(desk)
        for i in range(1, AGENTS + 1):
            agents.save_agent(desk, "admin", agent_login=f"bench.{i}", name=f"Bench agent {i}",
                              roles=["l1", "lead"], group="desk")
        ids = bulk.make_pool(desk, pool_size)
        before = History.select().count()
    finally:
        desk.close()
    return ids, before


def _verify(url: str, ids: list[int], history_before: int) -> dict:
    from desk.models import History, Incident
    from desk.services.context import open_desk

    desk = open_desk(url, user="admin", lang="en")
    try:
        from peewee import fn

        counts = dict(History.select(History.entity_id, fn.COUNT(History.id))
                      .where(History.entity == "incident").group_by(History.entity_id).tuples())
        versions = dict(Incident.select(Incident.id, Incident.version).where(Incident.id.in_(ids)).tuples())
        mismatched = sum(1 for i in ids if versions.get(i) != counts.get(i, 0))
        after = History.select().count()
        from desk.services import history

        broken = sum(1 for _ in history.verify_all())
    finally:
        desk.close()
    return {"mismatched_versions": mismatched, "history_added": after - history_before, "broken_chains": broken}


def _round(ctx: Context, url: str, durability: str, seconds: float, pool_size: int, trace: bool = False) -> dict:
    ids, before = _prepare(ctx, url, pool_size, durability)
    ids_file = ctx.tmp / f"ids-{uuid.uuid4().hex[:8]}.json"
    ids_file.write_text(json.dumps(ids))
    procs = []
    for i in range(1, AGENTS + 1):
        cmd = [sys.executable, "-m", "bench.agent_worker", "--db", url, "--login", f"bench.{i}",
               "--ids", str(ids_file), "--seconds", str(seconds), "--durability", durability, "--seed", str(i)] + (["--trace"] if trace else [])
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=ctx.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True))
    try:
        for proc in procs:
            line = proc.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"agent worker did not start: {line!r}")
        for proc in procs:  # the start gun
            proc.stdin.write("go\n")
            proc.stdin.flush()
        reports = []
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds + 120)
            if proc.returncode != 0:
                raise RuntimeError(f"agent worker failed (exit {proc.returncode})")
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    check = _verify(url, ids, before)
    outcome: dict[str, int] = {}
    for r in reports:
        for k, v in r["outcome"].items():
            outcome[k] = outcome.get(k, 0) + v
    errors: dict[str, int] = {}
    for r in reports:
        for k, v in r["errors"].items():
            errors[k] = errors.get(k, 0) + v
    latencies = [x for r in reports for x in r["latencies"]]
    elapsed = max(r["elapsed"] for r in reports)
    lost = check["mismatched_versions"] + abs(outcome["ok"] - check["history_added"])
    return {
        "durability": durability,
        "rate": outcome["ok"] / elapsed,
        "attempts_rate": (outcome["ok"] + outcome["stale"]) / elapsed,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "outcome": outcome,
        "lost": lost,
        "broken_chains": check["broken_chains"],
        "locked": outcome["busy"] + outcome["locked"],
        "errors": errors,
        "elapsed": elapsed,
        # CPU of every agent per successful transition: what a loaded machine's wall times hide.
        "cpu_ms": 1000 * sum(r["cpu"] for r in reports) / max(1, outcome["ok"]),
        **({"trace": [c for r in reports for c in r["trace"]]} if trace else {}),
    }


def _pg_reachable(url: str | None) -> bool:
    if not url:
        return False
    try:
        import psycopg2

        conn = psycopg2.connect(url, connect_timeout=3)
        conn.close()
        return True
    except Exception:
        return False


def _pg_round(ctx: Context, seconds: float, pool_size: int) -> dict:
    import psycopg2

    name = "bench_" + uuid.uuid4().hex[:10]
    admin = psycopg2.connect(ctx.pg_url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in ctx.pg_url else "?"
    try:
        return _round(ctx, f"{ctx.pg_url}{sep}schema={name}", "full", seconds, pool_size)
    finally:
        admin.cursor().execute(f"DROP SCHEMA {name} CASCADE")
        admin.close()


def _summary(rounds: list[dict]) -> dict:
    return {
        "rate": median([r["rate"] for r in rounds]),
        "p50": median([r["p50"] for r in rounds]),
        "p99": median([r["p99"] for r in rounds]),
        "cpu_ms": median([r["cpu_ms"] for r in rounds]),
        "stale": sum(r["outcome"]["stale"] for r in rounds),
        "ok": sum(r["outcome"]["ok"] for r in rounds),
        "lost": sum(r["lost"] for r in rounds),
        "broken": sum(r["broken_chains"] for r in rounds),
        "locked": sum(r["locked"] for r in rounds),
        "other": sum(r["outcome"]["other"] + r["outcome"]["invalid"] for r in rounds),
        "errors": {k: v for r in rounds for k, v in r["errors"].items()},
    }


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    rounds = ctx.reps(full=3, quick=2, smoke=1)
    seconds = 1.5 if ctx.smoke else 4.0 if ctx.quick else 8.0
    pool = 300 if ctx.smoke else 4000
    by: dict[str, list[dict]] = {"full": [], "normal": [], "pg": []}
    use_pg = _pg_reachable(ctx.pg_url)
    for n in range(rounds):
        for durability in ("full", "normal"):
            path = ctx.tmp / f"agents-{durability}-{n}.db"
            ctx.log(f"  round {n + 1}/{rounds}: SQLite synchronous={durability.upper()}, {AGENTS} agents, {seconds:g}s")
            r = _round(ctx, str(path), durability, seconds, pool)
            by[durability].append(r)
            ctx.log(f"    {r['rate']:.0f} transitions/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
                    f"stale {r['outcome']['stale']}, lost {r['lost']}, locked {r['locked']}")
        if use_pg:
            ctx.log(f"  round {n + 1}/{rounds}: PostgreSQL, {AGENTS} agents, {seconds:g}s")
            r = _pg_round(ctx, seconds, pool)
            by["pg"].append(r)
            ctx.log(f"    {r['rate']:.0f} transitions/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
                    f"stale {r['outcome']['stale']}, lost {r['lost']}, locked {r['locked']}")

    full, normal = _summary(by["full"]), _summary(by["normal"])
    n = len(by["full"])
    result.add("rate_full", "SQLite FULL: transitions/s", full["rate"], "/s", ">=", 500, samples=n)
    result.add("p99_full", "SQLite FULL: p99 latency", full["p99"], "ms", "<=", 50, samples=n)
    result.add("lost", "lost updates (all runs, all backends)",
               full["lost"] + normal["lost"] + (_summary(by["pg"])["lost"] if by["pg"] else 0), "count", "==", 0)
    result.add("locked", "'database is locked' surfaced (all runs)",
               full["locked"] + normal["locked"] + (_summary(by["pg"])["locked"] if by["pg"] else 0),
               "count", "==", 0)
    result.add("p50_full", "SQLite FULL: p50 latency", full["p50"], "ms", samples=n)
    result.add("cpu_full", "SQLite FULL: CPU per transition, all agents", full["cpu_ms"], "ms", samples=n,
               note=f"load average {os.getloadavg()[0]:.1f}")
    result.add("stale_full", "SQLite FULL: stale-version conflicts (of attempts)", full["stale"], "count",
               note=f"{full['ok']} succeeded")
    result.add("rate_normal", "SQLite NORMAL: transitions/s", normal["rate"], "/s", samples=n)
    result.add("p50_normal", "SQLite NORMAL: p50 latency", normal["p50"], "ms", samples=n)
    result.add("p99_normal", "SQLite NORMAL: p99 latency", normal["p99"], "ms", samples=n)
    result.add("full_vs_normal", "throughput FULL / NORMAL", (full["rate"] / normal["rate"]) if normal["rate"] else None,
               "x", samples=n)
    if by["pg"]:
        pg = _summary(by["pg"])
        result.add("rate_pg", "PostgreSQL: transitions/s", pg["rate"], "/s", samples=len(by["pg"]))
        result.add("p50_pg", "PostgreSQL: p50 latency", pg["p50"], "ms", samples=len(by["pg"]))
        result.add("p99_pg", "PostgreSQL: p99 latency", pg["p99"], "ms", samples=len(by["pg"]))
        result.add("stale_pg", "PostgreSQL: stale-version conflicts", pg["stale"], "count", note=f"{pg['ok']} succeeded")
    else:
        result.notes.append("PostgreSQL not reachable (or not asked for): SQLite only")
    broken = full["broken"] + normal["broken"] + (_summary(by["pg"])["broken"] if by["pg"] else 0)
    result.add("broken_chains", "history chains failing verification", broken, "count", "==", 0)
    other = full["other"] + normal["other"] + (_summary(by["pg"])["other"] if by["pg"] else 0)
    result.add("other_errors", "other errors (invalid transitions, crashes)", other, "count")
    errs = {**full["errors"], **normal["errors"]}
    if errs:
        result.notes.append("errors seen: " + "; ".join(f"{k} ×{v}" for k, v in list(errs.items())[:8]))
    result.notes.append(f"{AGENTS} agent processes, {seconds:g}s per round, {rounds} rounds per configuration, "
                        f"pool of {pool} incidents, fresh database each round; medians over rounds")
    return result
