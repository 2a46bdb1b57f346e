"""Which request keys the key bar shows, by the user's role (the queue's and the detail's).

At 80 columns the bar holds about six action keys beside the filter, the sort and the help, and
the request flow has twenty. An approver presses two of them (`p` approve, `x` reject): both must
show, where the one bar for everybody showed `p` but never `x`, and greyed keys an approver may
never press took the room. So whoever may approve sees approve and reject first, then the desk's
keys their role may press; the others see the desk's keys (intake, accept, fulfil, close). A key
the role may never press is not shown at all; one its role may press but the row's status does not
allow stays, greyed. The help (`?`) lists every key either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desk.lists.request import KEYS

APPROVER = ("detail", "approve", "reject", "accept", "fulfil", "close")
DESK = ("detail", "new", "accept", "fulfil", "close")
DETAIL_APPROVER = ("approve", "reject", "accept", "fulfil", "close")  # (the detail: no open, no intake)
DETAIL_DESK = ("accept", "dispatch", "fulfil", "close")


def shown(may: Callable[[str], bool], detail: bool = False) -> frozenset[str]:
    """The actions shown in the key bar for a user who `may` (action -> may their role take it)."""
    if may("approve"):
        order = DETAIL_APPROVER if detail else APPROVER
    else:
        order = DETAIL_DESK if detail else DESK
    return frozenset(action for action in order if may(action))


def show_only(node, prefix: str, actions: frozenset[str]) -> None:
    """Show in the key bar the request keys in `actions` (binding ids `{prefix}{action}`), and none
    of the others. (A Binding's `show` has no public setter: the node's own `_bindings` map is
    rewritten, as desk.app's localise_bindings does; checked by tests/tui/test_textual_private_api.py.)"""
    bindings = node._bindings
    for key, items in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [
            replace(b, show=b.id[len(prefix):] in actions)
            if b.id and b.id.startswith(prefix) and b.id[len(prefix):] in KEYS else b
            for b in items
        ]
