"""The incident detail's alerts section: the monitoring alerts behind an incident, as `desk incident
show` lists them (where from and what, state, severity, how often and when seen, whether new alerts
of the fingerprint still join it). Everything in an alert is the sender's text: one-line or
neutralised into a Text, never markup."""

from __future__ import annotations

from rich.text import Text

from desk.alert_text import severity_text
from desk.domain.text import neutralise, one_line
from desk.i18n import t

STATE_STYLE = {"firing": "bold red", "cleared": "green"}


def alerts_section(alerts, lang: str, when) -> list[Text]:
    """[] when the incident has no alerts (no heading for nothing); `when` shows an instant in the
    desk's zone."""
    if not alerts:
        return []
    out = Text()
    out.append("\n" + t("alerts.show.title", lang) + "\n", style="bold underline")
    for index, a in enumerate(alerts):
        if index:
            out.append("\n")
        origin = " ".join(one_line(x) for x in (a.source, a.host, a.service) if x)
        out.append(origin, style="bold")
        out.append("  " + one_line(a.summary, 400))
        out.append("\n  ")
        out.append(t("alerts.show.line", lang, state=t(f"alert_state.{a.state}", lang),
                     severity=severity_text(a.severity, lang), occurrences=a.occurrences,
                     first=when(a.first_seen), last=when(a.last_seen)), style=STATE_STYLE.get(a.state, ""))
        out.append(f"\n  {t('alerts.show.fingerprint', lang)}: ", style="dim")
        out.append(one_line(a.fingerprint, 200))
        out.append(" — " + t("alerts.show.open" if a.open else "alerts.show.closed", lang), style="dim")
        if a.details.strip():
            out.append("\n  " + neutralise(a.details).rstrip("\n").replace("\n", "\n  "), style="italic")
    return [out]
