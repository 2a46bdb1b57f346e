"""The catalogue's model and read API: the shipped sample, versions in force, immutability."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.db import write_transaction
from desk.domain import catalogue as rules
from desk.domain.errors import ValidationError
from desk.domain.sla import Targets
from desk.models import Service, ServiceVersion
from desk.services import catalogue, catalogue_load, incidents, setup


def test_init_publishes_the_shipped_catalogue_in_a_category_tree(desk):
    services = catalogue.published_services(desk)
    assert 10 <= len(services) <= 16
    assert {"email", "network", "core-banking", "desktop", "accounts", "database"} <= {s.code for s in services}
    tree = catalogue.categories(desk)
    top = [c.code for c in tree if not c.parent]
    assert top == ["end-user", "access", "network", "application", "datacenter"]
    assert any(c.parent == "application" for c in tree)
    assert {c.name("zh") for c in tree if not c.parent} >= {"终端服务", "账号与权限", "网络", "应用", "数据中心"}
    for s in services:
        assert s.number == 1 and s.orderable
        assert rules.problems(s.entry, desk.config.codes("priority"), catalogue.category_codes(desk)) == []
        assert s.name("en") != s.name("zh")


def test_a_version_carries_what_requests_and_sla_need(desk):
    terms = catalogue.service_version(desk, "core-banking")
    assert terms.targets_for(1) == Targets(5, 120) and terms.targets_for("4") == Targets(240, 2880)
    assert terms.targets_for(9) is None
    assert terms.hours == "24x7" and terms.needs_approval and terms.approval_levels == 2
    assert not terms.needs_cost_confirmation
    assert terms.checklist[0] == {"en": "Transaction code and serial number", "zh": "交易码及流水号"}
    assert terms.text("summary", "zh") == "各分支机构使用的核心交易系统。"
    assert catalogue.service_version(desk, terms.service_id).version_id == terms.version_id
    assert catalogue.service_version(desk, "no-such-service") is None
    assert catalogue.version_by_id(desk, terms.version_id) == terms


def test_init_again_publishes_nothing_new(desk):
    before = ServiceVersion.select().count()
    setup.init_database(desk)
    assert ServiceVersion.select().count() == before


def _changed(desk, code, **changes):
    entry = dict(catalogue.service_version(desk, code).entry)
    entry.update(changes)
    return entry


def test_a_new_version_is_in_force_from_its_effective_date_and_old_ones_stay_readable(desk, clock):
    old = catalogue.service_version(desk, "email")
    raised_before = clock()
    clock.advance(hours=1)
    entry = _changed(desk, "email", targets={**old.entry["targets"], "1": {"response": 5, "resolve": 60}})
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, entry, actor_id=None, now=clock(), effective_at=clock() + timedelta(days=1))
    assert catalogue.service_version(desk, "email").number == 1  # not in force yet
    clock.advance(days=1)
    new = catalogue.service_version(desk, "email")
    assert new.number == 2 and new.targets_for(1) == Targets(5, 60)
    assert catalogue.service_version(desk, "email", at=raised_before) == old
    assert catalogue.version_by_id(desk, old.version_id) == old
    assert [v.number for v in catalogue.versions(desk, "email")] == [1, 2]
    assert Service.get(Service.code == "email").current == 2


def test_a_version_may_not_take_effect_before_the_previous_one(desk, clock):
    entry = _changed(desk, "email")
    with pytest.raises(ValidationError) as err:
        with write_transaction(desk.db):
            catalogue_load.write_version(desk, entry, actor_id=None, now=clock(), effective_at=clock() - timedelta(days=1))
    assert err.value.key == "catalogue.error.effective_before"
    assert [v.number for v in catalogue.versions(desk, "email")] == [1]
    # version 1's start in the desk's zone (Shanghai, 8 hours ahead), as `--effective` is typed: not UTC
    local = catalogue.versions(desk, "email")[0].effective_at + timedelta(hours=8)
    assert err.value.params["at"] == f"{local:%Y-%m-%d %H:%M}"


def test_a_retired_service_is_not_ordered_and_takes_no_further_version(desk, clock):
    clock.advance(minutes=1)
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, _changed(desk, "conference"), actor_id=None, now=clock(), status="retired")
    assert "conference" not in {s.code for s in catalogue.published_services(desk)}
    assert "conference" in {s.code for s in catalogue.published_services(desk, retired=True)}
    assert not catalogue.service_version(desk, "conference").orderable
    with pytest.raises(ValidationError):
        with write_transaction(desk.db):
            catalogue_load.write_version(desk, _changed(desk, "conference"), actor_id=None, now=clock())


@pytest.mark.parametrize("sql", ["UPDATE service_version SET name_en = 'edited'", "DELETE FROM service_version"])
def test_the_database_refuses_to_edit_or_delete_a_published_version(desk, sql):
    with pytest.raises(Exception, match="immutable"):
        with desk.db.atomic():
            desk.db.execute_sql(sql)
    assert ServiceVersion.select().where(ServiceVersion.name_en == "edited").count() == 0


def test_category_filter_takes_the_subtree(desk):
    codes = {s.code for s in catalogue.published_services(desk, category="application")}
    assert {"core-banking", "email"} <= codes and "network" not in codes


def test_search_finds_names_and_summaries_in_both_languages(desk):
    assert [s.code for s in catalogue.search(desk, "核心")] == ["core-banking"]
    assert "vm-provision" in {s.code for s in catalogue.search(desk, "virtual machines")}
    assert "network" in {s.code for s in catalogue.search(desk, "vpn")}
    assert catalogue.search(desk, "nothing like this") == []


def test_a_service_held_before_versions_gets_its_version_1_from_its_own_row(desk):
    stub = Service.create(code="legacy-fax", name_en="Fax", name_zh="传真", category="", hours="08:00-18:00 Mon-Fri",
                          sla='{"1": {"response": 20, "resolve": 300}}')
    catalogue_load.load_sample(desk)
    terms = catalogue.service_version(desk, "legacy-fax")
    assert terms.number == 1 and terms.hours == "business" and terms.targets_for(1) == Targets(20, 300)
    assert terms.targets_for(2) == desk.config.targets(2)
    assert Service.get_by_id(stub.id).current == 1


def test_incidents_still_point_at_catalogue_services(desk):
    inc = incidents.create(desk, "li", title="mail down", impact=2, urgency=2, service="email")
    assert incidents.get(desk, inc.id).service == "email"
    with pytest.raises(ValidationError):
        incidents.create(desk, "li", title="x", impact=2, urgency=2, service="no-such")
