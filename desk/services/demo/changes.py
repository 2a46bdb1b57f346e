"""Demo changes (stage `changes`): about fifteen requests for change in every state — normal ones
through the change advisory board, an emergency one a shift lead approved and the board reviewed,
standard ones from their templates, a rejected one, a migration and a retirement (seed 004 §4.3),
two planned for the coming days on the same service (a conflict on the calendar), and a failed
one that caused incidents. Written through desk.services.changes on the story's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.domain.errors import DeskError
from desk.models import Agent, Change, Incident, Service
from desk.services import changes
from desk.services.demo.base import Build
from desk.services.demo.clock import cast, storied, this_runs_incidents

# (key, type, where the story stops, outcome, services, title en, title zh, how far back it starts: 0..1 of the window)
STORIES = (
    ("vpn_fw", "normal", "closed", "successful", "network", "Upgrade the VPN concentrator firmware",
     "升级VPN集中器固件", 0.8),
    ("core_patch", "normal", "closed", "failed", "core-banking", "Core system patch 3.2", "核心系统补丁3.2", 0.7),
    ("mail_move", "normal", "closed", "backed_out", "email", "Move mailboxes to the new mail cluster",
     "邮箱迁移至新邮件集群", 0.65),
    ("core_switch", "emergency", "closed", "successful", "network, core-banking", "Replace the failed core switch",
     "更换故障核心交换机", 0.5),
    ("spooler", "standard", "closed", "successful", "desktop", "", "", 0.45),
    ("db_index", "normal", "review", "successful", "database", "Rebuild the ledger database indexes",
     "重建总账数据库索引", 0.3),
    ("fw_cleanup", "normal", "implementing", None, "network", "Firewall rule clean-up", "防火墙规则清理", 0.2),
    ("batch_window", "normal", "scheduled", None, "core-banking", "Move the core batch window to 23:00",
     "核心批处理窗口调整至23:00", 0.25),
    ("core_db", "normal", "scheduled", None, "core-banking, database", "Core database storage expansion",
     "核心数据库存储扩容", 0.2),
    ("patches", "standard", "scheduled", None, "desktop", "", "", 0.1),
    ("directory", "normal", "approved", None, "accounts", "Directory servers upgrade", "目录服务器升级", 0.15),
    ("file_server", "normal", "awaiting_approval", None, "desktop", "Retire the old file server FS01",
     "下线旧文件服务器FS01", 0.1),
    ("rdp", "normal", "rejected", None, "network", "Open remote desktop to vendors from the internet",
     "向供应商开放互联网远程桌面", 0.3),
    ("intranet", "normal", "assessment", None, "network", "Migrate the intranet portal to the new platform",
     "内网门户迁移至新平台", 0.05),
    ("backup", "normal", "draft", None, "database", "New backup schedule for the data warehouse",
     "数据仓库新备份计划", 0.02),
)
TEMPLATES = {"spooler": "restart-spooler", "patches": "desktop-patch"}
ORDER = ("draft", "submit", "assess", "decide", "schedule", "start", "review", "close")
STOP = {"draft": 1, "assessment": 2, "awaiting_approval": 3, "approved": 4, "rejected": 4, "scheduled": 5,
        "implementing": 6, "review": 7, "closed": 8}


def held() -> int:
    return Change.select().count() if Change.table_exists() else 0


def adds(build: Build) -> dict:
    return {"changes": len(STORIES)}


def _text(desk, en: str, zh: str) -> str:
    return f"{en} / {zh}" if en and zh else en or zh


def stage(build: Build) -> dict[str, int]:
    """key -> change id of the changes made (a story the desk's people cannot play stops early)."""
    desk = build.desk
    rng = build.rng("changes")
    people = cast(desk.user)
    span = timedelta(days=min(build.days, 28))
    scale = span / timedelta(days=28)
    low, high = this_runs_incidents(build)
    made: dict[str, int] = {}
    total = len(STORIES)
    build.report("changes", 0, total)
    for done, story in enumerate(STORIES, 1):
        changed = _story(build, desk, rng, people, span, scale, story, (low, high))
        if changed is not None:
            made[story[0]] = changed
        build.report("changes", done, total)
    return made


def _minutes(rng, scale, low: int, high: int) -> tuple[int, int]:
    return max(1, int(low * scale)), max(2, int(high * scale))


def _story(build, desk, rng, people, span, scale, story, incident_range) -> int | None:
    key, kind, stop, outcome, services, en, zh, back = story
    now = build.now
    d, clock = storied(desk, now - span * back, now)
    requester = people.pick(rng, "second_line") or people.pick(rng, "ops_leads")
    if requester is None:
        return None
    try:
        template = TEMPLATES.get(key, "")
        c = changes.create(d, requester, title=_text(d, en, zh), type=kind, template=template, services=services,
                           reason="" if template else _text(d, "Recurring incidents and vendor advice",
                                                             "重复事件及供应商建议"),
                           implementation_plan="" if template else _text(d, "Step by step runbook attached",
                                                                         "详见分步操作手册"),
                           backout_plan="" if template else _text(d, "Restore the previous version",
                                                                  "恢复至上一版本"))
        steps = STOP[stop]
        if steps >= 2:
            clock.step(rng, *_minutes(rng, scale, 20, 180))
            c = changes.submit(d, requester, c.id)
        if steps >= 3 and c.status == "assessment":
            clock.step(rng, *_minutes(rng, scale, 120, 1440))
            c = changes.assess(d, people.pick(rng, "ops_leads") or requester, c.id,
                               risk=("low", "medium", "high")[rng.randrange(3)],
                               impact=_text(d, "Service interrupted during the window", "窗口期间服务中断"),
                               test_plan=_text(d, "Smoke test by the desk", "服务台冒烟测试"))
        if steps >= 4 and c.status == "awaiting_approval":
            c = _decide(d, clock, rng, scale, people, c, requester, reject=stop == "rejected")
            if c.status != "approved":
                return c.id
        if steps >= 5:
            clock.step(rng, *_minutes(rng, scale, 60, 600))
            if stop == "scheduled":  # planned in the coming days
                start = (now + timedelta(days=1 + rng.randrange(3))).replace(hour=22, minute=0, second=0)
                if key == "core_db":  # the same night as the batch window change: a conflict on core-banking
                    start = (now + timedelta(days=1)).replace(hour=22, minute=30, second=0)
                elif key == "batch_window":
                    start = (now + timedelta(days=1)).replace(hour=22, minute=0, second=0)
            elif stop == "implementing":
                start = now - timedelta(minutes=40)
            else:
                start = clock.at + timedelta(minutes=rng.randint(*_minutes(rng, scale, 120, 2880)))
            end = start + timedelta(hours=rng.choice((1, 2, 3)))
            c = changes.schedule(d, people.pick(rng, "second_line") or requester, c.id, start=start, end=end)
        if steps >= 6:
            clock.set(max(clock.at + timedelta(minutes=1), c.planned_start))
            implementer = people.pick(rng, "second_line") or requester
            c = changes.start(d, implementer, c.id)
        if steps >= 7:
            clock.set(max(clock.at + timedelta(minutes=5), c.planned_end))
            c = changes.review(d, implementer, c.id, outcome=outcome,
                               note=_text(d, "Done as planned", "按计划完成") if outcome == "successful" else
                               _text(d, "Errors after the switch-over: rolled back", "切换后报错，已回退"))
        if steps >= 8:
            clock.step(rng, *_minutes(rng, scale, 600, 2880))
            if outcome == "failed":
                _caused(d, c, incident_range, clock.at)
            reviewer = (people.pick(rng, "approvers") if c.approved_via == "lead" else
                        people.pick(rng, "ops_leads")) or people.pick(rng, "leads")
            c = changes.close(d, reviewer, c.id, review=_text(
                d, "Reviewed: lessons recorded in the runbook", "已回顾：经验已记入操作手册"))
        return c.id
    except DeskError:  # a desk configured without the people a step needs: the story stops there
        return None


def _decide(d, clock, rng, scale, people, c, requester, reject: bool):
    clock.step(rng, *_minutes(rng, scale, 60, 1440))
    board = changes.board(d)
    members = sorted(a.login for a in Agent.select(Agent.login).where(Agent.id.in_(sorted(board.members))))
    members = [m for m in members if m != requester]
    if c.type == "emergency":
        lead = people.pick(rng, "leads")
        return changes.approve(d, lead, c.id, note=_text(d, "Approved out of hours", "非工作时间紧急批准")) \
            if lead else c
    if not members:
        return c
    if reject:
        return changes.reject(d, members[0], c.id, note=_text(d, "Too risky: use the vendor portal instead",
                                                                "风险过高：请改用供应商门户"))
    for member in (members if board.rule == "all" else members[:1]):
        c = changes.approve(d, member, c.id)
        clock.step(rng, *_minutes(rng, scale, 10, 120))
    return c


def _caused(d, c, incident_range, at) -> None:
    """The failed change caused incidents: this run's first incidents opened on its services (else
    on any) once it began, recorded before it is closed."""
    low, high = incident_range
    since = (Incident.id > low) & (Incident.id <= high) & (Incident.opened_at >= c.actual_start) & (
        Incident.updated_at < at)
    codes = sorted({s.strip() for s in c.services.split(",") if s.strip()})
    ids = []
    for where in (since & Incident.service.in_(Service.select(Service.id).where(Service.code.in_(codes))), since):
        ids = [i.id for i in Incident.select(Incident.id).where(where).order_by(Incident.opened_at).limit(3)]
        if ids:
            break
    if ids:
        changes.link_incident(d, c.requester, c.id, ids)
