"""A trial to a row of the ``trials`` table and back: JSON for everything that is not a number."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .. import _json
from .._trial import Trial, TrialState
from ..space import SearchSpace

__all__ = ["COLUMNS", "V1_COLUMNS", "from_row", "to_row"]

#: The columns a trial is written to (after ``study_id``), in order.
COLUMNS = (
    "number, state, params, score, score_std, intermediate, started, ended, error, output, "
    "ask_time, info, space_id, writer"
)
#: What a schema-1 file holds of a trial.
V1_COLUMNS = (
    "number, state, params, score, score_std, intermediate, started, ended, error, output, "
    "ask_time, info"
)


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def to_row(trial: Trial, encoded: Mapping[str, str] | None = None) -> tuple[Any, ...]:
    """The values of :data:`COLUMNS` up to ``info`` (``space_id`` and ``writer`` come apart).

    Parameters
    ----------
    trial : Trial
    encoded : mapping, optional
        ``params`` and ``info`` already serialized with :func:`tunewidgets._json.dumps`.

    Returns
    -------
    tuple
    """
    encoded = encoded or {}
    params = encoded.get("params")
    info = encoded.get("info")
    return (
        int(trial.number),
        trial.state.value,
        params if params is not None else _json.dumps(trial.params),
        _finite(trial.score),
        _finite(trial.score_std),
        _json.dumps({str(k): v for k, v in trial.intermediate_values.items()}),
        trial.started.isoformat() if trial.started else None,
        trial.ended.isoformat() if trial.ended else None,
        None if trial.error is None else _json.dumps_text(str(trial.error)),
        _json.dumps_text(str(trial.output or "")),
        float(trial.ask_time),
        info if info is not None else _json.dumps(trial.info),
    )


def _text(value: str | None, schema: int) -> str | None:
    if value is None or schema < 2:
        return value
    loaded = _json.loads(value)
    return loaded if isinstance(loaded, str) else str(loaded)


def from_row(
    row: tuple[Any, ...], schema: int, space_of: Callable[[int | None], SearchSpace | None]
) -> Trial:
    """Rebuild a trial from the columns :data:`COLUMNS` (:data:`V1_COLUMNS` for schema 1).

    Parameters
    ----------
    row : tuple
        The selected columns.
    schema : int
        The file's schema version.
    space_of : callable
        The space of a ``space_id`` (None when unknown).

    Returns
    -------
    Trial
    """
    (
        number,
        state,
        params,
        score,
        score_std,
        intermediate,
        started,
        ended,
        error,
        output,
        ask_time,
        info,
    ) = row[:12]
    space_id = row[12] if schema >= 2 else None
    return Trial(
        number=int(number),
        params=_json.loads(params),
        state=TrialState(state),
        score=score,
        score_std=score_std,
        intermediate_values={int(k): v for k, v in (_json.loads(intermediate) or {}).items()},
        started=datetime.fromisoformat(started) if started else None,
        ended=datetime.fromisoformat(ended) if ended else None,
        error=_text(error, schema),
        output=_text(output, schema) or "",
        ask_time=float(ask_time or 0.0),
        info=_json.loads(info) or {},
        space=space_of(space_id),
    )
