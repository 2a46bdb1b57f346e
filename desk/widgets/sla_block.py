"""A ticket's SLA clock and pause ledger as detail lines (the request detail; the incident detail
draws its own in its field grid). Literal text: a pause's note is untrusted."""

from __future__ import annotations

from rich.text import Text

from desk.domain.text import neutralise
from desk.i18n import t
from desk.sla_text import clock_line, ledger_heading, ledger_lines

STYLE = {"breached": "bold red", "warning": "yellow", "met": "green", "paused": "dim"}


def append_clock(out: Text, view, lang: str) -> None:
    """'  SLA: near breach, 1h20 left (due …)' — nothing for a ticket without a clock."""
    if view is None:
        return
    out.append(f"  {t('field.sla', lang)}: ", style="dim")
    out.append(neutralise(clock_line(view, lang)) + "\n", style=STYLE.get(view.state, ""))


def append_ledger(out: Text, view, lang: str) -> None:
    """The pause ledger, when the clock was ever paused: one line per pause."""
    if view is None or not view.ledger:
        return
    out.append("\n" + ledger_heading(view, lang) + "\n", style="bold")
    for line in ledger_lines(view, lang):
        out.append("  " + neutralise(line) + "\n")
