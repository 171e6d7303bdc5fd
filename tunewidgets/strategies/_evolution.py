"""Evolutionary search: a steady-state genetic algorithm driven through ask/tell."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import qmc

from .._validation import check_int, check_real
from ..space import Categorical, SearchSpace
from ._base import Strategy

__all__ = ["EvolutionarySearch"]


class EvolutionarySearch(Strategy):
    """A genetic algorithm: selection, crossover and mutation, one trial at a time.

    The first ``population_size`` asks form a space-filling random population.
    After that every ask breeds one child: two parents are picked by tournament
    among the best ``population_size`` configurations told so far, combined by
    crossover, and mutated. The population is thus always the current elite
    (a steady-state, "mu + 1" scheme), which fits ask/tell and parallel trials:
    every ask can be answered at once.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    seed : int, optional
        Seed of the random generator.
    population_size : int, default=10
        Number of configurations kept as parents (at least 2).
    mutation_rate : float, optional
        Probability that each parameter of a child mutates; defaults to
        ``1 / number of parameters``.
    mutation_scale : float, default=0.1
        Standard deviation of a numeric mutation, as a fraction of the range
        (in the parameter's own scale, so log ranges mutate multiplicatively).
    crossover_rate : float, default=0.9
        Probability that a child mixes two parents rather than copying one.
    tournament_size : int, default=2
        Configurations drawn per tournament; larger means greedier selection.

    See Also
    --------
    BayesianSearch, RandomSearch

    Notes
    -----
    Crossover is uniform per parameter, with blending (a random point between
    the parents' values) for numeric parameters. A numeric mutation adds
    Gaussian noise in the unit cube, reflected at the bounds; a categorical
    mutation draws a new choice. Failed trials never become parents. A child
    identical to a configuration already tried is mutated again (up to ten times).
    In a space of branches the branch is one more categorical gene (see
    :class:`SearchSpace`): a child takes its branch from one parent, and the
    values of that branch from whichever parent belongs to it (mid-range values
    where neither does), and a mutation of that gene moves the child to
    another branch.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(-1.0, 1.0), "c": tw.Categorical(["a", "b"])})
    >>> ga = tw.EvolutionarySearch(space, seed=0, population_size=4)
    >>> for _ in range(20):
    ...     p = ga.ask()
    ...     ga.tell(p, -abs(p["x"]) + (p["c"] == "b"))
    >>> ga.best[0]["c"]
    'b'
    """

    name = "evolution"

    def __init__(
        self,
        space: SearchSpace,
        seed: int | None = None,
        population_size: int = 10,
        *,
        mutation_rate: float | None = None,
        mutation_scale: float = 0.1,
        crossover_rate: float = 0.9,
        tournament_size: int = 2,
    ) -> None:
        super().__init__(space, seed=seed)
        owner = "EvolutionarySearch"
        self.population_size = check_int(population_size, "population_size", owner=owner, low=2)
        d = max(space.n_features(), 1)  # compact columns (a space of branches has more)
        self.mutation_rate = check_real(
            1.0 / d if mutation_rate is None else mutation_rate,
            "mutation_rate",
            owner=owner,
            low=0.0,
            high=1.0,
        )
        self.mutation_scale = check_real(
            mutation_scale, "mutation_scale", owner=owner, low=0.0, low_inclusive=False, high=1.0
        )
        self.crossover_rate = check_real(
            crossover_rate, "crossover_rate", owner=owner, low=0.0, high=1.0
        )
        self.tournament_size = check_int(tournament_size, "tournament_size", owner=owner, low=1)
        optimization = "random-cd" if d > 1 else None
        self._initial = qmc.LatinHypercube(d, optimization=optimization, rng=self._rng).random(
            self.population_size
        )
        self._categorical = np.array([isinstance(p, Categorical) for p in space.columns])

    def population(self) -> tuple[list[dict[str, Any]], np.ndarray]:
        """The current parents: the best successful configurations told, best first.

        Returns
        -------
        params : list of dict
        scores : numpy.ndarray
        """
        with self._lock:
            scores = np.array(self._scores, dtype=float)
            ok = np.flatnonzero(np.isfinite(scores))
            order = ok[np.argsort(-scores[ok], kind="stable")][: self.population_size]
            return [dict(self._told[i]) for i in order], scores[order]

    def _ask(self) -> dict[str, Any]:
        self._check_not_exhausted()
        started = len(self._told) + len(self._pending)
        parents, scores = self.population()
        if started < self.population_size or len(parents) < 2:
            self.last_info = {"phase": "initial population"}
            u = self._initial[started] if started < self.population_size else None
            if u is not None:
                params = self.space.from_unit(u[None, :])[0]
                if self._key(params) not in self._seen:
                    return params
            params = self.space.sample(self._rng)
            for _ in range(100):  # an untried configuration, where there is one
                if self._key(params) not in self._seen:
                    break
                params = self.space.sample(self._rng)
            return params
        U = self.space.to_unit(parents)
        a, b = self._tournament(scores), self._tournament(scores)
        child = self._crossover(U[a], U[b])
        params = self.space.from_unit(self._mutate(child)[None, :])[0]
        for _ in range(10):
            if self._key(params) not in self._seen:
                break
            params = self.space.from_unit(self._mutate(self.space.to_unit(params))[None, :])[0]
        self.last_info = {"phase": "offspring", "parents": [int(a), int(b)]}
        return params

    def _tournament(self, scores: np.ndarray) -> int:
        entrants = self._rng.integers(len(scores), size=self.tournament_size)
        return int(entrants[np.argmax(scores[entrants])])

    def _crossover(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self._rng.random() >= self.crossover_rate:
            return x.copy()
        take_y = self._rng.random(x.shape) < 0.5
        child = np.where(take_y, y, x)
        # numeric genes: a random point between the parents (blend crossover)
        w = self._rng.random(x.shape)
        blend = x + w * (y - x)
        return np.where(self._categorical, child, blend)

    def _mutate(self, x: np.ndarray) -> np.ndarray:
        x = x.copy()
        mutate = self._rng.random(x.shape) < self.mutation_rate
        if not mutate.any():  # every child differs from its parents somewhere
            mutate[self._rng.integers(len(x))] = True
        noise = self._rng.normal(0.0, self.mutation_scale, x.shape)
        numeric = mutate & ~self._categorical
        x[numeric] += noise[numeric]
        x = np.abs(x)  # reflect at 0 ...
        x = 1.0 - np.abs(1.0 - x)  # ... and at 1
        categorical = mutate & self._categorical
        x[categorical] = self._rng.random(int(categorical.sum()))
        return np.clip(x, 0.0, 1.0)
