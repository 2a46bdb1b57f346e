"""The service catalogue: categories as a tree on the left, the services of the selected
category in the middle, the selected service's whole entry on the right.

`/` searches codes, names and summaries in both languages as you type; `r` shows retired
services too; `[` and `]` page through a service's past versions (they stay readable); `d`
shows what changed from the version before, field by field; `n` opens the request intake with
the service chosen (greyed out in an app without the requests screen: `desk catalogue browse`); `c` opens a draft of a change to the
service and its form; `i` the drafts and the review inbox, `s` the service-level requirements
(desk/screens/catalogue_inbox.py).

It is the app's F4 screen (desk.app.SCREENS); `desk catalogue browse` opens it in an app of its
own (CatalogueApp).

The catalogue is read once in a thread worker (desk.services.catalogue) and filtered in memory;
a service's past versions are read when first asked for. The one write (`c`, a new draft) runs in
a thread worker too, through desk.services.catalogue_flow.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Tree

from desk.domain.permissions import can
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.catalogue_text import DiffScreen, diff_text, entry_text, haystack
from desk.widgets.detail_body import DetailBody
from desk.widgets.key_bar import KeyBar
from desk.widgets.same_frame import SameFrameInput, SameFrameTree
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


class DraftOpened(Message):
    def __init__(self, draft_id: int | None, error: str | None) -> None:
        super().__init__()
        self.draft_id, self.error = draft_id, error


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
        Binding("c", "new_draft", "tui.catalogue.new_draft", id="catalogue.new_draft"),
        Binding("i", "drafts", "tui.catalogue.drafts", id="catalogue.drafts"),
        Binding("s", "requirements", "tui.catalogue.requirements", id="catalogue.requirements"),
        Binding("escape", "clear", "tui.catalogue.clear", show=False, id="catalogue.clear"),
    ]

    def __init__(self) -> None:
        super().__init__(id="catalogue")
        self.services: list = []
        self.categories: list = []
        self.below: dict[str, set[str]] = {}  # category -> it and every category under it
        self.hay: dict[str, str] = {}
        self.rows: dict[str, tuple] = {}  # code -> its list row, made once per load
        self._by_code: dict[str, object] = {}
        self._visible: list = []
        self.category_names: dict[str, str] = {}
        self._bases: dict[tuple, list] = {}  # (category, retired) -> its services, kept until the next load
        self._last: tuple = (None, "", [])  # (base, needle, found): a longer needle searches what it found
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
        search = SameFrameInput(placeholder=t("catalogue.tui.search_hint", self.lang), id="catalogue-search")
        search.display = False
        yield search
        with Horizontal(id="catalogue-body"):
            tree = SameFrameTree(t("catalogue.tui.all", self.lang), data=ALL, id="catalogue-tree")
            tree.show_root = True
            tree.guide_depth = 2
            yield tree
            yield ServiceList(id="catalogue-list")
            yield DetailBody(id="catalogue-entry")
        yield StatusLine(id="catalogue-status")
        yield KeyBar(id="catalogue-keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self.query_one(ServiceList).moved = lambda index: self._show_entry()  # one frame: list and entry
        self.query_one(SameFrameTree).moved = self._category  # one frame: tree, list and entry
        self.query_one("#catalogue-search", SameFrameInput).changed = self._typed  # one frame: field and list
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
        self.rows = {s.code: (s.code, s.name(self.lang), not s.orderable) for s in self.services}
        self._by_code = {s.code: s for s in self.services}
        self.category_names = {c.code: c.name(self.lang) for c in self.categories}
        self._bases, self._last = {}, (None, "", [])
        self._in_category: dict[str, list] = {}  # category -> its own services (not those below), in order
        self._order = {s.code: i for i, s in enumerate(self.services)}  # the catalogue's order
        for s in self.services:
            self._in_category.setdefault(s.category, []).append(s)
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
        """The list rows (code, name, retired) of the services shown: the category's (and those below it), searched. Each category's list is
        made once per load, and a search that adds to the needle searches what the last one found:
        a key costs the services it looks at, not the catalogue (figure 12)."""
        key = (self.category, self.retired)
        base = self._bases.get(key)
        if base is None:
            if self.category:
                cats = self.below.get(self.category, {self.category})
                pool = [s for c in cats for s in self._in_category.get(c, ())]
                if len(cats) > 1:  # the catalogue's order (by category, then code), as without a category
                    order = self._order
                    pool.sort(key=lambda s: order[s.code])
            else:
                pool = self.services
            rows = self.rows
            base = self._bases[key] = [rows[s.code] for s in pool if self.retired or s.orderable]
        needle = self.needle
        if not needle:
            return base
        last_base, last_needle, found = self._last
        pool = found if last_base is base and last_needle and needle.startswith(last_needle) else base
        hay = self.hay
        found = [row for row in pool if needle in hay[row[0]]]
        self._last = (base, needle, found)
        return found

    def _filter(self) -> None:
        lst = self.query_one(ServiceList)
        keep = lst.current
        self._visible = self.visible()
        lst.show(self._visible, keep=keep)

    @property
    def current(self):
        code = self.query_one(ServiceList).current
        if code is None:
            return None
        number = self.shown.get(code)
        if number is not None and code in self.versions:
            return next((v for v in self.versions[code] if v.number == number), None)
        return self._by_code.get(code)

    def _show_entry(self) -> None:
        terms = self.current
        text = entry_text(self.desk, terms, self.lang, category_names=self.category_names) if terms else Text(
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

    def _category(self, node) -> None:
        self.category = node.data or ALL
        if self.loaded:
            self._filter()

    def _typed(self, value: str) -> None:
        needle = value.strip().casefold()
        if needle != self.needle:
            self.needle = needle
            self._filter()

    @on(Input.Submitted, "#catalogue-search")
    def _submitted(self, message: Input.Submitted) -> None:
        self.query_one(ServiceList).focus()

    # --- keys -------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "new_request":  # (the requests screen's module is not imported for this)
            return True if "requests" in getattr(self.app, "MODES", {}) and self.app.may("new") else None
        if action == "new_draft":
            return True if can(self.app.operator.roles, "catalogue.draft") else None
        return True

    def _request_opener(self):
        """The requests screen's hook for a new request on a service, if the app has that screen
        (not `desk catalogue browse`) and the user may raise one; its module is imported when first
        asked (desk.app imports screens on demand)."""
        if "requests" not in getattr(self.app, "MODES", {}) or not self.app.may("new"):
            return None
        return getattr(self.app.screen_class("requests"), "open_for_service", None)

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
        if target == now:  # at either end: say so (the key did nothing, silently, on a one-version service)
            self.notify(t("catalogue.tui.oldest" if step < 0 else "catalogue.tui.newest", self.lang, number=now),
                        markup=False)
            return
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


    # --- the workflow: drafts, reviews and requirements (desk/screens/catalogue_inbox.py) ----------------
    def action_drafts(self, edit: int | None = None) -> None:
        from desk.screens.catalogue_inbox import DraftsScreen

        screen = DraftsScreen()
        screen.edit_on_open = edit
        self.app.push_screen(screen)

    def action_requirements(self) -> None:
        from desk.screens.catalogue_inbox import RequirementsScreen

        self.app.push_screen(RequirementsScreen())

    def action_new_draft(self) -> None:
        terms = self.current
        if terms is not None:
            self._open_draft(terms.code)

    @work(thread=True, group="catalogue-draft", exit_on_error=False)
    def _open_draft(self, code: str) -> None:
        from desk.screens.actions import db_thread, explain
        from desk.services import catalogue_flow

        desk = self.desk
        try:
            with db_thread(desk):
                self.post_message(DraftOpened(catalogue_flow.open_draft(desk, None, code=code, kind="change"), None))
        except Exception as err:  # refused (a draft of a retired service) or the database away
            self.post_message(DraftOpened(None, explain(err, desk) if hasattr(err, "key") else failure_text(err, desk.lang)))

    @on(DraftOpened)
    def _draft_opened(self, message: DraftOpened) -> None:
        if message.error is not None:
            self.notify(message.error, severity="warning", markup=False)
            return
        self.action_drafts(edit=message.draft_id)


def catalogue_app_class():
    """An app showing only the catalogue screen (desk catalogue browse)."""
    from desk.app import DeskApp, ScreenEntry

    class CatalogueApp(DeskApp):
        def screen_entries(self):
            return [(ScreenEntry("catalogue", "tui.screen.catalogue", "f4", f"{__name__}:CatalogueScreen"),
                     CatalogueScreen)]

    return CatalogueApp
