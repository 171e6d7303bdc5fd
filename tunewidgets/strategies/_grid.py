"""Grid search: every point of the Cartesian product, once."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..space import SearchSpace
from ._base import SearchComplete, Strategy

__all__ = ["GridSearch", "budget_resolution"]

#: The finest resolution :func:`budget_resolution` considers.
MAX_RESOLUTION = 100


def budget_resolution(space: SearchSpace, n_trials: int) -> tuple[int, bool]:
    """The finest grid resolution whose grid fits in ``n_trials`` trials.

    Parameters
    ----------
    space : SearchSpace
        The space.
    n_trials : int
        The budget.

    Returns
    -------
    resolution : int
        The largest resolution (at least 2) whose grid has at most ``n_trials``
        points.
    fits : bool
        Whether that grid fits; if even the coarsest grid (2 points per numeric
        parameter) is larger, it should be visited in a random order, so that
        the budget samples all of it fairly.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"a": tw.Float(0, 1), "b": tw.Float(0, 1)})
    >>> budget_resolution(space, 30)  # 5 x 5 = 25 points; 6 x 6 would be 36
    (5, True)
    """
    resolution = 2
    while space.grid_size(resolution + 1) <= n_trials and resolution < MAX_RESOLUTION:
        resolution += 1
    return resolution, space.grid_size(resolution) <= n_trials


class GridSearch(Strategy):
    """Try every point of a grid over the space, then raise :class:`SearchComplete`.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    resolution : int or dict of str to int, default=5
        Points per numeric parameter (at least 2), evenly spaced in the
        parameter's own scale (log-spaced where ``log=True``), or a resolution per
        parameter name. Every categorical choice is included and integer grids
        hold no duplicates.
    shuffle : bool, default=False
        Visit the grid in a random order (seeded) instead of the last parameter
        varying fastest. A shuffled grid gives a fair picture early on if the
        search is stopped before the grid is exhausted.
    seed : int, optional
        Seed for ``shuffle``.

    Raises
    ------
    ValueError
        If a resolution is below 2.

    See Also
    --------
    RandomSearch : usually finds good values with fewer trials when only a few
        parameters matter.

    Notes
    -----
    ``len(strategy)`` is the grid's size. Points already told (a resumed study)
    are skipped, so a search resumes where it stopped. A failed point is not
    retried. A space of branches is searched branch after branch, each
    branch's grid in turn, as scikit-learn's ``ParameterGrid`` does; so is a
    choice given more than once (``Categorical([...], unique=False)``): it is
    asked once per repeat.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"n": tw.Int(1, 3), "kind": tw.Categorical(["a", "b"])})
    >>> grid = tw.GridSearch(space)
    >>> len(grid)
    6
    >>> grid.ask()
    {'n': 1, 'kind': 'a'}
    """

    name = "grid"

    def __init__(
        self,
        space: SearchSpace,
        resolution: int | Mapping[str, int] = 5,
        *,
        shuffle: bool = False,
        seed: int | None = None,
    ) -> None:
        super().__init__(space, seed=seed)
        self.resolution = resolution
        self.shuffle = bool(shuffle)
        self._branch_axes = space.grid_axes(resolution)
        self._sizes = [math.prod(len(axis) for axis in axes) for axes in self._branch_axes]
        self._size = sum(self._sizes)
        self._order: np.ndarray | None = self._rng.permutation(self._size) if shuffle else None
        self._cursor = 0
        self._mine: Counter[tuple[float, ...]] = Counter()  # asked here, not yet told
        self._elsewhere: Counter[tuple[float, ...]] = Counter()  # told, never asked here

    def __len__(self) -> int:
        return self._size

    def _point(self, index: int) -> dict[str, Any]:
        branch = 0
        while index >= self._sizes[branch]:
            index -= self._sizes[branch]
            branch += 1
        axes = self._branch_axes[branch]
        values = []
        for axis in reversed(axes):
            index, digit = divmod(index, len(axis))
            values.append(axis[digit])
        names = self.space.branches[branch].names
        return dict(zip(names, reversed(values), strict=True))

    def _ask(self) -> dict[str, Any]:
        while self._cursor < self._size:
            index = self._cursor if self._order is None else int(self._order[self._cursor])
            self._cursor += 1
            point = self._point(index)
            key = self._key(point)
            if self._elsewhere[key] > 0:  # already tried (a resumed study): skip it once
                self._elsewhere[key] -= 1
                continue
            self._mine[key] += 1
            self.last_info = {"grid_index": index, "grid_size": self._size}
            return point
        raise SearchComplete(f"GridSearch: all {self._size} grid points have been asked.")

    def _on_tell(self, params: dict[str, Any], score: float) -> None:
        key = self._key(params)
        if self._mine[key] > 0:
            self._mine[key] -= 1
        else:
            self._elsewhere[key] += 1

    @property
    def remaining(self) -> int:
        """Upper bound on the number of grid points not yet asked."""
        return self._size - self._cursor
