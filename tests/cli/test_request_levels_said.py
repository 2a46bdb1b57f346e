"""A request's approval levels read as English counts them: "1 level, not yet approved", "2 levels,
…" — `desk request show` and the request detail printed "1 level(s)". Chinese has no plural."""

from __future__ import annotations

import pytest

from desk import cli
from desk.screens.request_detail import render
from desk.services import request_reads, requests


def _new(desk, service):
    return requests.create(desk, "li", title="Access", requester="Zhang Wei", checked=["all"], service=service)


def _show(capsys, db_url, request_id, lang):
    capsys.readouterr()
    assert cli.main(["--db", db_url, "--lang", lang, "request", "show", str(request_id)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("service, en, zh", [
    ("accounts", "1 level, not yet approved", "1 级，"),
    ("privileged-access", "2 levels, not yet approved", "2 级，"),
])
def test_levels_in_show_and_detail(desk, db_url, capsys, service, en, zh):
    r = _new(desk, service)
    shown = _show(capsys, db_url, r.id, "en")
    assert en in shown and "(s)" not in shown
    assert zh in _show(capsys, db_url, r.id, "zh")
    detail = render(request_reads.get(desk, r.id), desk.config, "en").plain
    assert en in detail and "(s)" not in detail
