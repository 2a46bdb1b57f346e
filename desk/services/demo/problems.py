"""Demo problems (stage `problems`, after `changes`): problems in every state, raised from this
run's recurring incidents (same service and category), with their links in both histories; two
known errors with their knowledge articles (one published by a shift lead, one a second-line
draft); one resolved by a successful change; one whose open incidents were resolved with it.
Written through desk.services.problems on the story's clock."""

from __future__ import annotations

from datetime import timedelta

from peewee import SQL, fn

from desk.domain.errors import DeskError
from desk.domain.incident_flow import OPEN
from desk.models import Incident, Problem, ProblemIncident, Service
from desk.services import changes, problems
from desk.services.demo.base import Build
from desk.services.demo.clock import cast, storied, this_runs_incidents

# (key, where the story stops, links, back (0..1 of the window), title en, title zh, root cause, workaround, fix)
STORIES = (
    ("tunnel", "resolved", 4, 0.85, "VPN tunnels drop after an hour idle", "VPN隧道空闲一小时后断开",
     "The concentrator firmware ends idle tunnels early", "Reconnect the VPN client",
     "Concentrator firmware upgraded (the change names the version)"),
    ("timeouts", "closed", 5, 0.9, "Core system timeouts at the start of the batch", "批处理开始时核心系统超时",
     "The batch job locks the teller table", "Wait ten minutes and retry", "Batch job split into two steps"),
    ("printers", "known_error", 5, 0.5, "Branch printers go offline every morning", "分行打印机每天早上脱机",
     "The print server's DHCP leases run out overnight", "Restart the print spooler on the print server", None),
    ("mail", "known_error", 3, 0.4, "Mobile mail stops syncing after a password change", "修改密码后手机邮件停止同步",
     "Phones keep the old password and lock the account", "Remove and re-add the mail account on the phone", None),
    ("cardreader", "resolved_with_incidents", 3, 0.12, "Teller card readers fail after the driver update",
     "驱动更新后柜员读卡器故障", "Driver 4.2 breaks the reader's power saving", "Reseat the reader",
     "Driver 4.3 rolled out to every branch"),
    ("batch", "root_cause_known", 3, 0.3, "Reports late after month end", "月末后报表延迟",
     "Month-end jobs run in the report window", None, None),
    ("login", "under_investigation", 4, 0.2, "Slow logins at head office on Mondays", "总行周一登录缓慢", None, None,
     None),
    ("wifi", "new", 3, 0.1, "Wi-Fi drops in the third-floor meeting rooms", "三楼会议室无线网络掉线", None, None, None),
    ("storage", "new", 0, 0.05, "Storage array latency peaks at night", "存储阵列夜间延迟峰值", None, None, None),
)
# the service and category each story's incidents are about (another group when this run has none)
GROUPS = {"tunnel": ("network", "network"), "timeouts": ("core-banking", "application"),
          "printers": ("desktop", "hardware"), "mail": ("email", "software"), "cardreader": ("desktop", "hardware"),
          "batch": ("database", "database"), "login": ("accounts", "account"), "wifi": ("network", "security"),
          "storage": ("database", "hardware")}
STEPS = {"new": 1, "under_investigation": 2, "root_cause_known": 3, "known_error": 4, "resolved": 5,
         "resolved_with_incidents": 5, "closed": 6}


def held() -> int:
    return Problem.select().count() if Problem.table_exists() else 0


def adds(build: Build) -> dict:
    return {"problems": len(STORIES)}


def _both(en: str | None, zh: str | None) -> str:
    return f"{en} / {zh}" if en and zh else en or zh or ""


def _groups(desk) -> list[tuple[int, str, str]]:
    """(service id, service code, category): every catalogue service × configured category."""
    services = list(Service.select(Service.id, Service.code).order_by(Service.code).tuples())
    return [(sid, code, category) for sid, code in services for category in desk.config.codes("category")]


def _pick(low: int, high: int, group, before, n: int, open_only: bool) -> list[int]:
    """Up to n of this run's incidents of the group, unchanged since `before`, not linked yet."""
    linked = fn.EXISTS(ProblemIncident.select(SQL("1")).where(ProblemIncident.incident == Incident.id))
    query = Incident.select(Incident.id).where(
        (Incident.id > low) & (Incident.id <= high) & (Incident.service == group[0]) & (Incident.category == group[2])
        & (Incident.opened_at < before) & (Incident.updated_at < before) & ~linked)
    if open_only:
        query = query.where(Incident.status.in_(sorted(OPEN)))
    return sorted(r.id for r in query.order_by(Incident.opened_at.desc()).limit(n))


def stage(build: Build) -> dict[str, int]:
    """key -> problem id of the problems made."""
    desk = build.desk
    rng = build.rng("problems")
    people = cast(desk.user)
    span = timedelta(days=min(build.days, 28))
    scale = span / timedelta(days=28)
    low, high = this_runs_incidents(build)
    groups = _groups(desk)
    fixes = build.made.get("changes") or {}
    made: dict[str, int] = {}
    total = len(STORIES)
    build.report("problems", 0, total)
    for done, story in enumerate(STORIES, 1):
        wanted = [g for g in groups if (g[1], g[2]) == GROUPS.get(story[0])]
        order = wanted + groups[done:] + groups[:done]  # the story's own group, else the next with incidents
        try:
            found = _story(build, desk, rng, people, span, scale, story, (low, high), order, fixes)
        except DeskError:  # a desk configured without the people a step needs: the story stops there
            found = None
        if found is not None:
            made[story[0]] = found
        build.report("problems", done, total)
    return made


def _story(build, desk, rng, people, span, scale, story, incident_range, groups, fixes) -> int | None:
    key, stop, links, back, en, zh, cause, workaround, fix = story
    now = build.now
    d, clock = storied(desk, now - span * back, now)

    def later(low: int, high: int):
        clock.set(clock.at + timedelta(minutes=rng.randint(max(1, int(low * scale)), max(2, int(high * scale)))))

    analyst = people.pick(rng, "second_line")
    lead = people.pick(rng, "leads")
    if analyst is None or lead is None:
        return None
    ids: list[int] = []
    for group in groups[:12] if links else ():
        ids = _pick(*incident_range, group, clock.at, links, open_only=stop == "resolved_with_incidents")
        if ids:
            break
    p = problems.create(d, analyst, title=_both(en, zh), incidents_=ids,
                        description=_both("Raised from recurring incidents", "由重复发生的事件提出") if ids else
                        _both("Found in the monitoring trends", "从监控趋势中发现"))
    steps = STEPS[stop]
    if steps >= 2:
        later(60, 1440)
        p = problems.investigate(d, analyst, p.id)
    if steps >= 3:
        later(240, 4320)
        p = problems.root_cause(d, analyst, p.id, text=_both(cause, None))
    if steps >= 4 and workaround:
        later(60, 1440)
        # a shift lead publishes the article at once; a second-line agent's stays a draft
        who = lead if key in ("printers", "tunnel", "timeouts") else analyst
        p = problems.known_error(d, who, p.id, workaround=_both(workaround, None))
    if steps >= 5:
        later(1440, 5760)
        change = fixes.get("vpn_fw") if key == "tunnel" else None
        if change is not None:
            done = changes.get(d, change, with_history=False)
            if done.outcome != "successful" or done.actual_end is None:
                change = None
            else:
                clock.set(max(clock.at, done.actual_end + timedelta(hours=2)))
        p = problems.resolve(d, analyst, p.id, fix=_both(fix, None), change_id=change)
        if stop == "resolved_with_incidents":
            later(10, 60)
            problems.resolve_incidents(d, lead, p.id, code="fixed")
    if steps >= 6:
        later(1440, 4320)
        p = problems.close(d, lead, p.id)
    return p.id
