"""Demo people: organisations, callers and agents (stage `people`).

~30 organisations (branches and head-office departments, Chinese and English names), several
hundred callers (张伟, Zhang Wei, Emily Carter …), ~25 agents across the configured groups (L1
desk agents, shift leads, two per second-line group, a contact per vendor, and the approver /
request / catalogue / report roles). The person running it (`desk.user`) becomes a shift lead
and administrator of the service desk group (roles l1, lead, admin). Records that exist already
(same names) are reused.
"""

from __future__ import annotations

import random

from desk.db import write_transaction
from desk.models import Agent, Caller, Group, Organisation
from desk.services.demo.base import Build, Progress

LEAD_ROLES = ("l1", "lead", "admin")

ORGANISATIONS = (  # (name, kind, language of most of its callers)
    ("北京分行", "branch", "zh"), ("上海分行", "branch", "zh"), ("广州分行", "branch", "zh"),
    ("深圳分行", "branch", "zh"), ("杭州分行", "branch", "zh"), ("南京分行", "branch", "zh"),
    ("成都分行", "branch", "zh"), ("武汉分行", "branch", "zh"), ("西安分行", "branch", "zh"),
    ("天津分行", "branch", "zh"), ("重庆分行", "branch", "zh"), ("苏州分行", "branch", "zh"),
    ("青岛分行", "branch", "zh"), ("厦门分行", "branch", "zh"),
    ("总行营业部", "department", "zh"), ("总行财务部", "department", "zh"), ("总行人力资源部", "department", "zh"),
    ("总行信息科技部", "department", "zh"), ("总行风险管理部", "department", "zh"),
    ("总行运营管理部", "department", "zh"), ("客户服务中心", "department", "zh"), ("数据中心", "department", "zh"),
    ("Hong Kong Branch", "branch", "en"), ("Singapore Branch", "branch", "en"),
    ("London Representative Office", "branch", "en"), ("Treasury Department", "department", "en"),
    ("Internal Audit", "department", "en"), ("Legal & Compliance", "department", "en"),
    ("Corporate Banking Division", "department", "en"), ("Retail Banking Division", "department", "en"),
)
MONITORING_ORG = "数据中心"
CALLERS = 600

SURNAMES = (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
            ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("高", "Gao"),
            ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
            ("邓", "Deng"), ("冯", "Feng"), ("韩", "Han"), ("曹", "Cao"), ("彭", "Peng"))
GIVEN = (("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("磊", "Lei"), ("强", "Qiang"),
         ("洋", "Yang"), ("艳", "Yan"), ("军", "Jun"), ("勇", "Yong"), ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"),
         ("超", "Chao"), ("霞", "Xia"), ("慧", "Hui"), ("平", "Ping"), ("刚", "Gang"), ("丽", "Li"), ("婷", "Ting"),
         ("鹏", "Peng"), ("欣怡", "Xinyi"), ("子涵", "Zihan"), ("宇轩", "Yuxuan"), ("建国", "Jianguo"),
         ("志强", "Zhiqiang"), ("晓东", "Xiaodong"), ("海燕", "Haiyan"), ("文博", "Wenbo"), ("雨桐", "Yutong"),
         ("俊杰", "Junjie"), ("秀英", "Xiuying"), ("桂兰", "Guilan"), ("佳琪", "Jiaqi"), ("浩然", "Haoran"))
FIRST_EN = ("Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", "Grace", "Thomas", "Chloe", "David",
            "Hannah", "Andrew", "Lucy", "Peter", "Rachel", "Mark", "Kevin", "Laura", "Simon", "Helen")
LAST_EN = ("Carter", "Smith", "Brown", "Wilson", "Taylor", "Clarke", "Walker", "Wright", "Evans", "Hughes",
           "Morgan", "Cooper", "Bennett", "Reed", "Hall", "Fraser", "Murray", "Tan", "Lim", "Wong")

# Agents: (login, name). The roster is cut to the configured groups.
DESK_AGENTS = (("li.na", "李娜"), ("zhou.min", "周敏"), ("sun.lei", "孙磊"), ("emily.carter", "Emily Carter"),
               ("wu.tao", "吴涛"), ("xu.jing", "徐静"))
SHIFT_LEADS = (("gao.ming", "高明"), ("grace.tan", "Grace Tan"))
SECOND_LINE = (("zhang.wei", "张伟"), ("chen.jie", "陈杰"), ("liu.yang", "刘洋"), ("huang.hui", "黄慧"),
               ("zhao.qiang", "赵强"), ("ma.chao", "马超"), ("lin.fang", "林芳"), ("guo.peng", "郭鹏"),
               ("daniel.wong", "Daniel Wong"), ("he.bin", "何斌"), ("tang.hao", "唐浩"), ("song.ting", "宋婷"))
VENDOR_CONTACTS = (("kevin.lim", "Kevin Lim"), ("deng.zhiqiang", "邓志强"), ("sophie.reed", "Sophie Reed"),
                   ("feng.xiaodong", "冯晓东"))
OTHER_ROLES = (("han.jianguo", "韩建国", "approver"), ("liang.haiyan", "梁海燕", "request_manager"),
               ("xie.wenbo", "谢文博", "ops_lead"), ("cao.yutong", "曹雨桐", "catalogue_maintainer"),
               ("peter.hughes", "Peter Hughes", "report_manager"), ("luo.xiuying", "罗秀英", "report_reviewer"),
               ("qian.hong", "钱红", "approver"))  # a second leader: two-level approvals, and substitutes


def _person(rng: random.Random, lang: str) -> tuple[str, str, str]:
    """(display name, email local part, language) of a caller."""
    if lang == "en" and rng.random() < 0.75 or lang == "zh" and rng.random() < 0.08:
        first, last = FIRST_EN[rng.randrange(len(FIRST_EN))], LAST_EN[rng.randrange(len(LAST_EN))]
        return f"{first} {last}", f"{first}.{last}".lower(), "en"
    (sur, sur_py), (given, given_py) = SURNAMES[rng.randrange(len(SURNAMES))], GIVEN[rng.randrange(len(GIVEN))]
    local = f"{given_py}.{sur_py}".lower()
    if rng.random() < 0.2:
        return f"{sur_py} {given_py}", local, "en"  # 张伟 writes his name as Zhang Wei
    return sur + given, local, "zh"


def _phone(rng: random.Random, lang: str) -> str:
    if lang == "zh" and rng.random() < 0.6:
        return f"1{rng.choice('3589')}{rng.randrange(10 ** 9):09d}"
    return f"{'分机' if lang == 'zh' else 'ext.'} {rng.randrange(2000, 8999)}"


def _upsert_agent(login: str, name: str, roles: str, group_id) -> None:
    values = {"name": name, "roles": roles, "group": group_id, "active": True}
    if Agent.update(values).where(Agent.login == login).execute() == 0:
        Agent.insert(login=login, **values).execute()


def make(desk, rng: random.Random, progress: Progress | None) -> dict:
    """Organisations, callers and agents (existing ones with the same names are reused)."""
    config = desk.config
    total = 3
    if progress:
        progress("people", 0, total)
    with write_transaction(desk.db):
        Organisation.insert_many([{"name": name, "kind": kind} for name, kind, _ in ORGANISATIONS]) \
            .on_conflict_ignore().execute()
        orgs = {o.name: o.id for o in Organisation.select().where(Organisation.name.in_([o[0] for o in ORGANISATIONS]))}
    if progress:
        progress("people", 1, total)

    wanted: dict[tuple[str, int], tuple[str, str]] = {}  # (name, organisation id) -> (lang, email name)
    for _ in range(CALLERS):
        org_name, _, org_lang = ORGANISATIONS[rng.randrange(len(ORGANISATIONS))]
        name, local, lang = _person(rng, org_lang)
        wanted.setdefault((name, orgs[org_name]), (lang, local))

    def known() -> dict[tuple[str, int], int]:
        found: dict[tuple[str, int], int] = {}
        query = (Caller.select(Caller.id, Caller.name, Caller.organisation)
                 .where(Caller.organisation.in_(sorted(orgs.values()))).order_by(Caller.id))
        for c in query:
            found.setdefault((c.name, c.organisation_id), c.id)
        return found

    with write_transaction(desk.db):
        existing = known()
        rows = [{"name": name, "organisation": org_id, "phone": _phone(rng, lang),
                 "email": f"{local}{rng.randrange(1, 99)}@corp.example.com", "vip": rng.random() < 0.04}
                for (name, org_id), (lang, local) in wanted.items() if (name, org_id) not in existing]
        for start in range(0, len(rows), 500):
            Caller.insert_many(rows[start:start + 500]).execute()
        ids = known()
    callers = [(ids[key], key[1], lang) for key, (lang, _) in wanted.items()]
    if progress:
        progress("people", 2, total)

    groups = list(Group.select().order_by(Group.tier, Group.id))
    default = config.data["incident"]["default_group"]
    desk_group = next((g for g in groups if g.code == default), groups[0])
    with write_transaction(desk.db):
        for login, name in DESK_AGENTS:
            _upsert_agent(login, name, "l1", desk_group.id)
        for login, name in SHIFT_LEADS:
            _upsert_agent(login, name, "l1,lead", desk_group.id)
        pool = list(SECOND_LINE)
        vendors = list(VENDOR_CONTACTS)
        for group in groups:
            if group.id == desk_group.id:
                continue
            if group.tier == 1:
                _upsert_agent(f"{group.code}.desk", f"{group.name_en} agent", "l1", group.id)
            elif group.kind == "vendor" or group.tier >= 3:
                login, name = vendors.pop(0) if vendors else (f"{group.code}.contact", f"{group.name_en} contact")
                _upsert_agent(login, name, "vendor", group.id)
            else:
                for i in range(2):
                    login, name = pool.pop(0) if pool else (f"{group.code}.{i + 1}", f"{group.name_en} {i + 1}")
                    _upsert_agent(login, name, "l2,report_writer" if i == 1 else "l2", group.id)
        for login, name, role in OTHER_ROLES:
            _upsert_agent(login, name, role, None)
        you = Agent.get_or_none(Agent.login == desk.user)
        extra = sorted(you.role_set - set(LEAD_ROLES)) if you else []
        roles = ",".join(list(LEAD_ROLES) + extra)
        if you is None:
            Agent.insert(login=desk.user, name=desk.user, roles=roles, group=desk_group.id, active=True).execute()
        else:
            Agent.update(roles=roles, group=desk_group.id, active=True).where(Agent.id == you.id).execute()
    if progress:
        progress("people", 3, total)
    return {"orgs": orgs, "callers": callers, "groups": groups, "desk_group": desk_group}


def adds(build: Build) -> dict:
    """How many organisations, callers and agents a run adds to a desk without them (those that
    exist already are reused)."""
    config = build.desk.config
    default = config.data["incident"]["default_group"]
    others = [g for g in config.entries("group") if g["code"] != default]
    per_group = sum(1 if g.get("tier", 1) == 1 or g.get("kind") == "vendor" or g.get("tier", 1) >= 3 else 2
                    for g in others)
    agents = len(DESK_AGENTS) + len(SHIFT_LEADS) + per_group + len(OTHER_ROLES)
    return {"organisations": len(ORGANISATIONS), "callers": CALLERS, "agents": agents}


def stage(build: Build) -> dict:
    return make(build.desk, build.rng("people"), build.progress)
