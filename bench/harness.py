"""What every figure shares: the run context, results with their goals, statistics, the table.

A figure returns a FigureResult holding Measures. A Measure with a goal (`op` and `limit`) says
whether it holds; the figure holds when every measure with a goal does. Informational measures
(no goal) sit beside them: the bare-app time, FULL vs NORMAL, the 1k baseline, and so on.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_CACHE = BENCH_DIR / ".cache"

OPS = {"<=": lambda v, lim: v <= lim, ">=": lambda v, lim: v >= lim, "==": lambda v, lim: v == lim}
OP_TEXT = {"<=": "≤", ">=": "≥", "==": "="}


# --- statistics -----------------------------------------------------------------------------

def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, pct: float) -> float | None:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    rank = max(1, math.ceil(pct / 100 * len(values)))
    return values[rank - 1]


def ratio(a, b) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


# --- results --------------------------------------------------------------------------------

@dataclass
class Measure:
    key: str
    label: str
    value: float | None
    unit: str = ""
    op: str | None = None        # "<=", ">=", "==": a goal; None: informational
    limit: float | None = None
    note: str = ""
    samples: int | None = None   # how many runs/samples the value summarises

    @property
    def goal(self) -> str | None:
        if self.op is None:
            return None
        return f"{OP_TEXT[self.op]} {fmt_limit(self.limit, self.unit)}"

    @property
    def holds(self) -> bool | None:
        if self.op is None:
            return None
        if self.value is None:
            return False
        return OPS[self.op](self.value, self.limit)

    def to_json(self) -> dict:
        d = asdict(self)
        d["goal"] = self.goal
        d["holds"] = self.holds
        return d


@dataclass
class FigureResult:
    number: int
    id: str
    title: str
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    status: str = "ok"   # ok, skipped, error
    reason: str = ""
    seconds: float = 0.0

    def add(self, *args, **kwargs) -> Measure:
        m = Measure(*args, **kwargs)
        self.measures.append(m)
        return m

    @property
    def goals(self) -> list[Measure]:
        return [m for m in self.measures if m.op is not None]

    @property
    def holds(self) -> bool | None:
        goals = self.goals
        if self.status != "ok" or not goals:
            return None
        return all(m.holds for m in goals)

    @property
    def headline(self) -> Measure | None:
        goals = self.goals
        return goals[0] if goals else (self.measures[0] if self.measures else None)

    def to_json(self) -> dict:
        head = self.headline
        return {
            "number": self.number,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "seconds": round(self.seconds, 1),
            "value": head.value if head else None,
            "unit": head.unit if head else "",
            "goal": "; ".join(f"{m.label} {m.goal}" for m in self.goals) or None,
            "holds": self.holds,
            "measures": [m.to_json() for m in self.measures],
            "notes": self.notes,
        }


def fmt_limit(value, unit: str = "") -> str:
    """A goal's limit as written in the issue: 60 s, 1.25×, 500/s, 1.5 KB, 0."""
    text = f"{value:g}"
    if unit == "x":
        return f"{text}×"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit in ("", "count"):
        return text
    return f"{text} {unit}"


def fmt(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "KB":
        return f"{value:.2f} KB" if value < 10 else f"{value:.1f} KB"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit in ("", "count"):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{value:,.2f} {unit}"


# --- the run context --------------------------------------------------------------------------

def human_size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


@dataclass
class Context:
    quick: bool = False
    smoke: bool = False
    small: int = 1000
    large: int = 1_000_000
    repeat: int | None = None          # override every figure's repetition count
    cache_dir: Path = DEFAULT_CACHE
    pg_url: str | None = None
    seed: int = 42
    verbose: bool = True
    memo: dict = field(default_factory=dict)
    tmp: Path | None = None
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        self.cache_dir = Path(self.cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix="desk-bench-"))

    def reps(self, full: int, quick: int, smoke: int = 1) -> int:
        if self.repeat:
            return self.repeat
        return smoke if self.smoke else quick if self.quick else full

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"[{time.monotonic() - self.started:7.1f}s] {message}", file=sys.stderr, flush=True)

    @property
    def small_label(self) -> str:
        return human_size(self.small)

    @property
    def large_label(self) -> str:
        return human_size(self.large)

    def database(self, incidents: int) -> str:
        """Path of a ready benchmark database with this many incidents (built once, cached)."""
        from bench import dbs

        return dbs.cached(self, incidents)

    def env(self, **extra) -> dict:
        """The environment every child process runs with: no user config, English, a known agent."""
        env = dict(os.environ)
        home = self.tmp / "home"
        (home / "config").mkdir(parents=True, exist_ok=True)
        (home / "data").mkdir(parents=True, exist_ok=True)
        env.update({
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "DESK_USER": "admin",
            "DESK_LANG": "en",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        })
        # Bytecode is written and used, as on a user's machine. (Python reads any non-empty value
        # of PYTHONDONTWRITEBYTECODE, "0" included, as "do not write": every desk module changed
        # since its .pyc was last written was compiled again at each start, ~10 ms a module.)
        for name in ("DESK_DB", "DESK_CONFIG", "LC_ALL", "TEXTUAL", "TEXTUAL_DRIVER", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        env.update(extra)
        return env

    def cleanup(self) -> None:
        if self.tmp and self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


def machine() -> dict:
    info = {
        "load_average": [round(x, 2) for x in os.getloadavg()],  # others' work on a shared machine
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    except Exception:
        pass
    try:
        from importlib.metadata import version

        info["textual"] = version("textual")
        info["peewee"] = version("peewee")
    except Exception:
        pass
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            info["memory_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import subprocess

        info["commit"] = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True, timeout=5).stdout.strip()
    except Exception:
        pass
    return info


# --- output ---------------------------------------------------------------------------------

def table(results: list[FigureResult]) -> str:
    rows = [("#", "figure / measure", "value", "goal", "holds")]
    for r in results:
        verdict = {True: "yes", False: "NO", None: "-"}[r.holds]
        if r.status != "ok":
            verdict = r.status
        rows.append((str(r.number), r.title, "", "", verdict))
        if r.status != "ok":
            rows.append(("", f"  {r.reason}", "", "", ""))
        for m in r.measures:
            holds = {True: "yes", False: "NO", None: ""}[m.holds]
            label = f"  {m.label}"
            rows.append(("", label, fmt(m.value, m.unit), m.goal or "", holds))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    widths[1] = min(widths[1], 64)
    lines = []
    for i, row in enumerate(rows):
        cells = [row[0].rjust(widths[0]), row[1][:64].ljust(widths[1]), row[2].rjust(widths[2]),
                 row[3].ljust(widths[3]), row[4]]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def write_json(results: list[FigureResult], ctx: Context, path: Path, argv: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "argv": argv,
        "mode": "smoke" if ctx.smoke else "quick" if ctx.quick else "full",
        "sizes": {"small": ctx.small, "large": ctx.large},
        "seconds": round(time.monotonic() - ctx.started, 1),
        "machine": machine(),
        "figures": {r.id: r.to_json() for r in results},
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
