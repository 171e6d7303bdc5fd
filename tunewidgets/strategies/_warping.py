"""Output warping: the monotone map from scores to what the Gaussian process models.

Cross-validated scores are rarely Gaussian. A search space holds regions where
the model diverges or fails (an R² of -10⁸, a log loss of 5, accuracy at chance)
beside a narrow band of good configurations whose differences are what the
search is about. Fitted to raw scores, a Gaussian process spends its variance on
the bad outliers and sees the good band as flat; its normalized targets make a
single divergent trial squash every other one to the same value.

:class:`TailWarping` keeps the better half of the scores as they are and puts
the worse half on a logarithmic scale: differences among good configurations
keep their size, while a score a million spreads below the median (a spread is
the distance from the median to the best score) ends up only about 14 spreads
below it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TailWarping"]

_MAX_EXP = 700.0  # exp(700) is still a finite float


class TailWarping:
    r"""Identity above the median score, logarithmic below it.

    Parameters
    ----------
    y : numpy.ndarray of shape (n,)
        The scores observed (finite; higher is better).

    Notes
    -----
    With :math:`m` the median and :math:`s` the distance from the median to
    the best score (the spread of the better half), a score :math:`y` maps to

    .. math:: z = y \text{ if } y \ge m, \qquad
              z = m - s \log\left(1 + \frac{m - y}{s}\right) \text{ otherwise}.

    The map is increasing, continuous with its first derivative at :math:`m`,
    and has an exact inverse, so predictions of the model can be reported in
    score units.

    Examples
    --------
    >>> import numpy as np
    >>> from tunewidgets.strategies._warping import TailWarping
    >>> w = TailWarping(np.array([-1e6, 0.2, 0.4, 0.5, 0.6]))
    >>> w.transform(np.array([0.6, 0.4, 0.0, -1e6])).round(2).tolist()
    [0.6, 0.4, 0.18, -2.68]
    >>> float(w.inverse(w.transform(np.array([-3.0])))[0].round(6))
    -3.0
    """

    def __init__(self, y: np.ndarray) -> None:
        y = np.asarray(y, dtype=float)
        self.median = float(np.median(y))
        spread = float(np.max(y)) - self.median
        self.scale = spread if spread > 0 else (float(np.std(y)) or 1.0)

    def transform(self, y: np.ndarray) -> np.ndarray:
        """Scores to the warped scale.

        Parameters
        ----------
        y : numpy.ndarray
            Scores.

        Returns
        -------
        numpy.ndarray
            Same shape as ``y``.
        """
        y = np.asarray(y, dtype=float)
        depth = np.maximum(self.median - y, 0.0) / self.scale
        return np.where(y >= self.median, y, self.median - self.scale * np.log1p(depth))

    def inverse(self, z: np.ndarray) -> np.ndarray:
        """Warped values back to scores.

        Parameters
        ----------
        z : numpy.ndarray
            Values on the warped scale.

        Returns
        -------
        numpy.ndarray
            Same shape as ``z``.
        """
        z = np.asarray(z, dtype=float)
        depth = np.minimum(np.maximum(self.median - z, 0.0) / self.scale, _MAX_EXP)
        return np.where(z >= self.median, z, self.median - self.scale * np.expm1(depth))

    def slope(self, z: np.ndarray) -> np.ndarray:
        """Derivative of :meth:`inverse`: score units per warped unit at ``z``.

        Parameters
        ----------
        z : numpy.ndarray
            Values on the warped scale.

        Returns
        -------
        numpy.ndarray
            Same shape as ``z``; 1 above the median.
        """
        z = np.asarray(z, dtype=float)
        depth = np.minimum(np.maximum(self.median - z, 0.0) / self.scale, _MAX_EXP)
        return np.exp(depth)
