"""Rebuilding a parameter from its JSON description."""

from __future__ import annotations

from typing import Any

from ._categorical import Categorical
from ._choices import Label
from ._distribution import Distribution
from ._params import Float, Int, Parameter

__all__ = ["parameter_from_json"]

_KINDS: dict[str, type[Parameter]] = {"float": Float, "int": Int, "categorical": Categorical}


def parameter_from_json(data: dict[str, Any]) -> Parameter:
    """Rebuild a parameter from :meth:`Parameter.to_json` output.

    Parameters
    ----------
    data : dict
        A mapping with a ``"type"`` key (``"float"``, ``"int"``, ``"categorical"`` or
        ``"distribution"``).

    Returns
    -------
    Parameter

    Raises
    ------
    ValueError
        If the description is not one this version understands.
    """
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "categorical":
        choices = list(data["choices"])
        for i in data.get("labels") or ():
            choices[i] = Label(choices[i])
        return Categorical(choices, unique=bool(data.get("unique", True)))
    if kind == "distribution":
        return Distribution.from_json(data)
    if kind in ("float", "int"):
        return _KINDS[kind](data["low"], data["high"], log=bool(data.get("log", False)))  # type: ignore[call-arg]
    raise ValueError(
        f"Unknown parameter description {data!r}: expected a 'type' of {sorted(_KINDS)!r}."
    )
