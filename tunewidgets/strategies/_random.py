"""Random search: independent uniform draws in each parameter's own scale."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._validation import check_int
from ..space import Categorical, Distribution, Float, Int, Parameter, SearchSpace
from ._base import SearchComplete, Strategy

__all__ = ["RandomSearch"]

_MAX_REDRAWS = 100


class RandomSearch(Strategy):
    """Draw each configuration independently and uniformly.

    Each parameter is drawn uniformly in its own scale: log-uniformly where
    ``log=True``, every integer and every choice equally likely, a
    :class:`Distribution` from its distribution. In a space of branches, the
    branch is drawn first, each equally likely.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    seed : int, optional
        Seed of the random generator.
    n_iter : int, optional
        Draw exactly this many configurations the way scikit-learn's
        ``ParameterSampler`` does, then raise :class:`SearchComplete`: with
        the same ``seed`` they are the configurations that
        ``RandomizedSearchCV(random_state=seed, n_iter=n_iter)`` tries, in the
        same order (see Notes). ``TuneSearchCV(strategy="random")`` uses it.

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

    With ``n_iter``, the draws follow ``ParameterSampler``: if every parameter
    is a set of choices, ``n_iter`` grid points are drawn without replacement
    (the whole grid, in order, when ``n_iter`` is at least its size, with
    scikit-learn's warning when it is more); otherwise each draw picks a
    branch, then each parameter in the order of their names, from a
    ``numpy.random.RandomState``, so repeats are possible. A :class:`Float`
    or :class:`Int` made from a scipy.stats distribution draws from it.

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

    def __init__(
        self, space: SearchSpace, seed: int | None = None, *, n_iter: int | None = None
    ) -> None:
        super().__init__(space, seed=seed)
        self.n_iter = (
            None if n_iter is None else check_int(n_iter, "n_iter", owner="RandomSearch", low=1)
        )
        self._candidates: list[dict[str, Any]] | None = None
        self._next = 0

    def _ask(self) -> dict[str, Any]:
        if self.n_iter is not None:
            return self._next_candidate()
        self._check_not_exhausted()
        params = self.space.sample(self._rng)
        for _ in range(_MAX_REDRAWS):
            if self._key(params) not in self._seen:
                break
            params = self.space.sample(self._rng)
        return params

    # -- scikit-learn's ParameterSampler -------------------------------------------
    @property
    def n_candidates(self) -> int | None:
        """How many configurations the search asks for in all (None without ``n_iter``).

        With ``n_iter``, as ``ParameterSampler``: ``n_iter`` draws with
        replacement when a parameter is a range or a distribution, at most the
        grid's size (without replacement) when every parameter is a set of choices.
        """
        if self.n_iter is None:
            return None
        with self._lock:
            return len(self._sklearn_candidates())

    def _sklearn_candidates(self) -> list[dict[str, Any]]:
        if self._candidates is None:
            self._candidates = sklearn_candidates(self.space, self.n_iter, self.seed)  # type: ignore[arg-type]
        return self._candidates

    def _next_candidate(self) -> dict[str, Any]:
        self._sklearn_candidates()
        assert self._candidates is not None
        if self._next >= len(self._candidates):
            raise SearchComplete(
                f"RandomSearch: all {len(self._candidates)} configurations have been asked."
            )
        params = self._candidates[self._next]
        self._next += 1
        self.last_info = {"candidate": self._next - 1}
        return dict(params)


def _draw(param: Parameter, rng: np.random.RandomState) -> Any:
    """One value, drawn as ``ParameterSampler`` draws from a list or a distribution."""
    if isinstance(param, Categorical):
        return param.choices[rng.randint(len(param.choices))]
    source = getattr(param, "_source", None)
    if isinstance(param, Distribution):
        return param.rvs(rng)
    if isinstance(param, Float):
        if source is None:
            from scipy import stats

            width = param.high - param.low
            source = (
                stats.loguniform(param.low, param.high)
                if param.log
                else stats.uniform(param.low, width)
            )
        value = float(source.rvs(random_state=rng))
        return min(max(value, param.low), param.high)  # an ulp past a bound, at worst
    if isinstance(param, Int):
        if source is not None:
            return int(source.rvs(random_state=rng))
        if param.log:
            a, b = math.log(param.low - 0.5), math.log(param.high + 0.5)
            value = round(math.exp(rng.uniform(a, b)))
            return min(max(value, param.low), param.high)
        return int(rng.randint(param.low, param.high + 1))
    return param.decode(np.array([rng.uniform()]))[0]  # pragma: no cover - every kind above


def sklearn_candidates(space: SearchSpace, n_iter: int, seed: int | None) -> list[dict[str, Any]]:
    """The configurations scikit-learn's ``ParameterSampler`` draws from this space.

    Parameters
    ----------
    space : SearchSpace
        The space (each branch's parameters are drawn in the order of their names).
    n_iter : int
        How many to draw.
    seed : int or None
        ``random_state`` of ``ParameterSampler`` (None: numpy's global RandomState).

    Returns
    -------
    list of dict
    """
    from sklearn.utils import check_random_state
    from sklearn.utils.random import sample_without_replacement

    rng = check_random_state(seed)
    branches = space.branches
    if all(isinstance(p, Categorical) for b in branches for p in b.values()):
        sizes = [math.prod(len(p.choices) for p in b.values()) for b in branches]  # type: ignore[attr-defined]
        grid_size = sum(sizes)
        n = n_iter
        if grid_size < n_iter:
            warnings.warn(
                f"The total space of parameters {grid_size} is smaller than n_iter={n_iter}. "
                f"Running {grid_size} iterations. For exhaustive searches, use GridSearchCV.",
                UserWarning,
                stacklevel=4,
            )
            n = grid_size
        return [
            _grid_point(branches, sizes, int(i))
            for i in sample_without_replacement(grid_size, n, random_state=rng)
        ]
    out = []
    for _ in range(n_iter):
        branch = branches[rng.choice(len(branches))]
        params = {name: _draw(branch[name], rng) for name in sorted(branch.names)}
        out.append({name: params[name] for name in branch.names})
    return out


def _grid_point(branches: list[SearchSpace], sizes: list[int], index: int) -> dict[str, Any]:
    """Point ``index`` of the grids of every branch, as ``ParameterGrid[index]`` finds it."""
    b = 0
    while index >= sizes[b]:
        index -= sizes[b]
        b += 1
    branch = branches[b]
    out = {}
    for name in sorted(branch.names, reverse=True):  # the last name varies fastest
        choices = branch[name].choices  # type: ignore[attr-defined]
        index, offset = divmod(index, len(choices))
        out[name] = choices[offset]
    return {name: out[name] for name in branch.names}
