"""One layout for `desk incident|request|problem|change show`: each kind describes what it shows as
data (a `Show`: its fields by label key and how each value reads, then its blocks in order) and this
module prints it the one way a person reads every record (the fields and their values:
desk/record_fields.py, which the TUI's details read too):

    P12  <title>
      Status    Under investigation          <- the fields, values in one column ("—": nothing yet)
      …
                                             <- then the blocks: texts ("Root cause:" and the text),
    Linked incidents: 2                         linked records, checklists, …
      #3       P2  …

    History                                  <- the history, rows as the TUI's detail reads them
        1  2026-12-08 09:00  li   created  Status: — → New
    Times in Asia/Shanghai.

Untrusted text (titles, names, notes, free text) never reaches the terminal raw: a field's value is
made one line (`one_line`), a block's text neutralised (`neutralise`), here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from desk.cli_format import cell_width, fit
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.domain.text import neutralise, one_line
from desk.history_labels import sentence
from desk.i18n import t
from desk.record_fields import Field, View, labelled


Block = Callable[[View, Any], list]  # lines, the first one blank; [] leaves the block out


@dataclass(frozen=True)
class Show:
    mark: str  # before the id: '#12', 'P12', 'C12', 'R12'
    read: Callable[[Any, int], Any]  # (desk, id) -> the record's detail (NotFound: one line, exit 1)
    label: Callable[[str, str], str]  # (key, lang) -> a field's name
    fields: tuple[Field, ...]
    blocks: tuple[Block, ...]  # after the fields, in order; the history comes last
    history_value: Callable[[View, str, Any], str]  # a changed field's value in the history
    extra: Callable[[Any, Any], Any] | None = None  # (desk, detail) -> read beside it, for View.extra
    to_json: Callable[[View, Any], dict] = lambda v, d: d.to_json()
    agent: bool = False  # refuse someone who is not an agent before reading (open_for)

    def command(self, args) -> int:
        desk = open_for(args, agent=True) if self.agent else open_for(args)
        d = self.read(desk, args.id)
        lang = desk.lang
        v = View(desk, lang, desk.config, when_of(desk), lambda key: self.label(key, lang))
        if self.extra is not None:
            v = v._replace(extra=self.extra(desk, d))
        if args.json:
            emit_json(self.to_json(v, d))
            return 0
        say(f"{self.mark}{d.id}  {one_line(d.title)}")
        for line in self.lines(v, d):
            say(line)
        say_zone(desk)
        return 0

    def lines(self, v: View, d) -> Iterable[str]:
        rows = labelled(self.fields, v, d)
        width = max(cell_width(v.label(f.key)) for f, _ in rows)
        for f, value in rows:
            yield f"  {fit(v.label(f.key), width)}  {one_line(value) or '—'}"  # (nothing yet: a dash)
            for line in f.under(v, d) if f.under else ():
                yield f"  {' ' * width}  {line}"
        for block in self.blocks:
            yield from block(v, d)
        yield from self.history(v, d.history)

    def history(self, v: View, entries) -> Iterable[str]:
        """The history's rows as the TUI's detail reads them: who, when, what, the fields changed
        by their names and values' labels, the note below; some rows read as one sentence."""
        yield ""
        yield t("detail.history", v.lang)
        for h in entries:
            line = f"  {h.seq:>3}  {v.when(h.at)}  {one_line(h.actor):<12} "
            said = sentence(h.action, h.actor, h.changes, h.note, v.lang)  # (its note in it)
            if said:
                yield line + said
                continue
            changes = ", ".join(f"{v.label(k)}: {self.history_value(v, k, x[0])} → {self.history_value(v, k, x[1])}"
                                for k, x in h.changes.items())
            yield line + t("action." + h.action, v.lang) + (f"  {changes}" if changes else "")
            if h.note:
                yield "       " + one_line(h.note, 200)


# --- blocks ---------------------------------------------------------------------------------------

def texts(*names: str) -> Block:
    """Each free text that is there: its label, then the text literally (neutralised, lines kept)."""
    def block(v, d):
        out = []
        for name in names:
            if getattr(d, name):
                out += ["", f"{v.label(name)}:", neutralise(getattr(d, name))]
        return out

    return block


def para(line: Callable[[View, Any], str]) -> Block:
    """One paragraph (left out when empty): `line` makes its text safe itself."""
    def block(v, d):
        got = line(v, d)
        return ["", got] if got else []

    return block


def listed(items: Callable[[View, Any], list], heading: Callable[[View, Any], str],
           line: Callable[[View, Any], str], *, always: bool = False) -> Block:
    """A heading and a line per item (linked records, decisions, checklist items); left out when
    there are none unless `always` (the heading then says there are none)."""
    def block(v, d):
        got = items(v, d)
        if not got and not always:
            return []
        return ["", heading(v, d), *(line(v, x) for x in got)]

    return block

