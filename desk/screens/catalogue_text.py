"""What the catalogue screens show of a service: its whole entry, and what changed between two
versions (or a draft and the version it started from) field by field, in a view readable at 80×24.
Every text is shown literally (neutralised). Split from catalogue_browse.py (one idea a module)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from desk.domain import catalogue as rules
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.services.catalogue_views import field_value
from desk.timefmt import when, zone
from desk.widgets.detail_body import DetailBody
from desk.widgets.key_bar import KeyBar


def haystack(terms) -> str:
    e = terms.entry
    return "\n".join((terms.code, e["name_en"], e["name_zh"], e["summary_en"], e["summary_zh"])).casefold()


def _label(key: str, lang: str, **params) -> str:
    text = t(key, lang, **params)
    return text[:1].upper() + text[1:]


def entry_text(desk, terms, lang: str, label_style: str = "bold", category_names: dict | None = None) -> Text:
    """A version's whole entry, every text shown literally: what matters to a ticket first (hours,
    approval, cost, targets, the intake items), then the texts of seed 001. `category_names`: the
    categories the screen has read (else they are read here)."""
    other = "zh" if lang == "en" else "en"
    entry = terms.entry
    out = Text(no_wrap=False, end="")
    out.append(neutralise(terms.name(lang)), style="bold")
    out.append(f"  {terms.code}\n", style="dim")
    out.append(t("catalogue.tui.version_line", lang, number=terms.number, status=t(f"catalogue.status.{terms.status}",
                                                                               lang),
                 effective=when(terms.effective_at, zone(desk.config))) + "\n", style="dim")
    summary = entry.get(f"summary_{lang}") or entry.get(f"summary_{other}")
    if summary:
        out.append(neutralise(summary) + "\n")
    out.append("\n")
    for name in ("category", "hours", "owner", "needs_approval", "approval_levels", "needs_cost_confirmation"):
        out.append(_label(f"catalogue.field.{name}", lang) + ": ", style=label_style)
        out.append(neutralise(field_value(desk, name, entry.get(name), category_names)) + "\n")
    out.append("\n" + _label("catalogue.field.targets", lang) + "\n", style=label_style)
    for priority in desk.config.codes("priority"):
        pair = entry["targets"].get(priority)
        if pair:
            out.append(t("catalogue.tui.target", lang, priority=priority,
                         label=desk.config.label("priority", priority, lang), response=pair["response"],
                         resolve=pair["resolve"]) + "\n")
    if entry["checklist"]:
        out.append("\n" + _label("catalogue.field.checklist", lang) + "\n", style=label_style)
        for item in entry["checklist"]:
            out.append("• " + neutralise(item.get(lang) or item.get("en") or "") + "\n")
    for name in rules.TEXTS:
        value = entry.get(f"{name}_{lang}") or entry.get(f"{name}_{other}")
        if name in ("name", "summary") or not value:
            continue
        out.append("\n" + _label(f"catalogue.field.{name}", lang) + "\n", style=label_style)
        out.append(neutralise(value) + "\n")
    return out


def diff_text(desk, old, new, lang: str) -> Text:
    """Field by field, what changed from `old` to `new` (unified: − old, + new), readable at 80×24."""
    out = Text(end="")
    # The service by its name, as the browser lists it (the code alone read 'privileged-access: …')
    name = new.entry.get(f"name_{lang}") or new.entry.get("name_en") or new.code
    out.append(t("catalogue.tui.diff_title", lang, name=one_line(name, 200), code=new.code,
                 old=old.number if old else "—", new=new.number) + "\n\n", style="bold")
    changes = rules.diff(old.entry if old else None, new.entry)
    if old is not None and new.status != old.status:
        out.append(t("catalogue.tui.status_change", lang, old=t(f"catalogue.status.{old.status}", lang),
                     new=t(f"catalogue.status.{new.status}", lang)) + "\n\n")
    if not changes and (old is None or new.status == old.status):
        out.append(t("catalogue.cli.no_difference", lang) + "\n")
    for change in changes:
        name = change.field.split(".")[0]
        out.append(rules.field_label(change.field, lang) + "\n", style="bold")
        out.append("- " + one_line(field_value(desk, name, change.old), 2000) + "\n", style="red")
        out.append("+ " + one_line(field_value(desk, name, change.new), 2000) + "\n", style="green")
    return out


class DiffScreen(ModalScreen):
    """What changed between two versions of a service; esc closes it."""

    BINDINGS = [Binding("escape", "dismiss", "tui.catalogue.close", id="catalogue.diff_close"),
                Binding("d", "dismiss", "tui.catalogue.close", show=False, id="catalogue.diff_close_d")]

    def __init__(self, text: Text) -> None:
        super().__init__(id="catalogue-diff")
        self._text = text

    def compose(self) -> ComposeResult:
        yield DetailBody([self._text], id="catalogue-diff-body")
        yield KeyBar(id="catalogue-diff-keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self.query_one("#catalogue-diff-body").focus()
