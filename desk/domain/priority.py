"""Impact × urgency → priority, from the matrix in config (seed 004: 1 urgent … 4 minor)."""

from __future__ import annotations

from typing import NamedTuple

from desk.domain.errors import ValidationError


class PriorityMatrix(NamedTuple):
    """`rows[impact-1][urgency-1]` is the priority code."""

    rows: tuple[tuple[int, ...], ...]

    @property
    def impacts(self) -> range:
        return range(1, len(self.rows) + 1)

    @property
    def urgencies(self) -> range:
        return range(1, len(self.rows[0]) + 1) if self.rows else range(0)

    def priority(self, impact: int, urgency: int) -> int:
        if impact not in self.impacts:
            raise ValidationError("error.out_of_range", field="impact", low=1, high=len(self.rows), got=impact)
        if urgency not in self.urgencies:
            raise ValidationError("error.out_of_range", field="urgency", low=1, high=len(self.rows[0]), got=urgency)
        return self.rows[impact - 1][urgency - 1]
