"""`desk demo`: fill the database with a realistic, reproducible service desk.

What it builds (stages, in order, each reported to `progress(stage, done, total)`):

- people: ~30 organisations (branches and head-office departments, Chinese and English names),
  several hundred callers (张伟, Zhang Wei, Emily Carter …), ~25 agents across the configured
  groups (L1 desk agents, shift leads, two per second-line group, a contact per vendor, and the
  approver / request / catalogue / report roles). The person running it (`desk.user`) becomes a
  shift lead and administrator of the service desk group (roles l1, lead, admin).
- knowledge: ~30 FAQ articles (bilingual titles, configured FAQ categories).
- incidents: N incidents opened over the last `days` days (more in office hours), each with the
  history the services would have written for it: create → assign → start → escalate (to second
  line, to a vendor) → return → resolve → confirm → close, with reopenings, hierarchical
  escalations by a shift lead and notes, cut at `desk.now()`: recent incidents are still open,
  old ones are closed, a few stalled ones are old and open, and some breach their SLA. Every
  history row has the same shape as `services.incidents._prepare` records (changes by group code
  and login, only tracked fields that changed) and is hash-chained as `services.history.append`
  chains it; an incident's `version` is its number of history rows. Some incidents are linked
  to the FAQ article that solved them.
- indexes: when the incident table was empty (a first load), its secondary indexes were dropped
  before the load; they are recreated here with their own SQL (read from the catalogue before
  dropping, and kept in a setting until recreated, so an interrupted load gets them back on the
  next run). Otherwise the indexes are kept and this stage has nothing to do.
- search: likewise, on SQLite a first load drops the triggers that keep the title search
  (incident_fts) in step, fills the index once here ('rebuild', ~7 s for a million incidents;
  a trigger per row would cost more) and puts the triggers back. Otherwise the triggers kept it
  in step (PostgreSQL's trigram index is one of the indexes above).

Reproducible: the same seed, size, days, configuration and clock on a fresh database give the
same rows, hashes included. Incidents are generated in blocks of BLOCK, each from its own random
stream (seeded by the seed, the first new id and the block number), so the result does not depend
on how many processes generate them, and a second run into the same desk adds different ones.

Fast (the goal: 1M incidents in about a minute on two cores, SQLite): big demos run in worker
processes (`python -m desk.services.demo --worker`), one per core, each generating its share of
the blocks and writing each block in one write transaction when its turn comes (blocks are
committed in order, so the rows and ids are those of a run in one process): executemany on
SQLite, COPY on PostgreSQL. On SQLite, during the load only: synchronous=OFF and a larger page
cache, and for a first load a rollback journal instead of WAL (each page written once, not twice);
the index rebuild sorts in small runs with helper threads. All are restored at the end,
synchronous first, so that leaving the rollback journal (or the final checkpoint) syncs the file.
Foreign keys stay enforced. (A desk opened on the file during a first load switches it back to
WAL between two blocks: that costs only speed.)

Existing data: generating into a database that already has incidents adds to them (new ids
follow the highest; organisations, agents, callers and articles that exist already are reused),
and needs the `admin.demo` permission. Ids are chosen up front, so another writer adding
incidents at the same time makes the demo stop with an error (each block is one transaction:
nothing is half-written).
"""

from __future__ import annotations

import bisect
import calendar
import io
import json
import marshal
import math
import os
import pickle
import random
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from hashlib import sha256
from pathlib import Path
from statistics import NormalDist

from peewee import OperationalError

from desk.db import is_sqlite, open_database, write_transaction
from desk.domain import incident_flow as flow
from desk.domain.errors import ValidationError
from desk.domain.history_chain import GENESIS, dump_changes
from desk.models import Agent, Article, Caller, Group, Incident, IncidentArticle, Organisation, Service, Setting
from desk.services import actors, schema

STAGES = ("people", "knowledge", "incidents", "indexes", "search")
BLOCK = 10_000  # incidents per random stream and per write transaction
POOL_FROM = 30_000  # below this many incidents, generate in this process
LOAD_CACHE = -65536  # SQLite page cache (KiB) of a connection writing blocks
PENDING_INDEXES = "demo.pending_indexes"  # Setting: index SQL dropped by a load that has not finished
LEAD_ROLES = ("l1", "lead", "admin")

NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED = flow.NEW, flow.ASSIGNED, flow.IN_PROGRESS, flow.RESOLVED, flow.CLOSED
OPEN = flow.OPEN

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoResult:
    incidents: int
    agents: int
    callers: int
    seconds: float


# --- people ---------------------------------------------------------------------------------------

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
               ("peter.hughes", "Peter Hughes", "report_manager"), ("luo.xiuying", "罗秀英", "report_reviewer"))

# --- knowledge --------------------------------------------------------------------------------------

# (key, faq category, title en, title zh, body en, body zh)
ARTICLES = (
    ("vpn", "network", "VPN cannot connect: checklist", "VPN无法连接排查步骤",
     "Check the internet connection, the client version and the token time; "
     "error 809 means the home router blocks the VPN.",
     "检查网络连接、客户端版本及令牌时间；错误809表示家用路由器拦截了VPN。"),
    ("password", "account", "Resetting a domain password", "域账号密码重置",
     "Verify the caller's identity, reset in the directory console and ask for a change at next logon.",
     "核实来电人身份，在目录控制台重置密码，并要求下次登录时修改。"),
    ("locked", "account", "Unlocking a locked account", "账号锁定解锁",
     "Find the device with the old password (phone mail often), unlock, then ask the caller to update it.",
     "查找仍在使用旧密码的设备（常见为手机邮件），解锁后请用户更新密码。"),
    ("printer", "desktop", "Printer shows offline", "打印机显示脱机的处理",
     "Restart the print spooler, check the IP address of the printer and clear stuck jobs.",
     "重启打印服务，检查打印机IP地址，清除卡住的打印任务。"),
    ("paperjam", "desktop", "Clearing a paper jam", "打印机卡纸处理",
     "Open the rear door, pull the sheet out in the paper direction and check the fuser for scraps.",
     "打开后盖，顺着进纸方向取出纸张，检查定影器内是否有碎纸。"),
    ("outlook", "application", "Outlook keeps asking for the password", "Outlook反复提示输入密码",
     "Remove the saved credentials in Credential Manager and recreate the mail profile.",
     "在凭据管理器中删除已保存的凭据，并重建邮件配置文件。"),
    ("mailbox", "application", "Mailbox full: archiving old mail", "邮箱已满：归档旧邮件",
     "Turn on online archiving and move mail older than a year; empty Deleted Items.",
     "开启在线存档，将一年前的邮件移入存档，并清空已删除邮件。"),
    ("wifi", "network", "Office Wi-Fi keeps dropping", "办公无线网络频繁掉线",
     "Forget and rejoin the network, update the driver, report the access point name to the network team.",
     "删除并重新连接网络，更新网卡驱动，向网络组报告接入点名称。"),
    ("office", "desktop", "Office activation errors", "Office激活错误",
     "Sign in with the corporate account; if the licence count is exceeded, release an old device.",
     "使用公司账号登录；若许可证数量已满，请释放旧设备。"),
    ("bluescreen", "desktop", "Blue screen at start-up", "开机蓝屏处理",
     "Note the stop code, boot into safe mode and roll back the latest driver or update.",
     "记录错误代码，进入安全模式，回退最近安装的驱动或更新。"),
    ("monitor", "desktop", "Monitor: no signal", "显示器无信号",
     "Check the cable and the input source; try another port before replacing the monitor.",
     "检查线缆及输入源，更换接口测试后再考虑更换显示器。"),
    ("cert", "network", "Browser certificate warnings", "浏览器证书错误",
     "Check the PC clock and install the current corporate root certificate.",
     "检查电脑时间，安装最新的企业根证书。"),
    ("core_login", "application", "Core system login failures", "核心系统登录失败",
     "Check the teller status in the user console; clear the client cache; reset the terminal binding.",
     "在用户管理台检查柜员状态，清除客户端缓存，重置终端绑定。"),
    ("core_timeout", "application", "Core system timeouts: first checks", "核心系统交易超时初步排查",
     "Check whether one branch or all are affected, the network latency to the data centre and the batch schedule.",
     "确认是单个分行还是全部受影响，检查到数据中心的网络延迟及批处理计划。"),
    ("report", "application", "Report totals differ from the ledger", "报表数据与总账不一致",
     "Compare the report date with the end-of-day batch; rerun the report after the batch completes.",
     "核对报表日期与日终批处理，批处理完成后重新生成报表。"),
    ("share", "account", "Requesting access to a shared folder", "共享文件夹权限申请",
     "The folder owner approves; the desk adds the user to the folder's access group.",
     "由文件夹负责人审批，服务台将用户加入相应访问组。"),
    ("newuser", "account", "Accounts for new employees", "新员工账号开通",
     "HR's onboarding form creates the domain account, mailbox and core system teller id.",
     "根据人力资源部入职单开通域账号、邮箱及核心系统柜员号。"),
    ("phishing", "general", "Reporting a phishing email", "钓鱼邮件上报",
     "Do not click links; forward the mail as an attachment to the security team and delete it.",
     "不要点击链接；将邮件作为附件转发给安全组后删除。"),
    ("antivirus", "desktop", "Updating antivirus signatures", "更新杀毒软件病毒库",
     "Start a manual update; if it fails, check the proxy settings and the update server.",
     "手动更新病毒库；如失败，检查代理设置及升级服务器。"),
    ("scanner", "desktop", "Scanner not recognised", "扫描仪无法识别",
     "Reinstall the TWAIN driver and use a rear USB port.",
     "重新安装TWAIN驱动，并使用机箱后部USB接口。"),
    ("cardreader", "desktop", "Teller card reader faults", "柜员读卡器故障",
     "Reseat the cable, restart the device service; swap the reader if the self-test fails.",
     "重新插拔线缆，重启设备服务；自检失败则更换读卡器。"),
    ("intranet", "network", "Intranet portal unreachable", "无法访问内网门户",
     "Check the proxy exception list and flush the DNS cache.",
     "检查代理例外列表并清除DNS缓存。"),
    ("sms", "application", "Delayed SMS verification codes", "短信验证码延迟",
     "Check the SMS gateway queue and the carrier status page before escalating.",
     "升级前先检查短信网关队列及运营商状态。"),
    ("phone", "general", "Desk phone has no dial tone", "座机无拨号音",
     "Check the cable and the PoE port; re-register the phone to the call manager.",
     "检查线缆及PoE端口，将话机重新注册到呼叫管理器。"),
    ("backup", "application", "Database backup failure runbook", "数据库备份失败处理手册",
     "Check the backup log, free space on the backup target and rerun the job outside the batch window.",
     "检查备份日志及备份目标空间，在批处理窗口外重新运行作业。"),
    ("mfa", "account", "Setting up two-factor authentication", "双因素认证设置",
     "Re-register the authenticator app; the phone's clock must be set automatically.",
     "重新绑定认证应用；手机时间须设为自动同步。"),
    ("remote", "network", "Working from home: remote access guide", "居家办公远程接入指南",
     "Install the VPN client, enrol the token, then connect to the desktop gateway.",
     "安装VPN客户端，绑定令牌，然后连接桌面网关。"),
    ("laptop", "desktop", "Laptop will not power on", "笔记本无法开机",
     "Hold the power button for 30 seconds with the charger off; try another charger; log a warranty case.",
     "拔掉电源后长按电源键30秒，更换充电器测试；仍不行则报保修。"),
    ("calendar", "application", "Meeting-room calendar not syncing", "会议室日历不同步",
     "Check the room mailbox's booking policy and remove and re-add the room calendar.",
     "检查会议室邮箱预订策略，删除并重新添加会议室日历。"),
    ("faq_desk", "general", "How to contact the service desk", "如何联系服务台",
     "Phone extension 8000, the service desk mailbox or the chat channel; urgent issues by phone.",
     "分机8000、服务台邮箱或即时通讯频道；紧急问题请电话联系。"),
)
DRAFT_ARTICLES = frozenset({"mfa", "calendar"})
RETIRED_ARTICLES = frozenset({"office"})


# --- incident templates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    key: str
    weight: float
    en: str
    zh: str
    category: str
    service: str | None
    l2: str | None  # preferred second-line group
    vendor: str | None  # preferred vendor group (None: never goes to a vendor)
    article: str | None
    impact: tuple[int, int, int]  # weights of impact 1, 2, 3
    urgency: tuple[int, int, int]
    fcr: float  # chance the service desk resolves it without escalation
    monitoring: float = 0.0  # chance it comes from a monitoring alert
    classification: str = "incident"
    details: tuple[str, ...] = ()
    symptom: tuple[str, str] = ("", "")
    fix: tuple[str, str] = ("Fixed and tested with the caller.", "已处理，并与用户确认测试正常。")


T = Template
TEMPLATES = (
    T("core_switch", 1, "Core switch down", "核心交换机故障", "network", "network", "network", "vendor-net", None,
      (8, 2, 0), (9, 1, 0), 0.0, 0.8, details=("core-sw-01", "core-sw-02", "DC-A", "DC-B"),
      symptom=("Several floors lost the network; the switch does not answer ping.", "多个楼层网络中断，交换机无法ping通。"),
      fix=("Failed supervisor module replaced; traffic back on both uplinks.", "更换故障主控板，双上联链路恢复。")),
    T("vpn", 8, "VPN cannot connect", "VPN无法连接", "network", "network", "network", None, "vpn",
      (0, 2, 8), (1, 5, 4), 0.75, details=("home office", "error 809", "出差", "hotel Wi-Fi"),
      symptom=("The VPN client stops at 'authenticating'.", "VPN客户端停在“正在验证”。"),
      fix=("Client reinstalled and token resynchronised.", "重装客户端并重新同步令牌。")),
    T("wifi", 5, "Wi-Fi keeps dropping", "无线网络频繁掉线", "network", "network", "network", "vendor-net", "wifi",
      (0, 4, 6), (0, 4, 6), 0.4, details=("3F", "meeting room 5", "7楼", "营业厅"),
      symptom=("Laptops lose the wireless connection every few minutes.", "笔记本每隔几分钟断开无线连接。"),
      fix=("Access point channel changed and firmware updated.", "调整无线接入点信道并升级固件。")),
    T("branch_slow", 3, "Branch network very slow", "分行网络缓慢", "network", "network", "network", "vendor-net", None,
      (1, 6, 3), (2, 6, 2), 0.1, 0.3,
      symptom=("Every application is slow at the branch since the morning.", "分行上午起所有系统访问缓慢。"),
      fix=("Backup line was carrying the traffic; primary line restored by the carrier.", "流量走了备用线路，运营商已恢复主线路。")),
    T("router_down", 2, "Branch router offline", "分行路由器离线", "network", "network", "network", "vendor-net", None,
      (6, 4, 0), (7, 3, 0), 0.0, 0.9, details=("rt-bj-01", "rt-sh-02", "rt-gz-01"),
      symptom=("Monitoring lost the branch router; tellers cannot reach the core system.", "监控显示分行路由器离线，柜员无法访问核心系统。"),
      fix=("Router power supply replaced; routes re-established.", "更换路由器电源，路由恢复。")),
    T("intranet", 3, "Cannot open the intranet portal", "无法访问内网门户", "network", "network", "network", None,
      "intranet", (0, 3, 7), (0, 4, 6), 0.5,
      symptom=("The browser says the portal cannot be reached.", "浏览器提示无法访问门户网站。"),
      fix=("Proxy exception added and DNS cache flushed.", "添加代理例外并清除DNS缓存。")),
    T("firewall", 1, "Firewall alert: unusual outbound traffic", "防火墙告警：异常外联流量", "security", "network",
      "security", "vendor-net", None, (3, 5, 2), (5, 4, 1), 0.0, 1.0,
      symptom=("The firewall reports a workstation sending traffic to an unknown address.", "防火墙发现一台终端向未知地址发送流量。"),
      fix=("Workstation isolated and reimaged; rule added.", "隔离终端并重装系统，已添加拦截规则。")),
    T("printer", 10, "Printer cannot print", "打印机无法打印", "hardware", "desktop", "systems", "vendor-hw", "printer",
      (0, 2, 8), (0, 3, 7), 0.7, details=("PRN-0423", "3F finance", "2楼营业厅", "HP M404"),
      symptom=("Jobs stay in the queue; the printer shows offline.", "打印任务卡在队列中，打印机显示脱机。"),
      fix=("Print spooler restarted and stuck jobs cleared.", "重启打印服务并清除卡住的任务。")),
    T("paper_jam", 4, "Paper jam in the printer", "打印机卡纸", "hardware", "desktop", "systems", None, "paperjam",
      (0, 0, 1), (0, 2, 8), 0.9,
      symptom=("The printer reports a jam in tray 2.", "打印机提示纸盒2卡纸。"),
      fix=("Jammed sheet removed; test page printed.", "取出卡纸，测试页打印正常。")),
    T("laptop", 4, "Laptop will not power on", "笔记本电脑无法开机", "hardware", "desktop", "systems", "vendor-hw",
      "laptop", (0, 1, 9), (1, 5, 4), 0.3,
      symptom=("No lights when the power button is pressed.", "按电源键无任何指示灯。"),
      fix=("Mainboard replaced under warranty.", "保修更换主板。")),
    T("monitor", 3, "Monitor shows no signal", "显示器无信号", "hardware", "desktop", "systems", "vendor-hw", "monitor",
      (0, 0, 1), (0, 3, 7), 0.8,
      symptom=("The screen stays black with 'no signal'.", "屏幕黑屏，提示“无信号”。"),
      fix=("Loose DisplayPort cable replaced.", "更换松动的DP线。")),
    T("bluescreen", 3, "Blue screen at start-up", "电脑开机蓝屏", "hardware", "desktop", "systems", "vendor-hw",
      "bluescreen", (0, 1, 9), (1, 6, 3), 0.35,
      symptom=("The PC shows a blue screen after the update.", "更新后电脑开机蓝屏。"),
      fix=("Faulty driver rolled back in safe mode.", "在安全模式下回退了故障驱动。")),
    T("card_reader", 3, "Teller terminal card reader fault", "柜员终端读卡器故障", "hardware", "desktop", "systems",
      "vendor-hw", "cardreader", (1, 6, 3), (4, 5, 1), 0.3, details=("窗口3", "counter 5", "窗口1"),
      symptom=("Cards are not read at the counter.", "柜台无法读取银行卡。"),
      fix=("Card reader swapped.", "更换读卡器。")),
    T("scanner", 2, "Scanner not recognised", "扫描仪无法识别", "hardware", "desktop", "systems", None, "scanner",
      (0, 0, 1), (0, 4, 6), 0.75,
      symptom=("The scanning application does not find the scanner.", "扫描软件找不到扫描仪。"),
      fix=("TWAIN driver reinstalled.", "重新安装TWAIN驱动。")),
    T("disk_array", 1, "Disk array degraded", "磁盘阵列降级", "hardware", "database", "systems", "vendor-hw", None,
      (5, 5, 0), (3, 6, 1), 0.0, 1.0, details=("SAN-A", "SAN-B"),
      symptom=("A disk failed in the array; rebuild has not started.", "阵列中一块硬盘故障，未开始重建。"),
      fix=("Vendor replaced the failed disk; rebuild completed.", "厂商更换故障硬盘，重建完成。")),
    T("outlook_pw", 6, "Outlook keeps asking for the password", "Outlook反复提示输入密码", "software", "email",
      "systems", None, "outlook", (0, 1, 9), (0, 5, 5), 0.8,
      symptom=("The password prompt comes back every few minutes.", "每隔几分钟弹出密码提示。"),
      fix=("Saved credentials removed and profile recreated.", "删除已保存的凭据并重建配置文件。")),
    T("office", 3, "Office activation failed", "Office激活失败", "software", "desktop", "systems", "vendor-sw", "office",
      (0, 1, 9), (0, 3, 7), 0.7,
      symptom=("Word says the product is unlicensed.", "Word提示产品未激活。"),
      fix=("Signed in with the corporate account; licence released from an old PC.", "使用公司账号登录，释放旧电脑的许可证。")),
    T("antivirus", 2, "Antivirus signatures out of date", "杀毒软件病毒库未更新", "security", "desktop", "security",
      None, "antivirus", (0, 3, 7), (0, 4, 6), 0.6, 0.5,
      symptom=("Signatures are more than seven days old.", "病毒库超过七天未更新。"),
      fix=("Proxy setting corrected; signatures updated.", "修正代理设置，病毒库已更新。")),
    T("cert", 2, "Browser shows a certificate warning", "浏览器提示证书错误", "software", "network", "network", None,
      "cert", (0, 3, 7), (0, 4, 6), 0.5,
      symptom=("Internal sites show 'your connection is not private'.", "内部网站提示“连接不是私密连接”。"),
      fix=("Corporate root certificate installed; clock corrected.", "安装企业根证书并校正时间。")),
    T("core_timeout", 3, "Core system transaction timeout", "核心系统交易超时", "application", "core-banking", "apps",
      "vendor-sw", "core_timeout", (5, 4, 1), (7, 3, 0), 0.05, 0.4,
      symptom=("Deposits and transfers time out at the counter.", "柜面存款、转账交易超时。"),
      fix=("Blocking batch job stopped; connection pool enlarged.", "停止阻塞的批处理作业，扩大连接池。")),
    T("core_login", 5, "Cannot log in to the core system", "无法登录核心业务系统", "application", "core-banking", "apps",
      "vendor-sw", "core_login", (1, 3, 6), (4, 5, 1), 0.55,
      symptom=("The teller gets 'user status invalid' at login.", "柜员登录提示“用户状态无效”。"),
      fix=("Teller status reset and terminal binding renewed.", "重置柜员状态并重新绑定终端。")),
    T("report_totals", 2, "Daily report shows wrong totals", "日终报表数据不正确", "application", "core-banking", "apps",
      "vendor-sw", "report", (1, 5, 4), (1, 5, 4), 0.1,
      symptom=("The branch totals differ from the general ledger.", "分行合计与总账不一致。"),
      fix=("Report rerun after the late batch finished.", "待延迟的批处理完成后重新生成报表。")),
    T("erp_approval", 3, "ERP approval stuck", "ERP审批流程卡住", "application", None, "apps", "vendor-sw", None,
      (0, 4, 6), (1, 5, 4), 0.2,
      symptom=("A purchase approval has been pending for two days.", "采购审批已挂起两天。"),
      fix=("Workflow step reassigned to the deputy approver.", "将流程节点转交给代理审批人。")),
    T("sms_delay", 2, "Mobile banking SMS codes delayed", "手机银行短信验证码延迟", "application", "core-banking",
      "apps", "vendor-sw", "sms", (3, 5, 2), (5, 4, 1), 0.0, 0.5,
      symptom=("Customers receive verification codes minutes late.", "客户收到验证码延迟数分钟。"),
      fix=("SMS gateway switched to the second carrier.", "短信网关切换至备用运营商。")),
    T("payroll", 1, "Payroll export fails", "工资数据导出失败", "application", None, "apps", "vendor-sw", None,
      (1, 4, 5), (2, 6, 2), 0.1,
      symptom=("The export stops with a format error.", "导出时报格式错误。"),
      fix=("Vendor patch applied to the export template.", "应用厂商补丁修复导出模板。")),
    T("db_backup", 2, "Database backup failed", "数据库备份失败", "database", "database", "database", "vendor-sw", "backup",
      (2, 6, 2), (2, 6, 2), 0.0, 1.0, details=("CORE-DB", "RPT-DB", "HR-DB"),
      symptom=("Last night's backup job ended with an error.", "昨晚备份作业执行失败。"),
      fix=("Backup target cleaned up; job rerun successfully.", "清理备份目标空间，重新执行成功。")),
    T("tablespace", 2, "Tablespace almost full", "表空间即将用满", "database", "database", "database", None, None,
      (2, 6, 2), (3, 5, 2), 0.0, 1.0, details=("USERS", "TS_DATA01", "CORE_IDX"),
      symptom=("Tablespace usage above 95%.", "表空间使用率超过95%。"),
      fix=("Datafile added; growth alert threshold reviewed.", "增加数据文件，调整告警阈值。")),
    T("slow_query", 2, "Reporting database queries very slow", "报表库查询缓慢", "database", "database", "database",
      "vendor-sw", None, (1, 5, 4), (1, 5, 4), 0.05,
      symptom=("Month-end reports take over an hour.", "月末报表运行超过一小时。"),
      fix=("Missing index added; statistics refreshed.", "补建缺失索引并更新统计信息。")),
    T("replication", 1, "Standby database replication lag", "备库同步延迟", "database", "database", "database",
      "vendor-sw", None, (3, 6, 1), (3, 6, 1), 0.0, 1.0,
      symptom=("The standby is more than 30 minutes behind.", "备库延迟超过30分钟。"),
      fix=("Network bandwidth for redo shipping restored.", "恢复日志传输带宽。")),
    T("password", 12, "Password reset", "密码重置", "account", "accounts", "systems", None, "password",
      (0, 0, 1), (1, 5, 4), 0.95,
      symptom=("The caller forgot the password after the holiday.", "用户假期后忘记密码。"),
      fix=("Identity verified; password reset, change required at next logon.", "核实身份后重置密码，要求下次登录修改。")),
    T("locked", 8, "Account locked", "账号被锁定", "account", "accounts", "systems", None, "locked",
      (0, 0, 1), (2, 6, 2), 0.92,
      symptom=("The account locks again a few minutes after unlocking.", "解锁后几分钟账号再次被锁。"),
      fix=("Old password removed from the phone; account unlocked.", "删除手机上的旧密码并解锁账号。")),
    T("share_access", 4, "Need access to a shared folder", "申请共享文件夹访问权限", "account", "accounts", "systems",
      None, "share", (0, 0, 1), (0, 3, 7), 0.6, classification="service_request",
      details=("\\\\fs01\\finance", "\\\\fs02\\hr", "\\\\fs01\\audit"),
      symptom=("Access requested with the folder owner's approval.", "已获文件夹负责人批准，申请访问权限。"),
      fix=("User added to the folder's access group.", "已将用户加入文件夹访问组。")),
    T("new_user", 3, "Accounts for a new employee", "新员工开通账号", "account", "accounts", "systems", None, "newuser",
      (0, 0, 1), (0, 4, 6), 0.5, classification="service_request",
      symptom=("New starter on Monday: domain account, mailbox and teller id.", "周一入职：需开通域账号、邮箱及柜员号。"),
      fix=("Accounts created and handed over to HR.", "账号已开通并移交人力资源部。")),
    T("mfa", 2, "Two-factor code not accepted", "双因素验证码无效", "account", "accounts", "security", None, "mfa",
      (0, 1, 9), (1, 6, 3), 0.7,
      symptom=("Every code from the authenticator app is rejected.", "认证应用生成的验证码均被拒绝。"),
      fix=("Phone clock set to automatic; authenticator re-registered.", "手机时间设为自动并重新绑定认证应用。")),
    T("mailbox_full", 5, "Mailbox full", "邮箱已满", "software", "email", "systems", None, "mailbox",
      (0, 0, 1), (0, 4, 6), 0.9,
      symptom=("Outlook cannot send: the mailbox is over its quota.", "Outlook无法发送：邮箱超出配额。"),
      fix=("Online archive enabled; old mail archived.", "开启在线存档并归档旧邮件。")),
    T("external_mail", 2, "Cannot send email to external addresses", "无法发送外部邮件", "software", "email",
      "systems", "vendor-sw", None, (2, 5, 3), (2, 5, 3), 0.1,
      symptom=("Mail to outside domains bounces with 550.", "发往外部域的邮件被退回（550）。"),
      fix=("Outbound connector certificate renewed.", "更新出站连接器证书。")),
    T("calendar", 2, "Meeting-room calendar not syncing", "会议室日历不同步", "software", "email", "systems", None,
      "calendar", (0, 3, 7), (0, 3, 7), 0.4,
      symptom=("Room bookings do not appear on the room panel.", "会议室预订未显示在门口面板上。"),
      fix=("Room mailbox booking policy corrected.", "修正会议室邮箱预订策略。")),
    T("phishing", 3, "Suspected phishing email", "收到疑似钓鱼邮件", "security", "email", "security", None, "phishing",
      (1, 4, 5), (2, 5, 3), 0.3,
      symptom=("A mail asks staff to confirm their salary account via a link.", "邮件要求员工点击链接确认工资账户。"),
      fix=("Mail purged from all mailboxes; sender blocked.", "已从所有邮箱清除该邮件并拦截发件人。")),
    T("suspicious_login", 1, "Suspicious login alert", "可疑登录告警", "security", "accounts", "security", None, None,
      (3, 5, 2), (4, 5, 1), 0.0, 1.0,
      symptom=("Logins for one account from two countries within an hour.", "同一账号一小时内从两个国家登录。"),
      fix=("Password reset, sessions revoked, two-factor enforced.", "重置密码、注销会话并强制双因素认证。")),
    T("phone", 2, "Desk phone has no dial tone", "座机无拨号音", "other", None, "network", "vendor-net", "phone",
      (0, 1, 9), (0, 5, 5), 0.4,
      symptom=("The phone shows 'registering' and has no dial tone.", "话机显示“正在注册”，无拨号音。"),
      fix=("PoE port reset; phone re-registered.", "重置PoE端口，话机重新注册。")),
    T("complaint", 1, "Complaint: slow response from the desk", "投诉：服务台响应慢", "other", None, None, None,
      "faq_desk", (0, 1, 9), (0, 3, 7), 0.95, classification="complaint",
      symptom=("The caller waited a long time on the hotline.", "用户反映热线等待时间过长。"),
      fix=("Apologised; explained the chat channel for quick questions.", "已致歉，并介绍了即时通讯渠道。")),
)
del T

# Reasons and notes: (en, zh).
ESCALATE_REASONS = (
    ("Beyond the desk's scripts: needs second line", "超出一线处理范围，转二线"),
    ("Remote fix failed; needs a check on site", "远程处理无效，需要现场检查"),
    ("Several users affected: dispatched to the team", "多名用户受影响，派单给专业组"),
    ("Needs a configuration change on the server side", "需要服务器端配置变更"),
)
VENDOR_REASONS = (
    ("Hardware fault confirmed: vendor case opened", "确认硬件故障，已联系厂商报修"),
    ("Suspected product defect: escalated to the vendor", "疑似产品缺陷，升级至厂商"),
    ("Needs a vendor patch", "需要厂商提供补丁"),
)
RETURN_REASONS = (
    ("Not a fault of this system: the caller's account was locked", "非本系统问题：用户账号被锁定，退回服务台"),
    ("Needs the caller on site to reproduce", "需要用户现场配合复现，退回服务台"),
    ("Duplicate of a known issue; desk to inform the caller", "与已知问题重复，由服务台通知用户"),
)
VENDOR_RETURN_REASONS = (
    ("Configuration issue, not a product fault", "配置问题，非产品故障，退回二线"),
    ("Part replaced; remaining setup is in-house", "部件已更换，剩余配置由内部完成"),
)
HIERARCHICAL_REASONS = (
    ("Resolution target at risk: incident manager informed", "即将超出解决时限，已通知事件经理"),
    ("Major incident: branch business affected", "重大事件：分行业务受影响"),
    ("Open too long for its priority: leaders informed", "超出优先级时限，已上报领导"),
)
REOPEN_REASONS = (
    ("The caller says the problem is back", "用户反馈问题再次出现"),
    ("Not fixed: same error after restart", "未解决：重启后仍报同样错误"),
)
WORK_NOTES = (
    ("Called the caller, waiting for a reply", "已致电用户，等待回复"),
    ("Remote session booked for this afternoon", "已约定下午远程协助"),
    ("Logs and screenshots collected", "已收集日志和截图"),
    ("Workaround given while we investigate", "已提供临时解决办法，继续排查"),
)
CONFIRM_NOTES = (("Caller confirmed by phone", "用户电话确认已恢复"), ("Caller confirmed by email", "用户邮件确认已解决"))
GENERIC_FIXES = (
    ("Service restarted; working again.", "已重启服务，恢复正常。"),
    ("Settings corrected and tested with the caller.", "已修正设置，与用户测试正常。"),
    ("Advice given; the caller can carry on.", "已指导用户操作，可正常使用。"),
)
VENDOR_FIX = ("The vendor replaced the faulty part.", "厂商已更换故障部件。")
SOURCE_PREFIX = {
    "phone": ("By phone: ", "电话报告："), "email": ("By email: ", "邮件报告："), "chat": ("By chat: ", "即时通讯："),
    "walk_in": ("At the desk: ", "现场报告："), "branch": ("Branch report: ", "分支机构报告："),
    "customer_centre": ("From the customer-service centre: ", "客服中心转来："),
    "monitoring": ("Monitoring alert: ", "监控告警："),
}
STALL = {1: 0.0, 2: 0.005, 3: 0.025, 4: 0.035}  # chance, by priority, that an incident waits for days
SOURCE_WEIGHTS = {"phone": 40, "email": 18, "chat": 12, "walk_in": 8, "branch": 10, "customer_centre": 12}
CLOSURE_WEIGHTS = {  # who resolved it -> closure code weights
    "desk": (("fixed", 50), ("user_error", 25), ("workaround", 10), ("no_fault", 7), ("duplicate", 4),
             ("cancelled", 4)),
    "l2": (("fixed", 62), ("workaround", 24), ("no_fault", 9), ("duplicate", 5)),
    "vendor": (("vendor_fixed", 80), ("fixed", 10), ("workaround", 10)),
}


# --- the plan a block generator works from (plain data: it crosses to worker processes) -------------

@dataclass(frozen=True)
class _Plan:
    seed: int
    n: int
    block: int  # incidents per random stream
    first_id: int
    t0: int  # epoch seconds (naive UTC arithmetic) of the window's start; event times are offsets
    limit: int  # offset of now: nothing happens after it
    slots: tuple[float, ...]  # cumulative opening weights per hour slot
    open_span: int  # incidents open within [0, open_span)
    matrix: tuple[tuple[int, ...], ...]
    targets: dict  # priority -> (response seconds, resolve seconds) or None
    auto_confirm: int  # seconds after resolution a silent caller's incident may be closed
    desk_group: tuple  # (id, code, tier)
    next_groups: dict  # tier -> tuple of group refs one tier up
    members: dict  # group id -> tuple of (agent id, login) who work it
    owners: tuple  # (agent id, login) of the service desk, weighted by repetition
    leads: tuple  # (agent id, login) of the shift leads
    you: tuple  # (agent id, login) of desk.user
    callers: tuple  # (caller id, organisation id, lang)
    org_names: dict  # organisation id -> name
    monitoring_org: int | None
    templates: tuple  # (cum weight, template, service id, l2 ref, vendor ref, article id, impact cum, urgency cum)
    sources: tuple  # (cumulative weights, codes) of the human sources (monitoring apart)
    monitoring: str | None  # the monitoring source code, when configured
    closure: dict  # resolver kind -> (cum weights, codes)


# --- small helpers ----------------------------------------------------------------------------------

_HMS: list[str] = []
_DAYS: dict[int, tuple[str, str]] = {}
_JSON: dict = {}


def _hms() -> list[str]:
    if not _HMS:
        _HMS.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400))
    return _HMS


def _day(number: int) -> tuple[str, str]:
    found = _DAYS.get(number)
    if found is None:
        text = (datetime(1970, 1, 1) + timedelta(days=number)).strftime("%Y-%m-%d")
        found = _DAYS[number] = (text + " ", text + "T")
    return found


# The tracked fields each action may change, in the order its cache key lists (old, new) pairs.
_RECORDS = {
    "create": ("group", "priority", "status"),
    "assign": ("assignee", "status"),
    "start": ("assignee", "status"),
    "escalate": ("assignee", "group", "status", "tier"),
    "return": ("assignee", "group", "status", "tier"),
    "escalate_hierarchical": ("escalation_level",),
    "resolve": ("closure_code", "status"),
    "reopen": ("assignee", "closure_code", "group", "reopen_count", "status", "tier"),
    "close": ("status",),
}


def _recorded(key: tuple) -> str:
    """The history `changes` JSON for `key` = (action, old1, new1, old2, new2, …): the fields that
    changed, as services.incidents._prepare records them (cached: there are few distinct ones)."""
    found = _JSON.get(key)
    if found is None:
        pairs = {name: [key[1 + 2 * i], key[2 + 2 * i]] for i, name in enumerate(_RECORDS[key[0]])}
        found = _JSON[key] = dump_changes({name: pair for name, pair in pairs.items() if pair[0] != pair[1]})
    return found


def _cumulative(weights) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


# Standard normal quantiles: a lognormal draw is one table look-up (fast, and the same everywhere).
_Z = tuple(NormalDist().inv_cdf((i + 0.5) / 4096) for i in range(4096))


def _epoch(moment: datetime) -> int:
    return calendar.timegm(moment.timetuple())


# --- the simulation of one incident's life -----------------------------------------------------------

class _Stop(Exception):
    """The next step would come after now (or after a pinned incident's last step)."""


class _Life:
    """An incident's state and history as the services would leave it, step by step.

    Each method mirrors a planner in desk.domain.incident_flow and the recording in
    services.incidents._prepare: only tracked fields that changed, groups by code, agents by login.
    Agents are (id, login) and groups (id, code, tier).
    """

    __slots__ = ("events", "t", "limit", "max_events", "status", "tier", "group", "assignee", "closure",
                 "escalation", "reopens", "resolved_by", "resolved_group", "resolved_at", "confirmed_at",
                 "closed_at", "first_response", "resolution", "hier_at", "hier_actor", "hier_note")

    def __init__(self, t, limit, owner_id, group, priority, first_response, max_events):
        self.t = t
        self.limit = limit
        self.max_events = max_events
        self.status, self.tier, self.group, self.assignee = NEW, group[2], group, None
        self.closure, self.escalation, self.reopens = None, 0, 0
        self.resolved_by = self.resolved_group = self.resolved_at = self.confirmed_at = self.closed_at = None
        self.first_response = first_response
        self.resolution = ""
        self.hier_at = None
        self.events = [(t, owner_id, "create", _recorded(("create", None, group[1], None, priority, None, NEW)), "")]

    def _emit(self, t, actor, action, changes, note):
        if self.hier_at is not None and self.hier_at <= t and self.status in OPEN:
            self._hierarchical()
        if t <= self.t:
            t = self.t + 1
        if t > self.limit or len(self.events) >= self.max_events:
            raise _Stop
        self.t = t
        self.events.append((t, actor, action, changes, note))
        return t

    def _hierarchical(self):
        at = self.hier_at if self.hier_at > self.t else self.t + 1
        self.hier_at = None
        if at > self.limit or len(self.events) >= self.max_events:
            raise _Stop
        level = self.escalation
        self.t = at
        self.events.append((at, self.hier_actor, "escalate_hierarchical",
                            _recorded(("escalate_hierarchical", level, level + 1)), self.hier_note))
        self.escalation = level + 1

    def pending_hierarchical(self):
        """At the end (or the cut at now): a due hierarchical escalation of a still-open incident."""
        if self.hier_at is not None and self.hier_at <= self.limit and self.status in OPEN:
            try:
                self._hierarchical()
            except _Stop:
                pass

    def assign(self, t, actor, agent):
        """To an agent of the incident's own group (plan_assign with an agent and no group)."""
        old = self.assignee
        status = IN_PROGRESS if (self.status == IN_PROGRESS and agent == old) else ASSIGNED
        key = ("assign", old[1] if old else None, agent[1], self.status, status)
        self._emit(t, actor[0], "assign", _JSON.get(key) or _recorded(key), "")
        self.assignee, self.status = agent, status

    def start(self, t, agent):
        old = self.assignee
        key = ("start", old[1] if old else None, agent[1], self.status, IN_PROGRESS)
        t = self._emit(t, agent[0], "start", _JSON.get(key) or _recorded(key), "")
        self.assignee, self.status = agent, IN_PROGRESS
        if self.first_response is None:
            self.first_response = t

    def escalate(self, t, actor, group, note):
        old = self.assignee
        key = ("escalate", old[1] if old else None, None, self.group[1], group[1], self.status, ASSIGNED,
               self.tier, group[2])
        t = self._emit(t, actor[0], "escalate", _JSON.get(key) or _recorded(key), note)
        self.assignee, self.group, self.status, self.tier = None, group, ASSIGNED, group[2]
        if self.first_response is None:
            self.first_response = t

    def return_(self, t, actor, group, note):
        old = self.assignee
        key = ("return", old[1] if old else None, None, self.group[1], group[1], self.status, ASSIGNED,
               self.tier, group[2])
        self._emit(t, actor[0], "return", _JSON.get(key) or _recorded(key), note)
        self.assignee, self.group, self.status, self.tier = None, group, ASSIGNED, group[2]

    def resolve(self, t, agent, code, text):
        key = ("resolve", self.closure, code, self.status, RESOLVED)
        t = self._emit(t, agent[0], "resolve", _JSON.get(key) or _recorded(key), text)
        self.status, self.closure, self.resolution = RESOLVED, code, text
        self.resolved_at, self.confirmed_at = t, None
        self.resolved_by, self.resolved_group = agent, self.group
        if self.first_response is None:
            self.first_response = t

    def confirm(self, t, actor, note):
        self.confirmed_at = self._emit(t, actor[0], "confirm", "{}", note)

    def reopen(self, t, actor, note):
        """Back to whoever resolved it, in the group and tier it was resolved in."""
        assignee = self.resolved_by if self.resolved_by is not None else self.assignee
        group = self.resolved_group if self.resolved_group is not None else self.group
        old = self.assignee
        key = ("reopen", old[1] if old else None, assignee[1] if assignee else None, self.closure, None,
               self.group[1], group[1], self.reopens, self.reopens + 1, self.status, ASSIGNED, self.tier, group[2])
        self._emit(t, actor[0], "reopen", _JSON.get(key) or _recorded(key), note)
        self.status, self.closure, self.resolved_at, self.confirmed_at = ASSIGNED, None, None, None
        self.reopens += 1
        self.assignee, self.group, self.tier = assignee, group, group[2]

    def close(self, t, actor):
        key = ("close", self.status, CLOSED)
        self.closed_at = self._emit(t, actor[0], "close", _JSON.get(key) or _recorded(key), "")
        self.status = CLOSED

    def note(self, t, actor, text):
        t = self._emit(t, actor[0], "note", "{}", text)
        if self.first_response is None:
            self.first_response = t


# --- one block of incidents ------------------------------------------------------------------------

INCIDENT_COLUMNS = (
    "id", "title", "description", "source", "classification", "caller_id", "organisation_id", "service_id",
    "category", "impact", "urgency", "priority", "status", "tier", "group_id", "assignee_id", "owner_id",
    "vendor_ref", "escalation_level", "reopen_count", "started_at", "opened_at", "first_response_at", "resolved_at",
    "confirmed_at", "closed_at", "updated_at", "due_at", "resolved_by_id", "resolved_group_id", "closure_code",
    "resolution", "version",
)
HISTORY_COLUMNS = ("entity", "entity_id", "seq", "at", "actor_id", "action", "changes", "note", "prev_hash", "hash")

# Pinned stories for the newest incidents (the last one first): (forced choices, events kept).
PINS = (
    ({"path": "desk", "variant": "direct", "after": "confirm"}, 1),  # new
    ({"path": "second", "tried": False, "pickup": "start"}, 2),  # assigned to a second-line group
    ({"path": "desk", "variant": "self", "owner": "you"}, 2),  # in progress with you
    ({"path": "desk", "variant": "direct"}, 2),  # resolved, not yet confirmed
    ({"path": "desk", "variant": "direct", "after": "confirm"}, 3),  # resolved and confirmed
    ({"path": "second", "outcome": "vendor", "vendor_back": False, "after": "confirm"}, 99),  # closed by a vendor
    ({"path": "desk", "variant": "self", "after": "reopen"}, 99),  # reopened, then closed
    ({"path": "second", "outcome": "resolve", "hierarchical": True, "after": "confirm"}, 99),
)


def _block(plan: _Plan, block: int):
    """Incident rows, history rows and article links of the block-th plan.block incidents (a pure
    function of the plan and the block number)."""
    rng = random.Random(f"desk-demo:{plan.seed}:{plan.first_id}:block:{block}")
    rand = rng.random
    start = block * plan.block
    stop = min(plan.n, start + plan.block)
    hms = _hms()
    t0, limit, n = plan.t0, plan.limit, plan.n
    slots, open_span = plan.slots, plan.open_span
    last_slot = len(slots) - 1
    total_weight = slots[-1]
    templates = plan.templates
    template_cum = tuple(t[0] for t in templates)
    template_total = template_cum[-1]
    owners, callers = plan.owners, plan.callers
    source_cum, sources = plan.sources
    targets = plan.targets
    matrix = plan.matrix
    square = len(matrix) == 3 and len(matrix[0]) == 3
    incidents: list = []
    history: list = []
    links: list = []
    add_incident, add_history = incidents.append, history.append
    days = _DAYS

    def stamp(t):
        d, r = divmod(t0 + t, 86400)
        return (days.get(d) or _day(d))[0] + hms[r]

    for k in range(start, stop):
        iid = plan.first_id + k
        pin = n - 1 - k
        forced, max_events = PINS[pin] if pin < len(PINS) else (None, 1 << 30)

        # When: the k-th of n points along the opening-weight curve (ids grow with time).
        x = (k + rand()) / n * total_weight
        slot = bisect.bisect_right(slots, x)
        if slot > last_slot:
            slot = last_slot
        below = slots[slot - 1] if slot else 0.0
        opened = slot * 3600 + int((x - below) / (slots[slot] - below) * 3600)
        if opened >= open_span:
            opened = open_span - 1

        _, tpl, service_id, l2_ref, vendor_ref, article_id, impact_cum, urgency_cum = templates[
            bisect.bisect_right(template_cum, rand() * template_total)]
        if square:
            impact = 1 + bisect.bisect_right(impact_cum, rand() * impact_cum[-1])
            urgency = 1 + bisect.bisect_right(urgency_cum, rand() * urgency_cum[-1])
        else:
            impact, urgency = 1 + int(rand() * len(matrix)), 1 + int(rand() * len(matrix[0]))
        priority = matrix[impact - 1][urgency - 1]
        target = targets.get(priority)
        response, resolve_s = target or (3600, 86400)

        alert = tpl.monitoring and plan.monitoring is not None and rand() < tpl.monitoring
        if alert:
            source = plan.monitoring
            caller_id, org_id, lang = None, plan.monitoring_org, "zh" if rand() < 0.5 else "en"
            started = opened - 30 - int(rand() * 570)
        else:
            source = sources[bisect.bisect_right(source_cum, rand() * source_cum[-1])]
            caller_id, org_id, lang = callers[int(rand() * len(callers))]
            started = opened - 300 - int(rand() * 14100) if rand() < 0.6 else None
        r = rand()
        style = "both" if r < 0.2 else (lang if r < 0.85 else ("en" if lang == "zh" else "zh"))
        title = tpl.zh if style == "zh" else tpl.en if style == "en" else f"{tpl.en} / {tpl.zh}"
        r = rand()
        if tpl.details and r < 0.35:
            title += f" ({tpl.details[int(rand() * len(tpl.details))]})"
        elif r < 0.6 and org_id is not None and not alert:
            title += " - " + plan.org_names[org_id]
        text_lang = 1 if (style == "zh" or (style == "both" and rand() < 0.5)) else 0
        description = SOURCE_PREFIX.get(source, ("", ""))[text_lang] + tpl.symptom[text_lang]

        owner = plan.you if forced and forced.get("owner") == "you" else owners[int(rand() * len(owners))]
        life = _Life(opened, limit, owner[0], plan.desk_group, priority, None if alert else opened, max_events)
        try:
            _story(life, plan, rng, forced or {}, tpl, owner, priority, response, resolve_s, l2_ref, vendor_ref,
                   text_lang)
        except _Stop:
            pass
        life.pending_hierarchical()

        if article_id is not None and life.status in (RESOLVED, CLOSED) and rand() < 0.5:
            links.append((iid, article_id))

        # History rows, hash-chained exactly as services.history.append does.
        prev = GENESIS
        seq = 0
        head = f"\x1fincident\x1f{iid}\x1f"
        at = {}  # event time -> its text, for the incident's own timestamps
        for t, actor, action, changes, note in life.events:
            seq += 1
            d, rem = divmod(t0 + t, 86400)
            day = days.get(d) or _day(d)
            clock = hms[rem]
            digest = sha256(f"{prev}{head}{seq}\x1f{day[1]}{clock}.000000\x1f{actor}\x1f{action}\x1f{changes}"
                            f"\x1f{note}".encode()).hexdigest()
            at[t] = text = day[0] + clock
            add_history(("incident", iid, seq, text, actor, action, changes, note, prev, digest))
            prev = digest

        assignee, group, resolved_by, resolved_group = life.assignee, life.group, life.resolved_by, life.resolved_group
        add_incident((
            iid, title, description, source, tpl.classification, caller_id, org_id, service_id, tpl.category,
            impact, urgency, priority, life.status, life.tier, group[0], assignee[0] if assignee else None, owner[0],
            "", life.escalation, life.reopens, None if started is None else stamp(started), at[opened],
            None if life.first_response is None else at[life.first_response],
            None if life.resolved_at is None else at[life.resolved_at],
            None if life.confirmed_at is None else at[life.confirmed_at],
            None if life.closed_at is None else at[life.closed_at], at[life.t],
            None if target is None else stamp(opened + resolve_s),
            resolved_by[0] if resolved_by else None, resolved_group[0] if resolved_group else None,
            life.closure, life.resolution, seq,
        ))
    return incidents, history, links


def _story(life: _Life, plan: _Plan, rng: random.Random, forced: dict, tpl: Template, owner, priority, response,
           resolve_s, l2_ref, vendor_ref, lang):
    """Play the incident's life forward from its creation; _Stop ends it at now.

    A pinned story (`forced`) takes the choices it names and short steps, so that it fits in
    the minutes before now."""
    rand = rng.random
    members = plan.members
    fast = bool(forced)

    def wait(median, sigma=0.8):
        if fast:
            return 10 + int(rand() * 20)
        return 1 + int(median * math.exp(sigma * _Z[int(rand() * 4096)]))

    def text(pairs):
        return pairs[int(rand() * len(pairs))][lang]

    def closure(kind):
        cum, codes = plan.closure[kind]
        return codes[bisect.bisect_right(cum, rand() * cum[-1])]

    def member(group):
        people = members.get(group[0])
        return people[int(rand() * len(people))] if people else owner

    def lead():
        return plan.leads[int(rand() * len(plan.leads))]

    def fix():
        return tpl.fix[lang] if rand() < 0.7 else text(GENERIC_FIXES)

    t = life.t
    # Some wait for days (parts, a caller away…); urgent ones are never left to wait.
    stall = 0 if fast or rand() >= STALL.get(priority, 0.02) else int((1 + rand() * 20) * 86400)
    # Hierarchical escalation (4.4): a shift lead raises it once a time threshold passes, if it is
    # still open by then; urgent ones often early.
    if forced.get("hierarchical"):
        life.hier_at = t + 40 + int(rand() * 20)
    elif not fast:
        r = rand()
        if priority == 1 and r < 0.3:
            life.hier_at = t + int(resolve_s * (0.25 + 0.25 * rand()))
        elif r < 0.6:
            life.hier_at = t + int(resolve_s * (0.8 + 0.2 * rand()))
    if life.hier_at is not None:
        life.hier_actor = lead()[0]
        life.hier_note = text(HIERARCHICAL_REASONS)

    up = plan.next_groups.get(life.tier, ())
    second = l2_ref if l2_ref is not None else (up[int(rand() * len(up))] if up else None)
    path = forced.get("path")
    if path is None:
        path = "desk" if second is None or rand() < 0.25 + 0.75 * tpl.fcr else "second"
    elif second is None:
        path = "desk"

    if path == "desk":
        variant = forced.get("variant")
        if variant is None:
            r = rand()
            variant = "direct" if r < 0.45 else "self" if r < 0.85 else "handoff"
        worker = owner
        if variant == "direct":  # resolved on the call
            t += wait(600, 0.6)
        elif variant == "self":
            t += wait(response * 0.3, 1.0)
            life.start(t, owner)
            t = life.t + wait(1200)
        else:
            t += wait(response * 0.3, 1.0)
            colleagues = members.get(life.group[0]) or (owner,)
            worker = colleagues[int(rand() * len(colleagues))]
            life.assign(t, lead() if rand() < 0.3 else owner, worker)
            t = life.t + wait(900)
            life.start(t, worker)
            t = life.t + wait(1800)
        if variant != "direct":
            t += stall
        if not fast and rand() < 0.05:
            life.note(t, worker, text(WORK_NOTES))
            t = life.t + wait(900)
        life.resolve(t, worker, closure("desk"), fix())
    else:
        t += wait(response * 0.3, 1.0)
        tried = forced.get("tried")
        if tried if tried is not None else (not fast and rand() < 0.3):  # the desk tried first (200.4)
            life.start(t, owner)
            t = life.t + wait(1200)
        life.escalate(t, owner, second, text(ESCALATE_REASONS))
        t = life.t + wait(response, 1.0)
        worker = member(second)
        if forced.get("pickup") != "start" and rand() < 0.4:
            life.assign(t, lead(), worker)
            t = life.t + wait(900)
        life.start(t, worker)
        t = life.t + wait(resolve_s * 0.2, 0.9) + stall
        if not fast and rand() < 0.1:
            life.note(t, worker, text(WORK_NOTES))
            t = life.t + wait(resolve_s * 0.05, 0.9)
        up3 = plan.next_groups.get(life.tier, ())
        vendor = vendor_ref if vendor_ref is not None and vendor_ref[2] == life.tier + 1 else (
            up3[int(rand() * len(up3))] if up3 and tpl.vendor else None)
        outcome = forced.get("outcome")
        if outcome is None:
            r = rand()
            outcome = "return" if r < 0.06 else "vendor" if vendor is not None and r < 0.06 + 0.3 * (1 - tpl.fcr) \
                else "resolve"
        if outcome == "vendor" and vendor is None:
            outcome = "resolve"
        if outcome == "resolve":
            life.resolve(t, worker, closure("l2"), fix())
        elif outcome == "return":  # not theirs: back to the service desk with the reason
            life.return_(t, worker, plan.desk_group, text(RETURN_REASONS))
            t = life.t + wait(response * 0.5, 1.0)
            life.start(t, owner)
            t = life.t + wait(1800)
            life.resolve(t, owner, closure("desk"), text(GENERIC_FIXES))
        else:  # 200.7: contact the vendor
            back_to = life.group
            life.escalate(t, worker, vendor, text(VENDOR_REASONS))
            t = life.t + wait(response * 2, 1.0)
            contact = member(vendor)
            life.start(t, contact)
            t = life.t + wait(resolve_s * 0.4, 0.8)
            vendor_back = forced.get("vendor_back")
            if vendor_back if vendor_back is not None else rand() < 0.15:
                life.return_(t, contact, back_to, text(VENDOR_RETURN_REASONS))
                t = life.t + wait(response, 1.0)
                life.start(t, worker)
                t = life.t + wait(resolve_s * 0.1, 0.8)
                life.resolve(t, worker, closure("l2"), text(GENERIC_FIXES))
            else:
                life.resolve(t, contact, closure("vendor"), VENDOR_FIX[lang] if rand() < 0.5 else tpl.fix[lang])

    # 200.9: the caller confirms, or does not (reopened), or stays silent (closed after the set days).
    after = forced.get("after")
    if after is None:
        r = rand()
        after = "reopen" if r < 0.04 else "silent" if r < 0.16 else "confirm"
    if after == "reopen":
        t = life.t + wait(3 * 3600, 1.0)
        life.reopen(t, owner, text(REOPEN_REASONS))
        resolver = life.assignee or owner
        t = life.t + wait(1800, 1.0)
        life.start(t, resolver)
        t = life.t + wait(3600, 1.0)
        life.resolve(t, resolver, closure("desk" if life.tier == 1 else "l2"), text(GENERIC_FIXES))
        after = "confirm"
    if after == "confirm":
        t = life.t + wait(90 * 60, 1.2)
        life.confirm(t, owner, text(CONFIRM_NOTES) if rand() < 0.5 else "")
        t = life.t + wait(20 * 60, 1.0)
        life.close(t, owner if rand() < 0.85 else lead())
    else:
        t = life.resolved_at + plan.auto_confirm + 600 + int(rand() * 86400)
        life.close(t, owner if rand() < 0.6 else lead())


# --- generating and writing blocks, here or in worker processes ----------------------------------------

def default_workers(incidents: int) -> int:
    """Worker processes for `incidents`: none for small demos or a single core, else one per core
    (up to 4): each generates blocks and writes them, taking turns to write."""
    cores = os.cpu_count() or 1
    if incidents < POOL_FROM or cores < 2:
        return 0
    return min(4, cores)


def _write_block(db, writer: "_Writer", rows) -> None:
    incidents, history, links = rows
    with write_transaction(db):
        writer.insert("incident", incidents)
        writer.insert("history", history)
        writer.insert(IncidentArticle._meta.table_name, links)


def _send(sink, message) -> None:
    data = marshal.dumps(message)
    sink.write(len(data).to_bytes(8, "little"))
    sink.write(data)
    sink.flush()


def _worker_main() -> None:
    """`python -m desk.services.demo --worker NAME`: generates and writes its share of the blocks.

    Reads a pickle (plan, target, durability, busy timeout, block numbers) from stdin and opens its
    own connection. For each of its blocks: generate it, wait for the parent's go (the block's
    number, sent once the previous block is committed, so rows land in block order and ids come
    out the same on every run), write it in one transaction, answer ("ok", incidents written) —
    or ("error", traceback) and stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    plan, target, durability, busy_ms, blocks = pickle.load(source)
    db = open_database(target, durability, busy_ms)
    if is_sqlite(db):
        # The load's settings. No journal_mode: the parent chose it for the file.
        db.init(db.database, pragmas={"foreign_keys": 1, "busy_timeout": busy_ms, "synchronous": "OFF",
                                      "cache_size": LOAD_CACHE},
                timeout=busy_ms / 1000, check_same_thread=False)
    try:
        db.connect()
        writer = _Writer(db)
        for block in blocks:
            rows = _block(plan, block)
            go = source.read(8)
            if len(go) != 8 or int.from_bytes(go, "little") != block:
                return  # the parent stopped
            _write_block(db, writer, rows)
            _send(sink, ("ok", len(rows[0])))
    except Exception:  # reported to the parent, which raises it
        try:
            _send(sink, ("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        db.close()


def _spawn_worker() -> subprocess.Popen:
    # The worker imports this module by name, from the same tree as ours.
    root = str(Path(__file__).resolve().parents[__name__.count(".")])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.Popen([sys.executable, "-m", __name__, "--worker", __name__], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=env)


def _receive(proc: subprocess.Popen) -> int:
    size = proc.stdout.read(8)
    data = proc.stdout.read(int.from_bytes(size, "little")) if len(size) == 8 else b""
    if len(size) != 8 or len(data) != int.from_bytes(size, "little"):
        raise RuntimeError(f"demo worker {proc.pid} ended early (exit code {proc.wait()})")
    status, payload = marshal.loads(data)
    if status != "ok":
        raise RuntimeError(f"demo worker failed:\n{payload}")
    return payload


def _load(desk, plan: _Plan, workers: int, progress: Progress | None) -> None:
    """Generate and write every block, in block order: here, or by `workers` processes that take
    blocks in turn (worker w has blocks w, w + workers, …) and write each when told to."""
    count = -(-plan.n // plan.block)
    workers = min(workers, count)
    done = 0
    if workers <= 1:
        writer = _Writer(desk.db)
        for block in range(count):
            rows = _block(plan, block)
            _write_block(desk.db, writer, rows)
            done += len(rows[0])
            if progress:
                progress("incidents", done, plan.n)
        return
    procs: list[subprocess.Popen] = []
    try:
        for _ in range(workers):  # all start importing at once
            procs.append(_spawn_worker())
        for w, proc in enumerate(procs):
            pickle.dump((plan, desk.target, desk.config.durability, desk.config.busy_timeout_ms,
                         list(range(w, count, workers))), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.flush()
    except OSError:  # no Python to start here (an embedded interpreter): do it all in this process
        _stop_workers(procs)
        _load(desk, plan, 0, progress)
        return
    try:
        for block in range(count):
            proc = procs[block % workers]
            try:
                proc.stdin.write(block.to_bytes(8, "little"))
                proc.stdin.flush()
            except OSError:  # it has stopped: its answer says why
                pass
            done += _receive(proc)
            if progress:
                progress("incidents", done, plan.n)
    finally:
        _stop_workers(procs)


def _stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        for pipe in (proc.stdin, proc.stdout):
            if pipe and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass
        if proc.poll() is None:
            proc.terminate()
        proc.wait()


# --- writing rows ------------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


class _Writer:
    """Bulk inserts of plain rows: executemany on SQLite, COPY on PostgreSQL."""

    TABLES = {"incident": INCIDENT_COLUMNS, "history": HISTORY_COLUMNS,
              IncidentArticle._meta.table_name: ("incident_id", "article_id")}

    def __init__(self, db):
        self.db = db
        self.sqlite = is_sqlite(db)
        self.sql = {}
        for table, columns in self.TABLES.items():
            names = ", ".join(f'"{c}"' for c in columns)
            if self.sqlite:
                self.sql[table] = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
            else:
                self.sql[table] = f'COPY "{table}" ({names}) FROM STDIN'

    def insert(self, table: str, rows) -> None:
        if not rows:
            return
        if self.sqlite:
            self.db.connection().executemany(self.sql[table], rows)
        else:
            text = "".join("\t".join(map(_copy_field, row)) + "\n" for row in rows)
            self.db.cursor().copy_expert(self.sql[table], io.StringIO(text))


# --- indexes during a first load ----------------------------------------------------------------------

def _incident_indexes(db) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the incident table's secondary indexes (not the primary key)."""
    if is_sqlite(db):
        query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident' "
                 "AND sql IS NOT NULL ORDER BY name")
    else:
        query = ("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                 "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = 'incident' "
                 "AND t.relnamespace = to_regnamespace(current_schema()) AND NOT x.indisprimary "
                 "AND NOT x.indisunique ORDER BY i.relname")
    return [(name, sql) for name, sql in db.execute_sql(query).fetchall()]


def _index_exists(db, name: str) -> bool:
    if is_sqlite(db):
        return db.execute_sql("SELECT 1 FROM sqlite_master WHERE type IN ('index', 'trigger') AND name = ?",
                              (name,)).fetchone() is not None
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (f'"{name}"',)).fetchone()[0]


def _is_trigger(sql: str) -> bool:
    return sql.lstrip().upper().startswith("CREATE TRIGGER")


def _drop_indexes(desk) -> list[tuple[str, str]]:
    """Drop the incident table's secondary indexes, and on SQLite the triggers that keep the
    title search in step (it is filled once at the end instead), keeping their SQL in a setting
    in the same transaction: a load that dies half-way gets them back on the next run."""
    indexes = _incident_indexes(desk.db)
    if not indexes:
        return []
    with write_transaction(desk.db):
        for name, _ in indexes:
            desk.db.execute_sql(f'DROP INDEX "{name}"')
        if is_sqlite(desk.db):
            indexes += schema.drop_search_triggers(desk.db)
        value = json.dumps(indexes)
        Setting.insert(key=PENDING_INDEXES, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
    return indexes


def _pending_indexes() -> list[tuple[str, str]]:
    row = Setting.get_or_none(Setting.key == PENDING_INDEXES)
    return [tuple(pair) for pair in json.loads(row.value)] if row else []


def _restore_indexes(desk, indexes: list[tuple[str, str]], progress: Progress | None) -> bool:
    """Recreate dropped indexes with their own SQL, one transaction each; then, if the title
    search's triggers were dropped, fill the search index and put the triggers back (one
    transaction); then forget the setting. Returns whether it filled the search index."""
    triggers = [(name, sql) for name, sql in indexes if _is_trigger(sql)]
    indexes = [(name, sql) for name, sql in indexes if not _is_trigger(sql)]
    total = len(indexes)
    if progress:
        progress("indexes", 0, total)
    for done, (name, sql) in enumerate(indexes, 1):
        with write_transaction(desk.db):
            if not _index_exists(desk.db, name):
                desk.db.execute_sql(sql)
        if progress:
            progress("indexes", done, total)
    if triggers:
        if progress:
            progress("search", 0, 1)
        with write_transaction(desk.db):
            schema.fill_search(desk.db)  # 'rebuild': faster than filling in reported steps
            for name, sql in triggers:
                if not _index_exists(desk.db, name):
                    desk.db.execute_sql(sql)
        if progress:
            progress("search", 1, 1)
    with write_transaction(desk.db):
        Setting.delete().where(Setting.key == PENDING_INDEXES).execute()
    return bool(triggers)


# --- people and knowledge ------------------------------------------------------------------------------

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
    return f"ext. {rng.randrange(2000, 8999)}"


def _upsert_agent(login: str, name: str, roles: str, group_id) -> None:
    values = {"name": name, "roles": roles, "group": group_id, "active": True}
    if Agent.update(values).where(Agent.login == login).execute() == 0:
        Agent.insert(login=login, **values).execute()


def _people(desk, rng: random.Random, progress: Progress | None) -> dict:
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


def _knowledge(desk, rng: random.Random, start: datetime, progress: Progress | None) -> dict[str, int]:
    """The FAQ articles (an article whose title exists already is reused). Returns key -> id."""
    faq = desk.config.codes("faq_category")
    authors = [a.id for a in Agent.select(Agent.id).where(Agent.login.in_(
        [login for login, _ in DESK_AGENTS + SECOND_LINE[:4]])).order_by(Agent.id)]
    total = len(ARTICLES)
    if progress:
        progress("knowledge", 0, total)
    ids: dict[str, int] = {}
    with write_transaction(desk.db):
        for done, (key, category, en, zh, body_en, body_zh) in enumerate(ARTICLES, 1):
            title = f"{en} / {zh}"
            created = start - timedelta(days=rng.randint(20, 400), seconds=rng.randrange(86400))
            updated = created + timedelta(days=rng.randint(0, 15))
            found = Article.get_or_none(Article.title == title)
            if found is None:
                status = "draft" if key in DRAFT_ARTICLES else "retired" if key in RETIRED_ARTICLES else "published"
                found_id = Article.insert(
                    title=title, body=f"{body_en}\n\n{body_zh}",
                    faq_category=category if category in faq else (faq[0] if faq else "general"), status=status,
                    author=authors[rng.randrange(len(authors))] if authors else None,
                    created_at=created, updated_at=updated).execute()
            else:
                found_id = found.id
            ids[key] = found_id
            if progress and (done == total or done % 10 == 0):
                progress("knowledge", done, total)
    return ids


# --- the plan -----------------------------------------------------------------------------------------

def _hour_weight(epoch_hour: int) -> float:
    hour = epoch_hour % 24
    weekday = (epoch_hour // 24 + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    if weekday >= 5:
        return 0.35 if 9 <= hour < 18 else 0.1
    if 9 <= hour < 12 or 14 <= hour < 18:
        return 1.6
    if hour in (8, 12, 13):
        return 1.0
    if 18 <= hour < 21:
        return 0.5
    return 0.12


def _plan(desk, *, incidents: int, seed: int, days: int, now: datetime, first_id: int, people: dict,
          articles: dict[str, int]) -> _Plan:
    config = desk.config
    span = days * 86400
    t0 = _epoch(now) - span
    open_span = max(1, span - 600)  # the newest incident is ten minutes old: room for the pinned stories
    weights = []
    for slot in range(-(-open_span // 3600)):
        length = min(3600, open_span - slot * 3600)
        weights.append(_hour_weight((t0 + slot * 3600) // 3600) * length / 3600)

    groups = people["groups"]
    refs = {g.code: (g.id, g.code, g.tier) for g in groups}
    desk_group = refs[people["desk_group"].code]
    next_groups: dict[int, tuple] = {}
    for g in groups:
        next_groups.setdefault(g.tier - 1, ())
        next_groups[g.tier - 1] += (refs[g.code],)
    agents = list(Agent.select().where(Agent.active == True).order_by(Agent.id))  # noqa: E712
    members: dict[int, tuple] = {}
    for a in agents:
        if a.group_id is not None and a.role_set & {"l1", "l2", "vendor", "lead"}:
            members[a.group_id] = members.get(a.group_id, ()) + ((a.id, a.login),)
    you = next(a for a in agents if a.login == desk.user)
    demo_desk = {login for login, _ in DESK_AGENTS}
    owners = tuple((a.id, a.login) for a in agents if a.login in demo_desk for _ in range(3))
    leads = tuple((a.id, a.login) for a in agents if a.login in {l for l, _ in SHIFT_LEADS}) + ((you.id, you.login),)
    owners += leads
    services = {s.code: s.id for s in Service.select(Service.id, Service.code)}

    categories, classifications = config.codes("category"), config.codes("classification")
    templates, cum = [], 0.0
    for tpl in TEMPLATES:
        cum += tpl.weight
        tpl = replace(tpl, category=tpl.category if tpl.category in categories else
                      ("other" if "other" in categories else categories[0]),
                      classification=tpl.classification if tpl.classification in classifications else "incident")
        l2 = refs.get(tpl.l2) if tpl.l2 and refs.get(tpl.l2, (0, 0, 0))[2] == desk_group[2] + 1 else None
        vendor = refs.get(tpl.vendor) if tpl.vendor else None
        templates.append((cum, tpl, services.get(tpl.service), l2, vendor, articles.get(tpl.article),
                          _cumulative(tpl.impact), _cumulative(tpl.urgency)))

    closure_codes = set(config.codes("closure_code"))
    closure = {}
    for kind, weighted in CLOSURE_WEIGHTS.items():
        pairs = [(c, w) for c, w in weighted if c in closure_codes] or [(sorted(closure_codes)[0], 1)]
        closure[kind] = (_cumulative(w for _, w in pairs), tuple(c for c, _ in pairs))
    human = [c for c in config.codes("source") if c != "monitoring"] or [config.data["incident"]["default_source"]]
    sources = (_cumulative(SOURCE_WEIGHTS.get(c, 5) for c in human), tuple(human))
    targets = {}
    for entry in config.entries("priority"):
        targets[int(entry["code"])] = (int(entry["response_minutes"]) * 60, int(entry["resolve_minutes"]) * 60)
    orgs = people["orgs"]
    return _Plan(
        seed=seed, n=incidents, block=BLOCK, first_id=first_id, t0=t0, limit=span, slots=_cumulative(weights),
        open_span=open_span, matrix=config.matrix.rows, targets=targets,
        auto_confirm=int(config.auto_confirm_days * 86400), desk_group=desk_group, next_groups=next_groups,
        members=members, owners=owners or ((you.id, you.login),), leads=leads, you=(you.id, you.login),
        callers=tuple(people["callers"]), org_names={v: k for k, v in orgs.items()},
        monitoring_org=orgs.get(MONITORING_ORG), templates=tuple(templates),
        sources=sources,
        monitoring="monitoring" if "monitoring" in config.codes("source") else None,
        closure=closure,
    )


# --- SQLite settings for the load ------------------------------------------------------------------------

def _relax(db, bulk: bool) -> dict:
    """synchronous OFF and a big cache for the load; for a first load also a rollback journal
    instead of WAL (pages are written once instead of twice). Returns what to restore."""
    saved = {pragma: db.execute_sql(f"PRAGMA {pragma}").fetchone()[0]
             for pragma in ("synchronous", "cache_size", "journal_mode", "threads")}
    db.execute_sql("PRAGMA synchronous = OFF")
    db.execute_sql(f"PRAGMA cache_size = {LOAD_CACHE}")
    if bulk and str(saved["journal_mode"]).lower() == "wal":
        try:
            db.execute_sql("PRAGMA journal_mode = DELETE")
        except OperationalError:  # another connection is open: stay in WAL
            pass
    return saved


def _restore(db, saved: dict) -> None:
    """Put the settings back. synchronous first: leaving the rollback journal (or the checkpoint
    in WAL) then syncs the file, so what was loaded is durable."""
    if not saved:
        return
    db.execute_sql(f"PRAGMA synchronous = {int(saved['synchronous'])}")
    db.execute_sql(f"PRAGMA cache_size = {int(saved['cache_size'])}")
    db.execute_sql(f"PRAGMA threads = {int(saved['threads'])}")
    mode = str(saved["journal_mode"]).lower()
    if str(db.execute_sql("PRAGMA journal_mode").fetchone()[0]).lower() != mode:
        try:
            db.execute_sql(f"PRAGMA journal_mode = {mode}")
        except OperationalError:  # someone holds the file: the next connection sets WAL (desk.db's pragmas)
            return
    if mode == "wal":
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for readers (a TUI may be open)


# --- the use case ----------------------------------------------------------------------------------------

def generate(desk, *, incidents: int = 2000, seed: int = 42, days: int = 90, progress: Progress | None = None,
             workers: int | None = None) -> DemoResult:
    """Fill the desk with a demo (see the module docstring). `workers`: generator processes
    (None: chosen from the size and the machine; 0: all in this process — same result)."""
    started = time.perf_counter()
    if incidents < 0:
        raise ValidationError("error.out_of_range", field="incidents", low=0, high="∞", got=incidents)
    if days < 1:
        raise ValidationError("error.out_of_range", field="days", low=1, high="∞", got=days)
    db = desk.db
    sqlite = is_sqlite(db)

    had_incidents = Incident.select(Incident.id).exists()
    if had_incidents:  # filling a desk in use with made-up incidents is for its administrators
        actors.require(actors.resolve(desk, desk.user), "admin.demo")
    pending = _pending_indexes()
    if pending:  # a load that was interrupted: put its indexes back first
        _restore_indexes(desk, pending, progress)

    people = _people(desk, random.Random(f"desk-demo:{seed}:people"), progress)
    now = desk.now().replace(microsecond=0)
    articles = _knowledge(desk, random.Random(f"desk-demo:{seed}:knowledge"), now - timedelta(days=days), progress)
    first_id = (Incident.select(Incident.id).order_by(Incident.id.desc()).scalar() or 0) + 1
    plan = _plan(desk, incidents=incidents, seed=seed, days=days, now=now, first_id=first_id, people=people,
                 articles=articles)

    bulk = not had_incidents and incidents > 0  # a first load: nobody works on this desk yet
    saved = _relax(db, bulk) if sqlite else {}
    dropped: list[tuple[str, str]] = []
    searched = False
    try:
        if bulk:
            dropped = _drop_indexes(desk)
        if progress:
            progress("incidents", 0, incidents)
        _load(desk, plan, default_workers(incidents) if workers is None else workers, progress)
        if not sqlite and incidents:
            db.execute_sql("SELECT setval(pg_get_serial_sequence('incident', 'id'), "
                           "(SELECT MAX(id) FROM incident))")
        if dropped:
            if sqlite:  # sorting in small runs, with helper threads, builds indexes faster
                db.execute_sql("PRAGMA cache_size = -2000")
                db.execute_sql(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")
            searched = _restore_indexes(desk, dropped, progress)
            dropped = []
        elif progress:
            progress("indexes", 1, 1)
        if progress and not searched:  # its triggers kept the title search in step (or PostgreSQL's index)
            progress("search", 1, 1)
        if not sqlite:
            db.execute_sql("ANALYZE incident")
            db.execute_sql("ANALYZE history")
    finally:
        if dropped:  # interrupted: the indexes come back before anything else happens
            try:
                _restore_indexes(desk, dropped, None)
            except Exception:  # the setting keeps them for the next run
                pass
        if sqlite:
            _restore(db, saved)
    agents = Agent.select().where(Agent.active == True).count()  # noqa: E712
    callers = Caller.select().count()
    return DemoResult(incidents, agents, callers, time.perf_counter() - started)


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--worker":
    import importlib

    importlib.import_module(sys.argv[2])._worker_main()  # the module proper, not this __main__ copy
