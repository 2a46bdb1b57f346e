"""A row nobody holds reads "—" (dimmed) in every list's person columns, as the CLI and the detail
print it: a blank cell read as a column not yet drawn (issue 11: the assignee after an escalation)."""

from datetime import datetime
from types import SimpleNamespace

import pytest

from desk.lists import incident_cells, problem_cells, request_cells

NOW = datetime(2026, 11, 2, 9, 0)


@pytest.mark.parametrize("module, column", [(incident_cells, "assignee"), (problem_cells, "owner"),
                                            (request_cells, "owner"), (request_cells, "handler")])
def test_nobody_reads_a_dimmed_dash_and_somebody_their_login(module, column):
    nobody = SimpleNamespace(**{column: None})
    somebody = SimpleNamespace(**{column: "li.na\x1b[2J"})
    assert module.cell(None, nobody, column, 10, NOW) == ("—", "dim")
    text, style = module.cell(None, somebody, column, 10, NOW)
    assert text == "li.na␛[2J" and style is None
