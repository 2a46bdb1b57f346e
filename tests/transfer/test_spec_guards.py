"""What an export carries and how an import reads it back (desk/services/transfer/spec.py, issue 19;
tools/mutants/services_transfer_spec.toml), each rule a removed or inverted line would break: the
tables left out, how a row the target desk has already is recognised (a group by its code, an
agent by their login — never by a key that may be empty), every id the import must map (ids kept
without a foreign key too), each table read after the tables it points at and history last, the
columns written as times and as true/false, and the record kinds history names."""

from __future__ import annotations

from desk.services.transfer import spec


def by_name():
    return {s.name: s for s in spec.specs()}


def test_the_databases_own_settings_and_the_origins_table_are_left_out():
    names = set(by_name())
    assert "setting" not in names and "transfer_origin" not in names
    assert {"incident", "history", "agent", "group"} <= names


def test_the_title_search_and_the_report_summary_are_indexes_rebuilt_not_carried():
    assert spec.derived("incident_fts") and spec.derived("incident_fts_data") and spec.derived("report_day_marks")
    assert spec.derived("problem_fts_data") and spec.derived("change_fts_terms")
    assert not spec.derived("incident") and not spec.derived("report")


def test_a_row_the_target_has_already_is_recognised_by_its_natural_key():
    specs = by_name()
    assert specs["group"].natural_key == ("code",)  # a unique column
    assert specs["agent"].natural_key == ("login",)
    assert specs["service_version"].natural_key == ("service_id", "number")  # a unique index
    assert specs["incident"].natural_key is None


def test_a_unique_key_that_may_be_empty_recognises_nothing():
    """An alert's open key is empty once cleared: two cleared alerts are not the same alert."""
    alert = by_name()["alert"]
    assert alert.natural_key is None and alert.nullable_unique == ("open_key",)
    assert by_name()["incident"].nullable_unique == ()  # its origin is its own column


def test_every_id_an_import_must_map_is_known_with_its_table():
    specs = by_name()
    assert specs["agent"].refs == {"group_id": "group"}
    assert specs["service_request"].refs["service_version"] == "service_version"  # an id kept without a key
    assert specs["service_category"].refs == {"parent_id": "service_category"}


def test_each_table_comes_after_the_tables_it_points_at_and_soft_references_last():
    order = [s.name for s in spec.specs()]
    for s in spec.specs():
        for target in s.refs.values():
            if target != s.name and target in order:
                assert order.index(target) < order.index(s.name), (s.name, target)
    soft = [s.soft_ref for s in spec.specs()]
    assert soft == sorted(soft) and soft[-1]  # every soft reference after every other table
    assert by_name()["history"].soft_ref and not by_name()["incident"].soft_ref


def test_the_kind_of_each_table_is_known():
    specs = by_name()
    assert specs["history"].chained and not specs["refusal"].chained
    assert specs["incident"].origin_column and not specs["problem"].origin_column
    assert specs["incident"].versioned and not specs["history"].versioned
    assert all(s.auto_id for s in specs.values()) and specs["incident"].pk == "id"
    assert specs["incident"].columns[0] == "id"


def test_times_and_flags_are_written_as_such():
    specs = by_name()
    assert {"opened_at", "due_at", "closed_at"} <= specs["incident"].times and "title" not in specs["incident"].times
    assert specs["agent"].flags == frozenset({"active"})
    assert "period_start" in specs["report"].times  # a date


def test_the_kinds_history_names_are_their_tables():
    assert spec.entity_table("request") == "service_request"
    assert spec.entity_table("catalogue") == "service"
    assert spec.entity_table("requirement") == "catalogue_requirement"
    assert spec.entity_table("incident") == "incident"
