"""What every list screen does with its filter bar and its views: the bar (/) with its read-ahead
of a filter being typed, saved views (v, V) carrying the kind, and the read-ahead of the next sort.
A mixin of desk.screens.list_screen.ListScreen (one idea per module)."""

from __future__ import annotations

from textual import on
from textual.screen import Screen

from desk.domain.filter_terms import ParsedFilter, parse
from desk.domain.text import one_line
from desk.i18n import t
from desk.widgets.filter_bar import FilterBar
from desk.widgets.queue_source import Load

FEEDBACK_DELAY = 0.05  # a view, sort or filter whose first page takes longer shows 'loading…'
NEXT_SORT_DELAY = 0.05  # the list is in: the first page `s` would give next is read ahead after this
DRAFT_DELAY = 0.05  # typing paused this long: the filter being typed is read ahead


class ListViews(Screen):
    """(A Screen, so that Textual registers the @on handlers below.)"""

    @property
    def bar(self) -> FilterBar | None:
        bars = self.query(FilterBar)
        return bars.first() if bars else None

    async def _mount_bar(self) -> FilterBar:
        bar = self.bar
        if bar is None:
            spec = self.SPEC
            bar = FilterBar(self.vocabulary, self.lang, id="filter-bar", hint=spec.filter_hint,
                            placeholder=spec.filter_placeholder)
            bar.display = False
            await self.mount(bar, before=self.table)
        return bar

    def open_saved(self, name: str) -> None:
        spec = self.app.saved_views(self.SPEC.kind).get(name)
        if not spec:
            return
        views, sorts = self.SPEC.views, self.SPEC.sorts
        self.view = spec.get("view") if spec.get("view") in views else ("open" if "open" in views else views[0])
        self.sort = spec.get("sort") if spec.get("sort") in sorts else sorts[0]
        self.descending = bool(spec.get("descending", False))
        text = str(spec.get("filter", ""))
        parsed = parse(text, self.vocabulary)
        if parsed.errors:
            self.notify(t("tui.views.bad_filter", self.lang, name=one_line(name, 60)), severity="warning",
                        markup=False)
        self.filter_text = text if parsed.ok else ""
        self.parsed = parsed if parsed.ok else ParsedFilter()
        self.saved_name = name
        self._show_bar()
        self._load()

    async def action_filter(self) -> None:
        bar = await self._mount_bar()
        bar.open(self.filter_text)

    def _show_bar(self) -> None:
        """The bar shows while a filter is in force (the text it filters by), else it hides."""
        if self.bar is None and self.filter_text:
            self.call_later(self._mount_and_show_bar)
            return
        bar = self.bar
        if bar is None:
            return
        bar.display = bool(self.filter_text)
        if self.filter_text:
            bar.input.value = self.filter_text
            bar.check(self.filter_text)

    async def _mount_and_show_bar(self) -> None:
        await self._mount_bar()
        self._show_bar()

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        self.filter_text = event.text
        self.parsed = event.parsed
        self._load()  # first: the reader starts while the bar and the focus settle
        self._settle_filter()  # (one applied before whose rows never came)
        if self.table.gen == self._gen:  # read ahead while it was typed: the rows are in
            self._show_filtered()
            event.resume_keys()
            return
        self._settling = (self._gen, event.resume_keys)
        self.set_timer(FEEDBACK_DELAY, lambda gen=self._gen: self._settle_filter(gen), name="filter-settle")

    def _show_filtered(self) -> None:
        """The bar shows the filter in force (or hides) and the list takes the focus."""
        self._show_bar()
        self.set_focus(self.table)
        self.table.show_focus()

    def _settle_filter(self, gen: int | None = None, show: bool = True) -> None:
        """The filter's first page of `gen` is in, or FEEDBACK_DELAY has passed: the bar
        and the focus change now, in the frame that shows the rows ('loading…' if they are not
        in yet). Until then the bar stays as typed and the keys typed after enter wait
        (desk.widgets.filter_bar.FilterInput), then go to the list. Nothing holds the app's paint: the
        changes are made together, in one turn of the event loop. (None: whichever is awaited;
        `show=False`: only let the keys go, the screen is going.)"""
        settling, self._settling = self._settling, None
        if settling is not None and gen is not None and settling[0] != gen:
            self._settling = settling  # (a page of another load)
            return
        if settling is not None:
            if show:
                self._show_filtered()
            settling[1]()  # the keys typed meanwhile go on, to the list

    def _schedule_next_sort(self) -> None:
        if self._next_sort_timer is not None:
            self._next_sort_timer.stop()
        self._next_sort_timer = self.set_timer(NEXT_SORT_DELAY, self._read_next_sort, name="next-sort")

    def _read_next_sort(self) -> None:
        """The list is in and the user is reading it: read (and draw) the first page of the
        order `s` would give next, so that the key shows it at once."""
        self._next_sort_timer = None
        if self.bar is not None and self.bar.editing:
            return  # (a filter being typed has the read-ahead)
        self.source.peek(Load(0, self.current_filter(), self._next_sort(), False))

    def _next_sort(self) -> str:
        return self.SPEC.next_sort(self.sort)

    @on(FilterBar.Drafted)
    def _filter_drafted(self, event: FilterBar.Drafted) -> None:
        """A valid filter is being typed: once typing pauses, read its first page ahead, so that
        applying it shows the rows at once (a text search on a big desk takes tens of ms)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = None
        if not event.parsed.text or event.text == self.filter_text:
            return  # (terms alone are answered by an index at once)
        request = Load(0, self.current_filter(event.parsed), self.sort, self.descending)
        self._draft_timer = self.set_timer(DRAFT_DELAY, lambda: self.source.peek(request), name="filter-draft")

    @on(FilterBar.Cancelled)
    def _filter_cancelled(self, event: FilterBar.Cancelled) -> None:
        self._show_bar()
        self.table.focus()

    def action_views(self) -> None:
        from desk.widgets.view_picker import ViewPicker

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            kind, name = choice
            if kind == "view":
                self.action_view(name)
            else:
                self.open_saved(name)

        self.app.push_screen(ViewPicker(self.lang, self.app.saved_views(self.SPEC.kind), self.view, self.saved_name,
                                        views=self.SPEC.views, view_label=self.SPEC.view_label), chosen)

    def action_save_view(self) -> None:
        from desk.widgets.view_picker import SaveViewDialog

        def named(name: str | None) -> None:
            if name:
                self.app.save_view(name, {"kind": self.SPEC.kind, "view": self.view, "filter": self.filter_text,
                                          "sort": self.sort, "descending": self.descending})
                self.saved_name = name
                self._show_status()

        self.app.push_screen(SaveViewDialog(self.lang, self.saved_name or ""), named)

