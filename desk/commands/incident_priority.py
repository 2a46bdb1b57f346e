"""`desk incident set-priority ID --impact N --urgency N --reason TEXT`: correct an incident's
impact and urgency (registered under `desk incident`, whose `action` makes the subcommand)."""

from __future__ import annotations

from desk.commands.common import emit_json, open_for, say
from desk.i18n import t


def add_set_priority(action, lang: str) -> None:
    a = action("set-priority", cmd_set_priority, "cli.incident.set_priority")
    a.add_argument("--impact", type=int, required=True, metavar="N", help=t("cli.opt.impact", lang))
    a.add_argument("--urgency", type=int, required=True, metavar="N", help=t("cli.opt.urgency", lang))
    a.add_argument("--reason", required=True, metavar="TEXT", help=t("incident_priority.cli.reason", lang))


def cmd_set_priority(args) -> int:
    from desk.services import incident_priority

    desk = open_for(args)
    detail = incident_priority.set_priority(desk, None, args.id, impact=args.impact, urgency=args.urgency,
                                            reason=args.reason, expect_version=args.expect_version)
    if args.json:
        emit_json(detail.to_json())
    else:
        say(t("incident_priority.cli.done", desk.lang, id=detail.id, priority=detail.priority,
              label=desk.config.label("priority", detail.priority, desk.lang), impact=detail.impact,
              urgency=detail.urgency, version=detail.version))
    return 0
