"""Random search: independent uniform draws in each parameter's own scale."""

from __future__ import annotations

from typing import Any

from ..space import SearchSpace
from ._base import Strategy

__all__ = ["RandomSearch"]

_MAX_REDRAWS = 100


class RandomSearch(Strategy):
    """Draw each configuration independently and uniformly.

    Each parameter is drawn uniformly in its own scale: log-uniformly where
    ``log=True``, every integer and every choice equally likely.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    seed : int, optional
        Seed of the random generator.

    See Also
    --------
    GridSearch, BayesianSearch, EvolutionarySearch

    Notes
    -----
    Random search is a strong baseline when only a few of many parameters
    matter (Bergstra & Bengio, 2012): unlike a grid, it never spends two trials
    on the same value of the parameter that matters. A configuration already
    tried is redrawn (so a resumed search with the same seed does not repeat
    itself); on a finite space, :class:`SearchComplete` is raised once every
    configuration has been tried. Failed trials are simply counted.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> a = tw.RandomSearch(space, seed=0).ask()
    >>> b = tw.RandomSearch(space, seed=0).ask()
    >>> a == b and 0.0 <= a["x"] <= 1.0
    True
    """

    name = "random"

    def __init__(self, space: SearchSpace, seed: int | None = None) -> None:
        super().__init__(space, seed=seed)

    def _ask(self) -> dict[str, Any]:
        self._check_not_exhausted()
        params = self.space.sample(self._rng)
        for _ in range(_MAX_REDRAWS):
            if self._key(params) not in self._seen:
                break
            params = self.space.sample(self._rng)
        return params
