"""What `desk migrate` says of the codes it made (`unknown = "create"`): one line however many (the
BPIC 2014 mapping adds ~194 work groups to the user's config file, a line each was a screenful): how
many, to which file, of which tables, the first few and "and N more"; `--verbose` lists each first."""

from __future__ import annotations

import pytest

from conftest import make_desk
from reliability.helpers import run_cli_here

try:
    from .test_migrate_new_codes import MAPPING
except ImportError:
    from test_migrate_new_codes import MAPPING

TEAMS = [f"Team {n:02d}" for n in range(1, 10)]  # nine new work groups, and one new category
EXPORT = "number,state,title,category,team,opened\n" + "".join(
    f"T-{n},Closed,Ticket {n},{'Printers' if n == 1 else 'network'},{team},2016-03-01 09:{n:02d}\n"
    for n, team in enumerate(TEAMS, 1))


@pytest.fixture
def files(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config_path = tmp_path / "config.toml"
    config_path.write_text(MAPPING.replace("UNKNOWN", "create"), encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    return config_path, export


def _said(out, word="code") -> list[str]:
    assert out.returncode == 0, out.stderr.decode()
    return [line for line in out.stderr.decode().splitlines() if word in line]


def test_one_line_says_how_many_codes_where_and_the_first_few(db_url, files):
    config_path, export = files
    lines = _said(run_cli_here("--config", str(config_path), "migrate", "--mapping", "mine", str(export), db=db_url))
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"10 new codes were added to {config_path} (work group: 9, category: 1): ")
    assert "`team_01` (Team 01)" in line and "`team_05` (Team 05)" in line and "`team_06`" not in line
    assert "and 5 more" in line and "`--verbose`" in line


def test_verbose_lists_every_code_then_the_line(db_url, files):
    config_path, export = files
    lines = _said(run_cli_here("--config", str(config_path), "migrate", "--verbose", "--mapping", "mine",
                               str(export), db=db_url))
    made = [line for line in lines if line.startswith("new ")]
    assert len(made) == 10 and "new work group code `team_09` made for the value Team 09" in made
    assert lines[-1].startswith("10 new codes were added to") and "`--verbose`" not in lines[-1]


def test_the_line_in_chinese(db_url, files):
    config_path, export = files
    lines = _said(run_cli_here("--lang", "zh", "--config", str(config_path), "migrate", "--mapping", "mine",
                               str(export), db=db_url), "代码")
    assert len(lines) == 1 and f"已将 10 个新代码加入 {config_path}" in lines[0] and "另有 5 个" in lines[0], lines
