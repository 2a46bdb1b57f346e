"""Schema step 11 (issue 16): the indexes a report's figures are read from alone (covering), so that
a month of a million-incident desk is counted from index entries instead of table rows.

- `incident_report_opened`: the incidents opened in a period, with every column the period's
  GROUP BY and its percentiles read (desk.services.report_figures._opened / _percentile).
- `incident_report_resolved`: the incidents resolved in a period or since its end, with what the
  backlog, the workload and SLA attainment read.
- `history_entity_action_at_id`: the period's escalations, returns, reopenings and resolutions,
  distinct incidents included, and the set of escalated incidents for first-call resolution.
  It replaces step 7's (entity, action, at), a prefix of it.

Created with their own SQL (the same on SQLite and PostgreSQL), not declared on the models: an
older database upgraded through an earlier step that creates a model's declared indexes may not
have every column yet. `desk demo` drops and recreates the incident indexes around its load.
"""

from __future__ import annotations

OPENED = "incident_report_opened"
RESOLVED = "incident_report_resolved"
HISTORY = "history_entity_action_at_id"
REPLACED = "history_entity_action_at"  # step 7's

STATEMENTS = (
    (OPENED, f"CREATE INDEX IF NOT EXISTS {OPENED} ON incident (opened_at, priority, category, source, group_id, "
             "status, resolved_at, first_response_at, due_at, reopen_count, escalation_level, resolved_group_id)"),
    (RESOLVED, f"CREATE INDEX IF NOT EXISTS {RESOLVED} ON incident (resolved_at, status, opened_at, priority, "
               "resolved_group_id, resolved_by_id, due_at, service_id)"),
    (HISTORY, f"CREATE INDEX IF NOT EXISTS {HISTORY} ON history (entity, action, at, entity_id)"),
)


def step(db, report=None) -> None:
    total = len(STATEMENTS)
    for done, (_name, sql) in enumerate(STATEMENTS):
        if report:
            report(done, total)
        db.execute_sql(sql)
    db.execute_sql(f"DROP INDEX IF EXISTS {REPLACED}")
    if report:
        report(total, total)
