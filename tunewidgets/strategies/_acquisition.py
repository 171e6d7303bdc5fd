r"""Acquisition functions: how much a Bayesian search wants to try a point.

Each takes the surrogate's predicted mean :math:`\mu(x)` and standard deviation
:math:`\sigma(x)` of the score, and the best score so far :math:`f^*` (scores are
maximized):

- expected improvement, :math:`\mathrm{EI}(x) = (\mu - f^* - \xi)\,\Phi(z) +
  \sigma\,\varphi(z)` with :math:`z = (\mu - f^* - \xi)/\sigma`;
- probability of improvement, :math:`\mathrm{PI}(x) = \Phi(z)`;
- upper confidence bound, :math:`\mathrm{UCB}(x) = \mu + \kappa\,\sigma`.

:math:`\Phi` and :math:`\varphi` are the standard normal CDF and density;
:math:`\xi \ge 0` and :math:`\kappa \ge 0` trade exploitation for exploration.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

__all__ = [
    "ACQUISITIONS",
    "expected_improvement",
    "probability_of_improvement",
    "upper_confidence_bound",
]

_SQRT_2PI = np.sqrt(2.0 * np.pi)


def _z(mean: np.ndarray, std: np.ndarray, best: float, xi: float) -> tuple[np.ndarray, np.ndarray]:
    improvement = np.asarray(mean, dtype=float) - best - xi
    std = np.maximum(np.asarray(std, dtype=float), 1e-12)
    return improvement, improvement / std


def expected_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> np.ndarray:
    """Expected improvement over ``best`` of a Gaussian prediction.

    Parameters
    ----------
    mean, std : numpy.ndarray
        Predicted mean and standard deviation of the score.
    best : float
        The incumbent: the best score so far.
    xi : float, default=0.0
        Minimum improvement worth having; larger values explore more.

    Returns
    -------
    numpy.ndarray
        Non-negative values, same shape as ``mean``.

    Examples
    --------
    >>> import numpy as np
    >>> from tunewidgets.strategies import expected_improvement
    >>> expected_improvement(np.array([0.0]), np.array([1.0]), best=0.0).round(4).tolist()
    [0.3989]
    """
    improvement, z = _z(mean, std, best, xi)
    std = np.maximum(np.asarray(std, dtype=float), 1e-12)
    pdf = np.exp(-0.5 * z**2) / _SQRT_2PI
    return np.maximum(improvement * ndtr(z) + std * pdf, 0.0)


def probability_of_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, xi: float = 0.0
) -> np.ndarray:
    """Probability that a Gaussian prediction improves on ``best`` by ``xi``.

    Parameters
    ----------
    mean, std : numpy.ndarray
        Predicted mean and standard deviation of the score.
    best : float
        The best score so far.
    xi : float, default=0.0
        Margin to beat.

    Returns
    -------
    numpy.ndarray
        Values in ``[0, 1]``.
    """
    return ndtr(_z(mean, std, best, xi)[1])


def upper_confidence_bound(
    mean: np.ndarray, std: np.ndarray, best: float = 0.0, kappa: float = 2.0
) -> np.ndarray:
    """Optimistic estimate ``mean + kappa * std``.

    Parameters
    ----------
    mean, std : numpy.ndarray
        Predicted mean and standard deviation of the score.
    best : float, default=0.0
        Unused; accepted so that every acquisition has one signature.
    kappa : float, default=2.0
        Weight of the uncertainty; larger values explore more.

    Returns
    -------
    numpy.ndarray
    """
    return np.asarray(mean, dtype=float) + kappa * np.asarray(std, dtype=float)


#: The acquisition functions by name, as accepted by ``BayesianSearch(acquisition=...)``.
ACQUISITIONS = {
    "ei": expected_improvement,
    "pi": probability_of_improvement,
    "ucb": upper_confidence_bound,
}
