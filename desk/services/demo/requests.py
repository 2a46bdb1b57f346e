"""Demo service requests (stage `requests`, after `problems`): requests in every state — pending,
accepted, dispatched, escalated, awaiting approval, cost or the requester, resolved, closed as
succeeded, failed, approval rejected, cancelled and auto-closed — with approvals (one by a
substitute), cost confirmations, callbacks and returns to the desk. Written through
desk.services.requests on the story's clock, so histories are exactly the services'.

About one request for every three incidents, at most CAP (each is written through the services,
a few milliseconds a change; a bulk loader for the 1M-incident demo is still to come)."""

from __future__ import annotations

from datetime import timedelta

from desk.db import is_sqlite
from desk.domain.errors import DeskError
from desk.domain.roles import APPROVER, L1, L2
from desk.models import Agent, Group, Service, ServiceRequest
from desk.services import request_approval, request_intake, requests
from desk.services.demo import bulk
from desk.services.demo.base import Build
from desk.services.demo.clock import storied

CAP = 600
# (title en, title zh, service, class, needs approval, costs money)
WANTS = (
    ("New laptop for a new joiner", "新员工笔记本电脑", "desktop", "technical", True, True),
    ("VPN access for a contractor", "外包人员VPN权限", "network", "technical", True, False),
    ("Shared mailbox for the loans team", "信贷部共享邮箱", "email", "business", False, False),
    ("Password reset for the teller system", "柜员系统密码重置", "accounts", "technical", False, False),
    ("Second monitor", "第二台显示器", "desktop", "technical", False, True),
    ("Read access to the report database", "报表数据库只读权限", "database", "business", True, False),
    ("Install the statistics package", "安装统计软件", "desktop", "technical", False, False),
    ("Distribution list for the branch managers", "支行行长通讯组", "email", "business", False, False),
    ("Core system training account", "核心系统培训账号", "core-banking", "business", True, False),
    ("Move a desk phone to the third floor", "座机移至三楼", "network", "technical", False, True),
)
# where each request's story stops, and how often (weights)
ENDINGS = (("pending", 3), ("accepted", 3), ("dispatched", 6), ("escalated", 2), ("awaiting_approval", 3),
           ("awaiting_cost", 2), ("awaiting_requester", 2), ("resolved", 5), ("succeeded", 14), ("auto_closed", 4),
           ("failed", 2), ("rejected", 2), ("cancelled", 2))
CHANNELS = ("hotline", "hotline", "email", "chat", "app", "walk_in")
REQUESTERS = ("Zhang Wei", "王芳", "Li Na", "刘洋", "Chen Jie", "杨静", "Zhao Lei", "黄磊")


def held() -> int:
    return ServiceRequest.select().count() if ServiceRequest.table_exists() else 0


def adds(build: Build) -> dict:
    return {"requests": _count(build)}


def _count(build: Build) -> int:
    return min(CAP, max(1, build.incidents // 3)) if build.incidents else 0


def _people(desk):
    desk_groups = {g.id for g in Group.select(Group.id).where(Group.kind == "desk")}
    second = {g.id for g in Group.select(Group.id).where(Group.kind == "l2")}
    l1, l2, approvers = [], [], []
    for agent in Agent.select().where(Agent.active == True).order_by(Agent.login):  # noqa: E712
        roles = agent.role_set
        if L1 in roles and agent.group_id in desk_groups and agent.login != desk.user:
            l1.append(agent.login)
        if L2 in roles and agent.group_id in second:
            l2.append(agent.login)
        if APPROVER in roles:
            approvers.append(agent.login)
    return l1, l2, approvers


def stage(build: Build) -> int:
    """How many requests were made."""
    desk = build.desk
    total = _count(build)
    build.report("requests", 0, total)
    l1, l2, approvers = _people(desk)
    services = {s.code for s in Service.select(Service.code)}
    if not total or not l1 or not l2:
        return 0
    rng = build.rng("requests")
    names, weights = zip(*ENDINGS)
    span = timedelta(days=build.days)
    made = 0
    saved = bulk.relax(desk.db, bulk=False) if is_sqlite(desk.db) else {}  # no disk sync per change
    try:
        made = _stories(build, desk, rng, total, span, names, weights, l1, l2, approvers, services)
    finally:
        if saved:
            bulk.restore(desk.db, saved)
    return made


def _stories(build, desk, rng, total, span, names, weights, l1, l2, approvers, services) -> int:
    made = 0
    for n in range(total):
        start = build.now - span * (1 - (n + rng.random()) / total) - timedelta(days=1)
        d, clock = storied(desk, max(start, build.now - span), build.now)
        try:
            end = names[n] if n < len(names) else rng.choices(names, weights)[0]  # every ending at least once
            _story(d, clock, rng, end, l1, l2, approvers, services)
            made += 1
        except DeskError:  # a desk configured without the people or codes a step needs: it stops there
            pass
        if n % 20 == 0 or n == total - 1:
            build.report("requests", n + 1, total)
    return made


def _story(d, clock, rng, end: str, l1, l2, approvers, services) -> None:
    def later(low: int, high: int):
        clock.step(rng, low, high)

    en, zh, service, klass, approval, cost = WANTS[rng.randrange(len(WANTS))]
    agent = l1[rng.randrange(len(l1))]
    handler = l2[rng.randrange(len(l2))]
    if service in services and request_intake.terms(d, service).approval_levels > len(approvers):
        service = None  # the catalogue wants more approval levels than this desk has approvers
    r = requests.create(d, agent, title=f"{en} / {zh}", requester=REQUESTERS[rng.randrange(len(REQUESTERS))],
                        service=service if service in services else None, request_class=klass,
                        channel=CHANNELS[rng.randrange(len(CHANNELS))], priority=rng.choice((2, 3, 3, 3, 4)),
                        checked=["all"], add_approval=approval or None, add_cost=cost or None,
                        location=rng.choice(("HQ 3F", "总行五楼", "Branch 12", "城东支行")))
    if end == "pending":
        return
    if end == "cancelled" and rng.random() < 0.5:
        later(5, 120)
        requests.cancel(d, agent, r.id, reason="The requester no longer needs it / 用户不再需要")
        return
    later(2, 60)
    requests.accept(d, agent, r.id)
    if end == "accepted":
        return
    later(5, 240)
    if rng.random() < 0.15:  # dispatched to the wrong team first, returned with a suggestion
        requests.dispatch(d, agent, r.id, to=handler)
        later(30, 600)
        requests.return_(d, handler, r.id, reason="Not our team's service / 不属于本组业务范围",
                         suggestion="The systems team / 建议转系统组")
        later(5, 120)
    r = requests.dispatch(d, agent, r.id, to=handler)
    if end == "dispatched":
        return
    if end == "escalated":
        later(60, 1440)
        requests.escalate(d, handler, r.id, reason="Waiting too long for the vendor / 等待厂商时间过长")
        return
    if end == "awaiting_requester":
        later(30, 600)
        requests.wait(d, handler, r.id, reason="Which model does the requester want? / 需确认型号")
        return
    if end == "cancelled":
        later(60, 1440)
        requests.cancel(d, agent, r.id, reason="The requester withdrew it / 用户撤回")
        return
    if (r.approval_levels or end in ("awaiting_approval", "rejected")) and approvers:
        later(30, 600)
        named = rng.sample(approvers, max(1, r.approval_levels))
        r = request_approval.ask_approval(d, handler, r.id, approvers=named)
        if end == "awaiting_approval":
            return
        later(60, 2880)
        who = r.approvals[0].approver
        if end == "rejected":
            request_approval.reject(d, who, r.id, reason="Not justified this quarter / 本季度理由不充分",
                                    code=rng.choice(("not_justified", "no_budget", "other")))
            return
        for step in r.approvals:  # each level in order
            request_approval.approve(d, step.approver, r.id, note="Approved / 同意")
    if r.needs_cost or end == "awaiting_cost":
        later(30, 600)
        requests.ask_cost(d, handler, r.id)
        if end == "awaiting_cost":
            return
        later(120, 2880)
        requests.confirm_cost(d, handler, r.id, amount=rng.choice(("350.00", "1280.00", "5999.00")),
                              currency="CNY", confirmed_with="the requester by phone / 电话确认")
    later(60, 2880)
    if end == "failed":
        requests.resolve(d, handler, r.id, outcome="failed", note="Out of stock at the supplier / 供应商缺货")
    else:
        requests.fulfil(d, handler, r.id, note="Done as asked / 已按要求完成")
    if end == "resolved":
        return
    if end == "auto_closed":
        clock.set(clock.at + timedelta(days=float(d.config.request_setting("auto_close_days", 5)) + 1))
        if clock.at < clock.cap:
            requests.auto_close(d, agent)
        return
    later(60, 1440)
    requests.callback(d, agent, r.id, satisfaction=rng.choice((3, 4, 4, 5, 5, 5)) if end != "failed" else 2,
                      comment=rng.choice(("", "Quick, thanks / 很快，谢谢", "OK")))
    later(5, 120)
    requests.close(d, agent, r.id)
