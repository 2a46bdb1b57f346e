"""Turn a bench JSON file into the Markdown table docs/performance.md carries.

    python -m bench.report [bench/results/latest.json] [--all]

Without --all only the measures with a goal, plus the figures' key side-by-side baselines, are
listed; with --all every measure is.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.harness import RESULTS_DIR, fmt

# Informational measures worth a line in the short table, per figure.
KEY_INFO = {
    "startup": ("desk_large_s", "desk_small_s", "bare_s"),
    "keys": ("down_median_small", "filter_median_small", "sort_median_small", "detail_median_small"),
    "memory": ("large_mb", "small_mb", "bare_mb"),
    "bytes": ("pagedown_kb", "first_frame_bare_kb"),
    "concurrency": ("p50_full", "rate_normal", "p99_normal", "rate_pg", "p99_pg", "stale_full"),
    "demo": ("rate", "history_rows"),
}


def markdown(doc: dict, everything: bool = False) -> str:
    lines = ["| # | figure | measure | value | goal | holds |", "|---|---|---|---:|---|---|"]
    figures = sorted(doc["figures"].values(), key=lambda f: f["number"])
    for fig in figures:
        first = True
        if fig["status"] != "ok":
            lines.append(f"| {fig['number']} | {fig['title']} | {fig['status']}: {fig['reason']} | | | |")
            continue
        keep = KEY_INFO.get(fig["id"], ())
        for m in fig["measures"]:
            if not everything and not m["goal"] and m["key"] not in keep:
                continue
            holds = {True: "yes", False: "**no**", None: ""}[m["holds"]]
            title = f"{fig['title']}" if first else ""
            number = str(fig["number"]) if first else ""
            lines.append(f"| {number} | {title} | {m['label']} | {fmt(m['value'], m['unit'])} | {m['goal'] or ''} | "
                         f"{holds} |")
            first = False
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.report")
    p.add_argument("path", nargs="?", type=Path, default=RESULTS_DIR / "latest.json")
    p.add_argument("--all", action="store_true", help="every measure, not only goals and key baselines")
    args = p.parse_args(argv)
    doc = json.loads(args.path.read_text(encoding="utf-8"))
    m = doc.get("machine", {})
    print(f"{doc['mode']} run, {doc['when']}, {doc['seconds']:.0f} s; sizes {doc['sizes']['small']:,} and "
          f"{doc['sizes']['large']:,}; {m.get('cpus')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb')} GB; "
          f"Python {m.get('python')}, SQLite {m.get('sqlite')}, Textual {m.get('textual')}; commit {m.get('commit')}"
          + (f"; load average at the end {m['load_average'][0]}" if m.get("load_average") else ""))
    print()
    print(markdown(doc, args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
