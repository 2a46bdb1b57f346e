"""The benchmark must keep running: a smoke run at tiny sizes, checked for shape, never for speed.

`python -m bench --smoke` builds its own tiny databases in a cache directory of the test run's, runs
every registered figure once, and writes its JSON (in the background from the start of the test run:
tests/bench_smoke.py). A figure that crashes, goes missing, or loses
its value, goal or verdict fails here; how fast anything was is not asserted (machines are
shared and noisy: timings belong in the bench's output, not in the test suite).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke_run(request):
    """(the finished process, its JSON): run in the background from the start of the test run
    (tests/bench/conftest.py), with DESK_DB and the XDG folders pointing into its own folder."""
    from bench_smoke import background_result, run_dir

    return background_result(request.config), run_dir(request.config) / "latest.json"


def test_smoke_run_exits_cleanly_and_prints_the_table(smoke_run):
    proc, out = smoke_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert "goal" in proc.stdout and "holds" in proc.stdout
    assert out.exists()


def test_every_registered_figure_has_a_value_a_goal_and_a_verdict(smoke_run):
    from bench import FIGURES

    _, out = smoke_run
    doc = json.loads(out.read_text(encoding="utf-8"))
    expected = {importlib.import_module(name).ID: importlib.import_module(name).NUMBER for name in FIGURES}
    assert set(doc["figures"]) == set(expected)
    app_missing = not (ROOT / "desk" / "app.py").exists()
    for fid, fig in doc["figures"].items():
        if app_missing and fig["status"] == "skipped" and "desk/app.py" in fig["reason"]:
            continue  # the TUI figures wait for the TUI (only while desk/app.py does not exist)
        assert fig["status"] == "ok", f"{fid}: {fig['status']} {fig['reason']}"
        assert fig["number"] == expected[fid]
        assert isinstance(fig["value"], (int, float)), fid
        assert fig["goal"], fid
        assert isinstance(fig["holds"], bool), fid
        goals = [m for m in fig["measures"] if m["goal"]]
        assert goals, fid
        for m in goals:
            assert isinstance(m["value"], (int, float)), f"{fid}.{m['key']} has no value"
            assert isinstance(m["holds"], bool), f"{fid}.{m['key']}"
        # the figure's verdict is the conjunction of its goals
        assert fig["holds"] == all(m["holds"] for m in goals), fid


def test_the_smoke_run_never_touches_the_users_database(smoke_run):
    """Every database the bench opened lives in its own cache or temp directory."""
    _, out = smoke_run
    cache = out.parent / "cache"
    assert any(cache.glob("desk-*.db")), "the bench should have built its databases in its cache"
    assert not (out.parent / "users-own.db").exists()
    assert not (out.parent / "xdg-data" / "desk").exists()
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["mode"] == "smoke"
    assert doc["sizes"] == {"small": 200, "large": 400}


def test_the_integrity_figures_hold_even_at_smoke_size(smoke_run):
    """Lost updates and surfaced lock errors are correctness, not speed: zero at any size."""
    _, out = smoke_run
    doc = json.loads(out.read_text(encoding="utf-8"))
    measures = {m["key"]: m for m in doc["figures"]["concurrency"]["measures"]}
    assert measures["lost"]["value"] == 0
    assert measures["locked"]["value"] == 0
    assert measures["broken_chains"]["value"] == 0
