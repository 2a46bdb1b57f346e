"""What demo incidents are about: templates (title, category, groups, article, impact and urgency
weights, how often the desk solves it on the call), and the reasons, notes and fixes their
histories quote. All (en, zh). Plain data."""

from __future__ import annotations

from dataclasses import dataclass

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
