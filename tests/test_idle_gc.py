"""The full garbage-collection pass waits for a moment when the user is not waiting for the
screen (the 8-13 ms pass used to land inside key presses), and memory stays bounded anyway."""

from desk.idle_gc import NEVER, OWED, IdleCollector


class FakeGC:
    def __init__(self):
        self.threshold = (700, 10, 10)
        self.count = [0, 0, 0]
        self.full_passes = 0

    def get_threshold(self):
        return self.threshold

    def set_threshold(self, *values):
        self.threshold = tuple(values)

    def get_count(self):
        return tuple(self.count)

    def collect(self, generation=2):
        assert generation == 2
        self.full_passes += 1
        self.count = [0, 0, 0]


def make(now, last_input, hold=10):
    fake = FakeGC()
    collector = IdleCollector(lambda: last_input[0], idle=0.5, hold=hold, clock=lambda: now[0], gc_module=fake)
    return fake, collector


def test_full_passes_are_held_back_while_keys_come_and_run_once_the_user_pauses():
    now, last = [100.0], [100.0]
    fake, collector = make(now, last)
    collector.start()
    assert fake.threshold == (700, 10, NEVER)  # young passes stay automatic
    fake.count[2] = OWED
    now[0] = 100.2  # a key 0.2 s ago
    assert not collector.tick() and fake.full_passes == 0
    now[0] = 100.6  # the user has paused
    assert collector.tick() and fake.full_passes == 1
    assert not collector.tick()  # nothing owed now


def test_nothing_runs_while_nothing_is_owed():
    now, last = [100.0], [0.0]
    fake, collector = make(now, last)
    collector.start()
    fake.count[2] = OWED - 1
    assert not collector.tick() and fake.full_passes == 0


def test_a_key_held_down_still_gets_its_garbage_collected():
    now, last = [100.0], [100.0]
    fake, collector = make(now, last, hold=3)
    collector.start()
    fake.count[2] = OWED * 3 - 1
    assert not collector.tick()
    fake.count[2] = OWED * 3
    assert collector.tick() and fake.full_passes == 1


def test_stopping_gives_back_the_thresholds_it_found():
    fake, collector = make([0.0], [0.0])
    collector.start()
    collector.start()  # (twice: still the original ones are kept)
    collector.stop()
    assert fake.threshold == (700, 10, 10)
    fake.count[2] = 99
    assert not collector.tick()  # stopped: collection is Python's own business again
