"""What the storage hands back: a study at a glance, and a consistent snapshot of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from .._trial import Trial

__all__ = ["StoredStudy", "StudySummary"]


@dataclass(frozen=True)
class StudySummary:
    """One line of :func:`list_studies`: a stored study at a glance.

    Parameters
    ----------
    name : str
        The study's name.
    n_trials : int
        Finished trials stored.
    best_score : float or None
        Best score among complete trials.
    created : datetime
        When the study was created (UTC).
    strategy : str or None
        The strategy of its latest search, where recorded.
    """

    name: str
    n_trials: int
    best_score: float | None
    created: datetime
    strategy: str | None


class StoredStudy(NamedTuple):
    """What :meth:`SQLiteStorage.load_study` reads: one consistent snapshot of a study.

    Parameters
    ----------
    space : dict
        The study's current space, as JSON.
    settings : dict
        The settings of its latest search.
    trials : list of Trial
        Its finished trials, by number.
    cursor : int
        Where to read on from with :meth:`SQLiteStorage.trials_since`.
    """

    space: dict[str, Any]
    settings: dict[str, Any]
    trials: list[Trial]
    cursor: int
