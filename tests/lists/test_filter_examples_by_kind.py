"""Each list's filter bar teaches its own terms (issue 17): the example in its empty field and the
help line under it name the terms that list takes, and only those; the example parses on that
list. A kind added without its own example and help would show the incident queue's."""

from __future__ import annotations

import re

import pytest

from desk.config import load_config
from desk.domain.filter_terms import FLAGS, KEYS, parse
from desk.i18n import LANGS, catalogue
from desk.lists import KINDS, spec_for

_TERM = re.compile(r"(?<![\w:])(" + "|".join(KEYS) + r"):|\b(" + "|".join(FLAGS) + r")\b")


def _terms_named(text: str) -> set[str]:
    return {key or flag for key, flag in _TERM.findall(text)}


def _taken(vocab) -> set[str]:
    return set(KEYS + FLAGS) if vocab.terms is None else set(vocab.terms)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("lang", LANGS)
def test_the_example_and_the_help_name_exactly_the_terms_the_list_takes(kind, lang):
    spec = spec_for(kind)
    vocab = spec.vocabulary(load_config())
    messages = catalogue(lang)
    example, hint = messages[spec.filter_placeholder], messages[spec.filter_hint]
    assert _terms_named(hint) == _taken(vocab), hint
    assert _terms_named(example) and _terms_named(example) <= _taken(vocab), example
    terms = [word for word in example.replace("，", " ").split() if _terms_named(word)]
    assert terms and parse(" ".join(terms), vocab).ok, terms


def test_no_list_but_the_incident_queue_shows_the_incident_queue_s_example_or_help():
    incident = spec_for("incident")
    for kind in sorted(set(KINDS) - {"incident"}):
        spec = spec_for(kind)
        assert spec.filter_placeholder != incident.filter_placeholder, kind
        assert spec.filter_hint != incident.filter_hint, kind
