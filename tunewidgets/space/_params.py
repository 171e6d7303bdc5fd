"""The kinds of hyperparameter: the ``Parameter`` base, ``Float`` and ``Int``.

Each kind knows how to validate its own bounds, check a value, sample, lay out a
grid and encode values to and from the unit interval. Strategies work only in
that unit encoding, so this pair of methods is the one place where log scales,
integer rounding and category indices live. ``Categorical`` is in
``_categorical.py``, ``Distribution`` in ``_distribution.py``.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

__all__ = ["Float", "Int", "Parameter"]

#: Largest magnitude of an ``Int`` bound: beyond it, neighbouring integers share
#: a float64 in the unit encoding and the bins are no longer fair.
MAX_INT = 2**52
#: Largest ``high`` of an ``Int(log=True)``: the log scale spends precision faster.
MAX_LOG_INT = 2**44
_MAX_FLOAT = float(np.finfo(np.float64).max)


class Parameter(ABC):
    """A single hyperparameter: its domain and its encoding to the unit interval.

    Subclasses are :class:`Float`, :class:`Int` and :class:`Categorical`.
    Values are encoded in one column of ``[0, 1]`` (the *compact* encoding, used
    by random, grid and evolutionary search) or, for categoricals, in one column
    per choice (the *one-hot* encoding, used by the Gaussian process).
    """

    kind: ClassVar[str]

    @property
    @abstractmethod
    def size(self) -> float:
        """Number of distinct values (``math.inf`` for a continuous range)."""

    @property
    def n_onehot(self) -> int:
        """Number of columns this parameter takes in the one-hot encoding."""
        return 1

    @abstractmethod
    def check(self, value: Any, name: str = "value") -> Any:
        """Return ``value`` in canonical form, or raise if it is outside the domain.

        Parameters
        ----------
        value : object
            The value to check.
        name : str, default="value"
            The parameter's name, used in the error message.

        Returns
        -------
        object
            The value as a plain Python ``float``, ``int`` or the matching choice.

        Raises
        ------
        ValueError
            If the value is not in this parameter's domain.
        """

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies in this parameter's domain.

        Parameters
        ----------
        value : object
            The value to test.

        Returns
        -------
        bool
            True if :meth:`check` would accept it.
        """
        try:
            self.check(value)
        except (ValueError, TypeError):
            return False
        return True

    @abstractmethod
    def encode(self, values: Sequence[Any]) -> np.ndarray:
        """Map values to the unit interval (one float in ``[0, 1]`` each).

        Parameters
        ----------
        values : sequence
            Values inside the domain.

        Returns
        -------
        numpy.ndarray of shape (n,)
        """

    @abstractmethod
    def decode(self, u: np.ndarray) -> list[Any]:
        """Map points of the unit interval back to values (clipped into the domain).

        Parameters
        ----------
        u : numpy.ndarray of shape (n,)
            Points in ``[0, 1]``; values outside are clipped.

        Returns
        -------
        list
            Plain Python values inside the domain.
        """

    def snap(self, u: np.ndarray) -> np.ndarray:
        """Move points of the unit interval to the encoding of the value they decode to.

        Parameters
        ----------
        u : numpy.ndarray of shape (n,)
            Points, clipped into ``[0, 1]``.

        Returns
        -------
        numpy.ndarray of shape (n,)
            ``encode(decode(u))``, computed without building Python values where
            possible: integers and choices move to their bin centres.
        """
        return self.encode(self.decode(u))

    def unit_to_onehot(self, u: np.ndarray) -> np.ndarray:
        """One-hot encoding of the values that compact points ``u`` decode to.

        Parameters
        ----------
        u : numpy.ndarray of shape (n,)
            Points of the compact encoding.

        Returns
        -------
        numpy.ndarray of shape (n, n_onehot)
        """
        return self.snap(u)[:, None]

    def encode_onehot(self, values: Sequence[Any]) -> np.ndarray:
        """Map values to their one-hot encoding (a single column for numbers).

        Parameters
        ----------
        values : sequence
            Values inside the domain.

        Returns
        -------
        numpy.ndarray of shape (n, n_onehot)
        """
        return self.encode(values)[:, None]

    def decode_onehot(self, z: np.ndarray) -> list[Any]:
        """Inverse of :meth:`encode_onehot`.

        Parameters
        ----------
        z : numpy.ndarray of shape (n, n_onehot)
            Encoded rows.

        Returns
        -------
        list
            Plain Python values inside the domain.
        """
        return self.decode(np.asarray(z, dtype=float)[:, 0])

    @abstractmethod
    def grid(self, resolution: int) -> list[Any]:
        """Evenly spaced values across the domain, in its own scale.

        Parameters
        ----------
        resolution : int
            Number of points for a numeric range (at least 2). Integers are
            deduplicated; categoricals always give every choice.

        Returns
        -------
        list
        """

    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        """Draw values uniformly in the parameter's own scale.

        Parameters
        ----------
        rng : numpy.random.Generator
            The source of randomness.
        size : int
            How many values to draw.

        Returns
        -------
        list
        """
        return self.decode(rng.random(size))

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description, the inverse of :func:`parameter_from_json`."""


def _check_bound(value: Any, which: str, cls: str, *, integral: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "an int" if integral else "a finite number"
        raise ValueError(f"{cls}: {which!r} must be {kind}. Got {value!r} instead.")
    if not math.isfinite(value):
        raise ValueError(f"{cls}: {which!r} must be finite. Got {value!r} instead.")
    if integral:
        if not isinstance(value, numbers.Integral):
            raise ValueError(
                f"{cls}: {which!r} must be an int (Int bounds are whole numbers, inclusive). "
                f"Got {value!r} instead; use Float for a continuous range."
            )
        return int(value)
    return float(value)


class _Numeric(Parameter):
    """Shared machinery of Float and Int: bounds, log scale, repr and JSON."""

    _integral: ClassVar[bool]

    def __init__(self, low: float, high: float, log: bool = False) -> None:
        cls = type(self).__name__
        low = _check_bound(low, "low", cls, integral=self._integral)
        high = _check_bound(high, "high", cls, integral=self._integral)
        if not low < high:
            raise ValueError(
                f"{cls}: 'low' must be < 'high'. Got low={low!r}, high={high!r}; "
                f"use Categorical([{low!r}]) for a fixed value."
            )
        if not isinstance(log, bool | np.bool_):
            raise ValueError(f"{cls}: 'log' must be True or False. Got {log!r} instead.")
        if log and low <= 0:
            raise ValueError(
                f"{cls}: log=True needs 'low' > 0 (a log scale cannot reach zero or "
                f"negative values). Got low={low!r}; use log=False or a positive lower bound."
            )
        self._check_encodable(low, high, bool(log))
        self.low = low
        self.high = high
        self.log = bool(log)

    def _check_encodable(self, low: Any, high: Any, log: bool) -> None:
        """Refuse bounds the unit encoding cannot hold (see each subclass)."""

    def __repr__(self) -> str:
        log = ", log=True" if self.log else ""
        return f"{type(self).__name__}({self.low!r}, {self.high!r}{log})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.low, self.high, self.log) == (
            other.low,  # type: ignore[attr-defined]
            other.high,  # type: ignore[attr-defined]
            other.log,  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.low, self.high, self.log))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind, "low": self.low, "high": self.high, "log": self.log}

    def _out_of_range(self, value: Any, name: str) -> ValueError:
        return ValueError(
            f"Parameter {name!r} must be {self._describe()} in [{self.low!r}, {self.high!r}]. "
            f"Got {value!r} instead."
        )

    def _describe(self) -> str:
        return "an int" if self._integral else "a number"


class Float(_Numeric):
    """A continuous hyperparameter in ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Inclusive, finite bounds with ``low < high``.
    log : bool, default=False
        Search on a log scale (needs ``low > 0``). Use it for values that span
        orders of magnitude, such as a learning rate or a regularization strength.

    Raises
    ------
    ValueError
        If a bound is not finite, ``low >= high``, ``log=True`` with ``low <= 0``, or
        ``high - low`` overflows (e.g. ``Float(-1e308, 1e308)``).

    See Also
    --------
    Int : an integer range.
    Categorical : a set of choices.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> tw.Float(1e-3, 1e3, log=True)
    Float(0.001, 1000.0, log=True)
    >>> tw.Float(0.0, 1.0).encode([0.25]).tolist()
    [0.25]
    """

    kind = "float"
    _integral = False

    def _check_encodable(self, low: Any, high: Any, log: bool) -> None:
        if not log and not math.isfinite(high - low):
            raise ValueError(
                f"Float: the width high - low must be a finite float (at most {_MAX_FLOAT:.4g}) "
                f"for the range to be sampled and encoded. Got low={low!r}, high={high!r}, "
                "whose width overflows; narrow the range, or use log=True for positive values."
            )

    @property
    def size(self) -> float:
        return math.inf

    def _scale(self) -> tuple[float, float]:
        if self.log:
            return math.log(self.low), math.log(self.high)
        return self.low, self.high

    def check(self, value: Any, name: str = "value") -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self._out_of_range(value, name)
        v = float(value)
        if not (math.isfinite(v) and self.low <= v <= self.high):
            raise self._out_of_range(value, name)
        return v

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        a, b = self._scale()
        if self.log:
            v = np.log(v)
        return (v - a) / (b - a)

    def decode(self, u: np.ndarray) -> list[Any]:
        a, b = self._scale()
        x = a + np.clip(np.asarray(u, dtype=float), 0.0, 1.0) * (b - a)
        if self.log:
            x = np.exp(x)
        return np.clip(x, self.low, self.high).tolist()

    def snap(self, u: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(u, dtype=float), 0.0, 1.0)

    def grid(self, resolution: int) -> list[Any]:
        if self.log:
            return np.geomspace(self.low, self.high, resolution).tolist()
        return np.linspace(self.low, self.high, resolution).tolist()


class Int(_Numeric):
    """An integer hyperparameter in ``[low, high]``, both bounds included.

    Parameters
    ----------
    low, high : int
        Inclusive integer bounds with ``low < high``, at most ``2**52`` in
        magnitude (``2**44`` with ``log=True``), so that every integer keeps its
        own place in the unit encoding.
    log : bool, default=False
        Search on a log scale (needs ``low >= 1``), for counts such as the number
        of trees that span orders of magnitude.

    Raises
    ------
    ValueError
        If a bound is not an int, ``low >= high``, ``log=True`` with ``low <= 0``, or
        a bound is too large for the unit encoding: beyond ``2**52`` in magnitude
        (``2**44`` with ``log=True``).

    Notes
    -----
    In the unit encoding every integer owns an equal-width bin (equal width in
    log space when ``log=True``), so uniform sampling in the unit interval gives
    each integer its fair share and rounding never favours the end points.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> tw.Int(2, 5).grid(10)
    [2, 3, 4, 5]
    """

    kind = "int"
    _integral = True

    def _check_encodable(self, low: Any, high: Any, log: bool) -> None:
        limit, text = (MAX_LOG_INT, "2**44") if log else (MAX_INT, "2**52")
        allowed = f"at most {limit} ({text})" if log else f"in [-{limit}, {limit}] (+-{text})"
        scale = " with log=True" if log else ""
        for which, value in (("low", low), ("high", high)):
            if abs(value) > limit:
                raise ValueError(
                    f"Int: {which!r} must be {allowed}{scale}, so that every integer keeps its "
                    f"own place in the unit encoding. Got {which}={value!r}; use Float for a "
                    "wider range."
                )

    @property
    def size(self) -> float:
        return float(self.high - self.low + 1)

    def _edges(self) -> tuple[float, float]:
        lo, hi = self.low - 0.5, self.high + 0.5
        if self.log:
            return math.log(lo), math.log(hi)
        return lo, hi

    def check(self, value: Any, name: str = "value") -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self._out_of_range(value, name)
        integral = isinstance(value, numbers.Integral)
        if not integral and not (math.isfinite(value) and float(value).is_integer()):
            raise self._out_of_range(value, name)
        v = int(value)
        if not self.low <= v <= self.high:
            raise self._out_of_range(value, name)
        return v

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        a, b = self._edges()
        if self.log:
            v = np.log(v)
        return (v - a) / (b - a)

    def decode(self, u: np.ndarray) -> list[Any]:
        a, b = self._edges()
        x = a + np.clip(np.asarray(u, dtype=float), 0.0, 1.0) * (b - a)
        x = np.exp(x) if self.log else x
        return np.clip(np.rint(x), self.low, self.high).astype(np.int64).tolist()

    def grid(self, resolution: int) -> list[Any]:
        space = np.geomspace if self.log else np.linspace
        values = np.rint(space(self.low, self.high, resolution)).astype(np.int64)
        return sorted(set(values.tolist()))
