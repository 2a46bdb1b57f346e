"""`desk init`, `desk demo`, `desk codes`, `desk agent …`, `desk config …`."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from desk.cli_format import table
from desk.commands.common import emit_json, open_for, say
from desk.config import CODE_TABLES, load_config, user_config_path
from desk.config_check import report_problems
from desk.domain.errors import DeskError
from desk.domain.text import one_line
from desk.i18n import t
from desk.services import agents, setup


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("init", parents=[common], help=t("cli.init.help", lang))
    p.add_argument("--force", action="store_true", help=t("cli.init.force", lang))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", parents=[common], help=t("cli.demo.help", lang))
    p.add_argument("--incidents", type=int, default=2000, metavar="N", help=t("cli.demo.incidents", lang))
    p.add_argument("--seed", type=int, default=42, metavar="S", help=t("cli.demo.seed", lang))
    p.add_argument("--days", type=int, default=90, metavar="D", help=t("cli.demo.days", lang))
    p.add_argument("--force", action="store_true", help=t("cli.demo.force", lang))
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("codes", parents=[common], help=t("cli.codes.help", lang))
    p.add_argument("table", nargs="?", choices=CODE_TABLES)
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.set_defaults(handler=cmd_codes)

    p = sub.add_parser("agent", parents=[common], help=t("cli.agent.help", lang))
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    a = asub.add_parser("list", parents=[common], help=t("cli.agent.list", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_agent_list)
    a = asub.add_parser("add", parents=[common], help=t("cli.agent.add", lang))
    a.add_argument("login")
    a.add_argument("--name", help=t("cli.opt.agent_name", lang))
    a.add_argument("--role", action="append", dest="roles", default=[], help=t("cli.opt.agent_role", lang))
    a.add_argument("--group", help=t("cli.opt.agent_group", lang))
    a.add_argument("--inactive", action="store_true", help=t("cli.opt.inactive", lang))
    a.set_defaults(handler=cmd_agent_add)
    a = asub.add_parser("whoami", parents=[common], help=t("cli.agent.whoami", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_whoami)

    p = sub.add_parser("config", parents=[common], help=t("cli.config.help", lang))
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    a = csub.add_parser("init", parents=[common], help=t("cli.config.init", lang))
    a.add_argument("--force", action="store_true", help=t("cli.opt.force", lang))
    a.add_argument("--path", help=t("cli.opt.config_path", lang))
    a.set_defaults(handler=cmd_config_init)
    a = csub.add_parser("check", parents=[common], help=t("cli.config.check", lang))
    a.set_defaults(handler=cmd_config_check)
    a = csub.add_parser("path", parents=[common], help=t("cli.config.path", lang))
    a.set_defaults(handler=cmd_config_path)


SHOWN_TABLES = 5  # another program's tables named before "and N more"


def cmd_init(args) -> int:
    desk = open_for(args, initialised=False)
    foreign = [] if args.force else setup.foreign_tables(desk)
    if foreign:  # (one line, nothing written: exit 2, as for a configuration that cannot be used)
        desk.close()
        tables = ", ".join(f"`{name}`" for name in foreign[:SHOWN_TABLES])
        if len(foreign) > SHOWN_TABLES:
            tables = t("cli.init.foreign_more", desk.lang, tables=tables, count=len(foreign) - SHOWN_TABLES)
        print(one_line(t("cli.init.foreign", desk.lang, target=desk.target.display, tables=tables)), file=sys.stderr)
        return 2
    progress = _Progress(desk.lang, labels="schema.step", quiet_for=0.5)
    try:
        result = setup.init_database(desk, progress=progress)
    finally:
        progress.close()
    lang = desk.lang
    if result.schema_created:
        say(t("cli.init.schema_created", lang, schema=result.schema_created))
    if result.from_version == 0:
        say(t("cli.init.created", lang, target=desk.target.display, version=result.to_version))
    elif result.from_version < result.to_version:
        say(t("cli.init.upgraded", lang, target=desk.target.display, old=result.from_version, new=result.to_version))
    else:
        say(t("cli.init.current", lang, target=desk.target.display, version=result.to_version))
    say(t("cli.init.loaded", lang, codes=result.codes, groups=result.groups, services=result.services))
    if result.admin_created:
        say(t("cli.init.admin", lang, login=result.admin_created))
    return 0


class _Progress:
    """A progress bar on a terminal; a line every tenth otherwise (logs, CI). With `quiet_for`,
    nothing shows unless the work is still going after that many seconds (a quick init says
    nothing; upgrading a million incidents does)."""

    def __init__(self, lang: str, labels: str = "demo.stage", quiet_for: float = 0.0):
        self.lang = lang
        self.labels = labels
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._last = -1
        self._shown_from = time.monotonic() + quiet_for

    def __call__(self, stage, done: int, total: int) -> None:
        if self._bar is None and time.monotonic() < self._shown_from:
            return
        label = t(f"{self.labels}.{stage}", self.lang)
        if self.tty:
            if self._bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self._bar = Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), transient=False)
                self._bar.start()
                self._tasks = {}
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(label, total=total)
            self._bar.update(self._tasks[stage], completed=done, total=total)
        else:
            tenth = (done * 10) // max(total, 1)
            if (stage, tenth) != self._last:
                self._last = (stage, tenth)
                print(f"{label}: {done}/{total}", file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def cmd_demo(args) -> int:
    from desk.services import demo

    desk = open_for(args, initialised=False)
    lang = desk.lang
    said = demo.adds(desk, incidents=args.incidents, days=args.days)  # bad sizes are refused here
    if not args.force:
        demo.refuse_in_use(desk)  # before `init` upgrades anything: a refusal changes nothing
    demo.init(desk, days=args.days)
    say(t("demo.adds.intro", lang, target=desk.target.display,
          what=t("demo.adds.sep", lang).join(t(key, lang, **params) for key, params in said)))
    progress = _Progress(lang)
    try:
        result = demo.generate(desk, incidents=args.incidents, seed=args.seed, days=args.days, progress=progress,
                               force=args.force)
    finally:
        progress.close()
    say(t("cli.demo.done", desk.lang, incidents=result.incidents, agents=result.agents, callers=result.callers,
          seconds=f"{result.seconds:.1f}", target=desk.target.display))
    say(t("cli.demo.you", desk.lang, login=desk.user))
    return 0


def cmd_codes(args) -> int:
    config = load_config(args.config, lang=args.lang)
    from desk.i18n import choose_lang

    lang = choose_lang(args.lang, config.setting("lang"))
    tables = [args.table] if args.table else list(CODE_TABLES)
    if args.json:
        emit_json({name: config.entries(name) for name in tables})
        return 0
    for name in tables:
        say(f"[{name}] {t('codes.' + name, lang)}")
        rows = [[str(e["code"]), e.get(lang) or e["en"]] for e in config.entries(name)]
        say(table([t("col.code", lang), t("col.label", lang)], rows, [20, 60]))
        say("")
    return 0


def cmd_agent_list(args) -> int:
    desk = open_for(args, agent=True)
    items = agents.list_agents(desk)
    if args.json:
        emit_json([a.to_json() for a in items])
        return 0
    rows = [[a.login, a.name, _roles(desk, a.roles), _group(desk, a.group),
             t("agent.active" if a.active else "agent.inactive", desk.lang)] for a in items]
    say(table([t(f"col.{c}", desk.lang) for c in ("login", "name", "roles", "group", "active")], rows,
              [20, 24, None, 18, 10]))  # roles whole: a cut one hides what someone may do
    return 0


def cmd_agent_add(args) -> int:
    desk = open_for(args)
    view = agents.save_agent(desk, None, agent_login=args.login, name=args.name, roles=args.roles or None,
                             group=args.group, active=not args.inactive)
    say(t("cli.agent.saved", desk.lang, login=view.login, roles=_roles(desk, view.roles) or "—",
          group=_group(desk, view.group)))
    return 0


def _roles(desk, roles) -> str:
    """Roles by their labels, in the role table's order (the codes are what --role takes, and what
    --json gives)."""
    order = desk.config.codes("role")
    ranked = sorted(roles, key=lambda r: order.index(r) if r in order else len(order))
    return t("agent.roles_sep", desk.lang).join(desk.config.label("role", r, desk.lang) for r in ranked)


def _group(desk, group) -> str:
    return desk.config.label("group", group, desk.lang) if group else "—"


def cmd_whoami(args) -> int:
    desk = open_for(args)
    view = agents.whoami(desk)
    if args.json:
        emit_json(view.to_json())
    else:
        say(one_line(f"{view.login} ({view.name}) {_roles(desk, view.roles)} {_group(desk, view.group)}"))
    return 0


STARTER = {
    "desk": {"lang": "", "durability": "full", "busy_timeout_ms": 5000, "auto_confirm_days": 3,
             "near_breach_fraction": 0.8},
    "incident": {"default_group": "desk"},
}


def starter_text() -> str:
    import tomli_w

    head = [
        "# desk configuration. Shipped defaults: config/default.toml in the desk source.",
        "# Settings here override them; a [[table]] list here (e.g. [[priority]]) replaces the default list whole.",
        "# Check with `desk config check`.",
        "",
        "# [desk] lang: en or zh (empty: DESK_LANG, then the locale)",
        "# durability: full = every acknowledged change survives power loss; normal = faster, may lose",
        "#   the last transactions on power loss (never corrupts). busy_timeout_ms: how long a writer waits.",
        "# auto_confirm_days: a resolved incident may be closed unconfirmed after this long.",
        "# near_breach_fraction: the SLA shows 'near' once this share of the target has passed.",
        "",
    ]
    body = tomli_w.dumps({"desk": STARTER["desk"]})
    tail = [
        "",
        "# [incident] default_group: the group new incidents go to.",
        "# priority_matrix = [[1, 1, 2], [1, 2, 3], [2, 3, 4]]  # rows: impact 1..3; columns: urgency 1..3",
        "",
    ]
    return "\n".join(head) + body + "\n".join(tail) + tomli_w.dumps({"incident": STARTER["incident"]}) + \
        "\n# [keymap] rebinds TUI keys by binding id, e.g.\n# [keymap]\n# assign = \"A\"\n"


def cmd_config_init(args) -> int:
    lang = args.lang or "en"
    path = Path(args.path) if args.path else user_config_path()
    if path.exists() and not args.force:
        raise DeskError("error.config_exists", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(starter_text(), encoding="utf-8")
    load_config(path)  # what we write must pass our own check
    say(t("cli.config.written", lang, path=str(path)))
    return 0


def cmd_config_check(args) -> int:
    config = load_config(args.config, lang=args.lang)
    from desk.i18n import choose_lang

    lang = choose_lang(args.lang, config.setting("lang"))  # (the file's own language, as every config fault)
    if report_problems(config, lang):
        return 2
    user = config.user_path if config.user_path and config.user_path.exists() else None
    say(t("cli.config.ok", lang, path=str(user) if user else t("cli.config.defaults_only", lang)))
    return 0


def cmd_config_path(args) -> int:
    say(str(Path(args.config or os.environ.get("DESK_CONFIG") or user_config_path())))
    return 0
