"""Choices of any value, and the readable, stable labels they are stored by.

A categorical choice may be any Python value: a string or a number, and also an
estimator (``[LogisticRegression(), SVC()]``), a tuple (``ngram_range``), a dict,
an array or a function. Stored studies are JSON and never pickle, so a choice
that JSON cannot hold exactly is stored by its *label*: a readable text that is
the same for the same value in every session (``"LogisticRegression(C=10)"``,
``"(1, 2)"``, ``"numpy.log"``), never a memory address. Plain choices (str,
int, float, bool, None) are stored as themselves.

A study read back from its file holds :class:`Label` stand-ins where the
objects were: marked, readable, and matched to the real objects again when the
same space is given once more.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from typing import Any

import numpy as np

__all__ = ["Label", "base_label", "is_plain", "plain_key"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_MAX_ARRAY_ITEMS = 20
_MAX_LABEL = 300


class Label(str):
    """The stored label of a choice that JSON cannot hold (a stand-in for the object).

    A study read from its file has these where its choices were estimators,
    tuples, dicts, arrays or functions. They print as the label, compare equal
    to the label, and are replaced by the real choice wherever the space that
    holds the objects is given again.

    Examples
    --------
    >>> from tunewidgets.space import Label
    >>> Label("LogisticRegression()")
    Label('LogisticRegression()')
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Label({str.__repr__(self)})"


def is_plain(value: Any) -> bool:
    """Whether JSON holds ``value`` exactly: str (not a Label), int, float, bool or None.

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, Label):
        return False
    return isinstance(value, str | numbers.Integral | numbers.Real) and not isinstance(
        value, np.ndarray
    )


def plain_key(value: Any) -> tuple[str, Any]:
    """A key under which equal plain choices compare equal, and True never equals 1.

    Parameters
    ----------
    value : object
        A plain value (see :func:`is_plain`).

    Returns
    -------
    tuple

    Raises
    ------
    TypeError
        If the value is not plain.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return ("none", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, Label):
        raise TypeError("Label")
    if isinstance(value, numbers.Real):
        number = float(value)
        return ("nan", None) if math.isnan(number) else ("number", number)
    if isinstance(value, str):
        return ("str", value)
    raise TypeError(type(value).__name__)


def _qualname(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or "?"
    return f"{module}.{name}" if module and module != "builtins" else name


def _array_label(value: np.ndarray) -> str:
    if value.size <= _MAX_ARRAY_ITEMS and value.dtype != object:
        return f"array({value.tolist()!r})"
    digest = hashlib.sha1(np.ascontiguousarray(value).tobytes(), usedforsecurity=False)
    return f"array(shape={value.shape}, dtype={value.dtype}, sha1={digest.hexdigest()[:12]})"


def _estimator_label(value: Any) -> str:
    from sklearn import config_context

    try:
        with config_context(print_changed_only=True):
            text = value.__repr__(N_CHAR_MAX=10**6)
    except TypeError:  # an estimator that does not come from BaseEstimator
        text = repr(value)
    return " ".join(text.split())


def _shorten(text: str) -> str:
    if len(text) <= _MAX_LABEL:
        return text
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return f"{text[: _MAX_LABEL - 20]}... sha1={digest.hexdigest()[:12]}"


def base_label(value: Any) -> str:
    """A readable label for ``value``, the same in every session for the same value.

    Parameters
    ----------
    value : object
        Any value.

    Returns
    -------
    str
        ``repr`` for plain values, tuples, lists and dicts of them; the
        parameters that differ from the defaults for an estimator; the
        qualified name of a function or class; the values (or shape, dtype and
        a digest) of an array. Memory addresses are left out, so two objects
        without a repr of their own may share a label.

    Examples
    --------
    >>> from tunewidgets.space._choices import base_label
    >>> base_label((1, 2)), base_label(len)
    ('(1, 2)', 'len')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Label):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if is_plain(value):
        return repr(value)
    if isinstance(value, np.ndarray):
        return _array_label(value)
    if isinstance(value, np.ufunc):  # the same in every numpy version
        return f"numpy.{value.__name__}"
    is_function = callable(value) and hasattr(value, "__qualname__")
    if (isinstance(value, type) or is_function) and not hasattr(value, "get_params"):
        return _qualname(value)
    if hasattr(value, "get_params") and hasattr(value, "fit"):
        return _shorten(_estimator_label(value))
    if isinstance(value, set | frozenset):
        inner = ", ".join(sorted(base_label(v) for v in value))
        return _shorten(f"{type(value).__name__}({{{inner}}})")
    if isinstance(value, tuple | list):
        inner = ", ".join(base_label(v) for v in value)
        if isinstance(value, tuple):
            return _shorten(f"({inner},)" if len(value) == 1 else f"({inner})")
        return _shorten(f"[{inner}]")
    if isinstance(value, dict):
        inner = ", ".join(f"{base_label(k)}: {base_label(v)}" for k, v in value.items())
        return _shorten(f"{{{inner}}}")
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ still gets a label
        text = f"<{_qualname(type(value))} object>"
    return _shorten(_ADDRESS.sub("", text))


def same_value(a: Any, b: Any) -> bool:
    """Whether two choices are the same value (identity, or equal plain data and arrays).

    Parameters
    ----------
    a, b : object

    Returns
    -------
    bool
    """
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b))
        )
    if isinstance(a, tuple | list | dict | set | frozenset) and type(a) is type(b):
        try:
            return bool(a == b)
        except Exception:  # elements whose == does not give a bool (arrays)
            return base_label(a) == base_label(b)
    return False
