"""A plugin (registered by tests/conftest.py) for tests/bench/test_bench_smoke.py.

The bench smoke run waits most of its two to three minutes on terminal sessions settling (about
12% of a core): run inside a test it holds an xdist worker idle all that time. So one process per
run (xdist's gw0, or the only one) starts it in the background as soon as collection says its
tests are selected, and those tests, put last, read what it left: by then it has long finished.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "bench"
RC = "returncode"

_started: dict = {}


def command(out_dir: Path) -> tuple[list[str], dict]:
    """`python -m bench --smoke` writing into out_dir, with an environment in which a careless
    bench would land in the user's database and data directory (test_bench_smoke checks it did not)."""
    env = dict(os.environ)
    env.pop("DESK_BENCH_PG", None)
    env["DESK_DB"] = str(out_dir / "users-own.db")
    env["XDG_DATA_HOME"] = str(out_dir / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(out_dir / "xdg-config")
    args = [sys.executable, "-m", "bench", "--smoke", "--out", str(out_dir / "latest.json"),
            "--cache", str(out_dir / "cache")]
    return args, env


def run_dir(config) -> Path:
    """One folder per test run, the same for every xdist worker: the run's base temp folder."""
    base = config._tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):
        base = base.parent  # workers' base folders are popen-gwN inside the run's
    return base / "bench-smoke"


def _ours(item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(HERE)


def pytest_collection_modifyitems(config, items):
    items.sort(key=_ours)  # stable: the bench tests last, everything else in its order


def pytest_collection_finish(session):
    config = session.config
    if config.option.collectonly or not any(_ours(item) for item in session.items):
        return
    if getattr(config, "workerinput", {}).get("workerid", "gw0") != "gw0":
        return
    out_dir = run_dir(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    args, env = command(out_dir)
    with open(out_dir / "stdout", "w") as so, open(out_dir / "stderr", "w") as se:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=so, stderr=se, stdin=subprocess.DEVNULL)

    def wait():
        try:
            code = proc.wait(timeout=900)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        (out_dir / (RC + ".part")).write_text(str(code))
        os.replace(out_dir / (RC + ".part"), out_dir / RC)  # readers see it whole or not at all

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    _started.update(proc=proc, thread=thread)


def pytest_sessionfinish(session, exitstatus):
    """The run may end here before another worker has read the results: wait for the bench
    (unless the run was interrupted)."""
    proc, thread = _started.get("proc"), _started.get("thread")
    if proc is None:
        return
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        proc.kill()
    thread.join(timeout=900)


def background_result(config, timeout: float = 900) -> subprocess.CompletedProcess:
    """The background run's outcome, waiting for it: this run's gw0 (or the only process) started it
    when collection found these tests selected."""
    out_dir = run_dir(config)
    deadline = time.monotonic() + timeout
    while not (out_dir / RC).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the background bench smoke run did not finish in {timeout:.0f} s ({out_dir})")
        time.sleep(0.5)
    args, _ = command(out_dir)
    return subprocess.CompletedProcess(args, int((out_dir / RC).read_text()),
                                       (out_dir / "stdout").read_text(), (out_dir / "stderr").read_text())
