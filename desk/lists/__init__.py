"""One list machinery for every kind of record (docs/lists.md says how a kind plugs in).

A kind of record is described once, by a `ListSpec` (desk.lists.spec): its columns with widths
and cells, its filter terms, views, sort keys, row query and actions. The generic layers take a
spec: the reader thread (desk.widgets.queue_source.ListSource), the virtual table
(desk.widgets.record_table.RecordTable), change detection per entity (desk.lists.changes),
saved views carrying the kind (desk.services.saved_views). `spec_for(kind)` finds a kind's spec.

Nothing here imports textual: the CLI's start-up reads the first page through a spec.
"""

from __future__ import annotations

from importlib import import_module

# kind -> "module:attribute" of its ListSpec, imported when first asked for
KINDS = {
    "incident": "desk.lists.incident:INCIDENTS",
    "problem": "desk.lists.problem:PROBLEMS",
    "change": "desk.lists.change:CHANGES",
    "request": "desk.lists.request:REQUESTS",
    "catalogue_draft": "desk.lists.catalogue_inbox:DRAFTS",
    "requirement": "desk.lists.catalogue_inbox:REQUIREMENTS",
}


def spec_for(kind: str):
    """The ListSpec of `kind` (KeyError for a kind nobody registered)."""
    module, _, name = KINDS[kind].partition(":")
    return getattr(import_module(module), name)
