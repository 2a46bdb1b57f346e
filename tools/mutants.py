"""A small mutation runner: does a deliberate one-line bug in a rule make a test fail?

Mutants are declared per product module in tools/mutants/<module>.toml (docs/mutation.md):

    module = "desk/domain/incident_flow.py"
    tests = ["tests/domain/test_incident_flow.py", "tests/services/test_incidents.py"]

    [[mutant]]
    name = "return-same-tier"
    why = "a return must go to a lower tier"
    find = 'if group.tier >= state.tier:'
    replace = 'if group.tier > state.tier:'

Each mutant replaces one text (found exactly once in the module) and runs only the module's tests
(or the mutant's own `tests`) with -x on SQLite (and on PostgreSQL too with `--pg URL`: the tests
parametrised by backend then run on both), in a copy of the tree, so the worktree is never touched
and an interrupted run leaves nothing behind. A mutant is killed when a test fails, survives
when every test passes. Standard library only.

    python tools/mutants.py tools/mutants/domain_incident_flow.toml   # one module (what you run)
    python tools/mutants.py FILE --mutant NAME                        # one mutant
    python tools/mutants.py --check                                   # every definition still applies
    python tools/mutants.py FILE --list                               # what a file declares
    python tools/mutants.py FILE --pg postgresql://postgres@127.0.0.1:5432/test   # + PostgreSQL

A mutant of a PostgreSQL-only branch says `pg = true` (or the whole file does): without `--pg` it is
skipped and counted apart, since no SQLite test can reach it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFS = ROOT / "tools" / "mutants"
COPIED = ("desk", "tests", "config", "bench", "pyproject.toml")
IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis", "*.pyc", "*.db", "*.db-*")


class DefinitionError(Exception):
    """A mutant file that cannot be applied: says which file, which mutant and what is wrong."""


@dataclass
class Mutant:
    name: str
    find: str
    replace: str
    why: str = ""
    tests: list[str] = field(default_factory=list)
    pg: bool = False  # a PostgreSQL-only branch: run with --pg only


@dataclass
class Module:
    path: Path  # the .toml file
    module: str  # the product file it mutates, relative to the root
    tests: list[str]
    mutants: list[Mutant]
    plugins: list[str] = field(default_factory=list)  # pytest plugins the tests need (-p NAME)


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | timeout | invalid | skipped (a `pg` mutant without --pg)
    seconds: float
    by: str = ""  # the first failing test


def _exists(root: Path, test: str) -> bool:
    return (root / test.split("::")[0]).exists()


def load(path: Path, root: Path = ROOT, lenient: bool = False) -> Module:
    """A mutant file, checked against the tree at `root`. `lenient` (--tree: another tree, e.g. the
    tests as they were before) drops the test files that tree does not have instead of refusing."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DefinitionError(f"{where}: {err}") from None
    module, tests = data.get("module"), data.get("tests", [])
    if lenient:
        tests = [t for t in tests if _exists(root, t)]
    if not isinstance(module, str) or not (root / module).is_file():
        raise DefinitionError(f"{where}: `module` must name a file of the tree (got {module!r})")
    source = (root / module).read_text(encoding="utf-8")
    mutants, seen = [], set()
    for i, raw in enumerate(data.get("mutant", []), 1):
        name = raw.get("name") or f"#{i}"
        if name in seen:
            raise DefinitionError(f"{where}: mutant {name}: the name is used twice")
        seen.add(name)
        find, replace = raw.get("find"), raw.get("replace")
        if not isinstance(find, str) or not find or not isinstance(replace, str) or find == replace:
            raise DefinitionError(f"{where}: mutant {name}: needs `find` and a different `replace`")
        count = source.count(find)
        if count != 1:
            raise DefinitionError(f"{where}: mutant {name}: `find` occurs {count} times in {module} "
                                  "(it must occur once: add context, or update it to the code as it is now)")
        mutant_tests = [t for t in raw.get("tests", []) if not lenient or _exists(root, t)]
        for test in [*tests, *mutant_tests]:
            if not _exists(root, test):
                raise DefinitionError(f"{where}: mutant {name}: no test file {test}")
        pg = raw.get("pg", data.get("pg", False))
        if not isinstance(pg, bool):
            raise DefinitionError(f"{where}: mutant {name}: `pg` must be true or false")
        mutants.append(Mutant(name, find, replace, raw.get("why", ""), list(mutant_tests), pg))
    if not tests and any(not m.tests for m in mutants):
        raise DefinitionError(f"{where}: `tests` is empty: name the test files that cover {module}")
    return Module(path, module, list(tests), mutants, list(data.get("plugins", [])))


def all_files() -> list[Path]:
    return sorted(DEFS.glob("*.toml"))


def _copy_tree(root: Path, dest: Path) -> None:
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=IGNORED)
        elif src.exists():
            shutil.copy2(src, dest / name)


def _env(tree: Path, pg: str | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # ~2 s of plugin imports per run; `plugins` loads some
    # Only what --pg names: a DESK_TEST_PG left in the shell must not make a SQLite run slower
    env.pop("DESK_TEST_PG", None)
    if pg:
        env["DESK_TEST_PG"] = pg
    env.pop("DESK_STRESS_FULL", None)
    return env


_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)


def _pytest(tree: Path, tests: list[str], timeout: float, plugins: list[str],
            pg: str | None = None) -> tuple[int | None, str, float]:
    argv = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header",
            *[arg for plugin in plugins for arg in ("-p", plugin)], *tests]
    start = time.monotonic()
    try:
        done = subprocess.run(argv, cwd=tree, env=_env(tree, pg), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - start
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


def _imports_the_copy(tree: Path) -> bool:
    probe = subprocess.run([sys.executable, "-c", "import desk; print(desk.__file__)"], cwd=tree, env=_env(tree),
                           capture_output=True, text=True)
    return probe.stdout.strip().startswith(str(tree))


def run_module(mod: Module, only: list[str] | None = None, timeout: float | None = None, say=print,
               root: Path = ROOT, pg: str | None = None) -> list[Outcome]:
    unknown = sorted(set(only or ()) - {m.name for m in mod.mutants})
    if unknown:
        raise DefinitionError(f"{mod.path.name}: no mutant named {', '.join(unknown)}")
    chosen = [m for m in mod.mutants if not only or m.name in only]
    skipped = [Outcome(m, "skipped", 0.0, "needs --pg") for m in chosen if m.pg and not pg]
    mutants = [m for m in chosen if pg or not m.pg]
    for outcome in skipped:
        say(_line(outcome))
    if not mutants:
        return skipped
    with tempfile.TemporaryDirectory(prefix="desk-mutants-") as tmp:
        tree = Path(tmp)
        _copy_tree(root, tree)
        if not _imports_the_copy(tree):
            raise DefinitionError("the copy of the tree is not what Python imports (PYTHONPATH is overridden?)")
        target = tree / mod.module
        original = target.read_text(encoding="utf-8")
        stamps = iter(range(int(target.stat().st_mtime) + 1000, 1 << 40, 10))

        def write(text: str) -> None:
            # Every version of the file gets an mtime of its own (whole seconds apart): a .pyc
            # compiled from another version never passes for this one, even at the same size.
            target.write_text(text, encoding="utf-8")
            stamp = next(stamps)
            os.utime(target, (stamp, stamp))

        baseline_tests = sorted({t for m in mutants for t in (m.tests or mod.tests)})
        code, output, seconds = _pytest(tree, baseline_tests, timeout or 1800, mod.plugins, pg)
        if code != 0:
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise DefinitionError(f"{mod.module}: the tests fail without any mutant (exit {code}):\n{tail}")
        limit = timeout or max(60.0, seconds * 3 + 30)
        say(f"{mod.module}: {len(mutants)} mutants; baseline {seconds:.1f} s over {len(baseline_tests)} test files"
            + (" (SQLite and PostgreSQL)" if pg else ""))
        outcomes = list(skipped)
        try:
            for m in mutants:
                write(original.replace(m.find, m.replace, 1))
                code, output, seconds = _pytest(tree, m.tests or mod.tests, limit, mod.plugins, pg)
                if code is None:
                    outcome = Outcome(m, "timeout", seconds)
                elif code == 0:
                    outcome = Outcome(m, "survived", seconds)
                elif code == 1:
                    found = _FAILED.search(output)
                    outcome = Outcome(m, "killed", seconds, found.group(1) if found else "")
                else:  # collection error (the mutant does not compile or import), usage error, no tests
                    outcome = Outcome(m, "invalid", seconds, f"pytest exit {code}")
                outcomes.append(outcome)
                say(_line(outcome))
        finally:
            write(original)
    return outcomes


def _line(o: Outcome) -> str:
    detail = o.by if o.status != "survived" else (o.mutant.why or "")
    return f"  {o.status:<8} {o.mutant.name:<40} {o.seconds:6.1f} s  {detail}"


def summary(module: str, outcomes: list[Outcome]) -> dict:
    killed = sum(o.status in ("killed", "timeout") for o in outcomes)
    valid = sum(o.status not in ("invalid", "skipped") for o in outcomes)
    return {"module": module, "mutants": len(outcomes), "killed": killed, "valid": valid,
            "survived": [o.mutant.name for o in outcomes if o.status == "survived"],
            "invalid": [o.mutant.name for o in outcomes if o.status == "invalid"],
            "skipped": [o.mutant.name for o in outcomes if o.status == "skipped"],
            "kill_rate": round(killed / valid, 3) if valid else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="mutant files (tools/mutants/*.toml); one module at a time")
    parser.add_argument("--mutant", action="append", help="run only the mutant of this name (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--check", action="store_true", help="check that every definition applies, run nothing")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 3x the baseline + 30 s)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON lines")
    parser.add_argument("--pg", metavar="URL", help="also run the tests on PostgreSQL (DESK_TEST_PG=URL) and the "
                        "mutants marked `pg = true`; e.g. postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="run against another tree's code and tests (e.g. an older commit, for a 'before' figure)")
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or (all_files() if args.check or args.list else [])
    if not files:
        parser.error("name a mutant file (tools/mutants/*.toml), or --check / --list")
    try:
        tree = args.tree.resolve()
        modules = [load(f, tree, lenient=tree != ROOT) for f in files]
    except DefinitionError as err:
        print(f"mutants: {err}", file=sys.stderr)
        return 2
    if args.check or args.list:
        for mod in modules:
            print(f"{mod.path.relative_to(ROOT)}: {mod.module}, {len(mod.mutants)} mutants")
            if args.list:
                for m in mod.mutants:
                    print(f"  {m.name:<40} {'[pg] ' if m.pg else ''}{m.why}")
        return 0
    survived = False
    for mod in modules:
        try:
            outcomes = run_module(mod, args.mutant, args.timeout, say=(lambda s: None) if args.json else print,
                                  root=args.tree.resolve(), pg=args.pg)
        except DefinitionError as err:
            print(f"mutants: {err}", file=sys.stderr)
            return 2
        result = summary(mod.module, outcomes)
        survived = survived or bool(result["survived"])
        if args.json:
            print(json.dumps(result))
        else:
            rate = f"{result['kill_rate']:.0%}" if result["kill_rate"] is not None else "-"
            print(f"{mod.module}: killed {result['killed']}/{result['valid']} ({rate})"
                  + (f"; survived: {', '.join(result['survived'])}" if result["survived"] else "")
                  + (f"; invalid: {', '.join(result['invalid'])}" if result["invalid"] else "")
                  + (f"; skipped (PostgreSQL only, give --pg URL): {', '.join(result['skipped'])}"
                     if result["skipped"] else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
