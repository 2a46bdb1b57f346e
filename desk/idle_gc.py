"""The garbage collector's full passes, moved to moments when nobody is waiting for the screen.

Python runs a full (oldest-generation) pass once enough objects have outlived the young passes.
In a desk session that pass walks everything the session keeps (rows read, lines drawn, details
read ahead): 8-13 ms on a busy queue, falling wherever an allocation happens to tip it, which
is often inside a key press (it was most of the filter's p95). The young passes stay automatic
(0.1-1 ms); the full pass is held back and run when the user has not pressed a key for `idle`
seconds, and at the latest once `hold` full passes are owed, so memory stays bounded even under
a key held down.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

OWED = 10  # young-pass rounds before a full pass is due (CPython's own default threshold)
NEVER = 1 << 30


class IdleCollector:
    def __init__(self, last_input: Callable[[], float], idle: float = 0.5, hold: int = 10,
                 clock: Callable[[], float] = time.monotonic, gc_module=gc) -> None:
        self._last_input = last_input
        self._idle = idle
        self._hold = hold
        self._clock = clock
        self._gc = gc_module
        self._saved: tuple[int, ...] | None = None

    def start(self) -> None:
        if self._saved is None:
            self._saved = self._gc.get_threshold()
            young, middle, _ = self._saved
            self._gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._saved is not None:
            self._gc.set_threshold(*self._saved)
            self._saved = None

    def tick(self) -> bool:
        """Run the full pass if one is due and the moment is right; True if it ran."""
        if self._saved is None:
            return False
        owed = self._gc.get_count()[2]
        if owed < OWED:
            return False
        if owed < OWED * self._hold and self._clock() - self._last_input() < self._idle:
            return False
        self._gc.collect(2)
        return True
