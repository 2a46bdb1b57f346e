"""The request kind's keys as its spec defines them (issue 19; tools/mutants/lists_request.toml): the
clock keys are offered on every open request (the service refuses what the status decides), and `f`
takes the resolve step — greyed on a request nobody works on yet, and for a role that does not handle
requests."""

from __future__ import annotations

from test_request_keys import keys_app, on_row  # noqa: F401 (keys_app: a fixture)


async def test_the_clock_keys_are_offered_on_a_pending_request(keys_app, desk):  # noqa: F811
    app = keys_app(user="chen")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["pending"])
        assert screen.check_action("act", ("sla_hold",)) is True


async def test_f_fulfils_a_request_being_worked_on_by_one_who_handles_requests(keys_app, desk):  # noqa: F811
    app = keys_app(user="chen")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("fulfil",)) is True
        screen = await on_row(pilot, desk.made["pending"])
        assert screen.check_action("act", ("fulfil",)) is None
    app = keys_app(user="boss")  # an approver does not handle requests
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("fulfil",)) is None
