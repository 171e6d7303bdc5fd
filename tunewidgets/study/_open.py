"""``open_study``: the one rule for what a search records into."""

from __future__ import annotations

import os
from typing import Any

from ..space import SearchSpace
from ..storage import SQLiteStorage
from ._study import Study, generate_name

__all__ = ["open_study"]


def open_study(
    space: SearchSpace,
    *,
    study: Study | None = None,
    storage: Any = None,
    study_name: str | None = None,
    label: str = "study",
) -> Study:
    """The study to record into: the one given, a stored one to continue, or a new one.

    Every entry point (``tune``, ``Dashboard``, ``Race``, ``TuneSearchCV``) follows
    this rule, so a notebook run twice in the same folder continues its study.

    Parameters
    ----------
    space : SearchSpace
        The space of this search.
    study : Study or None
        A study to continue.
    storage : str, path or None
        The SQLite file (None: in memory).
    study_name : str or None
        Name of the study; a stored study of that name is continued.
    label : str, default="study"
        Prefix for a generated name.

    Returns
    -------
    Study
    """
    if study is not None:
        if not isinstance(study, Study):
            raise ValueError(f"'study' must be a tw.Study. Got {type(study).__name__}.")
        return study
    if storage is not None and study_name is not None:
        path = storage.path if isinstance(storage, SQLiteStorage) else storage
        if os.path.exists(path):
            store = storage if isinstance(storage, SQLiteStorage) else SQLiteStorage(path)
            if store.has_study(study_name):
                return Study.load(store, study_name)
    return Study(space, name=study_name or generate_name(label), storage=storage)
