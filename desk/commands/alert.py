"""`desk alert`: one monitoring alert as flags, or a stream of JSON lines on stdin.

    desk alert --source zabbix --fingerprint db01-disk --severity high --host db01 --summary "disk 95%"
    journalctl -f -o cat | my-filter | desk alert        # one JSON object per line, any configured shape

Lines are written in batches (config alerts.batch_size; a stream that goes quiet for
alerts.flush_ms has what it sent written). A line that is not an alert is reported on stderr
with its number (and column) and skipped. Exit code: 0 every line taken; 1 a line or an alert
was refused; 2 usage.
"""

from __future__ import annotations

import os
import select
import sys

from desk.commands.common import emit_json, open_for, say
from desk.domain.errors import ValidationError
from desk.domain.text import one_line
from desk.i18n import t

FIELDS = ("source", "fingerprint", "severity", "host", "service", "summary", "details")


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("alert", parents=[common], help=t("alerts.cli.help", lang))
    for name in FIELDS:
        p.add_argument(f"--{name}", help=t(f"alerts.cli.{name}", lang))
    p.add_argument("--status", help=t("alerts.cli.status", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.set_defaults(handler=cmd_alert)


def cmd_alert(args) -> int:
    from desk.services import alert_payloads, alerts

    desk = open_for(args)
    lang = desk.lang
    config = alerts.settings(desk.config)
    formats = config.get("formats", {})
    result = alerts.Intake()
    flags = {name: getattr(args, name) for name in (*FIELDS, "status")}
    single = any(v is not None for v in flags.values())
    if single:
        try:
            alert = alert_payloads.from_flags(**flags, formats=formats)
        except alert_payloads.LineError as err:
            raise ValidationError("alerts.flags_bad", why=err.message(lang)) from None
        alerts.ingest(desk, None, [alert], result)
    elif sys.stdin is None or sys.stdin.isatty():
        raise ValidationError("alerts.nothing")
    else:
        _stream(desk, sys.stdin.buffer, formats, int(config.get("batch_size", 500)),
                int(config.get("flush_ms", 200)) / 1000, result)
    for line, message in result.failed:
        _complain(lang, line, None, message)
    if args.json:
        emit_json(result.to_json())
    elif single and result.received == 1 and not result.failed:
        say(_one(lang, result))
    else:
        say(t("alerts.summary", lang, received=result.received, opened=len(result.opened),
              repeated=result.repeated, cleared=result.cleared, ignored=result.ignored, resolved=result.resolved,
              failed=len(result.failed) + result.malformed))
    return 0 if result.ok else 1


def _one(lang: str, result) -> str:
    """What became of the one alert given as flags, naming its incident (the counts would not)."""
    if result.opened:
        return t("alerts.one.opened", lang, id=result.opened[0])
    if not result.joined:  # a clear with nothing open to clear
        return t("alerts.one.ignored", lang)
    if result.cleared:
        key = "alerts.one.resolved" if result.resolved else "alerts.one.cleared"
        return t(key, lang, id=result.joined[0])
    return t("alerts.one.joined", lang, id=result.joined[0])


def _complain(lang: str, line: int, column: int | None, message: str) -> None:
    where = f"stdin:{line}:{column}" if column else f"stdin:{line}" if line else "--"
    print(f"desk: {where}: {one_line(message)}", file=sys.stderr, flush=True)


def _lines(stream, quiet_s: float):
    """(number, bytes) for each line; None whenever the stream has been quiet for `quiet_s`."""
    fd = stream.fileno()
    pending = b""
    number = 0
    while True:
        ready, _, _ = select.select([fd], [], [], quiet_s)
        if not ready:
            yield None
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for raw in complete:
            number += 1
            yield number, raw
    if pending:
        yield number + 1, pending


def _stream(desk, stream, formats: dict, batch_size: int, quiet_s: float, result) -> None:
    from desk.services import alert_payloads, alerts

    lang = desk.lang
    batch: list = []

    def write() -> None:
        if batch:
            alerts.ingest(desk, None, batch, result)
            batch.clear()

    try:
        for item in _lines(stream, quiet_s):
            if item is None:
                write()
                continue
            number, raw = item
            try:
                text = raw.decode("utf-8").rstrip("\r")
            except UnicodeDecodeError as exc:
                result.malformed += 1
                _complain(lang, number, exc.start + 1, t("alerts.line.not_utf8", lang, byte=f"0x{raw[exc.start]:02x}"))
                continue
            if not text.strip():
                continue
            try:
                batch.extend(alert_payloads.parse_line(text, formats, number))
            except alert_payloads.LineError as err:
                result.malformed += 1
                _complain(lang, number, err.column, err.message(lang))
                continue
            if len(batch) >= batch_size:
                write()
    except KeyboardInterrupt:
        write()  # what was read before the interrupt is kept
        raise
    write()
