"""Schema step 11's own promises (issue 19, tools/mutants/services_report_indexes.toml): it says how
far it is before each index and when it is done (`desk init` shows it: a million incidents take
minutes), and may run again on a desk that has its indexes."""

from __future__ import annotations

from desk.services import report_indexes


def test_step_11_says_how_far_it_is_before_each_index_and_when_it_is_done(desk):
    heard: list[tuple[int, int]] = []
    report_indexes.step(desk.db, lambda done, total: heard.append((done, total)))
    total = len(report_indexes.STATEMENTS)
    assert total == 3 and heard == [(0, 3), (1, 3), (2, 3), (3, 3)]
    report_indexes.step(desk.db)  # again, without a listener: nothing to say, nothing refused
