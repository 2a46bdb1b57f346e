"""The queue's filter bar: free text plus terms (p:1 s:open g:network a:me cat:hardware breached).

Typing re-parses at once (desk.domain.filter_terms, no database): a bad term is underlined in
the field and explained on the line below; enter applies a valid filter, escape gives up.
The field's text is the user's own but is still shown literally (an Input renders plain text).
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from desk.domain.filter_terms import ParsedFilter, Vocabulary, parse
from desk.domain.text import one_line
from desk.i18n import t
from desk.key_order import pause_keys

ERROR_STYLE = Style(underline=True, bold=True, color="red")


def _nothing() -> None:
    pass


class TermHighlighter(Highlighter):
    """Underlines the spans of invalid terms."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.style = ERROR_STYLE

    def highlight(self, text: Text) -> None:
        for start, end in self.spans:
            text.stylize(self.style, start, end)


class FilterInput(Input):
    """The bar's field. Its enter pauses the keys typed after it (desk.key_order.pause_keys) as it
    is handled, before anything after it is: they wait until the list has taken the focus with
    the filtered rows (FilterBar.Applied.resume_keys), then go there, not into this field."""

    async def action_submit(self) -> None:
        bar = self.parent
        if isinstance(bar, FilterBar):
            bar.resume_keys()  # (an earlier pause not taken)
            bar.resume_keys = pause_keys(self.app)
        await super().action_submit()


class FilterBar(Vertical):
    BINDINGS = [Binding("escape", "cancel", "cancel", show=False, id="filter.cancel")]
    COMPONENT_CLASSES = {"filter-bar--error"}

    class Applied(Message):
        def __init__(self, text: str, parsed: ParsedFilter, resume_keys=_nothing) -> None:
            super().__init__()
            self.text = text
            self.parsed = parsed
            self.resume_keys = resume_keys  # call once the list has the focus: the keys typed since go on

    class Cancelled(Message):
        pass

    class Drafted(Message):
        """The text being typed parses: the screen may read its first page ahead."""

        def __init__(self, text: str, parsed: ParsedFilter) -> None:
            super().__init__()
            self.text = text
            self.parsed = parsed

    def __init__(self, vocabulary: Vocabulary, lang: str, id: str | None = None,
                 hint: str = "tui.filter.hint", placeholder: str = "tui.filter.placeholder") -> None:
        super().__init__(id=id)
        self.hint = hint  # message key of the line under the field while editing
        self.placeholder = placeholder  # message key of the empty field's example (the list's own terms)
        self.vocabulary = vocabulary
        self.lang = lang
        self.highlighter = TermHighlighter()
        self.parsed = ParsedFilter()
        self._before = ""
        # (a flag, not a CSS class: restyling the bar on enter cost ~2 ms; the message's own text
        # carries the one difference, dim once the filter is applied)
        self.editing = False
        self._checked: tuple[str, bool] | None = None  # what the field and the message now show
        self.resume_keys = _nothing  # the keys paused by enter in the field (FilterInput)

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=t(self.placeholder, self.lang), highlighter=self.highlighter,
                          id="filter-input", select_on_focus=False)
        yield Static(t(self.hint, self.lang), id="filter-message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def open(self, text: str) -> None:
        """Show the bar with `text` and put the cursor at its end."""
        self._before = text
        self.display = True
        self.editing = True
        field = self.input
        field.value = text
        field.cursor_position = len(text)
        self.check(text)
        field.focus()

    def check(self, text: str) -> ParsedFilter:
        if self._checked == (text, self.editing):
            return self.parsed  # (applying a filter asks again for what the bar already shows)
        self._checked = (text, self.editing)
        parsed = parse(text, self.vocabulary)
        self.parsed = parsed
        self.highlighter.spans = [(e.start, e.end) for e in parsed.errors]
        message = self.query_one("#filter-message", Static)
        if parsed.errors:
            first = parsed.errors[0]
            params = {k: one_line(str(v), 60) for k, v in first.params.items()}
            note = t(first.key, self.lang, **params)
            if len(parsed.errors) > 1:
                note += " " + t("tui.filter.more_errors", self.lang, count=len(parsed.errors) - 1)
            message.update(Text(note), layout=False)
            message.add_class("-error")
            self.input.add_class("-invalid")
        else:
            if self.editing:
                message.update(Text(t(self.hint, self.lang)), layout=False)
            else:
                message.update(Text(t("tui.filter.active", self.lang), style="dim"), layout=False)
            message.remove_class("-error")
            self.input.remove_class("-invalid")
        self.input.refresh()
        return parsed

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        parsed = self.check(event.value)
        if not parsed.errors and self.editing:
            self.post_message(self.Drafted(event.value.strip(), parsed))

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        resume, self.resume_keys = self.resume_keys, _nothing
        parsed = parse(event.value, self.vocabulary)
        if parsed.errors:
            self.check(event.value)
            resume()  # (the field keeps the focus: the keys go on into it)
            self.app.bell()
            return
        # The bar changes (its line dims to 'filter active') when the screen shows the rows, in the
        # same handler: a bar repainted here alone would go out in a frame of its own, and the
        # rows, arriving a moment later, would wait for Textual's next frame (17-33 ms later).
        self.editing = False
        self.post_message(self.Applied(event.value.strip(), parsed, resume))

    def action_cancel(self) -> None:
        self.input.value = self._before
        self.editing = False
        self.check(self._before)
        self.post_message(self.Cancelled())
