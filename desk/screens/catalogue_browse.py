"""The service catalogue: categories as a tree on the left, the services of the selected
category in the middle, the selected service's whole entry on the right.

`/` searches codes, names and summaries in both languages as you type; `r` shows retired
services too; `[` and `]` page through a service's past versions (they stay readable); `d`
shows what changed from the version before, field by field; `n` starts a service request for
the service (greyed out until the requests screen offers it).

It is the app's F4 screen (desk.app.SCREENS); `desk catalogue browse` opens it in an app of its
own (CatalogueApp).

The catalogue is read once in a thread worker (desk.services.catalogue) and filtered in memory;
a service's past versions are read when first asked for. Nothing here writes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Tree

from desk.domain import catalogue as rules
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.services.catalogue_views import field_value
from desk.widgets.detail_body import DetailBody
from desk.widgets.key_bar import KeyBar
from desk.widgets.service_list import ServiceList
from desk.widgets.status import StatusLine

ALL = ""  # the tree's root: every category


class Loaded(Message):
    def __init__(self, categories, services) -> None:
        super().__init__()
        self.categories = categories
        self.services = services


class VersionsLoaded(Message):
    def __init__(self, code: str, versions) -> None:
        super().__init__()
        self.code = code
        self.versions = versions


def haystack(terms) -> str:
    e = terms.entry
    return "\n".join((terms.code, e["name_en"], e["name_zh"], e["summary_en"], e["summary_zh"])).casefold()


def _label(key: str, lang: str, **params) -> str:
    text = t(key, lang, **params)
    return text[:1].upper() + text[1:]


def entry_text(desk, terms, lang: str, label_style: str = "bold") -> Text:
    """A version's whole entry, every text shown literally: what matters to a ticket first (hours,
    approval, cost, targets, the intake items), then the texts of seed 001."""
    other = "zh" if lang == "en" else "en"
    entry = terms.entry
    out = Text(no_wrap=False, end="")
    out.append(neutralise(terms.name(lang)), style="bold")
    out.append(f"  {terms.code}\n", style="dim")
    out.append(t("catalogue.tui.version_line", lang, number=terms.number, status=t(f"catalogue.status.{terms.status}",
                                                                               lang),
                 effective=terms.effective_at.strftime("%Y-%m-%d %H:%M")) + "\n", style="dim")
    summary = entry.get(f"summary_{lang}") or entry.get(f"summary_{other}")
    if summary:
        out.append(neutralise(summary) + "\n")
    out.append("\n")
    for name in ("category", "hours", "owner", "needs_approval", "approval_levels", "needs_cost_confirmation"):
        out.append(_label(f"catalogue.field.{name}", lang) + ": ", style=label_style)
        out.append(neutralise(field_value(desk, name, entry.get(name))) + "\n")
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
    out.append(t("catalogue.cli.diff_title", lang, code=new.code, old=old.number if old else "—", new=new.number)
               + "\n\n", style="bold")
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


class CatalogueScreen(Screen):
    SCREEN_ID = "catalogue"
    TITLE_KEY = "tui.screen.catalogue"
    BINDINGS = [
        Binding("slash", "search", "tui.catalogue.search", id="catalogue.search"),
        Binding("d", "diff", "tui.catalogue.diff", id="catalogue.diff"),
        Binding("left_square_bracket", "version(-1)", "tui.catalogue.older", id="catalogue.older"),
        Binding("right_square_bracket", "version(1)", "tui.catalogue.newer", id="catalogue.newer"),
        Binding("r", "retired", "tui.catalogue.retired", id="catalogue.retired"),
        Binding("n", "new_request", "tui.catalogue.new_request", id="catalogue.new_request"),
        Binding("escape", "clear", "tui.catalogue.clear", show=False, id="catalogue.clear"),
    ]

    def __init__(self) -> None:
        super().__init__(id="catalogue")
        self.services: list = []
        self.categories: list = []
        self.below: dict[str, set[str]] = {}  # category -> it and every category under it
        self.hay: dict[str, str] = {}
        self.category = ALL
        self.needle = ""
        self.retired = False
        self.versions: dict[str, list] = {}
        self.shown: dict[str, int] = {}  # code -> the version number shown (absent: the one in force)
        self.loaded = False

    @property
    def desk(self):
        return self.app.desk

    def compose(self) -> ComposeResult:
        self.lang = self.desk.lang
        yield self.app.make_header(self.SCREEN_ID)
        search = Input(placeholder=t("catalogue.tui.search_hint", self.lang), id="catalogue-search")
        search.display = False
        yield search
        with Horizontal(id="catalogue-body"):
            tree: Tree = Tree(t("catalogue.tui.all", self.lang), data=ALL, id="catalogue-tree")
            tree.show_root = True
            tree.guide_depth = 2
            yield tree
            yield ServiceList(id="catalogue-list")
            yield DetailBody(id="catalogue-entry")
        yield StatusLine(id="catalogue-status")
        yield KeyBar(id="catalogue-keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self.query_one(ServiceList).focus()
        self._show_status()
        self._load()

    # --- reading (thread workers post messages; nothing here touches widgets) ---------------------
    @work(thread=True, exclusive=True, group="catalogue-load", exit_on_error=False)
    def _load(self) -> None:
        from desk.services import catalogue

        self.post_message(Loaded(catalogue.categories(self.desk), catalogue.published_services(self.desk,
                                                                                               retired=True)))

    @work(thread=True, group="catalogue-versions", exit_on_error=False)
    def _load_versions(self, code: str) -> None:
        from desk.services import catalogue

        self.post_message(VersionsLoaded(code, catalogue.versions(self.desk, code)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.categories = message.categories
        self.services = message.services
        self.hay = {s.code: haystack(s) for s in self.services}
        children: dict[str, list[str]] = {}
        for c in self.categories:
            children.setdefault(c.parent, []).append(c.code)

        def below(code: str) -> set[str]:
            out = {code}
            for child in children.get(code, []):
                out |= below(child)
            return out

        self.below = {c.code: below(c.code) for c in self.categories}
        tree = self.query_one(Tree)
        tree.clear()
        nodes = {ALL: tree.root}
        for c in self.categories:
            parent = nodes.get(c.parent, tree.root)
            nodes[c.code] = parent.add(neutralise(c.name(self.lang)), data=c.code, expand=True,
                                       allow_expand=bool(children.get(c.code)))
        tree.root.expand()
        self.loaded = True
        self._filter()

    @on(VersionsLoaded)
    def _versions_loaded(self, message: VersionsLoaded) -> None:
        self.versions[message.code] = message.versions
        if getattr(self, "_pending_diff", None) == message.code:
            self._pending_diff = None
            self.action_diff()
        elif getattr(self, "_pending_step", None) and self._pending_step[0] == message.code:
            step = self._pending_step[1]
            self._pending_step = None
            self.action_version(step)

    # --- what is shown ----------------------------------------------------------------------------
    def visible(self) -> list:
        cats = self.below.get(self.category) if self.category else None
        needle = self.needle
        return [s for s in self.services
                if (self.retired or s.orderable) and (cats is None or s.category in cats)
                and (not needle or needle in self.hay[s.code])]

    def _filter(self) -> None:
        lst = self.query_one(ServiceList)
        keep = lst.current
        self._visible = self.visible()
        lst.show([(s.code, s.name(self.lang), not s.orderable) for s in self._visible], keep=keep)

    @property
    def current(self):
        code = self.query_one(ServiceList).current
        if code is None:
            return None
        number = self.shown.get(code)
        if number is not None and code in self.versions:
            return next((v for v in self.versions[code] if v.number == number), None)
        return next((s for s in self._visible if s.code == code), None)

    def _show_entry(self) -> None:
        terms = self.current
        text = entry_text(self.desk, terms, self.lang) if terms else Text(
            t("catalogue.tui.none" if self.loaded else "catalogue.tui.loading", self.lang))
        self.query_one("#catalogue-entry", DetailBody).update([text])
        self._show_status()

    def _show_status(self) -> None:
        lang = self.lang
        parts = [next((c.name(lang) for c in self.categories if c.code == self.category), t("catalogue.tui.all", lang))]
        if self.needle:
            parts.append("/" + one_line(self.needle, 60))
        if self.retired:
            parts.append(t("catalogue.tui.with_retired", lang))
        visible = getattr(self, "_visible", [])
        lst = self.query_one(ServiceList)
        right = t("catalogue.tui.position", lang, row=lst.cursor + 1 if visible else 0, total=len(visible))
        self.query_one(StatusLine).show(" · ".join(parts), right,
                                        "" if self.loaded else t("tui.status.loading", lang))

    @on(ServiceList.Moved)
    def _moved(self, message: ServiceList.Moved) -> None:
        self._show_entry()

    @on(Tree.NodeHighlighted)
    def _category(self, message: Tree.NodeHighlighted) -> None:
        self.category = message.node.data or ALL
        if self.loaded:
            self._filter()

    @on(Input.Changed, "#catalogue-search")
    def _typed(self, message: Input.Changed) -> None:
        self.needle = message.value.strip().casefold()
        self._filter()

    @on(Input.Submitted, "#catalogue-search")
    def _submitted(self, message: Input.Submitted) -> None:
        self.query_one(ServiceList).focus()

    # --- keys -------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "new_request":
            return True if self._request_opener() is not None else None
        return True

    def _request_opener(self):
        """The requests screen's hook for a new request on a service, if it offers one."""
        cls = getattr(self.app, "MODES", {}).get("requests")
        opener = getattr(cls, "open_for_service", None) if cls else None
        return opener if opener is not None and self.app.may("new") else None

    def action_search(self) -> None:
        search = self.query_one("#catalogue-search", Input)
        search.display = True
        search.focus()

    def action_clear(self) -> None:
        search = self.query_one("#catalogue-search", Input)
        if search.value or search.display:
            search.value = ""
            search.display = False
            self.needle = ""
            self._filter()
            self.query_one(ServiceList).focus()

    def action_retired(self) -> None:
        self.retired = not self.retired
        self._filter()

    def action_version(self, step: int) -> None:
        code = self.query_one(ServiceList).current
        if code is None:
            return
        if code not in self.versions:
            self._pending_step = (code, step)
            self._load_versions(code)
            return
        numbers = [v.number for v in self.versions[code]]
        in_force = next((s.number for s in self.services if s.code == code), numbers[-1])
        now = self.shown.get(code, in_force)
        target = max(numbers[0], min(numbers[-1], now + step))
        if target == in_force:
            self.shown.pop(code, None)
        else:
            self.shown[code] = target
        self._show_entry()

    def action_diff(self) -> None:
        terms = self.current
        if terms is None:
            return
        if terms.code not in self.versions:
            self._pending_diff = terms.code
            self._load_versions(terms.code)
            return
        before = [v for v in self.versions[terms.code] if v.number < terms.number]
        self.app.push_screen(DiffScreen(diff_text(self.desk, before[-1] if before else None, terms, self.lang)))

    def action_new_request(self) -> None:
        opener = self._request_opener()
        terms = self.current
        if opener is not None and terms is not None and terms.orderable:
            opener(self.app, terms.code)


def catalogue_app_class():
    """An app showing only the catalogue screen (desk catalogue browse)."""
    from desk.app import DeskApp, ScreenEntry

    class CatalogueApp(DeskApp):
        def screen_entries(self):
            return [(ScreenEntry("catalogue", "tui.screen.catalogue", "f4", f"{__name__}:CatalogueScreen"),
                     CatalogueScreen)]

    return CatalogueApp
