"""The ask/tell interface every strategy implements.

Lifecycle of one trial, as the runner drives it::

    params = strategy.ask()          # a configuration inside the space
    score = objective(params)        # anywhere: this thread, a process, a cluster
    strategy.tell(params, score)     # float, higher is better; nan/None = failed

A strategy knows only its space and what it has been told: no Study, storage,
executor or thread. Several ``ask()`` calls may come before the matching
``tell()`` calls (parallel trials): asked-but-untold points are *pending* and a
strategy may take them into account. ``tell()`` also accepts points it never
asked for (a resumed study, a user's own guess). When a strategy has nothing left
to propose, ``ask()`` raises :class:`SearchComplete`.
"""

from __future__ import annotations

import math
import numbers
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from ..exceptions import SearchComplete
from ..space import SearchSpace

__all__ = ["SearchComplete", "Strategy"]


def _as_score(score: Any) -> float:
    if score is None:
        return math.nan
    if isinstance(score, bool) or not isinstance(score, numbers.Real):
        if isinstance(score, np.ndarray) and score.size == 1:
            return _as_score(score.item())
        raise ValueError(
            "A score must be a real number (higher is better), or nan/None for a failed "
            f"trial. Got {score!r} of type {type(score).__name__}."
        )
    value = float(score)
    return value if math.isfinite(value) else math.nan


class Strategy(ABC):
    """Base class of the search strategies: ask for a configuration, tell its score.

    Parameters
    ----------
    space : SearchSpace
        The space to search; every ``ask()`` returns a configuration inside it.
    seed : int, optional
        Seed of the strategy's random generator; the same seed and the same
        sequence of ``tell()`` calls give the same sequence of ``ask()`` results.

    Attributes
    ----------
    space : SearchSpace
        The space searched.
    seed : int or None
        The seed given.
    last_info : dict
        JSON-ready notes on the last ``ask()`` (for example the surrogate's
        prediction at the point chosen); the runner stores them with the trial.

    Notes
    -----
    Scores are maximized. A failed trial is told as ``nan`` or ``None``; how a
    strategy treats one is documented on each class. Strategies are thread-safe:
    ``ask``, ``tell`` and inspection may come from different threads.
    """

    name: ClassVar[str] = ""

    def __init__(self, space: SearchSpace, seed: int | None = None) -> None:
        if not isinstance(space, SearchSpace):
            raise ValueError(
                f"{type(self).__name__}: 'space' must be a tw.SearchSpace. "
                f"Got {type(space).__name__} instead."
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(
                f"The 'seed' parameter of {type(self).__name__} must be an int or None. "
                f"Got {seed!r} instead."
            )
        self.space = space
        self.seed = None if seed is None else int(seed)
        self._rng = np.random.default_rng(self.seed)
        self._lock = threading.RLock()
        self._told: list[dict[str, Any]] = []
        self._scores: list[float] = []
        self._pending: list[dict[str, Any]] = []
        self._seen: set[tuple[float, ...]] = set()
        self.last_info: dict[str, Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_told={len(self._told)}, pending={len(self._pending)})"

    # -- the contract ---------------------------------------------------------
    def ask(self) -> dict[str, Any]:
        """Propose the next configuration to evaluate.

        Returns
        -------
        dict
            A configuration inside the space, with plain Python values.

        Raises
        ------
        SearchComplete
            If the strategy has nothing left to propose.
        """
        with self._lock:
            if self.space.n_features() == 0:  # a space of one configuration: {}
                self._check_not_exhausted()
                params = self.space.check({})
            else:
                params = self.space.check(self._ask())
            self._pending.append(params)
            self._seen.add(self._key(params))
            return params

    def tell(self, params: Mapping[str, Any], score: float | None) -> None:
        """Report the score of a configuration.

        Parameters
        ----------
        params : dict
            A configuration inside the space, asked for or not.
        score : float or None
            Higher is better. ``nan``, ``inf`` or ``None`` marks a failed trial.

        Raises
        ------
        ValueError
            If ``params`` is outside the space (naming the parameter) or the score
            is not a number.
        """
        with self._lock:
            params = self.space.check(params)
            value = _as_score(score)
            for i, pending in enumerate(self._pending):
                if pending == params:
                    del self._pending[i]
                    break
            self._told.append(params)
            self._scores.append(value)
            self._seen.add(self._key(params))
            self._on_tell(params, value)

    # -- for subclasses --------------------------------------------------------------
    @abstractmethod
    def _ask(self) -> dict[str, Any]:
        """Return the next configuration (called under the lock)."""

    def _on_tell(self, params: dict[str, Any], score: float) -> None:  # noqa: B027
        """Hook called after a tell has been recorded (under the lock)."""

    def _key(self, params: Mapping[str, Any]) -> tuple[float, ...]:
        """A hashable identity of a configuration, robust to float round-off."""
        return tuple(np.round(self.space.to_unit(params), 9).tolist())

    def _check_not_exhausted(self) -> None:
        """Raise SearchComplete once every point of a finite space has been seen."""
        if len(self._seen) >= self.space.size:
            raise SearchComplete(
                f"{type(self).__name__}: all {int(self.space.size)} configurations of the "
                "space have been tried."
            )

    # -- inspection ------------------------------------------------------------------
    @property
    def n_told(self) -> int:
        """Number of results told so far, failed ones included."""
        return len(self._told)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Configurations asked for whose result has not been told yet."""
        with self._lock:
            return [dict(p) for p in self._pending]

    def observations(self) -> tuple[list[dict[str, Any]], np.ndarray]:
        """All told configurations and their scores (``nan`` for failures).

        Returns
        -------
        params : list of dict
        scores : numpy.ndarray of shape (n,)
        """
        with self._lock:
            return [dict(p) for p in self._told], np.array(self._scores, dtype=float)

    @property
    def best(self) -> tuple[dict[str, Any], float] | None:
        """The best configuration told so far and its score, or None."""
        with self._lock:
            scores = np.array(self._scores, dtype=float)
            if not np.isfinite(scores).any():
                return None
            i = int(np.nanargmax(scores))
            return dict(self._told[i]), float(scores[i])
