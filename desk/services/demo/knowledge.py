"""Demo knowledge: ~30 FAQ articles with bilingual titles in the configured FAQ categories
(stage `knowledge`; an article whose title exists already is reused). A few are drafts or
retired. Incidents link to the article that solved them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from desk.db import write_transaction
from desk.models import Agent, Article
from desk.services.demo.base import Build, Progress
from desk.services.demo.people import DESK_AGENTS, SECOND_LINE

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


def make(desk, rng: random.Random, start: datetime, progress: Progress | None) -> dict[str, int]:
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




def adds(build: Build) -> dict:
    return {"articles": len(ARTICLES)}


def stage(build: Build) -> dict[str, int]:
    return make(build.desk, build.rng("knowledge"), build.now - timedelta(days=build.days), build.progress)
