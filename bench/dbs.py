"""Benchmark databases, built once and cached under bench/.cache, never the user's database.

A cached file is named after what made it: the generator (desk's demo generator, or the bench's
own loader while there is none), a digest of the generator's and the schema's source, the seed and
the size. Change any of them and the next run builds a fresh file (and drops the stale one).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import ROOT, Context, human_size

DAYS = 90


def generator_kind() -> str:
    return "demo" if (ROOT / "desk" / "services" / "demo" / "__init__.py").exists() else "bulk"


def _sources(kind: str) -> list[Path]:
    files = sorted((ROOT / "desk" / "models").glob("*.py"))
    files += [ROOT / "desk" / "services" / "schema.py", ROOT / "desk" / "services" / "setup.py",
              ROOT / "desk" / "domain" / "history_chain.py"]
    if kind == "demo":
        files += sorted((ROOT / "desk" / "services" / "demo").glob("*.py"))
    else:
        files.append(ROOT / "bench" / "bulk.py")
    return files


def cache_key(kind: str, seed: int, incidents: int) -> str:
    digest = hashlib.sha256()
    for path in _sources(kind):
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(f"{seed}:{incidents}:{DAYS}".encode())
    return digest.hexdigest()[:12]


def cache_path(ctx: Context, incidents: int, kind: str | None = None) -> Path:
    """The cached file for this size. The generator and its digest are fixed at the first call of
    a run, so one run uses one generator even if its source changes meanwhile."""
    pinned = ctx.memo.setdefault("generator", {})
    if "kind" not in pinned:
        pinned["kind"] = generator_kind()
    kind = kind or pinned["kind"]
    keys = pinned.setdefault("keys", {})
    if (kind, incidents) not in keys:
        keys[(kind, incidents)] = cache_key(kind, ctx.seed, incidents)
    return Path(ctx.cache_dir) / f"desk-{human_size(incidents)}-{kind}-s{ctx.seed}-{keys[(kind, incidents)]}.db"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(str(path) + suffix)
        except FileNotFoundError:
            pass


def build(ctx: Context, path: Path, incidents: int, kind: str | None = None) -> dict:
    """Generate a database at `path` in a child process; returns the builder's JSON report."""
    kind = kind or ctx.memo.get("generator", {}).get("kind") or generator_kind()
    _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "bench.build_db", "--db", str(path), "--incidents", str(incidents),
           "--seed", str(ctx.seed), "--days", str(DAYS), "--generator", kind]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=ctx.env(), stdout=subprocess.PIPE, stderr=None if ctx.verbose else
                          subprocess.DEVNULL, text=True)
    if proc.returncode != 0:
        _remove(path)
        raise RuntimeError(f"building a {human_size(incidents)} database failed (exit {proc.returncode})")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = time.perf_counter() - started
    report["bytes"] = path.stat().st_size
    return report


def adopt(ctx: Context, built: Path, incidents: int) -> Path:
    """Keep a freshly generated database as the cached one for its size (a rename, no copy)."""
    target = cache_path(ctx, incidents)
    _drop_stale(ctx, incidents, keep=target)
    _remove(target)
    os.replace(built, target)
    return target


def _drop_stale(ctx: Context, incidents: int, keep: Path) -> None:
    for old in Path(ctx.cache_dir).glob(f"desk-{human_size(incidents)}-*.db"):
        if old != keep:
            _remove(old)


def cached(ctx: Context, incidents: int) -> str:
    path = cache_path(ctx, incidents)
    memo = ctx.memo.setdefault("databases", {})
    if str(path) in memo:
        return str(path)
    if not path.exists():
        ctx.log(f"building the {human_size(incidents)} benchmark database -> {path.name}")
        tmp = path.with_name(path.name + ".building")
        report = build(ctx, tmp, incidents)
        ctx.memo.setdefault("builds", {})[incidents] = report
        adopt(ctx, tmp, incidents)
        ctx.log(f"built in {report['seconds']:.1f}s: {report['incidents']} incidents, {report['history']} history rows")
    memo[str(path)] = True
    return str(path)


def first_rows(path: str, limit: int = 60) -> dict:
    """Titles the queue can show first, for spotting the first frame with rows: several views and
    sorts, since the bench cannot know which the app opens with."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    open_ = "status IN ('new','assigned','in_progress')"
    queries = {
        "open/priority": f"SELECT id, title FROM incident WHERE {open_} ORDER BY priority, opened_at, id LIMIT {limit}",
        "open/sla": f"SELECT id, title FROM incident WHERE {open_} ORDER BY due_at, id LIMIT {limit}",
        "open/age": f"SELECT id, title FROM incident WHERE {open_} ORDER BY opened_at, id LIMIT {limit}",
        "open/updated": f"SELECT id, title FROM incident WHERE {open_} ORDER BY updated_at DESC, id DESC LIMIT {limit}",
        "all/priority": f"SELECT id, title FROM incident ORDER BY priority, opened_at, id LIMIT {limit}",
        "all/updated": f"SELECT id, title FROM incident ORDER BY updated_at DESC, id DESC LIMIT {limit}",
        "all/id": f"SELECT id, title FROM incident ORDER BY id LIMIT {limit}",
        "all/id-desc": f"SELECT id, title FROM incident ORDER BY id DESC LIMIT {limit}",
    }
    out = {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    con.close()
    return out
