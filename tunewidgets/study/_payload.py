"""What a finished trial is recorded as: every field storable, and read back as recorded.

A trial's payload (what it printed, its error, its ``info``) comes from user
code and may be anything: odd text, 20 MB of output, an object that contains
itself. :func:`storable` turns it into what the study keeps, in memory and in
the file alike, so the trial a search holds is the trial a later
``Study.load`` reads:

- captured output is capped at :data:`MAX_OUTPUT` characters and an error
  message at :data:`MAX_ERROR` (head and tail kept, a line saying how much was cut);
- ``info`` goes through the JSON serializer (see :mod:`tunewidgets._json`:
  values JSON cannot hold become marked stand-ins), and if it would still take
  more than :data:`MAX_INFO` characters its largest entries become stand-ins too.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _json
from .._trial import Trial

__all__ = ["MAX_ERROR", "MAX_INFO", "MAX_OUTPUT", "storable"]

#: Characters of captured output kept per trial.
MAX_OUTPUT = 200_000
#: Characters of an error message kept per trial (the traceback is in ``info``).
MAX_ERROR = 20_000
#: Characters of JSON that a trial's ``info`` may take.
MAX_INFO = 2_000_000


def _text(value: Any) -> str:
    if isinstance(value, str):
        return str.__str__(value)
    try:
        return str(value)
    except Exception as exc:
        return f"<{type(value).__qualname__} whose str() raised {type(exc).__name__}>"


def _info(info: Any) -> tuple[dict[str, Any], str]:
    value = _json.to_jsonable(info if isinstance(info, dict) else {"value": info})
    if not isinstance(value, dict):  # a stand-in for the whole mapping
        value = {"value": value}
    text = _json.dumps(value)
    if len(text) > MAX_INFO:
        sizes = {key: len(_json.dumps(item)) for key, item in value.items()}
        for key in sorted(sizes, key=sizes.__getitem__, reverse=True):
            value[key] = _json.stand_in(
                value[key],
                f"too large to store: {sizes[key]:,} characters as JSON, more than a trial's "
                f"info may take ({MAX_INFO:,})",
                describe=f"<{type(value[key]).__name__} of {sizes[key]:,} characters as JSON>",
            )
            text = _json.dumps(value)
            if len(text) <= MAX_INFO:
                break
    return _json.loads(text), text


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def storable(trial: Trial) -> tuple[Trial, dict[str, str]]:
    """The trial as it is recorded (see the module's docstring); never raises for any payload.

    Parameters
    ----------
    trial : Trial
        A finished trial, as the runner built it.

    Returns
    -------
    trial : Trial
        The same trial with its output and error capped, its ``info`` made of
        JSON values (with stand-ins where needed), and non-finite scores as None.
    encoded : dict of str to str
        Its ``params`` and ``info`` as the JSON text stored (so the storage
        need not serialize them again).
    """
    error = None if trial.error is None else _json.cap_text(_text(trial.error), MAX_ERROR, "error")
    info, info_text = _info(trial.info)
    params_text = _json.dumps(trial.params)
    recorded = trial.with_changes(
        output=_json.cap_text(_text(trial.output or ""), MAX_OUTPUT, "output"),
        error=error,
        info=info,
        params=_json.loads(params_text),
        score=_number(trial.score),
        score_std=_number(trial.score_std),
    )
    return recorded, {"params": params_text, "info": info_text}
