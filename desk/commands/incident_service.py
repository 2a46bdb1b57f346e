"""`desk incident set-service ID SERVICE`: put an incident under another catalogue service
(registered under `desk incident`, whose `action` makes the subcommand)."""

from __future__ import annotations

from desk.commands.common import emit_json, open_for, say
from desk.i18n import t


def add_set_service(action, lang: str) -> None:
    a = action("set-service", cmd_set_service, "cli.incident.set_service")
    a.add_argument("service", metavar="SERVICE", help=t("incident_service.cli.service", lang))


def cmd_set_service(args) -> int:
    from desk.services import incident_service

    desk = open_for(args)
    detail = incident_service.set_service(desk, None, args.id, service=args.service, expect_version=args.expect_version)
    if args.json:
        emit_json(detail.to_json())
    else:
        say(t("incident_service.cli.done", desk.lang, id=detail.id, number=detail.service_version,
              service=desk.config.label("service", detail.service, desk.lang), version=detail.version))
    return 0
