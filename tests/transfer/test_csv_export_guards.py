"""`desk export --format csv` (desk/services/transfer/csv_export.py) guards that a removed or
inverted line would let pass (issue 19; tools/mutants/services_transfer_csv_export.toml): every
text a spreadsheet would run is made inert, and a foreign key reads as its code, login or name."""

from __future__ import annotations

import csv
import io

import pytest

from desk.domain.errors import ValidationError
from desk.services import incidents, requests
from desk.services.transfer import csv_export


def _rows(desk, what: str) -> list[dict]:
    out = io.StringIO()
    csv_export.write_csv(desk, what, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_made_inert_in_every_text_column(desk, start):
    incidents.create(desk, "li", title=f"{start}cmd|' /C calc'!A0", impact=2, urgency=2,
                     description=f"{start}1+1")
    (row,) = _rows(desk, "incidents")
    assert (row["title"], row["description"]) == (f"'{start}cmd|' /C calc'!A0", f"'{start}1+1")


def test_a_foreign_key_is_headed_by_its_field_and_reads_as_a_code_or_login(desk):
    incidents.create(desk, "li", title="vpn", impact=2, urgency=2, group="network")
    (row,) = _rows(desk, "incidents")
    assert (row["group"], row["owner"]) == ("network", "li")
    assert "group_id" not in row and "owner_id" not in row


def test_an_empty_field_is_an_empty_cell(desk):
    requests.create(desk, "li", title="mailbox", checked=["all"])
    (row,) = _rows(desk, "requests")
    assert row["handler"] == "" and row["resolved_at"] == ""


def test_an_unknown_table_is_refused_naming_the_choices(desk):
    with pytest.raises(ValidationError) as caught:
        csv_export.write_csv(desk, "tickets", io.StringIO())
    assert caught.value.key == "transfer.csv_unknown"
    assert "incidents" in caught.value.message("en")
