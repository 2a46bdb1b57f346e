"""Export and import of the big database (`desk export`, `desk import`, issue 17).

In a process of its own: exports the cached big database (the demo generator's) to a file, then
imports that file into a fresh, initialised desk (one transaction, every row created: the whole
desk moved to another), and reports rows per second for both, and the file's size. The issue
sets no goal but "a rate the bench reports". Each probe also takes its CPU time
(`time.process_time`) and the load average: on a shared machine the wall clock is mostly waiting
for a core, and the large size's CPU per row against the small one's says whether a row costs more
in a bigger desk.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult

NUMBER, ID, TITLE = 9, "transfer", "Export and import of the big database"
# The issue asks for "a rate the bench reports"; these goals say what keeps a 1M desk (about 7M
# rows with its histories) movable in one sitting: export within 12 minutes, import within 25.
EXPORT_GOAL, IMPORT_GOAL = 10_000, 5_000

_PROBE = r"""
import json, os, sys, time
from desk.config import load_config
from desk.services import setup
from desk.services.context import open_desk
from desk.services.transfer import export, importer

source, out, target = sys.argv[1], sys.argv[2], sys.argv[3]
load = [os.getloadavg()[0]]
desk = open_desk(source, load_config(), user="admin", lang="en", create=False)
started, cpu = time.perf_counter(), time.process_time()
with open(out, "wb") as fh:
    exported = export.write_jsonl(desk, fh)
export_s, export_cpu = time.perf_counter() - started, time.process_time() - cpu
desk.close()
load.append(os.getloadavg()[0])
desk = open_desk(target, load_config(), user="admin", lang="en")
setup.init_database(desk)
started, cpu = time.perf_counter(), time.process_time()
result = importer.import_file(desk, out)
import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
load.append(os.getloadavg()[0])
print(json.dumps({"rows": exported.rows, "bytes": exported.bytes, "export_s": export_s, "import_s": import_s,
                  "export_cpu": export_cpu, "import_cpu": import_cpu, "load": load,
                  "created": result.total("created"), "incidents": exported.tables.get("incident", 0)}))
"""


def _probe(ctx: Context, incidents: int) -> dict:
    path = ctx.database(incidents)
    out, target = ctx.tmp / "transfer.jsonl", ctx.tmp / "transfer-target.db"
    proc = subprocess.run([sys.executable, "-c", _PROBE, path, str(out), str(target)], cwd=ROOT, env=ctx.env(),
                          capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"the transfer probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    for leftover in (out, target):
        leftover.unlink(missing_ok=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(ctx: Context) -> FigureResult:
    """Both sizes, side by side: the large one's rates against the goals, and the ratio of its
    rates to the small one's (1.0: the cost per row does not grow with the desk), which holds up on
    a busy machine better than the rates themselves and says what a size not run would take."""
    result = FigureResult(NUMBER, ID, TITLE)
    small, data = _probe(ctx, ctx.small), _probe(ctx, ctx.large)
    label, small_label = ctx.large_label, ctx.small_label
    result.add("export_rate", f"export, rows per second, {label}", data["rows"] / data["export_s"], "rows/s",
               ">=", EXPORT_GOAL)
    result.add("import_rate", f"import into an empty desk, rows per second, {label}",
               data["rows"] / data["import_s"], "rows/s", ">=", IMPORT_GOAL)
    result.add("export_s", f"export, {label} ({data['rows']:,} rows)", data["export_s"], "s", samples=1)
    result.add("import_s", f"import, {label}", data["import_s"], "s", samples=1)
    result.add("size", "export file", data["bytes"] / 2**20, "MiB")
    result.add("small_export_s", f"export, {small_label} ({small['rows']:,} rows)", small["export_s"], "s",
               samples=1)
    result.add("small_import_s", f"import, {small_label}", small["import_s"], "s", samples=1)
    result.add("export_ratio", f"export rows per second, {label} / {small_label}",
               (data["rows"] / data["export_s"]) / (small["rows"] / small["export_s"]), "x", samples=1)
    result.add("import_ratio", f"import rows per second, {label} / {small_label}",
               (data["rows"] / data["import_s"]) / (small["rows"] / small["import_s"]), "x", samples=1)
    for what in ("export", "import"):
        result.add(f"{what}_cpu", f"{what}, CPU time, {label}", data[f"{what}_cpu"], "s", samples=1)
        result.add(f"small_{what}_cpu", f"{what}, CPU time, {small_label}", small[f"{what}_cpu"], "s", samples=1)
        result.add(f"{what}_cpu_ratio", f"{what}, CPU per row, {label} / {small_label}",
                   (data[f"{what}_cpu"] / data["rows"]) / (small[f"{what}_cpu"] / small["rows"]), "x", samples=1)
    loads = small["load"] + data["load"]
    result.notes.append("SQLite FULL; the import is one transaction; every row is created (an empty target)")
    result.notes.append(f"load average (1 min) {min(loads):.1f}-{max(loads):.1f} over the probes")
    return result
