"""The default view's first page, read while Textual starts (desk.cli starts it before importing
Textual). No UI import."""

from __future__ import annotations

import threading


def _incidents():
    from desk.lists.incident import INCIDENTS

    return INCIDENTS


class FirstPage:
    """The default view's first page, read in a thread of its own while Textual starts (so the
    first frame already has rows). The first load takes it if it is done and never waits for it:
    a screen that mounts before it is done loads the usual way (a wait saved nothing, issue 12)."""

    spec = None  # the kind's ListSpec (None: incidents)

    def __init__(self, desk, login: str, view: str, spec=None) -> None:
        self.desk, self.login, self.view = desk, login, view
        self.spec = spec
        self.done = threading.Event()
        self.result: tuple[list[int], list, int] | None = None
        threading.Thread(target=self._run, name="queue-first-page", daemon=True).start()

    def _run(self) -> None:
        db = self.desk.db
        try:
            db.connect(reuse_if_open=True)
            spec = self._kind()
            ctx = spec.context(self.desk, self.login)
            from desk.widgets import queue_source

            limit = queue_source.FIRST_PAGE  # (looked up now: tests shrink it)
            ids = spec.window(self._filter(), ctx, spec.sorts[0], 0, limit, False)
            rows = spec.rows(self.desk, ids)
            # A full page's count waits for the reader, after the first paint: counting a big
            # view (~30 ms at 1M) here made the first frame miss the rows it had.
            self.result = (ids, rows, len(ids) if len(ids) < limit else None)
        except Exception:  # the reader will try again, and report what goes wrong
            self.result = None
        finally:
            if not db.is_closed():
                db.close()
            self.done.set()

    def _kind(self):
        return self.spec if self.spec is not None else _incidents()

    def _filter(self):
        from desk.domain.filter_terms import ParsedFilter

        return self._kind().make_filter(self.view, ParsedFilter())

    def take(self, f, sort: str, descending: bool):
        """(ids, rows, total or None) if ready and for exactly this filter and sort; used once."""
        if (f, sort, descending) != (self._filter(), self._kind().sorts[0], False):
            return None  # (another view or order: nothing to wait for)
        if not self.done.is_set() or self.result is None:
            return None
        result, self.result = self.result, None
        return result
