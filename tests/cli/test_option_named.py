"""A number out of range typed as an option is named by the option (`--days`), not the field ("days
must be from 1 to ∞"): the words to correct are the ones on the command line. A bound with no upper
end says "N or more". Other refusals (a required text) keep the field's label."""

from __future__ import annotations

import pytest

from desk.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("DESK_DB", str(tmp_path / "desk.db"))
    monkeypatch.setenv("DESK_USER", "admin")
    assert main(["init"]) == 0
    capsys.readouterr()

    def call(*argv) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().err

    return call


@pytest.mark.parametrize("argv, said", [
    (("demo", "--incidents", "-5"), "desk: `--incidents` must be 0 or more, not '-5'.\n"),
    (("demo", "--days", "0", "--force"), "desk: `--days` must be 1 or more, not '0'.\n"),
    (("problem", "candidates", "--min", "1"), "desk: `--min` must be 2 or more, not '1'.\n"),
    (("problem", "candidates", "--days=0"), "desk: `--days` must be 1 or more, not '0'.\n"),
    (("incident", "list", "--limit", "-3"), "desk: `--limit` must be 0 or more, not '-3'.\n"),
    (("incident", "new", "--title", "x", "--impact", "7"), "desk: `--impact` must be from 1 to 3, not 7\n"),
    (("--lang", "zh", "problem", "candidates", "--days", "0"), "desk: `--days` 应不小于 1，而不是“0”。\n"),
])
def test_a_refused_option_is_named_as_typed(run, argv, said):
    assert run(*argv) == (1, said)


def test_other_refusals_keep_the_field_s_label(run):
    code, said = run("--lang", "zh", "incident", "new", "--title", " ")
    assert code == 1 and "标题" in said and "--title" not in said
