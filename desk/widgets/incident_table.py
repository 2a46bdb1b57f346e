"""The incident queue's table: the generic RecordTable (desk.widgets.record_table) with the
incident kind's spec (desk.lists.incident)."""

from __future__ import annotations

from desk.lists.layout import compact, fit as _fit, plan_layout  # noqa: F401  (their first home)
from desk.widgets.record_table import RecordTable


class IncidentTable(RecordTable):
    def __init__(self, *, source, config, lang: str, now, id: str | None = None) -> None:
        from desk.lists.incident import INCIDENTS

        super().__init__(source=source, config=config, lang=lang, now=now, spec=INCIDENTS, id=id)
