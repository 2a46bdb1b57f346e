"""What the report tests share."""

from __future__ import annotations

import pytest

from desk.services import agents, report_list

KPI = "incident-kpi-monthly"


@pytest.fixture
def kpi_named(desk):
    """The KPI report's list entry names its writer (repw), a confirmer (deptm, a department manager
    made a report reviewer here) and its reviewer (repr), confirmed."""
    agents.save_agent(desk, "admin", agent_login="deptm", name="Dept", roles=["report_reviewer"])
    report_list.propose(desk, "repm", KPI, {"writer": "repw", "confirmer": "deptm", "reviewer": "repr"})
    report_list.confirm(desk, "repr", KPI)
    return desk
