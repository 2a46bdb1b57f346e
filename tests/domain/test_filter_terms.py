"""The filter bar's language: terms become filter fields, bad terms become spans to underline,
and nothing a user types makes the parser raise."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desk.config import load_config
from desk.domain.filter_terms import ParsedFilter, describe, parse
from desk.services.queue import vocabulary

VOCAB = vocabulary(load_config(None))
OPEN = {"new", "assigned", "in_progress"}


def test_free_text_only():
    p = parse("  printer   jams ", VOCAB)
    assert p.ok and p.text == "printer jams"
    assert not (p.priorities or p.statuses or p.groups or p.assignees or p.categories or p.breached)


def test_every_term():
    p = parse("p:1 s:open g:network a:me cat:hardware breached vpn", VOCAB)
    assert p.ok
    assert p.priorities == {1}
    assert p.statuses == OPEN
    assert p.groups == {"network"}
    assert p.assignees == {"me"}
    assert p.categories == {"hardware"}
    assert p.breached is True
    assert p.text == "vpn"


def test_lists_and_repeats_union():
    p = parse("p:1,2 p:4 s:new,resolved a:wang a:li", VOCAB)
    assert p.priorities == {1, 2, 4}
    assert p.statuses == {"new", "resolved"}
    assert p.assignees == {"wang", "li"}


def test_labels_in_both_languages_and_case():
    p = parse("P:Urgent S:New g:网络组 cat:硬件", VOCAB)
    assert p.ok, p.errors
    assert (p.priorities, p.statuses, p.groups, p.categories) == ({1}, {"new"}, {"network"}, {"hardware"})
    assert parse("p：紧急", VOCAB).priorities == {1}  # full-width colon from a Chinese input method


def test_quoted_phrase_and_text_that_only_looks_like_a_term():
    p = parse('"disk full" 10:30 http://intranet error: C:', VOCAB)
    assert p.ok
    assert p.text == "disk full 10:30 http://intranet error: C:"


def test_unknown_key_is_an_error_with_its_span():
    source = "vpn x:1 p:1"
    p = parse(source, VOCAB)
    assert not p.ok
    (err,) = p.errors
    assert source[err.start:err.end] == "x:1"
    assert err.key == "tui.filter.unknown_key"
    assert p.priorities == {1} and p.text == "vpn"  # the rest still parses


def test_bad_value_names_the_known_values():
    source = "p:9 g:nowhere"
    p = parse(source, VOCAB)
    assert [source[e.start:e.end] for e in p.errors] == ["p:9", "g:nowhere"]
    assert p.errors[0].key == "tui.filter.bad_value"
    assert "1" in p.errors[0].params["known"] and "4" in p.errors[0].params["known"]
    assert p.priorities == frozenset() and p.groups == frozenset()


def test_empty_value_and_bad_login():
    p = parse("s: a:bad/login", VOCAB)
    assert [e.key for e in p.errors] == ["tui.filter.empty_value", "tui.filter.bad_value"]


def test_describe_is_canonical():
    p = parse("vpn cat:network breached p:2,1", VOCAB)
    assert describe(p) == "p:1,2 cat:network breached vpn"
    assert describe(ParsedFilter()) == ""


@given(st.text(max_size=200))
def test_never_raises_and_spans_are_inside(text):
    p = parse(text, VOCAB)
    for err in p.errors:
        assert 0 <= err.start < err.end <= len(text)


@given(st.lists(st.sampled_from(["p:1", "s:open", "g:network", "a:me", "cat:hardware", "breached", "vpn",
                                 "x:y", "p:", "\"a b\"", "：", "p:1,,2", "a:", "s:closed"]), max_size=8))
def test_terms_in_any_order(words):
    p = parse(" ".join(words), VOCAB)
    assert isinstance(p.text, str)
    assert p.breached == ("breached" in words)
