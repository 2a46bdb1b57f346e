"""Words about a monitoring alert that the CLI (`desk incident show`) and the TUI detail share."""

from __future__ import annotations

from desk.domain.text import one_line
from desk.i18n import t


def severity_text(severity: str, lang: str) -> str:
    """The sender's severity, or that it gave none (an empty field between two dots said nothing)."""
    return one_line(severity) if severity.strip() else t("alerts.show.no_severity", lang)
