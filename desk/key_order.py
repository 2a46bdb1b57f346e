"""Keys typed in one burst go where a person expects (issue 11, item 6).

Textual hands a key to the focused widget by posting it to that widget's queue, and reads the
next key at once. A key the widget does not take (Tab, `/`, `n`) travels back up to the app,
where its binding runs: by then every key typed after it has already been posted to the old
focused widget. "Printer jam", Tab, "Wang Wei" sent at once (a paste, a fast typist, tmux
send-keys) gave the title "Printer jamWang Wei".

`KeyOrder` (mixed into every App of desk) hands keys on one at a time: after a key it posts a
`KeyPassed` marker to the same widget. The marker follows the key up the same queues (each
queue is first in, first out, and the marker bubbles), so it reaches the app after the key's
binding ran; the keys typed meanwhile wait in the app. They are handed on after one more turn
of the app's queue, which also runs the focus moves the binding scheduled (`Widget.focus()`
moves the focus with `call_later`), and once a screen the key opened has focused its first field. Only public
Textual API is used (`on_event`, `Key.is_forwarded`, `post_message`, `call_later`); the
order of the queues it relies on is checked by tests/tui/test_key_burst.py, which fails if a
Textual upgrade changes it.

A key whose work moves the focus only later (once its data is in) asks the keys after it to wait
with `pause_keys` until then.

A marker can be lost when the widget holding it is removed (Esc closing a dialog): the held
keys are then handed on after MARKER_WAIT seconds at most rather than never; a screen that
never focuses a field gets SCREEN_WAIT.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from textual import events
from textual.message import Message

MARKER_WAIT = 0.5  # seconds: only a lost marker waits this long
SCREEN_WAIT = 2.0  # seconds a screen a key opened may take to focus its first field
PAUSE_WAIT = 1.0  # seconds keys may wait for a key's work that paused them (pause_keys)


class KeyPassed(Message, bubble=True):
    """Posted behind a key to the widget that got it; reaching the app, the key was handled."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyOrder:
    """Mixin for textual.app.App: keys and pastes are handled one at a time, in the order typed."""

    def _key_order_state(self):
        state = self.__dict__.get("_key_order")
        if state is None:
            state = self.__dict__["_key_order"] = _State()
        return state

    async def on_event(self, event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            state = self._key_order_state()
            if state.in_flight is not None or state.held or state.paused is not None:
                state.held.append(event)
                return
            await self._hand_on(event)
            return
        await super().on_event(event)

    async def _hand_on(self, event) -> None:
        state = self._key_order_state()
        while self._typed_into_field(event):
            # A character typed into a text field stays there: the next key may follow at once
            # (a burst of typing costs no round trip per key).
            await super().on_event(event)
            if not state.held:
                return
            event = state.held.popleft()
        screen = self.screen
        await super().on_event(event)  # priority bindings, then to the focused widget
        state.serial += 1
        state.in_flight = state.serial
        state.screen = screen
        target = self.focused or self.screen
        if not target.post_message(KeyPassed(state.serial)):
            self._key_passed(state.serial)
            return
        if state.watchdog is not None:
            state.watchdog.stop()
        state.watchdog = self.set_timer(MARKER_WAIT, lambda serial=state.serial: self._key_passed(serial))

    def _typed_into_field(self, event) -> bool:
        """Whether the focused widget is a text field that takes this key (a printable character,
        or a paste) itself, so that it cannot move the focus."""
        focused = self.focused
        if focused is None or not _is_text_field(type(focused)) or getattr(focused, "read_only", False):
            return False
        return isinstance(event, events.Paste) or event.is_printable

    def on_key_passed(self, message: KeyPassed) -> None:
        message.stop()
        self._key_passed(message.serial)

    def _key_passed(self, serial: int) -> None:
        state = self._key_order_state()
        if state.in_flight != serial or state.passed == serial:
            return  # a late marker after the watchdog handed the keys on
        state.passed = serial
        if state.watchdog is not None:
            state.watchdog.stop()
            state.watchdog = None
        # one more turn of the app's queue: focus moves the key's binding scheduled run first
        self.call_later(self._settled, serial)

    async def _settled(self, serial: int) -> None:
        state = self._key_order_state()
        if state.in_flight != serial:
            return
        if state.paused is not None:  # the key's work asked the next keys to wait (pause_keys)
            return
        screen = self.screen
        if screen is not state.screen and state.screen is not None:
            # The key opened a screen. The keys typed after it are for that screen's first field:
            # wait (once) until it has one, or says it is ready for keys (HOLDS_TYPED_KEYS).
            state.screen = None
            if getattr(screen, "HOLDS_TYPED_KEYS", False):
                if getattr(screen, "keys_ready", False):  # ready already: its focus move may be queued
                    self._screen_ready(serial)
                    return
                state.waiting = screen
            elif screen.focused is None and (not screen.is_mounted or screen.focus_chain):
                self.watch(screen, "focused", lambda focused: self._screen_ready(serial), init=False)
            else:
                state.screen = screen
            if state.screen is None:
                state.watchdog = self.set_timer(SCREEN_WAIT, lambda: self._screen_ready(serial))
                return
        state.in_flight = None
        if state.held:
            await self._hand_on(state.held.popleft())

    def _pause_keys(self) -> Callable[[], None]:
        state = self._key_order_state()
        token = state.paused = object()
        timer = self.set_timer(PAUSE_WAIT, lambda: self._resume_keys(token))

        def resume() -> None:
            timer.stop()
            self._resume_keys(token)

        return resume

    def _resume_keys(self, token) -> None:
        state = self._key_order_state()
        if state.paused is not token:
            return
        state.paused = None
        if state.in_flight is not None:
            if state.passed == state.in_flight:  # (else its marker, once back, settles it)
                self.call_later(self._settled, state.in_flight)
        elif state.held:
            self.call_later(self._hand_on_held)

    async def _hand_on_held(self) -> None:
        state = self._key_order_state()
        if state.in_flight is None and state.paused is None and state.held:
            await self._hand_on(state.held.popleft())

    def _screen_ready(self, serial: int) -> None:
        state = self._key_order_state()
        if state.in_flight != serial or state.screen is not None:
            return
        if state.watchdog is not None:
            state.watchdog.stop()
            state.watchdog = None
        state.waiting = None
        state.screen = self.screen  # (not None: this serial is released once)
        self.call_later(self._settled, serial)  # after the focus moves the screen has asked for


def ready_for_keys(screen) -> None:
    """A screen with HOLDS_TYPED_KEYS = True calls this once its fields are filled and its first
    field focused: the keys typed since the key that opened it are handed on now."""
    screen.keys_ready = True
    app = screen.app
    state = app.__dict__.get("_key_order") if isinstance(app, KeyOrder) else None
    if state is not None and state.waiting is screen and state.in_flight is not None:
        app._screen_ready(state.in_flight)


def pause_keys(app) -> Callable[[], None]:
    """The keys typed from now on wait (in the order typed) until the function returned is
    called, or PAUSE_WAIT seconds at most: for a key whose work puts the focus where the next keys
    belong only once its data is in (the filter bar's enter: the bar hides and the list takes the
    focus in the frame that shows the filtered rows). An app without KeyOrder: nothing waits."""
    if not isinstance(app, KeyOrder):
        return lambda: None
    return app._pause_keys()


_TEXT_FIELDS: dict[type, bool] = {}


def _is_text_field(cls: type) -> bool:
    """An Input or a TextArea (or a subclass), told by its classes' names: importing TextArea
    here would add ~160 ms to desk's start for a widget only the dialogs use."""
    known = _TEXT_FIELDS.get(cls)
    if known is None:
        known = _TEXT_FIELDS[cls] = any(c.__name__ in ("Input", "TextArea") and c.__module__.startswith("textual.")
                                        for c in cls.__mro__)
    return known


class _State:
    __slots__ = ("held", "in_flight", "passed", "paused", "serial", "screen", "watchdog", "waiting")

    def __init__(self) -> None:
        self.held: deque = deque()
        self.in_flight: int | None = None
        self.passed = 0
        self.serial = 0
        self.screen = None
        self.watchdog = None
        self.waiting = None
        self.paused = None  # a pause_keys token: keys wait until it is resumed
