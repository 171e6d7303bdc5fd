"""The one serializer of stored studies: JSON, never pickle.

Opening a study file must run no code, so everything stored (parameters,
settings, per-trial notes) goes through :func:`dumps` and :func:`loads`.
NumPy scalars and arrays become plain numbers and lists; non-finite floats
become ``null``; anything else that JSON cannot hold becomes its ``repr``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np

__all__ = ["dumps", "loads", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types (see the module's docstring).

    Parameters
    ----------
    value : object
        Any value.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float``, ``str``, ``list`` or ``dict``.
    """
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value)


def dumps(value: Any) -> str:
    """Serialize to a compact JSON string.

    Parameters
    ----------
    value : object
        Any value; converted with :func:`to_jsonable` first.

    Returns
    -------
    str
    """
    return json.dumps(to_jsonable(value), separators=(",", ":"), allow_nan=False)


def loads(text: str | None) -> Any:
    """Parse a JSON string (``None`` gives ``None``).

    Parameters
    ----------
    text : str or None
        JSON text.

    Returns
    -------
    object
    """
    return None if text is None else json.loads(text)
