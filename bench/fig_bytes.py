"""Figure 4: bytes written to the terminal, per cursor move, per page down, and the first frame.

Read from the master side of the pty: after a key press, every byte until the output stays quiet
for 0.3 s. The first frame is everything from start until the queue with rows has painted and the
screen is quiet (escape sequences for modes, colours and cursor moves included). This is what an
agent on a slow SSH link pays: at 2 KB/s (a poor mobile link), 1 KB is half a second.
"""

from __future__ import annotations

from bench import tui_sessions
from bench.harness import Context, FigureResult, median

NUMBER, ID, TITLE = 4, "bytes", "Bytes written to the terminal"
KB = 1000


def _bursts(runs: list[dict], key: str, field: str = "bytes") -> list[float]:
    """Per key press; a press that wrote nothing (the cursor already at the end) is not a move."""
    return [b[field] for r in runs for b in r.get(key, []) if b.get(field) is not None and b.get("bytes")]


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    s = tui_sessions.run_sessions(ctx)
    large, small = s["large"], s["small"]
    down = _bursts(large, "down")
    page = _bursts(large, "pagedown")
    first = [r["first_frame_bytes"] for r in large]
    result.add("cursor_kb", f"one cursor move ({ctx.large_label})", _kb(median(down)), "KB", "<=", 1.5,
               samples=len(down))
    result.add("first_frame_kb", f"first frame ({ctx.large_label})", _kb(median(first)), "KB", "<=", 60,
               samples=len(first))
    result.add("pagedown_kb", f"one page down ({ctx.large_label})", _kb(median(page)), "KB", samples=len(page))
    result.add("cursor_max_kb", "largest cursor move seen", _kb(max(down) if down else None), "KB")
    result.add("cursor_small_kb", f"one cursor move ({ctx.small_label})", _kb(median(_bursts(small, "down"))), "KB")
    result.add("first_frame_bare_kb", "first frame of the bare app",
               _kb(median([r["first_frame_bytes"] for r in s["bare"]])), "KB")
    result.add("cursor_ms_pty", f"cursor move, key to last byte on the pty ({ctx.large_label})",
               median(_bursts(large, "down", "last_ms")), "ms")
    result.add("pagedown_ms_pty", f"page down, key to last byte on the pty ({ctx.large_label})",
               median(_bursts(large, "pagedown", "last_ms")), "ms")
    result.notes.append("1 KB = 1000 bytes; 120×40 pty, TERM=xterm-256color, COLORTERM=truecolor")
    return result


def _kb(value):
    return None if value is None else value / KB
