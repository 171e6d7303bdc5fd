"""``Trial``: one evaluated configuration, as plain data (a leaf that storage and study share)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

from .space import SearchSpace

__all__ = ["Trial", "TrialState"]


class TrialState(str, Enum):
    """Where a trial is in its life.

    ``RUNNING`` while its objective runs; then exactly one of ``COMPLETE``
    (it returned a score), ``FAILED`` (it raised, or returned nan; see
    ``Trial.error``) or ``PRUNED`` (stopped early by a pruner; its score is its
    last reported value).
    """

    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"
    PRUNED = "pruned"

    @property
    def is_finished(self) -> bool:
        """Whether the trial has ended, in any way."""
        return self is not TrialState.RUNNING

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Trial:
    """One configuration evaluated by a search: plain, immutable data.

    Parameters
    ----------
    number : int
        Position in the study, from 0.
    params : dict
        The configuration.
    state : TrialState, default=TrialState.RUNNING
        Running, complete, failed or pruned.
    score : float or None, default=None
        The objective's value (higher is better); for a pruned trial, its last
        reported value; None while running or after a failure.
    score_std : float or None, default=None
        Standard deviation of the score across cross-validation folds, where known.
    intermediate_values : dict of int to float, default={}
        Values reported during the trial, by step (e.g. per epoch).
    started, ended : datetime or None, default=None
        When the trial started and ended (UTC).
    error : str or None, default=None
        Why it failed: the exception's type and message.
    output : str, default=""
        What the trial printed (stdout, stderr, warnings), captured.
    ask_time : float, default=0.0
        Seconds the strategy spent choosing this configuration.
    info : dict, default={}
        Further JSON-ready details: per-fold scores, fit time, the strategy's
        notes on why it chose this point.
    space : SearchSpace or None, default=None
        The space the configuration was drawn from (None where unknown: trials
        stored by tunewidgets 0.1).

    See Also
    --------
    Study : holds the trials of one search.
    """

    number: int
    params: dict[str, Any]
    state: TrialState = TrialState.RUNNING
    score: float | None = None
    score_std: float | None = None
    intermediate_values: dict[int, float] = field(default_factory=dict)
    started: datetime | None = None
    ended: datetime | None = None
    error: str | None = None
    output: str = ""
    ask_time: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    space: SearchSpace | None = field(default=None, repr=False)

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, or None while running."""
        if self.started is None or self.ended is None:
            return None
        return (self.ended - self.started).total_seconds()

    @property
    def is_finished(self) -> bool:
        """Whether the trial has ended."""
        return self.state.is_finished

    @property
    def has_score(self) -> bool:
        """Whether the trial completed with a finite score."""
        return (
            self.state is TrialState.COMPLETE
            and self.score is not None
            and math.isfinite(self.score)
        )

    def with_changes(self, **changes: Any) -> Trial:
        """A copy with some fields changed (trials are immutable).

        Parameters
        ----------
        **changes
            Field names and their new values.

        Returns
        -------
        Trial
        """
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field.

        Returns
        -------
        dict
        """
        return {
            "number": self.number,
            "params": self.params,
            "state": self.state.value,
            "score": self.score,
            "score_std": self.score_std,
            "intermediate_values": {str(k): v for k, v in self.intermediate_values.items()},
            "started": self.started.isoformat() if self.started else None,
            "ended": self.ended.isoformat() if self.ended else None,
            "error": self.error,
            "output": self.output,
            "ask_time": self.ask_time,
            "info": self.info,
            "space": None if self.space is None else self.space.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Trial:
        """Rebuild a trial from :meth:`to_json` output.

        Parameters
        ----------
        data : dict
            As returned by :meth:`to_json`.

        Returns
        -------
        Trial
        """

        def when(text: str | None) -> datetime | None:
            return datetime.fromisoformat(text) if text else None

        space = data.get("space")

        return cls(
            number=int(data["number"]),
            params=dict(data["params"]),
            state=TrialState(data["state"]),
            score=data.get("score"),
            score_std=data.get("score_std"),
            intermediate_values={
                int(k): v for k, v in (data.get("intermediate_values") or {}).items()
            },
            started=when(data.get("started")),
            ended=when(data.get("ended")),
            error=data.get("error"),
            output=data.get("output") or "",
            ask_time=float(data.get("ask_time") or 0.0),
            info=dict(data.get("info") or {}),
            space=None if space is None else SearchSpace.from_json(space),
        )
