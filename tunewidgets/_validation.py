"""One place for the messages that bad input gets.

Every check here raises ``ValueError`` (or ``TypeError`` for a wrong type) with a
message in one template: which parameter of which function, what is allowed, and
what was received. Validating before a thread starts keeps tracebacks out of the
user's face.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

__all__ = [
    "check_choice",
    "check_int",
    "check_real",
]


def _where(name: str, owner: str | None) -> str:
    return f"The {name!r} parameter of {owner}" if owner else f"The {name!r} parameter"


def check_int(
    value: Any,
    name: str,
    *,
    owner: str | None = None,
    low: int | None = None,
    high: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """Check that ``value`` is an int in ``[low, high]`` and return it as ``int``.

    Parameters
    ----------
    value : object
        The value received.
    name : str
        The parameter's name, used in the message.
    owner : str, optional
        The function or class the parameter belongs to, used in the message.
    low, high : int, optional
        Inclusive bounds; ``None`` means unbounded.
    allow_none : bool, default=False
        Whether ``None`` is accepted (and returned as is).

    Returns
    -------
    int or None
        The value as a Python ``int``.

    Raises
    ------
    ValueError
        If the value is not an integer in the allowed range.
    """
    if value is None and allow_none:
        return None
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and (low is None or value >= low) and (high is None or value <= high):
        return int(value)
    lo = "-inf" if low is None else str(low)
    hi = "inf" if high is None else str(high)
    closing = "]" if high is not None else ")"
    opening = "[" if low is not None else "("
    extra = " or None" if allow_none else ""
    raise ValueError(
        f"{_where(name, owner)} must be an int in the range {opening}{lo}, {hi}{closing}"
        f"{extra}. Got {value!r} instead."
    )


def check_real(
    value: Any,
    name: str,
    *,
    owner: str | None = None,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    allow_none: bool = False,
) -> float | None:
    """Check that ``value`` is a finite real number in range and return it as ``float``.

    Parameters
    ----------
    value : object
        The value received.
    name : str
        The parameter's name, used in the message.
    owner : str, optional
        The function or class the parameter belongs to, used in the message.
    low, high : float, optional
        Bounds; ``None`` means unbounded. ``high`` is inclusive.
    low_inclusive : bool, default=True
        Whether ``low`` itself is allowed.
    allow_none : bool, default=False
        Whether ``None`` is accepted (and returned as is).

    Returns
    -------
    float or None
        The value as a Python ``float``.

    Raises
    ------
    ValueError
        If the value is not a finite real number in the allowed range.
    """
    if value is None and allow_none:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok and math.isfinite(value):
        above = low is None or (value >= low if low_inclusive else value > low)
        below = high is None or value <= high
        if above and below:
            return float(value)
    lo = "-inf" if low is None else repr(low)
    hi = "inf" if high is None else repr(high)
    opening = "[" if (low is not None and low_inclusive) else "("
    closing = "]" if high is not None else ")"
    extra = " or None" if allow_none else ""
    raise ValueError(
        f"{_where(name, owner)} must be a finite number in the range {opening}{lo}, {hi}{closing}"
        f"{extra}. Got {value!r} instead."
    )


def check_choice(value: Any, name: str, allowed: Iterable[Any], *, owner: str | None = None) -> Any:
    """Check that ``value`` is one of ``allowed`` and return it.

    Parameters
    ----------
    value : object
        The value received.
    name : str
        The parameter's name, used in the message.
    allowed : iterable
        The accepted values.
    owner : str, optional
        The function or class the parameter belongs to, used in the message.

    Returns
    -------
    object
        ``value`` unchanged.

    Raises
    ------
    ValueError
        If ``value`` is not among ``allowed``.
    """
    allowed = list(allowed)
    if any(value == a and type(value) is type(a) for a in allowed):
        return value
    options = ", ".join(repr(a) for a in allowed)
    raise ValueError(f"{_where(name, owner)} must be one of {{{options}}}. Got {value!r} instead.")
