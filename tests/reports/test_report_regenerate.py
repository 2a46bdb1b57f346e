"""Regenerating a report (issue 16: after a return the writer "regenerates or edits the
commentary"): a draft's or returned report's figures are computed again from the data, by id from
the services and `desk report regenerate ID`; the commentary and the return note stay, the history
records it; every later status refuses and nothing changes."""

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion
from desk.services import incidents, report_review, reports

KPI = "incident-kpi-monthly"


@pytest.fixture
def named(desk, kpi_named, clock):
    """The KPI report of October 2026 (one incident opened in it), naming writer, confirmer, reviewer."""
    clock.now = datetime(2026, 10, 5, 9, 0)
    incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    clock.now = datetime(2026, 11, 3, 9, 0)
    view = reports.generate(desk, "repw", KPI, "2026-10")
    return reports.edit(desk, "repw", view.id, commentary="A quiet month.")


def _one_more_october_incident(desk, clock):
    clock.now = datetime(2026, 10, 20, 9, 0)
    incidents.create(desk, "li", title="mail", impact=3, urgency=3)
    clock.now = datetime(2026, 11, 4, 10, 0)


def _opened(view) -> int:
    return view.figures["sections"]["volume"]["opened"]


def _to(desk, rid: int, status: str) -> None:
    """Walk the report on to `status`."""
    walk = {
        "returned": [lambda: report_review.submit_for_review(desk, "repw", rid),
                     lambda: report_review.confirm(desk, "deptm", rid),
                     lambda: report_review.return_(desk, "repr", rid, comments="Explain the backlog.")],
        "confirming": [lambda: report_review.submit_for_review(desk, "repw", rid)],
        "reviewing": [lambda: report_review.submit_for_review(desk, "repw", rid),
                      lambda: report_review.confirm(desk, "deptm", rid)],
    }
    walk["approved"] = walk["reviewing"] + [lambda: report_review.approve(desk, "repr", rid)]
    walk["submitted"] = walk["approved"] + [lambda: report_review.submit(desk, "repr", rid)]
    walk["archived"] = walk["submitted"] + [lambda: report_review.archive(desk, "repm", rid)]
    for step in walk.get(status, []):
        step()
    assert reports.get(desk, rid).status == status


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_regenerating_computes_the_figures_again_and_keeps_the_commentary(desk, clock, named, status):
    _to(desk, named.id, status)
    before = reports.get(desk, named.id)
    _one_more_october_incident(desk, clock)
    again = reports.regenerate(desk, "repw", named.id, expect_version=before.version)
    assert (_opened(before), _opened(again)) == (1, 2)
    assert (again.status, again.commentary, again.return_note) == (status, "A quiet month.", before.return_note)
    assert again.generated_at == datetime(2026, 11, 4, 10, 0) and again.version == before.version + 1
    last = reports.report_history(desk, named.id)[-1]
    assert (last.actor, last.action) == ("repw", "regenerate")  # its own action, apart from the first generation


@pytest.mark.parametrize("status", ["confirming", "reviewing", "approved", "submitted", "archived"])
def test_regenerating_is_refused_once_the_report_left_its_writer_and_nothing_changes(desk, clock, named, status):
    _to(desk, named.id, status)
    before = reports.get(desk, named.id)
    _one_more_october_incident(desk, clock)
    with pytest.raises(InvalidTransition):
        reports.regenerate(desk, "repw", named.id)
    assert reports.get(desk, named.id) == before


def test_only_the_named_writer_regenerates_and_a_stale_version_is_refused(desk, clock, named):
    _one_more_october_incident(desk, clock)
    with pytest.raises(NotAllowed):
        reports.regenerate(desk, "li", named.id)
    with pytest.raises(StaleVersion):
        reports.regenerate(desk, "repw", named.id, expect_version=named.version - 1)
    assert reports.get(desk, named.id) == named


@pytest.fixture
def cli(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"}

    def call(*args, user="admin"):
        return subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60,
                              env={**env, "DESK_USER": user})

    assert call("init").returncode == 0
    for login, role in (("repr", "report_reviewer"), ("repw", "report_writer")):
        assert call("agent", "add", login, "--role", role).returncode == 0
    return call


def test_desk_report_regenerate_on_a_draft_and_a_one_line_refusal_once_approved(cli):
    draft = json.loads(cli("report", "generate", "incident-kpi-monthly", "--period", "2026-01", "--json",
                           user="repw").stdout)
    rid = str(draft["id"])
    assert cli("report", "edit", rid, "--commentary", "Kept.", user="repw").returncode == 0
    out = cli("report", "regenerate", rid, "--expect-version", "2", user="repw")
    assert out.returncode == 0 and "commentary is kept" in out.stdout.decode(), out.stderr.decode()
    shown = json.loads(cli("report", "show", rid, "--json").stdout)
    assert (shown["version"], shown["commentary"]) == (3, "Kept.")
    assert [h["action"] for h in shown["history"]] == ["generate", "edit", "regenerate"]
    listed = cli("report", "show", rid).stdout.decode()
    assert "regenerated" in listed and listed.index("figures computed") < listed.index("regenerated"), listed
    listed_zh = cli("--lang", "zh", "report", "show", rid).stdout.decode()
    assert "已重新生成" in listed_zh, listed_zh
    assert cli("report", "submit-for-review", rid, user="repw").returncode == 0
    assert cli("report", "approve", rid, user="repr").returncode == 0
    refused = cli("--lang", "zh", "report", "regenerate", rid, user="repw")
    err = refused.stderr.decode()
    assert refused.returncode == 1 and err.count("\n") == 1 and "审核通过" in err, err
    assert json.loads(cli("report", "show", rid, "--json").stdout)["version"] == 5
