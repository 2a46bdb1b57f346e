"""tools/mutants.py, the mutation runner (docs/mutation.md): its definitions are checked before
anything runs, and a run tells a killed mutant from a survivor, on a tiny tree of its own."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import mutants  # noqa: E402

sys.path.remove(str(ROOT / "tools"))


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "desk").mkdir(parents=True)
    (tmp_path / "desk" / "__init__.py").write_text("")
    (tmp_path / "desk" / "rule.py").write_text(textwrap.dedent("""
        def may_close(confirmed: bool, days_silent: int) -> bool:
            if confirmed:
                return True
            return days_silent >= 3
    """))
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_rule.py").write_text(textwrap.dedent("""
        from desk.rule import may_close

        def test_confirmed_closes():
            assert may_close(True, 0)

        def test_silence_closes_after_three_days():
            assert may_close(False, 3) and not may_close(False, 1)
    """))
    return tmp_path


def _defs(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rule.toml"
    path.write_text('module = "desk/rule.py"\ntests = ["tests/test_rule.py"]\n' + textwrap.dedent(body))
    return path


def test_a_run_kills_a_tested_rule_and_reports_an_untested_boundary(tmp_path):
    tree = _tree(tmp_path / "tree")
    defs = _defs(tmp_path, """
        [[mutant]]
        name = "silence-never"
        find = 'return days_silent >= 3'
        replace = 'return False'

        [[mutant]]
        name = "silence-boundary"
        why = "three days of silence are enough"
        find = 'days_silent >= 3'
        replace = 'days_silent > 2'
    """)
    mod = mutants.load(defs, root=tree)
    outcomes = mutants.run_module(mod, say=lambda _: None, root=tree)
    assert [(o.mutant.name, o.status) for o in outcomes] == [("silence-never", "killed"),
                                                              ("silence-boundary", "survived")]
    assert outcomes[0].by == "tests/test_rule.py::test_silence_closes_after_three_days"
    summary = mutants.summary(mod.module, outcomes)
    assert (summary["killed"], summary["valid"], summary["survived"]) == (1, 2, ["silence-boundary"])
    assert "return days_silent >= 3" in (tree / "desk" / "rule.py").read_text()  # the tree is never touched


@pytest.mark.parametrize("body,what", [
    ("[[mutant]]\nname = 'm'\nfind = 'nowhere'\nreplace = 'x'\n", "occurs 0 times"),
    ("[[mutant]]\nname = 'm'\nfind = 'return'\nreplace = 'x'\n", "occurs 2 times"),
    ("[[mutant]]\nname = 'm'\nfind = 'confirmed:'\nreplace = 'confirmed:'\n", "different `replace`"),
    ("[[mutant]]\nname = 'm'\nfind = 'if confirmed'\nreplace = 'if 1'\n"
     "[[mutant]]\nname = 'm'\nfind = '>= 3'\nreplace = '> 3'\n", "used twice"),
    ("[[mutant]]\nname = 'm'\nfind = '>= 3'\nreplace = '> 3'\ntests = ['tests/test_gone.py']\n", "no test file"),
])
def test_a_definition_that_no_longer_applies_is_named_with_what_to_fix(tmp_path, body, what):
    tree = _tree(tmp_path / "tree")
    with pytest.raises(mutants.DefinitionError) as err:
        mutants.load(_defs(tmp_path, body), root=tree)
    assert what in str(err.value) and "mutant m" in str(err.value)


def test_every_shipped_definition_file_parses():
    for path in mutants.all_files():
        data = mutants.tomllib.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data.get("module"), str) and data.get("mutant"), path.name


def test_every_shipped_mutant_still_applies_to_the_code_as_it_is():
    """A refactor that moves a guarded line leaves its mutant testing nothing: `--check` in the suite."""
    for path in mutants.all_files():
        mutants.load(path)  # raises DefinitionError naming the file, the mutant and what to fix


def test_a_postgresql_only_mutant_runs_with_pg_and_is_skipped_without_it(tmp_path, monkeypatch):
    """`--pg URL` hands the URL to the tests as DESK_TEST_PG (their PostgreSQL cases then run); a
    mutant marked `pg` is skipped without it, never counted as a survivor, and a DESK_TEST_PG left
    in the shell does not leak into a SQLite run."""
    tree = _tree(tmp_path / "tree")
    (tree / "tests" / "test_backend.py").write_text(textwrap.dedent("""
        import os
        from desk.rule import may_close

        def test_the_rule_on_the_backend_named():
            if os.environ.get("DESK_TEST_PG") == "postgresql://here/test":
                assert may_close(False, 3)
    """))
    defs = tmp_path / "pg.toml"
    defs.write_text(textwrap.dedent("""
        module = "desk/rule.py"
        tests = ["tests/test_backend.py"]

        [[mutant]]
        name = "on-pg"
        pg = true
        find = 'return days_silent >= 3'
        replace = 'return False'
    """))
    monkeypatch.setenv("DESK_TEST_PG", "postgresql://here/test")
    mod = mutants.load(defs, root=tree)
    assert mod.mutants[0].pg
    without = mutants.run_module(mod, say=lambda _: None, root=tree)
    assert [o.status for o in without] == ["skipped"]
    assert mutants.summary(mod.module, without)["valid"] == 0
    monkeypatch.delenv("DESK_TEST_PG")
    with_pg = mutants.run_module(mod, say=lambda _: None, root=tree, pg="postgresql://here/test")
    assert [o.status for o in with_pg] == ["killed"]
    assert mutants._env(tree).get("DESK_TEST_PG") is None
    monkeypatch.setenv("DESK_TEST_PG", "postgresql://here/test")
    assert mutants._env(tree).get("DESK_TEST_PG") is None
