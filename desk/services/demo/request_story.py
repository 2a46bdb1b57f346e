"""What happens to one demo service request: its story as a script of steps, each (time offset,
action, login, parameters) — the parameters those of the service function the action names
(request_life.SERVICE: `create` takes requests.create's keywords). The bulk writer
(request_life) plays a script into rows; the same script played through the services writes the
same rows (tests/services/test_demo_request_bulk.py does both and compares them).

A request opens along the incidents' opening curve, and its story stops where its ending says, or
at now (the demo's cut): recent requests are still open; an open ending is rarer for a request
raised more than RECENT ago (few requests wait a month). A resolved request whose requester
stays silent is auto-closed once `auto_close_days` have passed (what any running TUI does), so
a request left resolved was resolved within those days."""

from __future__ import annotations

import random
from bisect import bisect_right

from desk.services.demo.incident_plan import at_point
from desk.services.demo.request_delegations import decider
from desk.services.demo.request_plan import Plan, version_at

# (title en, title zh, service, class, the agent adds an approval, it costs money)
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
OPEN_ENDINGS = frozenset({"pending", "accepted", "dispatched", "escalated", "awaiting_approval", "awaiting_cost",
                          "awaiting_requester"})
RECENT = 30 * 86400
STALE = 0.1  # an open ending's weight for a request raised before RECENT
# Pinned endings of the newest requests (the newest first), told in minute steps so that they fit
# before now: every status and ending is on every demo desk. A request left resolved is the newest.
PINNED = ("resolved", "pending", "accepted", "dispatched", "escalated", "awaiting_approval", "awaiting_cost",
          "awaiting_requester", "succeeded", "failed", "rejected", "cancelled", "auto_closed")
CHANNELS = ("hotline", "hotline", "email", "chat", "app", "walk_in")
REQUESTERS = ("Zhang Wei", "王芳", "Li Na", "刘洋", "Chen Jie", "杨静", "Zhao Lei", "黄磊")
LOCATIONS = ("HQ 3F", "总行五楼", "Branch 12", "城东支行")
REJECTIONS = ("not_justified", "no_budget", "other")
AMOUNTS = ("350.00", "1280.00", "5999.00")
COMMENTS = ("", "Quick, thanks / 很快，谢谢", "OK")

Step = tuple  # (time offset, action, login, {parameter: value})


def _cumulative(pairs, stale: bool) -> list[float]:
    out, total = [], 0.0
    for name, weight in pairs:
        total += weight * (STALE if stale and name in OPEN_ENDINGS else 1)
        out.append(total)
    return out


_NAMES = tuple(name for name, _ in ENDINGS)
_WEIGHTS = {stale: _cumulative(ENDINGS, stale) for stale in (False, True)}


class _Cut(Exception):
    """The next step would come after now."""


def script(plan: Plan, rng: random.Random, k: int) -> list[Step]:
    """The k-th request's story (k: 0 … plan.n - 1, oldest first), cut at now."""
    pin = plan.n - 1 - k
    fast = 0 <= pin < len(PINNED)
    start = at_point(plan.slots, (k + rng.random()) / plan.n * plan.slots[-1], plan.open_span)
    if fast:
        end = PINNED[pin]
    else:  # rng.choices(_NAMES, cum_weights=weights)[0]'s one draw, without its checks
        weights = _WEIGHTS[start < plan.limit - RECENT]
        end = _NAMES[bisect_right(weights, rng.random() * weights[-1], 0, len(weights) - 1)]
    steps: list[Step] = []
    clock = [start]
    bits = rng.getrandbits

    def later(low: int, high: int) -> None:
        if fast:
            clock[0] += 60
            return
        # rng.randint(low, high)'s draw, low + rng._randbelow(n), inline: ~6 a request
        n = high - low + 1
        width = n.bit_length()
        r = bits(width)
        while r >= n:
            r = bits(width)
        clock[0] += 60 * (low + r)

    def do(action: str, login: str, **params) -> None:
        if clock[0] > plan.limit:
            raise _Cut
        steps.append((clock[0], action, login, params))

    try:
        _play(plan, rng, end, later, do, clock)
    except _Cut:
        pass
    return steps


_CODES: list = [None, None]  # [the plan, its (channels, rejection codes)]


def _codes(plan: Plan) -> tuple[list, list]:
    """The channels a request comes in by and the codes an approver rejects with, on this desk
    (worked out once a plan: a request's story is ~15 µs)."""
    if _CODES[0] is not plan:
        _CODES[:] = [plan, ([c for c in CHANNELS if c in plan.channels] or list(plan.channels),
                            [c for c in REJECTIONS if c in plan.rejections] or list(plan.rejections))]
    return _CODES[1]


def _pick(rng, items):
    return items[int(rng.random() * len(items))]


_TITLES = tuple(f"{en} / {zh}" for en, zh, *_ in WANTS)  # one text each: the templates look them up by it


def _play(plan: Plan, rng, end: str, later, do, clock) -> None:
    random = rng.random
    want = int(random() * len(WANTS))  # _pick(rng, WANTS), inline as the two below
    _, _, service, klass, approval, cost = WANTS[want]
    agent, handler = plan.l1[int(random() * len(plan.l1))], plan.l2[int(random() * len(plan.l2))]
    version = version_at(plan, service, plan.t0 + clock[0]) if service in plan.services else None
    if service not in plan.services or (version and version[1] > len(plan.approvers)):
        service, version = None, None  # not in this catalogue, or more levels than this desk has approvers
    approval = approval and bool(plan.approvers)
    levels = max(version[1] if version else 0, 1 if approval else 0)
    needs_cost = bool(version and version[2]) or cost
    channels, codes = _codes(plan)
    do("create", agent, title=_TITLES[want], requester=_pick(rng, REQUESTERS), service=service,
       request_class=klass if klass in plan.classes else plan.classes[0], channel=_pick(rng, channels),
       priority=_pick(rng, plan.priorities), add_approval=approval or None, add_cost=cost or None,
       location=_pick(rng, LOCATIONS))
    if end == "pending":
        return
    if end == "cancelled" and rng.random() < 0.5:
        later(5, 120)
        do("cancel", agent, reason="The requester no longer needs it / 用户不再需要")
        return
    later(2, 60)
    do("accept", agent)
    if end == "accepted":
        return
    later(5, 240)
    if rng.random() < 0.15 and plan.desk_group is not None:  # dispatched to the wrong team first, returned
        do("dispatch", agent, to=handler)
        later(30, 600)
        do("return", handler, reason="Not our team's service / 不属于本组业务范围",
           suggestion="The systems team / 建议转系统组")
        later(5, 120)
    do("dispatch", agent, to=handler)
    if end == "dispatched":
        return
    if end == "escalated":
        later(60, 1440)
        do("escalate", handler, reason="Waiting too long for the vendor / 等待厂商时间过长")
        return
    if end == "awaiting_requester":
        later(30, 600)
        do("wait", handler, reason="Which model does the requester want? / 需确认型号")
        return
    if end == "cancelled":
        later(60, 1440)
        do("cancel", agent, reason="The requester withdrew it / 用户撤回")
        return
    if (levels or end in ("awaiting_approval", "rejected")) and plan.approvers:
        later(30, 600)
        named = rng.sample(plan.approvers, max(1, levels))
        do("ask_approval", handler, approvers=named)
        if end == "awaiting_approval":
            return
        later(60, 2880)
        if end == "rejected" and codes:
            do("reject", decider(plan, named[0], clock[0]), reason="Not justified this quarter / 本季度理由不充分",
               code=_pick(rng, codes))
            return
        for n, who in enumerate(named):  # each level in order
            if n:
                later(30, 1440)
            do("approve", decider(plan, who, clock[0]), note="Approved / 同意")
    if needs_cost or end == "awaiting_cost":
        later(30, 600)
        do("ask_cost", handler)
        if end == "awaiting_cost":
            return
        later(120, 2880)
        do("confirm_cost", handler, amount=_pick(rng, AMOUNTS), currency="CNY",
           confirmed_with="the requester by phone / 电话确认")
    later(60, 2880)
    if end == "failed":
        do("resolve", handler, note="Out of stock at the supplier / 供应商缺货", outcome="failed")
    else:
        do("resolve", handler, note="Done as asked / 已按要求完成", outcome="succeeded")
    if end in ("resolved", "auto_closed"):
        due = clock[0] + int(-(-plan.auto_close_days * 86400 // 1))  # the requester silent that long
        if due > plan.limit:
            return  # still resolved: not due yet
        clock[0] = min(due + 60 * rng.randint(1, 60), plan.limit)  # the next tick of a running TUI
        do("auto_close", agent)
        return
    later(60, 1440)
    do("callback", agent, satisfaction=_pick(rng, (3, 4, 4, 5, 5, 5)) if end != "failed" else 2,
       comment=_pick(rng, COMMENTS))
    later(5, 120)
    do("close", agent)
