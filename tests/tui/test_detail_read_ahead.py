"""Opening an incident from the queue: the detail of the row the cursor rests on is read ahead,
so enter shows it at once; it is read again behind that, so a change the queue has not polled
yet still shows; a failed read says so and the next one works."""

from __future__ import annotations

from tui_helpers import queue_ready, screen_lines, screen_text, wait_until

from desk.screens.detail import DetailScreen
from desk.services import incidents
from desk.widgets.reader import Reader, detail_reads


async def _rested(pilot, app, queue):
    table = queue.table
    await wait_until(pilot, lambda: detail_reads(app).take(table.cursor_id, table.version_of(table.cursor_id))
                     is not None, what="the cursor row's detail to be read ahead")
    return table.cursor_id


async def test_enter_shows_the_incident_read_ahead_without_waiting_for_a_read(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down")
        target = await _rested(pilot, app, queue)
        title = incidents.get(app.desk, target).title
        asked = []
        reads = detail_reads(app)
        original = reads.read
        reads.read = lambda incident_id, done: (asked.append(incident_id), original(incident_id, done))[1]
        # the first open builds the screen; the second one is the kept screen (the usual case)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")
        asked.clear()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail is not None and app.screen.detail.id == target
        assert f"#{target}  {title}"[:60] in screen_text(app)
        # only the check behind it, once the incident has been painted (not competing with that paint)
        await wait_until(pilot, lambda: asked == [target], what="the read behind the open")


async def test_the_first_enter_too_finds_the_detail_screen_built_and_the_incident_read(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        # the screen is built while the user reads the list, before any enter
        await wait_until(pilot, lambda: any(isinstance(s, DetailScreen) and s.is_attached
                                            for s in app._installed_screens.values()),
                         what="the detail screen built ahead")
        kept = next(s for s in app._installed_screens.values() if isinstance(s, DetailScreen))
        await pilot.press("down")
        target = await _rested(pilot, app, queue)
        title = incidents.get(app.desk, target).title
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is kept and kept.detail is not None and kept.detail.id == target
        assert f"#{target}  {title}"[:60] in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")


async def test_a_read_ahead_or_an_open_while_the_screen_is_still_being_built_is_safe(make_app, monkeypatch):
    """Found in CI: the read-ahead reached the kept screen between keep_ready and its compose,
    and updating its (not yet composed) title crashed the app."""
    from desk.screens import queue as queue_screen

    monkeypatch.setattr(queue_screen, "DETAIL_AHEAD_DELAY", 60)  # (built by hand below)
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down")
        target = await _rested(pilot, app, queue)
        version = queue.table.version_of(target)
        DetailScreen.keep_ready(app)
        DetailScreen.prepare(app, target, version)  # same turn: the screen has no widgets yet
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        assert app.screen.detail.id == target
        assert f"#{target}  {incidents.get(app.desk, target).title}"[:60] in screen_text(app)


async def test_a_long_title_after_a_short_one_takes_its_lines_on_the_kept_screen(make_app):
    """The kept screen lays itself out again only when the title needs another number of lines:
    a two-line title after a one-line one shows whole, above the fields."""
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        table = queue.table
        ids = [table.id_at(i) for i in range(table.total)]
        titles = {i: incidents.get(app.desk, i).title for i in ids}
        long_id = next(i for i in ids if len(titles[i]) > 130)
        short_id = next(i for i in ids if len(titles[i]) < 40)
        for target in (short_id, long_id, short_id):
            await pilot.press("home")
            for _ in range(ids.index(target)):
                await pilot.press("down")
            await _rested(pilot, app, queue)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                             and app.screen.detail.id == target, what="the detail")
            await pilot.pause()
            lines = screen_lines(app)
            words = titles[target].split()
            assert lines[1].strip().startswith(f"#{target}  {words[0]}")
            if target == long_id:  # the title's last words on the next line, the fields after it
                assert " ".join(words[-3:]) in lines[2] and "Status" in lines[3]
            else:
                assert "Status" in lines[2]
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is queue, what="the queue")


async def test_a_change_the_queue_has_not_polled_yet_still_shows(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("enter")  # build the kept detail screen once
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")
        await pilot.press("down")
        target = await _rested(pilot, app, queue)
        before = incidents.get(app.desk, target)
        incidents.note(app.desk, "admin", target, text="called the branch back", expect_version=before.version)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                         and app.screen.detail.version == before.version + 1, what="the changed incident")
        await wait_until(pilot, lambda: "called the branch back" in app.screen.query_one("#detail-body").text,
                         what="the new note in the history")


def test_a_failed_read_reports_its_error_and_the_next_read_works(desk):
    reader = Reader(desk)
    got = []
    done = __import__("threading").Event()

    def record(result, error):
        got.append((result, error))
        if len(got) == 2:
            done.set()

    def broken():
        raise RuntimeError("server went away")

    assert reader.read(broken, record)
    assert reader.read(lambda: 42, record)
    assert done.wait(5)
    assert got[0][0] is None and isinstance(got[0][1], RuntimeError)
    assert got[1] == (42, None)
    assert reader.pending == 0
    reader.close()
    assert reader.read(lambda: 1, record) is False  # closed: the caller reads another way


async def _open_and_close_once(pilot, app, queue):
    await pilot.press("enter")  # the first open builds the kept detail screen
    await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                     what="the detail")
    kept = app.screen
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is queue, what="the queue")
    return kept


async def test_the_kept_detail_is_laid_out_ahead_so_enter_only_paints(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        kept = await _open_and_close_once(pilot, app, queue)
        await pilot.press("down")
        table = queue.table
        target, version = table.cursor_id, table.version_of(table.cursor_id)
        await wait_until(pilot, lambda: kept._prepared == (target, version), what="the detail laid out ahead")
        assert f"#{target}" in kept.query_one("#detail-title").render().plain
        drawn = []
        original = kept.render_detail
        kept.render_detail = lambda *a, **k: (drawn.append(1), original(*a, **k))[1]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is kept and kept.detail.id == target
        assert drawn == []  # laid out already
        assert incidents.get(app.desk, target).title[:40] in screen_text(app)


async def test_a_theme_changed_while_the_detail_was_closed_shows_when_it_opens(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        kept = await _open_and_close_once(pilot, app, queue)
        before = kept.query_one("#detail-body").rich_style
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is kept, what="the detail")
        await pilot.pause()
        after = kept.query_one("#detail-body").rich_style
        assert after != before and after.bgcolor == queue.table.rich_style.bgcolor


async def test_changes_below_an_open_detail_send_nothing_to_the_terminal(make_app):
    """The queue keeps polling and drawing under the detail; none of it shows through, so none of
    it may repaint the detail (Textual would: ~9 KB to an SSH link at every poll)."""
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        await pilot.pause(0.3)
        frames = []
        original = app._display
        app._display = lambda screen, update: (frames.append(update), original(screen, update))[1]
        for _ in range(3):
            queue.table.refresh()
            queue.query_one("#queue-status").refresh()
            await pilot.pause(0.05)
        assert [f for f in frames if f is not None] == []
        app.screen.query_one("#detail-body").refresh()  # its own changes still paint
        await wait_until(pilot, lambda: any(f is not None for f in frames), what="the detail's own repaint")
