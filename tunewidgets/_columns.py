"""The columns of ``Study.trials_dataframe()``: the one rule for a parameter's column.

A leaf module (it imports nothing of tunewidgets): the study writes the
DataFrame, and the space's narrowing, the plots and the widgets read it, all
through :func:`column_name` and :func:`param_column`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RESERVED_COLUMNS", "column_name", "param_column"]

#: Columns of ``Study.trials_dataframe()``; a parameter of one of these names is
#: given a ``param_`` prefix there.
RESERVED_COLUMNS = frozenset(
    {"number", "score", "score_std", "state", "started", "duration", "ask_time", "error"}
)


def column_name(name: str) -> str:
    """The column of ``study.trials_dataframe()`` named for parameter ``name``.

    Parameters
    ----------
    name : str
        A parameter's name in the space.

    Returns
    -------
    str
        ``name``, or ``"param_" + name`` where ``name`` is a reserved column.
    """
    return f"param_{name}" if name in RESERVED_COLUMNS else name


def param_column(trials: Any, name: str) -> str | None:
    """The column of ``study.trials_dataframe()`` holding parameter ``name``, if any.

    Parameters
    ----------
    trials : pandas.DataFrame
        The trials.
    name : str
        A parameter's name in the space.

    Returns
    -------
    str or None
        :func:`column_name` of ``name``, or None where ``trials`` has no such column.
    """
    column = column_name(name)
    return column if column in trials.columns else None
