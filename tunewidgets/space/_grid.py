"""The grids of a search space: what :class:`GridSearch` walks, in scikit-learn's order."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._params import Parameter

if TYPE_CHECKING:
    from ._space import SearchSpace

__all__ = ["Grids"]

Params = dict[str, Any]


class Grids:
    """The grid methods of :class:`SearchSpace` (a base class of it)."""

    _params: dict[str, Parameter]
    _layout: Any

    @property
    def branches(self) -> list[SearchSpace]:  # pragma: no cover - SearchSpace's
        """The space's branches."""
        raise NotImplementedError

    @property
    def names(self) -> list[str]:  # pragma: no cover - SearchSpace's
        """The parameters' names."""
        raise NotImplementedError

    def grid_size(self, resolution: int | Mapping[str, int] = 5) -> int:
        """Number of points of :meth:`grid` at this resolution.

        Parameters
        ----------
        resolution : int or mapping of str to int, default=5
            As for :meth:`grid`.

        Returns
        -------
        int
        """
        return sum(math.prod(len(v) for v in axes) for axes in self.grid_axes(resolution))

    def grid(self, resolution: int | Mapping[str, int] = 5) -> Iterator[Params]:
        """Iterate over the Cartesian product of each parameter's grid.

        Parameters
        ----------
        resolution : int or mapping of str to int, default=5
            Points per numeric parameter (at least 2), or a resolution per name
            (names left out get 5). Every categorical choice is always included
            and integer grids hold no duplicates.

        Yields
        ------
        dict
            Configurations, the last parameter varying fastest; for a space of
            branches, each branch's grid in turn (as scikit-learn's
            ``ParameterGrid`` does).
        """
        for branch, axes in zip(self.branches, self.grid_axes(resolution), strict=True):
            for values in itertools.product(*axes):
                yield dict(zip(branch._params, values, strict=True))

    def grid_axes(self, resolution: int | Mapping[str, int] = 5) -> list[list[list[Any]]]:
        """Each branch's grid axes: the values of each of its parameters.

        Parameters
        ----------
        resolution : int or mapping of str to int, default=5
            As for :meth:`grid`.

        Returns
        -------
        list of list of list
            One list per branch, holding one list of values per parameter.
        """
        if self._layout is None:
            return [self._axes(resolution)]
        if isinstance(resolution, Mapping):
            unknown = [k for k in resolution if k not in self._params]
            if unknown:
                raise ValueError(
                    f"'resolution' names unknown parameter {unknown[0]!r}: the space has "
                    f"{self.names!r}."
                )
            return [b._axes({k: v for k, v in resolution.items() if k in b}) for b in self.branches]
        return [b._axes(resolution) for b in self.branches]

    def _axes(self, resolution: int | Mapping[str, int]) -> list[list[Any]]:
        if isinstance(resolution, Mapping):
            unknown = [k for k in resolution if k not in self._params]
            if unknown:
                raise ValueError(
                    f"'resolution' names unknown parameter {unknown[0]!r}: the space has "
                    f"{self.names!r}."
                )
            per = {name: resolution.get(name, 5) for name in self._params}
        else:
            per = dict.fromkeys(self._params, resolution)
        for name, r in per.items():
            if isinstance(r, bool) or not isinstance(r, int | np.integer) or r < 2:
                raise ValueError(
                    f"The 'resolution' of a grid must be an int >= 2 (points per numeric "
                    f"parameter). Got {r!r} for {name!r}."
                )
        return [param.grid(int(per[name])) for name, param in self._params.items()]
