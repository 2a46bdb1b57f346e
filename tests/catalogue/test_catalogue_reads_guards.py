"""The catalogue's read API at its edges (desk/services/catalogue.py; issue 19,
tools/mutants/services_catalogue.toml): a version in force from its effective instant, the latest
one whose time has come, versions by number and oldest first, services found by id as typed, the
list by category then code without retired services, and search by code, any case, or everything."""

from __future__ import annotations

from datetime import timedelta

from desk.db import write_transaction
from desk.models import Service
from desk.services import catalogue, catalogue_load


def publish(desk, clock, code, *, after=timedelta(0), status="published", **changes):
    entry = {**catalogue.service_version(desk, code, at=clock() + timedelta(days=3650)).entry, **changes}
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, entry, actor_id=None, now=clock(), effective_at=clock() + after,
                                     status=status)


def test_a_version_is_in_force_from_its_effective_instant_the_latest_first(desk, clock):
    clock.advance(minutes=1)
    publish(desk, clock, "email", after=timedelta(hours=2), hours="business")
    publish(desk, clock, "email", after=timedelta(hours=3), hours="extended")
    listed = lambda: {s.code: s.number for s in catalogue.published_services(desk)}["email"]  # noqa: E731
    assert catalogue.service_version(desk, "email").number == 1 and listed() == 1  # neither in force yet
    clock.advance(hours=2)  # exactly the second version's effective time
    assert catalogue.service_version(desk, "email").number == 2 and listed() == 2
    assert catalogue.sla_terms(desk, "email")[1] == "business"  # its own calendar
    clock.advance(hours=1)
    assert catalogue.service_version(desk, "email").number == 3 and listed() == 3
    assert [v.number for v in catalogue.versions(desk, "email")] == [1, 2, 3]
    assert catalogue.version(desk, "email", 2).hours == "business" and catalogue.version(desk, "email", 4) is None


def test_a_service_is_found_by_its_id_as_typed_and_an_unknown_id_is_none(desk):
    email = Service.get(Service.code == "email")
    assert catalogue.service_version(desk, str(email.id)).code == "email"
    assert catalogue.service_id(desk, 99_999) is None and catalogue.service_id(desk, "99999") is None


def test_the_list_is_by_category_then_code_and_leaves_retired_services_out(desk, clock):
    listed = catalogue.published_services(desk)
    keys = [(s.category, s.code) for s in listed]
    assert keys == sorted(keys) and [s.code for s in listed] != sorted(s.code for s in listed)
    clock.advance(minutes=1)
    publish(desk, clock, "conference", status="retired")
    assert "conference" not in {s.code for s in catalogue.published_services(desk)}
    assert "conference" not in {s.code for s in catalogue.search(desk, "conference")}
    assert [s.code for s in catalogue.search(desk, "conference", retired=True)] == ["conference"]


def test_a_category_lists_the_services_filed_directly_under_it(desk):
    top = {s.category for s in catalogue.published_services(desk)}
    direct = next(c for c in top if "." not in c)  # a top category with services of its own
    assert {s.category for s in catalogue.published_services(desk, category=direct)} >= {direct}


def test_search_by_code_in_any_case_and_an_empty_search_lists_everything(desk):
    assert "core-banking" in {s.code for s in catalogue.search(desk, "CORE-BANK")}
    assert "vm-provision" in {s.code for s in catalogue.search(desk, "Virtual Machines")}
    assert len(catalogue.search(desk, "  ")) == len(catalogue.published_services(desk))


def test_services_held_before_versions_without_a_category_are_filed_under_one_other(desk):
    """A second one made `desk init` fail: the category "other" was created again."""
    for code, name in (("legacy-fax", "Fax"), ("legacy-telex", "Telex")):
        Service.create(code=code, name_en=name, name_zh=name, category="", hours="24x7", sla="{}")
    assert catalogue_load.load_sample(desk) == 2
    assert {catalogue.service_version(desk, c).category for c in ("legacy-fax", "legacy-telex")} == {"other"}
    assert [c.name("zh") for c in catalogue.categories(desk) if c.code == "other"] == ["其他"]
