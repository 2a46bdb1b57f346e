"""Run a terminal program on a real pseudo-terminal and watch what it writes.

The child gets the slave side as its controlling terminal (120×40, TERM=xterm-256color,
COLORTERM=truecolor: what a user's SSH session looks like); the bench reads the master side and
keeps every chunk with its arrival time. Text search runs on the stream with escape sequences
removed, so "the first frame containing X" is the moment the bytes that complete X arrived.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/APC/PM (ESC P/_/^ ... ST), two-byte escapes.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[P_^][^\x1b]*\x1b\\"
    rb"|\x1b[()][0-9A-Za-z]"
    rb"|\x1b[@-Z\\-_=>78]"
)

KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "enter": b"\r",
    "escape": b"\x1b",
    "ctrl+q": b"\x11",
    "ctrl+c": b"\x03",
    "tab": b"\t",
    "backspace": b"\x7f",
}


def plain(data: bytes) -> str:
    """Terminal output with escape sequences removed (text only, as UTF-8)."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class PtySession:
    def __init__(self, argv: list[str], env: dict, cwd: str | None = None, cols: int = 120, rows: int = 40):
        self.argv = argv
        self.chunks: list[tuple[float, bytes]] = []
        self.buffer = bytearray()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(env)
        env.setdefault("TERM", "xterm-256color")
        env.setdefault("COLORTERM", "truecolor")
        env["COLUMNS"], env["LINES"] = str(cols), str(rows)

        def child_setup():  # runs in the child between fork and exec
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                                     start_new_session=True, preexec_fn=child_setup, close_fds=True)
        os.close(slave)
        self.master = master
        self.closed = False

    # --- reading ------------------------------------------------------------------------------
    def _read_once(self, timeout: float) -> bool:
        if self.closed:
            return False
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            self.closed = True
            return False
        if not data:
            self.closed = True
            return False
        self.chunks.append((time.perf_counter(), data))
        self.buffer += data
        return True

    @property
    def total(self) -> int:
        return len(self.buffer)

    def text(self) -> str:
        """Everything written so far, escape sequences removed."""
        return plain(bytes(self.buffer))

    def wait_for(self, needles, timeout: float) -> tuple[float | None, str | None]:
        """Wait until any of `needles` appears in the text; returns (arrival time, needle)."""
        deadline = time.perf_counter() + timeout
        checked = 0
        while True:
            if len(self.buffer) > checked:
                checked = len(self.buffer)
                text = plain(bytes(self.buffer))
                for needle in needles:
                    if needle in text:
                        return self.chunks[-1][0], needle
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (self.closed and len(self.buffer) == checked):
                return None, None
            self._read_once(min(remaining, 0.05))
            if self.proc.poll() is not None:
                # drain what is left, then give up if it never showed
                while self._read_once(0.05):
                    pass
                if len(self.buffer) == checked:
                    return None, None

    def wait_quiet(self, quiet: float, timeout: float) -> float | None:
        """Read until nothing arrives for `quiet` seconds (counted from the call or the last chunk,
        whichever is later); returns the time of the last chunk, or None on timeout."""
        start = time.perf_counter()
        deadline = start + timeout
        last_chunk = self.chunks[-1][0] if self.chunks else None
        mark = start
        while True:
            now = time.perf_counter()
            if now >= deadline:
                return None
            remaining = mark + quiet - now
            if remaining <= 0:
                return last_chunk
            if self._read_once(min(remaining, deadline - now)):
                last_chunk = mark = self.chunks[-1][0]
            elif self.closed:
                return last_chunk

    # --- writing ------------------------------------------------------------------------------
    def send(self, data: bytes | str) -> float:
        if isinstance(data, str):
            data = KEYS.get(data, data.encode())
        t = time.perf_counter()
        os.write(self.master, data)
        return t

    def key_burst(self, key: bytes | str, quiet: float = 0.25, timeout: float = 5.0) -> dict:
        """Press one key and collect the output it causes, until quiet. Returns bytes and timings."""
        self.wait_quiet(quiet, timeout)
        before_n = len(self.chunks)
        before_bytes = self.total
        sent = self.send(key)
        last = self.wait_quiet(quiet, timeout)
        new = self.chunks[before_n:]
        return {
            "bytes": self.total - before_bytes,
            "first_ms": (new[0][0] - sent) * 1000 if new else None,
            "last_ms": (new[-1][0] - sent) * 1000 if new else None,
            "timed_out": last is None,
        }

    # --- ending -------------------------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_kb(self) -> int | None:
        return rss_kb(self.proc.pid)

    def close(self, quit_key: bytes | None = KEYS["ctrl+q"], grace: float = 3.0) -> None:
        try:
            if self.proc.poll() is None and quit_key:
                try:
                    self.send(quit_key)
                except OSError:
                    pass
                deadline = time.perf_counter() + grace
                while self.proc.poll() is None and time.perf_counter() < deadline:
                    self._read_once(0.05)
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(2)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(2)
        finally:
            try:
                os.close(self.master)
            except OSError:
                pass
            self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
