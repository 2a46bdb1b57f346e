"""The service-request KPIs (seed 003 §KPIs) for the reports issue: one function, one read.

Over the requests registered in [start, end) (optionally of one service):
- total; closed (count, rate of total); auto-closed and successfully closed (counts, rates of the
  closed ones); mean response time (registered → first response, minutes, over those with one);
  mean handling time (registered → resolved, minutes, over those resolved); mean satisfaction
  (over those with a callback); overdue: not resolved within their priority's resolve target
  (wall-clock minutes from [[priority]] resolve_minutes; still open ones count against `now`).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from desk.domain import request_flow as flow
from desk.models import ServiceRequest
from desk.services import actors, linking, records


class RequestKpis(NamedTuple):
    total: int
    closed: int
    closed_rate: float | None
    auto_closed: int
    auto_closed_rate: float | None
    succeeded: int
    succeeded_rate: float | None
    mean_response_minutes: float | None
    mean_handling_minutes: float | None
    mean_satisfaction: float | None
    overdue: int

    def to_json(self) -> dict:
        return self._asdict()


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def kpis(desk, login=None, *, start: datetime, end: datetime, service: str | None = None) -> RequestKpis:
    def work(actor: actors.Actor):
        R = ServiceRequest
        query = R.select(R.status, R.close_code, R.auto_closed, R.priority, R.registered_at, R.first_response_at,
                         R.resolved_at, R.satisfaction).where((R.registered_at >= start) & (R.registered_at < end))
        if service:
            query = query.where(R.service == linking.service_id(service))
        targets = {str(p): desk.config.targets(p) for p in desk.config.codes("priority")}
        now = desk.now()
        total = closed = auto = succeeded = overdue = 0
        response, handling, satisfaction = [], [], []
        for status, code, auto_closed, priority, registered, first, resolved, score in query.tuples().iterator():
            total += 1
            if status == flow.CLOSED:
                closed += 1
                auto += bool(auto_closed)
                succeeded += code == flow.SUCCEEDED
            if first is not None:
                response.append((first - registered).total_seconds() / 60)
            if resolved is not None:
                handling.append((resolved - registered).total_seconds() / 60)
            if score is not None:
                satisfaction.append(score)
            target = targets.get(str(priority))
            # closed without being resolved (rejected, cancelled): no fulfilment to be late
            ended = resolved if resolved is not None else (None if status == flow.CLOSED else now)
            if target is not None and ended is not None and (ended - registered).total_seconds() / 60 > \
                    target.resolve_minutes:
                overdue += 1
        return RequestKpis(total, closed, _rate(closed, total), auto, _rate(auto, closed), succeeded,
                           _rate(succeeded, closed), _mean(response), _mean(handling), _mean(satisfaction), overdue)

    return records.guarded(desk, login, "request.kpis", "request", None, work)
