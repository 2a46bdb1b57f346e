"""A new service's draft or an accepted SLR given no code is told the code is required: the
sentence about a malformed code read "the code  must be …" (two spaces, no code) with an empty one."""

from __future__ import annotations

import pytest

from desk.domain.errors import ValidationError
from desk.models import CatalogueDraft
from desk.services import catalogue_flow as flow


def test_a_new_service_s_draft_without_a_code_is_told_the_code_is_required(desk):
    before = CatalogueDraft.select().count()
    with pytest.raises(ValidationError) as caught:
        flow.open_draft(desk, "catm", code="", kind="new")
    assert caught.value.message("en") == "code is required"
    assert CatalogueDraft.select().count() == before


@pytest.mark.parametrize("lang, said", [("en", "code is required"), ("zh", "代码为必填项")])
def test_an_slr_accepted_without_a_code_is_told_the_code_is_required(desk, lang, said):
    """(its code was named `code` in Chinese too: "code 为必填项")"""
    req = flow.raise_requirement(desk, "catm", title="Mobile banking app support")
    with pytest.raises(ValidationError) as caught:
        flow.accept_requirement(desk, "ops", req.id, code="")
    assert caught.value.message(lang) == said
    assert flow.requirement(desk, req.id).status == "open"
