"""The filter language is one for every list, but a term means something only where the kind has
what it filters by (issue 17): a list refuses a term it does not take, naming the kind, instead of
ignoring it; a request list finds its open requests past their due time with `breached`."""

from __future__ import annotations

import pytest

from desk.config import load_config
from desk.domain.filter_terms import parse
from desk.i18n import t
from desk.lists import paging, spec_for
from desk.services import requests

TAKEN = {
    "incident": ["p:1", "s:open", "g:network", "a:me", "cat:hardware", "ref:INC1", "breached"],
    "request": ["p:1", "s:open", "g:network", "a:me", "breached"],
    "problem": ["p:1", "s:open", "g:network", "a:me", "cat:hardware"],
    "change": ["s:open", "a:me"],
    "catalogue_draft": ["s:in_review"],
    "requirement": ["s:open"],
}
EVERY = TAKEN["incident"]


@pytest.mark.parametrize("kind", list(TAKEN))
def test_each_list_takes_its_terms_and_refuses_the_others_naming_the_kind(kind):
    vocab = spec_for(kind).vocabulary(load_config())
    for term in TAKEN[kind]:
        assert parse(f"vpn {term}", vocab).ok, term
    taken = {x.split(":")[0] for x in TAKEN[kind]}
    for term in (x for x in EVERY if x.split(":")[0] not in taken):
        parsed = parse(f"vpn {term}", vocab)
        assert [(e.key, e.params["term"]) for e in parsed.errors] == [
            (f"tui.filter.not_for.{kind}", term if ":" not in term else term.split(":")[0] + ":")], term
        start = 4
        assert (parsed.errors[0].start, parsed.errors[0].end) == (start, start + len(term))  # the term underlined


def test_the_refusal_reads_as_a_sentence_in_both_languages():
    vocab = spec_for("problem").vocabulary(load_config())
    error = parse("breached", vocab).errors[0]
    assert t(error.key, "en", **error.params) == (
        "`breached` does not apply to problems: they take `p:` `s:` `g:` `a:` `cat:`")
    assert t(error.key, "zh", **error.params) == "`breached` 不适用于问题：问题列表可用 `p:` `s:` `g:` `a:` `cat:`"
    change = parse("p:1", spec_for("change").vocabulary(load_config())).errors[0]
    assert t(change.key, "en", **change.params) == "`p:` does not apply to changes: they take `s:` `a:`"
    draft = parse("breached", spec_for("catalogue_draft").vocabulary(load_config())).errors[0]
    assert t(draft.key, "en", **draft.params) == "`breached` does not apply to catalogue drafts: they take `s:`"
    assert t(draft.key, "zh", **draft.params) == "`breached` 不适用于服务目录草稿：草稿列表可用 `s:`"


@pytest.mark.parametrize("kind, terms", [("incident", "`p:` `s:` `g:` `a:` `cat:` `ref:` `breached`"),
                                         ("change", "`s:` `a:`"), ("requirement", "`s:`")])
def test_a_mistyped_term_is_answered_with_the_terms_of_its_own_list(kind, terms):
    error = parse("vpn x:1", spec_for(kind).vocabulary(load_config())).errors[0]
    assert t(error.key, "en", **error.params) == f"unknown `x:`, use {terms}"
    assert t(error.key, "zh", **error.params) == f"`x:` 未知，可用 {terms}"


def test_breached_finds_the_open_requests_past_their_due_time(desk, clock):
    late = requests.create(desk, "li", title="Mailbox quota", checked=["all"], accept=True, priority=1)
    clock.advance(days=10)
    fresh = requests.create(desk, "li", title="New laptop", checked=["all"], accept=True, priority=1)
    done = requests.create(desk, "li", title="Old printer", checked=["all"], accept=True, priority=1)
    clock.advance(days=10)
    requests.dispatch(desk, "li", done.id, to="chen")
    requests.fulfil(desk, "chen", done.id, note="replaced")
    fresh_due = requests.create(desk, "li", title="VPN token", checked=["all"], accept=True, priority=4)
    spec = spec_for("request")
    vocab = spec.vocabulary(desk.config)
    ctx = paging.context(desk, "li")

    def ids(text):
        return sorted(spec.window(spec.make_filter("all", parse(text, vocab)), ctx, "age", 0, 50))

    assert ids("") == sorted([late.id, fresh.id, done.id, fresh_due.id])
    assert ids("breached") == sorted([late.id, fresh.id])  # the fulfilled one and the one not yet due are not
    assert ids("breached laptop") == [fresh.id]
