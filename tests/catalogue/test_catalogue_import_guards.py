"""`desk catalogue import`'s rules test_catalogue_cli.py did not tell apart (issue 19,
tools/mutants/services_catalogue_io.toml and services_catalogue_load.toml): who may publish from a
file, what kind of draft a service becomes and on which version, a draft already pending left
alone, and the category tree renamed and extended from the file."""

from __future__ import annotations

import pytest
import tomli_w

from desk.domain.errors import NotAllowed
from desk.models import CatalogueDraft, ServiceVersion
from desk.services import catalogue, catalogue_flow, catalogue_io


def write(tmp_path, doc) -> str:
    path = tmp_path / "catalogue.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return str(path)


def renamed(desk, code, name):
    doc = catalogue_io.export_document(desk)
    doc["service"] = [{**s, "name_en": name} if s["code"] == code else s for s in doc["service"]]
    return doc


def test_a_maintainer_may_not_publish_from_a_file(desk, tmp_path):
    path = write(tmp_path, renamed(desk, "conference", "Video meetings"))
    before = (catalogue_io.export_text(desk), ServiceVersion.select().count(), CatalogueDraft.select().count())
    with pytest.raises(NotAllowed):
        catalogue_io.import_file(desk, "catm", path, publish=True)
    assert (catalogue_io.export_text(desk), ServiceVersion.select().count(), CatalogueDraft.select().count()) == before
    assert catalogue_io.import_file(desk, "catm", path).drafts  # a draft for review they may open


def test_a_changed_service_is_a_change_of_its_version_a_new_one_is_new(desk, tmp_path):
    doc = renamed(desk, "conference", "Video meetings")
    email = next(s for s in doc["service"] if s["code"] == "email")
    doc["service"].append({**email, "code": "mail-archive", "name_en": "Mail archive"})
    result = catalogue_io.import_file(desk, "catm", write(tmp_path, doc))
    drafts = {code: CatalogueDraft.get_by_id(i) for code, i in result.drafts}
    assert set(drafts) == {"conference", "mail-archive"}
    assert (drafts["conference"].kind, drafts["conference"].base) == ("change", 1)
    assert (drafts["mail-archive"].kind, drafts["mail-archive"].base) == ("new", 0)


@pytest.mark.parametrize("step", ["approve", "return"])
def test_a_draft_approved_or_returned_with_the_same_entry_is_not_opened_again(desk, tmp_path, step):
    path = write(tmp_path, renamed(desk, "conference", "Video meetings"))
    ((_, draft_id),) = catalogue_io.import_file(desk, "catm", path).drafts
    if step == "approve":
        catalogue_flow.approve(desk, "ops", draft_id)
    else:
        catalogue_flow.return_draft(desk, "ops", draft_id, comments="say who books the rooms")
    again = catalogue_io.import_file(desk, "catm", path)
    assert (again.drafts, again.unchanged.count("conference")) == ([], 1)
    assert CatalogueDraft.select().where(CatalogueDraft.code == "conference").count() == 1


def test_a_file_renames_a_category_and_adds_one_under_its_parent(desk, tmp_path):
    doc = catalogue_io.export_document(desk)
    doc["service_category"] = [{**c, "en": "Workplace services"} if c["code"] == "end-user" else c
                               for c in doc["service_category"]]
    doc["service_category"].append({"code": "end-user.print", "parent": "end-user", "en": "Printing", "zh": "打印"})
    catalogue_io.import_file(desk, "ops", write(tmp_path, doc), publish=True)
    tree = {c.code: c for c in catalogue.categories(desk)}
    assert tree["end-user"].name_en == "Workplace services"
    assert (tree["end-user.print"].parent, tree["end-user.print"].name_zh) == ("end-user", "打印")
    assert ServiceVersion.select().where(ServiceVersion.number > 1).count() == 0  # the services are unchanged
