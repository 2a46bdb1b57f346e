from datetime import datetime, timedelta

from desk.domain.sla import BREACHED, MET, NEAR, NONE, OK, Targets, format_duration, sla_state

T0 = datetime(2026, 11, 2, 9, 0)
P1 = Targets(response_minutes=15, resolve_minutes=240)


def test_states_along_the_clock():
    assert sla_state(T0, T0 + timedelta(minutes=60), P1).state == OK
    assert sla_state(T0, T0 + timedelta(minutes=200), P1).state == NEAR
    late = sla_state(T0, T0 + timedelta(minutes=300), P1)
    assert late.state == BREACHED and late.short() == "-1h00"
    assert sla_state(T0, T0 + timedelta(days=9), P1, resolved_at=T0 + timedelta(minutes=100)).state == MET
    assert sla_state(T0, T0, None).state == NONE


def test_format_duration():
    assert format_duration(timedelta(minutes=5)) == "5m"
    assert format_duration(timedelta(hours=2, minutes=5)) == "2h05"
    assert format_duration(timedelta(days=3, hours=4)) == "3d04"
