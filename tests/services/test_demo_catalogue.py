"""The demo's catalogue workflow: SLRs and drafts at every step of seed 001's flow up to
publication, written by the services (desk check passes), the versions in force untouched, the
same rows for the same seed."""

from desk.models import CatalogueDraft, CatalogueRequirement
from desk.services import catalogue, check, demo


def _rows():
    return (list(CatalogueDraft.select(CatalogueDraft.code, CatalogueDraft.kind, CatalogueDraft.status,
                                       CatalogueDraft.entry, CatalogueDraft.version).order_by(CatalogueDraft.id).tuples()),
            list(CatalogueRequirement.select(CatalogueRequirement.title, CatalogueRequirement.status)
                 .order_by(CatalogueRequirement.id).tuples()))


def test_the_demo_fills_the_catalogue_inboxes_at_every_step(desk):
    demo.generate(desk, incidents=20, seed=5, days=30)
    drafts, requirements = _rows()
    assert {status for _, _, status, _, _ in drafts} == {"editing", "in_review", "returned", "approved"}
    assert {kind for _, kind, _, _, _ in drafts} == {"change", "retire"}
    assert {status for _, status in requirements} == {"open", "accepted", "rejected"}
    assert all(len(catalogue.versions(desk, code)) == 1 for code in ("desktop", "database", "email"))
    assert catalogue.service_version(desk, "conference").orderable  # a retirement drafted, not yet published
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]


def test_the_same_seed_gives_the_same_catalogue_workflow(clock, tmp_path):
    from conftest import make_desk

    first = make_desk(str(tmp_path / "a.db"), clock)
    demo.generate(first, incidents=10, seed=9, days=20)
    a = _rows()
    first.close()
    second = make_desk(str(tmp_path / "b.db"), clock)
    demo.generate(second, incidents=10, seed=9, days=20)
    assert _rows() == a and len(a[0]) == 6
