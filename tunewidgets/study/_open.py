"""``open_study``: the one rule for what a search records into; ``list_studies``.

A stored study of the given name is continued; otherwise a new one is created
(atomically, so two processes starting the same study at once share it).
Continuing a study with a different space, or a different objective than the
one its settings record, is refused with a message naming the differences,
unless the change is asked for (``change_space=True``, or
:meth:`Study.set_space`): otherwise the earlier trials would be mislabelled.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, cast

from ..space import Categorical, Label, SearchSpace
from ..storage import SQLiteStorage, StudySummary
from ._study import Study, _open_storage, generate_name

__all__ = ["describe_changes", "list_studies", "open_study"]

#: What makes two objectives the same search, by the keys of ``Objective.describe()``.
_IDENTITY = {
    "kind": "the kind of objective",
    "estimator": "the estimator",
    "scoring": "the scoring",
    "name": "the objective function",
    "build_model": "build_model",
    "monitor": "the monitored value",
    "mode": "the monitored value's direction",
}
# compared only where both searches recorded them (studies of earlier versions lack them)
_IF_RECORDED = {
    "folds": "the cross-validation",
    "n_samples": "the number of samples",
}


def _space_changes(old: SearchSpace, new: SearchSpace) -> list[str]:
    a, b = old.to_json(), new.to_json()
    if not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return [] if a == b else [f"the space was {old!r}, now {new!r}"]
    if dict(a) == dict(b):
        return []  # the same parameters, perhaps in another order
    changes = []
    removed = [name for name in a if name not in b]
    added = [name for name in b if name not in a]
    if removed:
        changes.append("no longer searched: " + ", ".join(repr(n) for n in removed))
    if added:
        changes.append("new: " + ", ".join(f"{n!r} ({new[n]!r})" for n in added))
    changes += [f"{n!r} was {old[n]!r}, now {new[n]!r}" for n in a if n in b and a[n] != b[n]]
    return changes


def _objective_changes(old: Any, new: Any) -> list[str]:
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return []
    changed = [
        key for key in _IDENTITY if (key in old or key in new) and old.get(key) != new.get(key)
    ]
    changed += [key for key in _IF_RECORDED if key in old and key in new and old[key] != new[key]]
    labels = {**_IDENTITY, **_IF_RECORDED}
    return [f"{labels[key]} was {old.get(key)!r}, now {new.get(key)!r}" for key in changed]


def describe_changes(
    study: Study, space: SearchSpace, objective: Mapping[str, Any] | None = None
) -> list[str]:
    """How ``space`` and ``objective`` differ from what ``study`` searched.

    Parameters
    ----------
    study : Study
        A study to continue.
    space : SearchSpace
        The space of the search about to run.
    objective : mapping, optional
        ``Objective.describe()`` of the search about to run, compared with the
        one in the study's settings (where recorded).

    Returns
    -------
    list of str
        One phrase per difference; empty when the search continues the study as it was.
    """
    changes = _space_changes(study.space, space)
    if objective is not None:
        changes += _objective_changes(study.settings.get("objective"), objective)
    return changes


def _refusal(study: Study, changes: list[str], where: str) -> ValueError:
    n = len([t for t in study.trials if t.is_finished])
    return ValueError(
        f"{where} was searched with a different space or objective than this search's: "
        f"{'; '.join(changes)}. Its {n} trials were not drawn from this search's space, or "
        "not scored as it scores them. To "
        "search the new space in the same study (the earlier trials stay; best_params then "
        "counts only those valid in the new space), pass change_space=True; or choose "
        "another study_name."
    )


def open_study(
    space: SearchSpace,
    *,
    study: Study | None = None,
    storage: Any = None,
    study_name: str | None = None,
    label: str = "study",
    objective: Mapping[str, Any] | None = None,
    change_space: bool = False,
) -> Study:
    """The study to record into: the one given, a stored one to continue, or a new one.

    Every entry point (``tune``, ``Dashboard``, ``Race``, ``TuneSearchCV``) follows
    this rule, so a notebook run twice in the same folder continues its study,
    and two processes that start the same study at once share it.

    Parameters
    ----------
    space : SearchSpace
        The space of this search.
    study : Study or None
        A study to continue.
    storage : str, path, SQLiteStorage or None
        The SQLite file (None: in memory).
    study_name : str or None
        Name of the study; a stored study of that name is continued.
    label : str, default="study"
        Prefix for a generated name.
    objective : mapping, optional
        ``Objective.describe()`` of this search; a study whose settings record
        another objective is continued only with ``change_space=True``.
    change_space : bool, default=False
        Continue a study whose space or objective differs from this search's:
        the new space is recorded (:meth:`Study.set_space`) and the earlier
        trials stay. Without it, such a study is refused.

    Returns
    -------
    Study

    Raises
    ------
    ValueError
        If a study to continue was searched with a different space or objective
        (the message names the differences), or the file is not a study file.
    PermissionError
        If the study file is read-only (a search could not record into it).
    """
    if not isinstance(change_space, bool):
        raise ValueError(f"'change_space' must be True or False. Got {change_space!r} instead.")
    if study is not None:
        if not isinstance(study, Study):
            raise ValueError(f"'study' must be a tw.Study. Got {type(study).__name__}.")
        study._check_writable()
        _continue(study, space, objective, change_space, f"The study {study.name!r} given")
        return study
    store = _open_storage(storage)
    if store is None:
        return Study(space, name=study_name or generate_name(label))
    store.check_writable()
    name = study_name or generate_name(label)
    opened, created = Study._create_or_load(store, name, space, exist_ok=study_name is not None)
    if not created:
        where = f"Study {opened.name!r} in {str(store.path)!r}"
        _continue(opened, space, objective, change_space, where)
    return opened


def _continue(
    study: Study,
    space: SearchSpace,
    objective: Mapping[str, Any] | None,
    change_space: bool,
    where: str,
) -> None:
    changes = describe_changes(study, space, objective)
    if changes and not change_space:
        raise _refusal(study, changes, where)
    if study.space != space or _stands_in(study.space, space):
        # asked for, the same parameters in another order, or the objects a file's
        # Label stand-ins were stored for
        study.set_space(space)


def _stands_in(stored: SearchSpace, given: SearchSpace) -> bool:
    """Whether ``stored`` holds Label stand-ins where ``given`` holds the objects."""
    for name in given.names:
        if name not in stored.names:
            continue
        mine, theirs = stored[name], given[name]
        if isinstance(mine, Categorical) and isinstance(theirs, Categorical):
            pairs = zip(mine.choices, theirs.choices, strict=False)
            if any(isinstance(a, Label) and not isinstance(b, Label) for a, b in pairs):
                return True
    return False


def list_studies(storage: str | os.PathLike[str]) -> list[StudySummary]:
    """The studies stored in a SQLite file.

    Parameters
    ----------
    storage : str or path
        The file.

    Returns
    -------
    list of StudySummary
        Name, number of trials, best score, creation time and strategy of each.

    Raises
    ------
    FileNotFoundError
        If the file does not exist (none is created).
    ValueError
        If the file is not a study file.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> [s.name for s in tw.list_studies("tunewidgets.db")]  # doctest: +SKIP
    ['svc-iris']
    """
    store = cast(SQLiteStorage, _open_storage(storage, create=False))
    try:
        return store.summaries()
    finally:
        store.close()
