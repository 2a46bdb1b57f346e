"""A database from before the catalogue had versions (schema <= 5), and service rows following
versions another desk published (issue 19, catalogue_load). `desk init` gives each service row the
config does not name a version 1 made from the row itself: its own targets, each as itself, the
configured ones where it has none or its old SLA text is unreadable, its code where it has no name,
its name where it has no summary, 24x7 where no hours were recorded, its own category; no second
version of a service the config names or that has versions; nothing in history. `follow_newest`
(`desk import`) moves each row behind its newest version forward, and only those."""

from __future__ import annotations

import json
from datetime import timedelta

from desk.db import write_transaction
from desk.domain.sla import Targets
from desk.models import History, Service, ServiceCategory, ServiceVersion
from desk.services import catalogue, catalogue_load


def _versions(code: str) -> list[int]:
    sid = Service.get(Service.code == code).id
    return [v.number for v in ServiceVersion.select().where(ServiceVersion.service == sid)]


def test_init_on_a_database_from_before_versions_makes_each_rows_version_1_from_the_row(desk):
    Service.create(code="legacy-fax", name_en="Fax", name_zh="传真", category="legacy", hours="",
                   sla=json.dumps({"1": {"response": 20}, "2": {"response": 30, "resolve": 400}}))
    Service.create(code="legacy-telex", name_en="", name_zh="", category="", hours="24x7", sla="not json")
    entries_before = ServiceVersion.select().count()
    assert catalogue_load.load_sample(desk) == 2  # the two rows alone: the sample's services have versions
    assert ServiceVersion.select().count() == entries_before + 2

    fax = catalogue.service_version(desk, "legacy-fax")
    assert (fax.number, fax.hours, fax.category) == (1, "24x7", "legacy")
    assert (fax.entry["summary_en"], fax.entry["summary_zh"]) == ("Fax", "传真")
    assert fax.targets_for(2) == Targets(30, 400)
    assert fax.targets_for(1) == Targets(20, desk.config.targets(1).resolve_minutes)
    assert fax.targets_for(3) == desk.config.targets(3)
    assert ServiceCategory.get(ServiceCategory.code == "legacy").name_en == "legacy"

    telex = catalogue.service_version(desk, "legacy-telex")
    assert (telex.entry["name_en"], telex.entry["name_zh"], telex.category) == ("legacy-telex", "legacy-telex", "other")
    assert all(telex.targets_for(p) == desk.config.targets(p) for p in desk.config.codes("priority"))

    stubs = [Service.get(Service.code == c).id for c in ("legacy-fax", "legacy-telex")]
    assert History.select().where((History.entity == "catalogue") & History.entity_id.in_(stubs)).count() == 0
    assert catalogue_load.load_sample(desk) == 0  # a second init: every service has its versions
    assert _versions("legacy-fax") == [1] and _versions("email") == [1]


def test_a_row_the_config_names_takes_its_version_1_from_the_config(desk):
    entry = dict(desk.config.data["service"][0])
    entry.update(code="legacy-fax", name_en="Fax, as configured", name_zh="传真（配置）")
    desk.config.data["service"] = [*desk.config.data["service"], entry]
    Service.create(code="legacy-fax", name_en="Fax, as the row says", name_zh="传真", category="", hours="24x7",
                   sla="{}")
    assert catalogue_load.load_sample(desk) == 1
    assert _versions("legacy-fax") == [1]
    assert catalogue.service_version(desk, "legacy-fax").entry["name_en"] == "Fax, as configured"


def _append(desk, code: str, **changes) -> None:
    """The next version of `code` appended as `desk import` appends another desk's: the service row
    untouched."""
    sid = Service.get(Service.code == code).id
    last = ServiceVersion.select().where(ServiceVersion.service == sid).order_by(ServiceVersion.number.desc()).get()
    data = {f.name: getattr(last, f.name) for f in ServiceVersion._meta.sorted_fields if f.name != "id"}
    data.update(number=last.number + 1, effective_at=last.effective_at + timedelta(minutes=1),
                published_at=last.published_at + timedelta(minutes=1), **changes)
    with write_transaction(desk.db):
        ServiceVersion.create(**data)


def test_rows_behind_their_newest_version_follow_it_and_only_those(desk):
    before = {s.code: s for s in Service.select()}
    _append(desk, "email", name_en="Mail, second")
    _append(desk, "conference", status="retired")
    with write_transaction(desk.db):
        assert catalogue_load.follow_newest(desk) == 2
    email, conference = Service.get(Service.code == "email"), Service.get(Service.code == "conference")
    assert (email.current, email.name_en, email.status) == (2, "Mail, second", "published")
    assert (conference.current, conference.status) == (2, "retired")
    assert email.version == before["email"].version + 1  # a form opened on the old row is refused
    others = {s.code: s.version for s in Service.select() if s.code not in ("email", "conference")}
    assert others == {code: s.version for code, s in before.items() if code not in ("email", "conference")}
    with write_transaction(desk.db):
        assert catalogue_load.follow_newest(desk) == 0  # every row follows: the same file again moves none
    assert Service.get(Service.code == "email").version == email.version
