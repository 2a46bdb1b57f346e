"""Demo approvers away, each naming a substitute for the dates (seed 003's approving leaders; issue
14's dated delegation): a few absences in the past, each registered a day or three before it
began, and one from today, registered now. Every one is written by the service
(request_approval.delegate, on the story's clock), so its row and the history rows it writes into
the requests then waiting for the approver are what an approver's own `desk request delegate`
writes; the substitute finds them in their approval inbox.

The past ones are written before the requests (nothing waits for anyone yet on a first load), and
a request's story has the substitute decide in the approver's place while they are away
(`decider`): the history says on whose behalf. Today's is written after them, so the requests
waiting for the approver now each get their "delegate" row. Only on a first load: a desk whose
requests people work on gets no made-up absences."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from desk.services.demo.clock import storied

DAY = 86400
REASONS = ("Annual leave / 年假", "Training in Shanghai / 上海培训", "Business trip / 出差", "Sick leave / 病假")

Away = tuple  # (approver login, substitute login, starts, ends, registered at (offset from t0), note)


def _day(t0: int, offset: int) -> date:
    return (datetime(1970, 1, 1) + timedelta(seconds=t0 + offset)).date()


def plan(seed: int, first_id: int, approvers: tuple[str, ...], t0: int, limit: int) -> tuple[tuple, Away | None]:
    """(the past absences, oldest first; today's or None): none without two approvers. Periods
    never overlap, and the past ones end before today."""
    if len(approvers) < 2:
        return (), None
    rng = random.Random(f"desk-demo:{seed}:{first_id}:delegations")

    def pair() -> tuple[str, str]:
        away = approvers[rng.randrange(len(approvers))]
        others = [a for a in approvers if a != away]
        return away, others[rng.randrange(len(others))]

    today = _day(t0, limit)
    past = []
    day = 4 + rng.randint(2, 12)  # days after the window opens: room to register it beforehand
    while True:
        length = rng.randint(2, 6)
        starts, ends = _day(t0, day * DAY), _day(t0, (day + length) * DAY)
        if ends >= today - timedelta(days=1):
            break
        registered = (day - rng.randint(1, 3)) * DAY - (t0 % DAY) + rng.randint(8 * 3600, 17 * 3600)
        away, substitute = pair()
        past.append((away, substitute, starts, ends, registered, REASONS[rng.randrange(len(REASONS))]))
        day += length + rng.randint(6, 18)
    # who is away from today is chosen once the requests are there (`after`)
    current = ("", "", today, today + timedelta(days=rng.randint(3, 6)), limit, REASONS[rng.randrange(len(REASONS))])
    return tuple(past), current


def decider(plan, login: str, offset: int) -> str:
    """Who decides for approver `login` at `offset`: their substitute while they are away (an
    absence registered by then), else themselves."""
    for away, substitute, starts, ends, registered, _ in plan.delegations:
        if away == login and registered <= offset and starts <= _day(plan.t0, offset) <= ends:
            return substitute
    return login


def _write(desk, plan, absences, now: datetime) -> None:
    from desk.services import request_approval

    epoch = datetime(1970, 1, 1) + timedelta(seconds=plan.t0)
    for away, substitute, starts, ends, registered, note in absences:
        handle, _ = storied(desk, epoch + timedelta(seconds=registered), now)
        request_approval.delegate(handle, away, substitute=substitute, starts=starts, ends=ends, note=note)


def before(desk, plan, now: datetime) -> None:
    """The past absences, before any request is written."""
    _write(desk, plan, plan.delegations, now)


def after(desk, plan, now: datetime) -> None:
    """Today's absence, once the requests are there: the approver most requests wait for is away
    (the next approver by login stands in), so their substitute's inbox is not empty."""
    if plan.current is None:
        return
    from peewee import fn

    from desk.models import RequestApproval, ServiceRequest

    waiting = dict(RequestApproval.select(RequestApproval.approver, fn.COUNT(RequestApproval.id)).join(
        ServiceRequest, on=(ServiceRequest.id == RequestApproval.request)).where(
        (ServiceRequest.status == "awaiting_approval") & (RequestApproval.round == ServiceRequest.approval_round)
        & RequestApproval.decision.is_null()).group_by(RequestApproval.approver).tuples())
    logins = plan.approvers
    away = max(logins, key=lambda login: (waiting.get(plan.agents[login][0], 0), login))
    substitute = logins[(logins.index(away) + 1) % len(logins)]
    _write(desk, plan, ((away, substitute, *plan.current[2:]),), now)
