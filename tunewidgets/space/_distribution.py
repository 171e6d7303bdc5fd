"""Frozen scipy.stats distributions as hyperparameters.

scikit-learn's randomized search takes a distribution per parameter, such as
``scipy.stats.expon(scale=0.1)``. :func:`as_parameter` turns one into the
matching kind: ``uniform``, ``loguniform`` and ``randint`` become a
:class:`Float` or :class:`Int` (searched exactly as if written that way); any
other distribution becomes a :class:`Distribution`, searched through its
quantile function on the unit interval. Uniform points of the unit interval
then map to draws from the distribution, so random search samples it as
scikit-learn does, and the Gaussian process of the Bayesian search models the
score in quantile space, where the likely values take most of the room.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._categorical import Categorical
from ._params import Float, Int, Parameter

__all__ = ["Distribution", "as_parameter", "is_distribution"]

# The unit interval is cut this far from its ends: the quantile function of an
# unbounded distribution is infinite at 0 and 1.
_EDGE = 1e-9
# What an axis shows of an unbounded distribution: its 0.1% to 99.9% quantiles.
_SHOWN = 1e-3


def is_distribution(value: Any) -> bool:
    """Whether ``value`` is a frozen scipy.stats distribution (``scipy.stats.expon(scale=2)``).

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    from scipy import stats

    return isinstance(getattr(value, "dist", None), stats.rv_continuous | stats.rv_discrete) and (
        hasattr(value, "ppf") and hasattr(value, "args")
    )


def _describe(dist: Any) -> str:
    args = [repr(a) for a in dist.args] + [f"{k}={v!r}" for k, v in dist.kwds.items()]
    return f"{dist.dist.name}({', '.join(args)})"


class Distribution(Parameter):
    """A hyperparameter drawn from a frozen scipy.stats distribution.

    Parameters
    ----------
    dist : frozen scipy.stats distribution
        Continuous (``norm(0, 1)``, ``expon(scale=0.1)``, ``gamma(2)``, ...) or
        discrete (``poisson(3)``, ``geom(0.2)``, ...). ``uniform``,
        ``loguniform`` and ``randint`` are better given as :class:`Float` and
        :class:`Int`, which :func:`as_parameter` does for you.

    Raises
    ------
    ValueError
        If ``dist`` is not a frozen scipy.stats distribution.

    See Also
    --------
    Float, Int : uniform and log-uniform ranges.

    Notes
    -----
    The unit encoding is the distribution's cumulative distribution function,
    so decoding is its quantile function (``ppf``): a uniform draw of the unit
    interval decodes to a draw from the distribution. The domain is the
    support cut at the quantiles 1e-9 and 1 - 1e-9 (where an unbounded
    distribution's quantile function is still finite). Values of a discrete
    distribution are integers, and each owns the bin of the unit interval that
    its probability spans. A grid takes quantiles at the centres of
    ``resolution`` equal bins. Stored studies keep the distribution's scipy
    name and arguments (JSON), and rebuild it from them.

    Examples
    --------
    >>> from scipy import stats
    >>> import tunewidgets as tw
    >>> p = tw.Distribution(stats.expon(scale=2.0))
    >>> p
    Distribution(expon(scale=2.0))
    >>> round(p.decode([0.5])[0], 4)
    1.3863
    """

    kind = "distribution"

    def __init__(self, dist: Any) -> None:
        if not is_distribution(dist):
            raise ValueError(
                "Distribution: 'dist' must be a frozen scipy.stats distribution such as "
                f"scipy.stats.expon(scale=0.1). Got {dist!r} instead."
            )
        from scipy import stats

        self.dist = dist
        self.discrete = isinstance(dist.dist, stats.rv_discrete)
        low, high = (float(v) for v in dist.support())
        # the values the unit interval reaches: the support, cut at the quantiles _EDGE
        edge_low, edge_high = (float(v) for v in dist.ppf([_EDGE, 1.0 - _EDGE]))
        self._support = (max(low, edge_low), min(high, edge_high))

    @property
    def name(self) -> str:
        """The scipy.stats name and arguments, e.g. ``"expon(scale=2.0)"``."""
        return _describe(self.dist)

    def __repr__(self) -> str:
        return f"Distribution({self.name})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Distribution) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.name)

    # -- what plots and the widgets read ------------------------------------
    @property
    def low(self) -> float:
        """The lower end of an axis: the support's, or the 0.1% quantile if unbounded."""
        low = self._support[0]
        return low if math.isfinite(low) else float(self.dist.ppf(_SHOWN))

    @property
    def high(self) -> float:
        """The upper end of an axis: the support's, or the 99.9% quantile if unbounded."""
        high = self._support[1]
        return high if math.isfinite(high) else float(self.dist.ppf(1.0 - _SHOWN))

    @property
    def log(self) -> bool:
        """Distributions are drawn on a linear axis."""
        return False

    @property
    def size(self) -> float:
        low, high = self._support
        if self.discrete and math.isfinite(low) and math.isfinite(high):
            return float(high - low + 1)
        return math.inf

    # -- domain -----------------------------------------------------------------
    def check(self, value: Any, name: str = "value") -> Any:
        low, high = self._support
        if isinstance(value, np.generic):
            value = value.item()
        ok = not isinstance(value, bool) and isinstance(value, numbers.Real)
        if ok:
            v = float(value)
            ok = math.isfinite(v) and low <= v <= high
            if ok and self.discrete:
                ok = v.is_integer()
        if not ok:
            kind = "an int" if self.discrete else "a number"
            raise ValueError(
                f"Parameter {name!r} must be {kind} in [{low!r}, {high!r}] (the support of "
                f"{self.name}, cut at its 1e-9 quantiles). Got {value!r} instead."
            )
        return int(v) if self.discrete else v

    # -- unit interval -------------------------------------------------------------
    def encode(self, values: Sequence[Any]) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        # a discrete value owns the bin its probability spans: encode at its centre
        q = (self.dist.cdf(v - 1) + self.dist.cdf(v)) / 2.0 if self.discrete else self.dist.cdf(v)
        return np.clip(np.asarray(q, dtype=float), _EDGE, 1.0 - _EDGE)

    def decode(self, u: np.ndarray) -> list[Any]:
        q = np.clip(np.asarray(u, dtype=float), _EDGE, 1.0 - _EDGE)
        low, high = self._support
        x = np.clip(np.asarray(self.dist.ppf(q), dtype=float), low, high)
        if self.discrete:
            return np.rint(x).astype(np.int64).tolist()
        return x.tolist()

    def snap(self, u: np.ndarray) -> np.ndarray:
        if self.discrete:
            return self.encode(self.decode(u))
        return np.clip(np.asarray(u, dtype=float), _EDGE, 1.0 - _EDGE)

    def grid(self, resolution: int) -> list[Any]:
        values = self.decode((np.arange(resolution) + 0.5) / resolution)
        if self.discrete:
            return sorted(set(values))
        return values

    def rvs(self, random_state: Any) -> Any:
        """One draw, as scikit-learn's ``ParameterSampler`` makes it.

        Parameters
        ----------
        random_state : numpy.random.RandomState

        Returns
        -------
        float or int
        """
        value = self.dist.rvs(random_state=random_state)
        low, high = self._support
        value = min(max(float(value), low), high)
        return int(value) if self.discrete else value

    # -- JSON ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "name": self.dist.dist.name,
            "args": [_plain(a) for a in self.dist.args],
            "kwds": {k: _plain(v) for k, v in self.dist.kwds.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Distribution:
        """Rebuild from :meth:`to_json` output (by scipy.stats name: no code is loaded).

        Parameters
        ----------
        data : dict

        Returns
        -------
        Distribution

        Raises
        ------
        ValueError
            If scipy.stats has no distribution of that name.
        """
        return cls(_rebuild(data))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _rebuild(data: dict[str, Any]) -> Any:
    from scipy import stats

    name = data.get("name")
    family = getattr(stats, name, None) if isinstance(name, str) else None
    if not isinstance(family, stats.rv_continuous | stats.rv_discrete):
        raise ValueError(
            f"Unknown distribution {name!r}: a stored distribution is rebuilt from its "
            "scipy.stats name, and scipy.stats has no distribution of that name."
        )
    return family(*data.get("args", ()), **(data.get("kwds") or {}))


def _bounded(dist: Any) -> Parameter | None:
    """The Float or Int that a uniform, log-uniform or randint distribution is, else None."""
    name = dist.dist.name
    low, high = (float(v) for v in dist.support())
    try:
        if name == "uniform":
            param: Parameter = Float(low, high)
        elif name in ("loguniform", "reciprocal") and low > 0:
            param = Float(low, high, log=True)
        elif name == "randint" and math.isfinite(low) and math.isfinite(high):
            param = Int(int(low), int(high))
        else:
            return None
    except ValueError:  # a degenerate range (one value): keep the distribution
        return None
    param._source = dist  # type: ignore[attr-defined]  # scikit-learn's draws, exactly
    return param


def as_parameter(value: Any, name: str = "value") -> Parameter:
    """Turn what a user wrote for one hyperparameter into a :class:`Parameter`.

    Parameters
    ----------
    value : Parameter, list, range, 1-D array or frozen scipy.stats distribution
        A parameter is returned as is. A list, range or 1-D array is a
        :class:`Categorical` of its items. A distribution becomes a
        :class:`Float` (``uniform``, ``loguniform``), an :class:`Int`
        (``randint``) or a :class:`Distribution` (any other).
    name : str, default="value"
        The parameter's name, for messages.

    Returns
    -------
    Parameter

    Raises
    ------
    ValueError
        For anything else, saying what is allowed. A tuple is refused: it could
        mean ``(low, high)``; write ``tw.Float(low, high)`` or a list of choices.

    Examples
    --------
    >>> from scipy import stats
    >>> import tunewidgets as tw
    >>> tw.as_parameter(stats.loguniform(1e-3, 1e2))
    Float(0.001, 100.0, log=True)
    >>> tw.as_parameter(range(2, 5))
    Categorical([2, 3, 4])
    """
    if isinstance(value, Parameter):
        return value
    if is_distribution(value):
        return _bounded(value) or Distribution(value)
    if isinstance(value, list | range) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return Categorical(list(value))
    if isinstance(value, tuple):
        raise ValueError(
            f"Parameter {name!r} is a tuple, {value!r}, which could mean (low, high) or a set "
            "of choices: write tw.Float(low, high) / tw.Int(low, high) for a range, or a list "
            "for choices."
        )
    raise ValueError(
        f"Parameter {name!r} must be a tw.Float, tw.Int, tw.Categorical, a list (or range, or "
        "1-D array) of choices, or a frozen scipy.stats distribution. "
        f"Got {value!r} of type {type(value).__name__} instead."
    )
