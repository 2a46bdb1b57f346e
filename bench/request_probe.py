"""Key press → repaint on the request queue (F3), measured inside the app (figure 15). Runs in a
process of its own:

    python -m bench.request_probe --db PATH --samples N

The same probe as figure 14's (bench.list_probe: opening the queue with its F-key from the
incident queue, then on its "all" view cursor down, page down, a sort change, a view change and a
filter), on the request queue, filtering on a word of the demo's request titles.
Prints one JSON line: {"requests": action -> [latency ms]}.
"""

from __future__ import annotations

import sys

from bench import list_probe
from bench.probe_runs import probe_main

QUEUE = ("requests", "f3", "requests-table", "7", "3")  # (name, F-key, table, "all" view, the other view)
FILTER = "laptop"  # in about a tenth of the demo's request titles


async def main_async(args) -> dict:
    return await list_probe.queues(args, (QUEUE,), FILTER)


def main(argv=None) -> int:
    return probe_main(main_async, argv)


if __name__ == "__main__":
    sys.exit(main())
