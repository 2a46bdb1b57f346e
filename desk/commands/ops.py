"""Operator commands: `desk check` (is the database whole?) and `desk backup DEST`.

`desk check` prints each problem on its own line (the ticket and history row it concerns) and
exits 1, or prints a one-line summary and exits 0. `desk backup` exits 0 with the copy made,
1 when refused (DEST exists without --force …), 2 on PostgreSQL (use pg_dump).
"""

from __future__ import annotations

import sys

from desk.commands.common import emit_json, open_for, say
from desk.domain.text import one_line
from desk.i18n import t


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("check", parents=[common], help=t("ops.check.help", lang))
    p.add_argument("--quick", action="store_true", help=t("ops.check.quick", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("backup", parents=[common], help=t("ops.backup.help", lang))
    p.add_argument("dest", metavar="DEST", help=t("ops.backup.dest", lang))
    p.add_argument("--force", action="store_true", help=t("ops.backup.force", lang))
    p.set_defaults(handler=cmd_backup)


def cmd_check(args) -> int:
    from desk.services.check import run_check

    desk = open_for(args)
    lang = desk.lang
    tty = sys.stderr.isatty() and not args.json

    def on_stage(name: str) -> None:
        if tty:
            label = t(f"ops.check.stage.{name}", lang)
            print(f"… {label}", file=sys.stderr, flush=True)

    def on_problem(problem) -> None:
        if not args.json:
            # Problem details can quote database content (a tampered status, say): shown inert.
            say(one_line(problem.message(lang)))

    try:
        report = run_check(desk, quick=args.quick, on_problem=on_problem, on_stage=on_stage)
    finally:
        desk.close()
    if args.json:
        emit_json(report.to_json())
    else:
        say(report.summary(lang))
    return 0 if report.ok else 1


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class _Progress:
    """A bar on a terminal; a line every tenth otherwise (logs, cron)."""

    def __init__(self, label: str):
        self.label = label
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._task = None
        self._tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self._bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                     transient=True)
                self._bar.start()
                self._task = self._bar.add_task(self.label, total=total)
            self._bar.update(self._task, completed=done, total=total)
            return
        tenth = done * 10 // max(total, 1)
        if tenth != self._tenth and total >= 10_000:  # small files: no noise
            self._tenth = tenth
            print(f"{self.label}: {tenth * 10}%", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def cmd_backup(args) -> int:
    from desk.services.backup import backup

    desk = open_for(args)
    progress = _Progress(t("ops.backup.progress", desk.lang))
    try:
        result = backup(desk, args.dest, force=args.force, progress=progress)
    finally:
        progress.close()
        desk.close()
    say(t("ops.backup.done", desk.lang, source=desk.target.display, path=result.path, size=_size(result.bytes),
          seconds=f"{result.seconds:.1f}"))
    return 0
