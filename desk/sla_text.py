"""How an SLA clock and its pause ledger read, in the user's language (the CLI and the TUI)."""

from __future__ import annotations

from desk.domain.sla_clock import format_business
from desk.domain.text import one_line
from desk.i18n import t


def reason_label(reason: str, lang: str) -> str:
    key = f"sla.reason.{reason}"
    got = t(key, lang)
    return reason if got == key else got


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def clock_line(got, lang: str) -> str:
    """'breached, 1h20 over (due 2026-12-07 11:00)' / 'running, 2h05 left (due …)' / 'paused'."""
    state = t(f"sla.{got.state}", lang)
    if got.remaining is None:
        return state
    key = "sla.cli.over" if got.remaining < 0 else "sla.cli.left"
    line = f"{state}, {t(key, lang, time=format_business(got.remaining))}"
    if got.due_at is None:  # held: the due time is not known until the clock runs again
        return line
    return f"{line} ({t('sla.cli.due', lang, at=when(got.due_at))})"


def ledger_lines(got, lang: str) -> list[str]:
    """One line per pause: 'paused 2h10 waiting for the caller, 12-07 14:05–16:15 (li → zhao)'."""
    out = []
    for p in got.ledger:
        end = p.ended_at.strftime("%H:%M") if p.ended_at and p.ended_at.date() == p.started_at.date() \
            else (when(p.ended_at) if p.ended_at else t("sla.cli.still", lang))
        who = p.started_by + (f" → {p.ended_by}" if p.ended_by and p.started_by else p.ended_by)
        line = t("sla.cli.pause", lang, time=format_business(p.business_seconds),
                 reason=reason_label(p.reason, lang), start=when(p.started_at), end=end, who=who)
        out.append(line + (f"  {one_line(p.note)}" if p.note else ""))
    return out


