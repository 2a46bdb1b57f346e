import pytest

from desk.config import load_config
from desk.domain.errors import ValidationError
from desk.domain.priority import PriorityMatrix

# impact, urgency -> priority, as shipped in config/default.toml (seed 004's four levels)
SHIPPED = {
    (1, 1): 1, (1, 2): 1, (1, 3): 2,
    (2, 1): 1, (2, 2): 2, (2, 3): 3,
    (3, 1): 2, (3, 2): 3, (3, 3): 4,
}


@pytest.mark.parametrize("impact,urgency", sorted(SHIPPED))
def test_shipped_matrix(impact, urgency):
    assert load_config().matrix.priority(impact, urgency) == SHIPPED[(impact, urgency)]


@pytest.mark.parametrize("impact,urgency", [(0, 1), (4, 1), (1, 0), (1, 4), (-1, 2)])
def test_out_of_range_is_a_validation_error(impact, urgency):
    with pytest.raises(ValidationError):
        load_config().matrix.priority(impact, urgency)


def test_custom_matrix():
    m = PriorityMatrix(((1, 2), (3, 4)))
    assert [m.priority(i, u) for i in (1, 2) for u in (1, 2)] == [1, 2, 3, 4]
