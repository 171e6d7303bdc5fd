"""What the Gaussian process of :class:`BayesianSearch` is fitted to, and what it costs.

An exact Gaussian process costs O(n³) to fit and O(n²) per prediction: fine for
the hundreds of trials of a notebook search, a freeze for the thousands of a
cheap one left running. Past a size the model is therefore fitted to a bounded
*training set* of the observations (a "subset of data" approximation):

- the best ones, where the search is deciding (``n_best`` of them), and
- a fixed, seeded random sample of the others, so that the model still knows
  the rest of the space. Each observation draws a random priority once, when it
  is told; the lowest priorities are kept. The sample therefore changes little
  from one tell to the next (the model does not jump around) and is the same for
  the same seed and the same tells (the search stays deterministic).

The kernel's hyperparameters are fitted to a smaller set still (half best, half
sampled), the most expensive step: O(m³) per likelihood evaluation, dozens of
evaluations per fit. Both bounds are far above the budgets of the quality
benchmark (64 trials), where every observation is used.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TrainingSet", "select"]

#: Observations the model is fitted to, at most (pending points come on top).
MAX_TRAIN = 200
#: Of which the best.
N_BEST = 80
#: Observations the kernel's hyperparameters are fitted to, at most.
MAX_FIT = 64


class TrainingSet:
    """Encoded observations, kept as they are told (no re-encoding per ask).

    Parameters
    ----------
    n_features : int
        Columns of the one-hot encoding.
    entropy : int
        Seed material of the priorities.
    """

    def __init__(self, n_features: int, entropy: int) -> None:
        self._Z = np.empty((64, n_features))
        self._y = np.empty(64)
        self._priority = np.empty(64)
        self._n = 0
        self._entropy = entropy

    def __len__(self) -> int:
        return self._n

    def append(self, z: np.ndarray, score: float) -> None:
        """Add one encoded observation (``nan`` for a failed trial)."""
        if self._n == len(self._y):
            grow = 2 * len(self._y)
            self._Z = np.resize(self._Z, (grow, self._Z.shape[1]))
            self._y = np.resize(self._y, grow)
            self._priority = np.resize(self._priority, grow)
        self._Z[self._n] = z
        self._y[self._n] = score
        self._priority[self._n] = np.random.default_rng([self._entropy, self._n]).random()
        self._n += 1

    @property
    def Z(self) -> np.ndarray:
        """Every encoded observation, in the order told."""
        return self._Z[: self._n]

    @property
    def y(self) -> np.ndarray:
        """Every score, in the order told (``nan`` for failures)."""
        return self._y[: self._n]

    def select(self, size: int, n_best: int) -> np.ndarray:
        """Indices of at most ``size`` observations (see :func:`select`)."""
        return select(self.y, self._priority[: self._n], size, n_best)


def select(y: np.ndarray, priority: np.ndarray, size: int, n_best: int) -> np.ndarray:
    """The best ``n_best`` observations and the lowest-priority others, ``size`` in all.

    Parameters
    ----------
    y : numpy.ndarray of shape (n,)
        Scores, ``nan`` for failures (never counted among the best).
    priority : numpy.ndarray of shape (n,)
        A random number per observation, drawn once.
    size : int
        How many to keep.
    n_best : int
        How many of them are the best scores.

    Returns
    -------
    numpy.ndarray
        Sorted indices; all of them when ``n <= size``.

    Examples
    --------
    >>> import numpy as np
    >>> from tunewidgets.strategies._training import select
    >>> y = np.array([0.1, 0.9, np.nan, 0.5, 0.2])
    >>> select(y, np.array([0.3, 0.8, 0.1, 0.9, 0.2]), size=3, n_best=1).tolist()
    [1, 2, 4]
    """
    n = len(y)
    if n <= size:
        return np.arange(n)
    finite = np.flatnonzero(np.isfinite(y))
    k = min(n_best, size, len(finite))
    best = finite[np.argpartition(-y[finite], k - 1)[:k]] if k else finite[:0]
    others = np.ones(n, dtype=bool)
    others[best] = False
    rest = np.flatnonzero(others)
    m = size - k
    rest = rest[np.argpartition(priority[rest], m - 1)[:m]] if m else rest[:0]
    return np.sort(np.concatenate([best, rest]))
