"""Run a Textual program and note the process's CPU, to the nanosecond, when its first whole frame
is written (bench.startup_ab --hook): /proc's figures come in 10 ms ticks, too coarse to see a
10 ms change in a dozen runs.

    python bench/startup_hook.py OUT bench/bare_app.py        # a script
    python bench/startup_hook.py OUT -m desk --db PATH         # a module, with its arguments

At the first write to the terminal of at least FRAME bytes (a 120×40 frame is ~6-14 KB; the
set-up sequences before it are a few bytes each) it writes "process_cpu main_thread_cpu" in
seconds to OUT. Nothing else changes: the program runs on as it would.
"""

from __future__ import annotations

import runpy
import sys
import time

FRAME = 2000


def _hook(out: str) -> None:
    import textual.drivers.linux_driver as linux_driver

    write = linux_driver.LinuxDriver.write
    state = {"done": False}

    def noting_write(self, data: str) -> None:
        if not state["done"] and len(data) >= FRAME:
            state["done"] = True
            with open(out, "w") as fh:
                fh.write(f"{time.process_time():.6f} {time.thread_time():.6f}\n")
        write(self, data)

    linux_driver.LinuxDriver.write = noting_write


def main() -> None:
    out, *rest = sys.argv[1:]
    # Textual's driver module is imported here, ahead of the program (both programs import it
    # anyway before their first frame: the CPU it takes is counted for both alike)
    _hook(out)
    if rest[0] == "-m":
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main()
