"""The history line of a substitute named for a period reads as one sentence (issue 14): who named
whom, for whom when an administrator did it for the approver, which days, then the note: in
`desk request show` and the request detail alike, in English and Chinese, where they printed the
raw fields (`substitute: — → approver=boss, substitute=sub, …`) or the note alone. The note is
shown literally."""

from __future__ import annotations

from datetime import date

import pytest

from desk import cli
from desk.screens.request_detail import render
from desk.services import request_approval, request_reads

STARTS, ENDS = date(2026, 12, 8), date(2026, 12, 12)
NOTE = "[bold]on leave[/bold] \x1b[2J"


@pytest.fixture
def waiting(waiting_for_boss):
    """A request waiting for boss's approval."""
    return waiting_for_boss


def _show(capsys, db_url, request_id, lang):
    capsys.readouterr()
    assert cli.main(["--db", db_url, "--lang", lang, "request", "show", str(request_id)]) == 0
    return capsys.readouterr().out


def _last_line(text: str) -> str:
    """The history's last line (`desk request show` names the zone of its times under it)."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith(("Times in", "时间为"))][-1]


@pytest.mark.parametrize("lang, said", [
    ("en", "boss named sub as substitute approver from 2026-12-08 to 2026-12-12: [bold]on leave[/bold] ␛[2J"),
    ("zh", "boss 指定 sub 为 2026-12-08 至 2026-12-12 期间的代理审批人：[bold]on leave[/bold] ␛[2J"),
])
def test_the_approver_naming_a_substitute_reads_as_a_sentence(desk, db_url, capsys, waiting, lang, said):
    request_approval.delegate(desk, "boss", substitute="sub", starts=STARTS, ends=ENDS, note=NOTE)
    shown = _show(capsys, db_url, waiting, lang)
    assert _last_line(shown).endswith("boss         " + said)  # after who did it; the note literally
    assert "approver=" not in shown and "substitute=" not in shown  # no raw fields
    detail = _last_line(render(request_reads.get(desk, waiting), desk.config, lang).plain)
    assert detail.endswith("boss         " + said)


def test_an_administrator_naming_one_for_an_approver_says_for_whom(desk, db_url, capsys, waiting):
    request_approval.delegate(desk, "admin", substitute="sub", starts=STARTS, ends=ENDS, approver="boss")
    line = _last_line(_show(capsys, db_url, waiting, "en"))
    assert line.endswith("admin named sub as substitute approver for boss from 2026-12-08 to 2026-12-12")
    zh = _last_line(render(request_reads.get(desk, waiting), desk.config, "zh").plain)
    assert zh.endswith("admin 指定 sub 为 boss 在 2026-12-08 至 2026-12-12 期间的代理审批人")
