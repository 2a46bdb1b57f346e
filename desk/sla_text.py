"""How an SLA clock and its pause ledger read, in the user's language (the CLI and the TUI).

Times are shown in the `[sla] timezone` (the view's `tz`: the zone the business hours are read
in), not as stored (UTC); the ledger's heading says which zone."""

from __future__ import annotations

from desk.domain.sla_clock import format_business
from desk.domain.text import one_line
from desk.i18n import t
from desk.timefmt import local, when, zone_label


def reason_label(reason: str, lang: str) -> str:
    key = f"sla.reason.{reason}"
    got = t(key, lang)
    return reason if got == key else got


def zone_name(got) -> str:
    """The zone a view's times are shown in ('Asia/Shanghai'), or 'UTC'."""
    return zone_label(getattr(got, "tz", None))


def clock_line(got, lang: str) -> str:
    """'breached, 1h20 over (due 2026-12-07 11:00)' / 'running, 2h05 left (due …)' / 'paused'."""
    state = t(f"sla.{got.state}", lang)
    if got.remaining is None:
        return state
    key = "sla.cli.over" if got.remaining < 0 else "sla.cli.left"
    line = t("sla.cli.clock", lang, state=state, left=t(key, lang, time=format_business(got.remaining)))
    if got.due_at is None:  # held: the due time is not known until the clock runs again
        return line
    return f"{line} ({t('sla.cli.due', lang, at=when(got.due_at, getattr(got, 'tz', None)))})"


def ledger_lines(got, lang: str) -> list[str]:
    """One line per pause: 'paused 2h10 waiting for the caller, 12-07 14:05–16:15 (li → zhao)',
    its times in the view's zone (`ledger_heading` says which)."""
    tz = getattr(got, "tz", None)
    out = []
    for p in got.ledger:
        start, stop = local(p.started_at, tz), local(p.ended_at, tz)
        end = stop.strftime("%H:%M") if stop and stop.date() == start.date() \
            else (when(stop, None) if stop else t("sla.cli.still", lang))
        who = p.started_by + (f" → {p.ended_by}" if p.ended_by and p.started_by else p.ended_by)
        line = t("sla.cli.pause", lang, time=format_business(p.business_seconds),
                 reason=reason_label(p.reason, lang), start=when(start, None), end=end, who=who)
        out.append(line + (f"  {one_line(p.note)}" if p.note else ""))
    return out


def ledger_heading(got, lang: str) -> str:
    """'SLA pauses (times in Asia/Shanghai)'."""
    return t("sla.detail.ledger", lang, zone=zone_name(got))
