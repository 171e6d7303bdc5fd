"""``Study``: the trials of one search, in memory and (optionally) in a SQLite file."""

from __future__ import annotations

import math
import os
import secrets
import socket
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .. import _json
from .._columns import RESERVED_COLUMNS, column_name
from .._trial import Trial
from ..space import Categorical, Label, SearchSpace
from ..storage import SQLiteStorage
from ._record import TrialRecords

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

__all__ = ["DEFAULT_STORAGE", "RESERVED_COLUMNS", "Study"]

#: Where studies are kept unless ``storage=`` says otherwise.
DEFAULT_STORAGE = "tunewidgets.db"

StorageArg = str | os.PathLike[str] | SQLiteStorage | None


def _open_storage(storage: StorageArg, *, create: bool = True) -> SQLiteStorage | None:
    if storage is None or isinstance(storage, SQLiteStorage):
        return storage
    if isinstance(storage, str | os.PathLike):
        return SQLiteStorage(storage, create=create)
    raise ValueError(
        "The 'storage' parameter must be a path to a SQLite file (e.g. 'tunewidgets.db') or "
        f"None to keep the study in memory only. Got {storage!r} instead."
    )


def generate_name(label: str = "study") -> str:
    """A readable, unique study name such as ``"svc-20261123-141502-3fa1"``.

    Parameters
    ----------
    label : str, default="study"
        A prefix, e.g. the estimator's name.

    Returns
    -------
    str
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"{label}-{stamp}-{secrets.token_hex(2)}"


class Study(TrialRecords):
    """The trials of one search: what was tried, how it scored, and the best so far.

    A study lives in memory and, with ``storage``, in a SQLite file where each
    finished trial is committed at once. Several named studies can share a file;
    reopen one with :meth:`Study.load` after a kernel restart.

    Parameters
    ----------
    space : SearchSpace
        The space searched.
    name : str, optional
        Unique within the storage file; generated when omitted.
    storage : str, path or None, default=None
        A SQLite file (a path, ``~`` expanded, or a ``"sqlite:///path.db"``
        URL; missing folders are created), or None to keep the study in memory only.
    settings : dict, optional
        JSON-ready settings of the search (strategy, budgets, objective), stored
        with the study and shown in reports.

    Raises
    ------
    ValueError
        If the name is taken in the file, or the file is not a study file (or a
        damaged one).
    PermissionError
        If the file is read-only, or cannot be created.

    See Also
    --------
    tune : runs a search and returns its Study.
    Trial : one evaluated configuration.

    Notes
    -----
    A study is safe to read from any thread while a search writes to it:
    :attr:`trials` returns a snapshot. Trials are immutable records.

    *Shared studies.* Several processes on one machine may run searches on the
    same stored study at once (two notebooks, or a notebook and a script): each
    trial's number is taken from the file in a transaction, every trial is
    kept, and :meth:`sync` reads the trials the other processes finished (a
    search does so before each ask, and tells its strategy). The file must be
    on a local disk: SQLite's locks are not reliable on network filesystems.

    *A study's space changes only on request* (:meth:`set_space`). Each trial
    remembers the space it was drawn from (:attr:`Trial.space`);
    :attr:`best_trial`, :attr:`best_params` and :meth:`refit_best` consider only
    the trials whose configuration is valid in the current space.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> study = tw.tune(lambda p: -abs(p["x"] - 0.3), space, strategy="random",
    ...                 n_trials=5, storage=None, progress=False)
    >>> len(study.trials), study.best_score <= 0
    (5, True)
    """

    def __init__(
        self,
        space: SearchSpace,
        *,
        name: str | None = None,
        storage: StorageArg = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self._init(space, name or generate_name(), _open_storage(storage), dict(settings or {}))
        if self._storage is not None:
            self._storage.create_study(self.name, space.to_json(), self._settings)
            self._sync_token = self._storage.version(self._writer)

    def _init(
        self,
        space: SearchSpace,
        name: str,
        storage: SQLiteStorage | None,
        settings: dict[str, Any],
        trials: list[Trial] | None = None,
    ) -> None:
        if not isinstance(space, SearchSpace):
            raise ValueError(
                f"Study: 'space' must be a tw.SearchSpace. Got {type(space).__name__}."
            )
        if not isinstance(name, str) or not name:
            raise ValueError(f"Study: 'name' must be a non-empty string. Got {name!r}.")
        self.name = _json.escape_surrogates(name)
        self._space = space
        self._storage = storage
        self._settings = settings
        self._trials: list[Trial] = sorted(trials or [], key=lambda t: t.number)
        self._lock = threading.RLock()
        self._sync_lock = threading.Lock()
        self._version = 0
        self._best: tuple[int, Trial | None] | None = None
        # shared studies: who this is, what was read from the file, what others wrote
        self._writer = _new_writer()
        self._cursor = 0
        self._sync_token: tuple[int, int] | None = None
        self._arrived: list[Trial] = []
        #: The estimator tuned, when known (not stored): used by :meth:`refit_best`.
        self.estimator: BaseEstimator | None = None

    @classmethod
    def load(
        cls, storage: str | os.PathLike[str] | SQLiteStorage, name: str | None = None
    ) -> Study:
        """Reopen a stored study, e.g. after a kernel restart.

        Parameters
        ----------
        storage : str or path
            The SQLite file.
        name : str, optional
            The study's name; may be omitted when the file holds exactly one.

        Returns
        -------
        Study
            With every trial that had finished; continue it with
            ``tw.tune(..., study=study)`` or a Dashboard.

        Raises
        ------
        FileNotFoundError
            If there is no such file (none is created).
        ValueError
            If the file is not a study file, is damaged, or ``name`` is omitted
            and the file holds several studies.
        KeyError
            If there is no study of that name; the message lists those that exist.

        Notes
        -----
        A read-only file (or a file in a read-only folder) is read without
        writing anything beside it; such a study can be looked at, not continued.
        """
        store = cast(SQLiteStorage, _open_storage(storage, create=False))
        if name is None:
            names = store.study_names()
            if len(names) != 1:
                listed = ", ".join(repr(n) for n in names) if names else "none"
                raise ValueError(
                    f"{str(store.path)!r} holds {len(names)} studies ({listed}); "
                    "say which with name=."
                )
            name = names[0]
        return cls._from_storage(store, name)

    @classmethod
    def _from_storage(cls, store: SQLiteStorage, name: str) -> Study:
        writer = _new_writer()
        token = store.version(writer)  # before reading: a write in between is read by sync()
        stored = store.load_study(name)
        space = SearchSpace.from_json(stored.space)
        # choices stored by their labels come back as Label stand-ins of the space
        trials = [t.with_changes(params=space.from_stored(t.params)) for t in stored.trials]
        study = cls.__new__(cls)
        study._init(space, name, store, stored.settings, trials)
        study._writer, study._cursor, study._sync_token = writer, stored.cursor, token
        return study

    @classmethod
    def _create_or_load(
        cls, store: SQLiteStorage, name: str, space: SearchSpace, *, exist_ok: bool
    ) -> tuple[Study, bool]:
        """A new study of that name in ``store``, or (``exist_ok``) the stored one.

        Atomic: two processes opening the same new name at once end with one
        study, created by the first and continued by the second.
        """
        if store.create_study(name, space.to_json(), {}, exist_ok=exist_ok):
            study = cls.__new__(cls)
            study._init(space, name, store, {})
            study._sync_token = store.version(study._writer)
            return study, True
        return cls._from_storage(store, name), False

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the trials and the file's path (the open connection and lock stay behind)."""
        state = self.__dict__.copy()
        del state["_lock"]
        del state["_sync_lock"]
        storage = state.pop("_storage")
        state["_storage_path"] = None if storage is None else str(storage.path)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        path = state.pop("_storage_path")
        self.__dict__.update(state)
        self._lock = threading.RLock()
        self._sync_lock = threading.Lock()
        self._storage = SQLiteStorage(path, create=False) if path and os.path.exists(path) else None

    def __repr__(self) -> str:
        where = f", storage={str(self._storage.path)!r}" if self._storage else ""
        best = f", best_score={self.best_score:.4g}" if self.best_score is not None else ""
        return f"Study(name={self.name!r}, n_trials={len(self._trials)}{best}{where})"

    # -- properties ------------------------------------------------------------
    @property
    def space(self) -> SearchSpace:
        """The search space of the latest search (it may have been narrowed)."""
        return self._space

    @property
    def settings(self) -> dict[str, Any]:
        """Settings of the latest search (strategy, budgets, objective), JSON-ready."""
        return dict(self._settings)

    @property
    def storage_path(self) -> Path | None:
        """The SQLite file, or None for an in-memory study."""
        return None if self._storage is None else self._storage.path

    @property
    def version(self) -> int:
        """A counter that increases with every change; cheap to poll for redraws."""
        return self._version

    @property
    def trials(self) -> list[Trial]:
        """Every trial, in order of number (a snapshot: safe while a search runs)."""
        with self._lock:
            return list(self._trials)

    @property
    def n_trials(self) -> int:
        """Number of trials, running ones included."""
        return len(self._trials)

    def trial(self, number: int) -> Trial:
        """The trial with this number.

        Parameters
        ----------
        number : int

        Returns
        -------
        Trial
        """
        with self._lock:
            for trial in reversed(self._trials):
                if trial.number == number:
                    return trial
        raise KeyError(f"No trial number {number} in study {self.name!r}.")

    @property
    def best_trial(self) -> Trial | None:
        """The complete trial with the highest score (the earliest on ties), or None.

        Only trials whose configuration is valid in the current :attr:`space`
        count: after :meth:`set_space`, a trial of a parameter no longer
        searched, or outside a narrowed range, is kept but never best.
        """
        with self._lock:
            version, space, trials = self._version, self._space, self._trials
            cached = self._best
            if cached is not None and cached[0] == version:
                return cached[1]
            best: Trial | None = None
            for trial in trials:
                if (
                    trial.has_score
                    and (best is None or trial.score > best.score)  # type: ignore[operator]
                    and _valid_in(trial, space)
                ):
                    best = trial
            self._best = (version, best)
        return best

    def is_valid(self, trial: Trial) -> bool:
        """Whether a trial's configuration is valid in the study's current space.

        Parameters
        ----------
        trial : Trial

        Returns
        -------
        bool
        """
        return _valid_in(trial, self._space)

    @property
    def read_only(self) -> str | None:
        """Why the study's file can only be read, or None (in memory, or writable)."""
        return None if self._storage is None else self._storage.read_only

    def _check_writable(self) -> None:
        if self._storage is not None:
            self._storage.check_writable()

    @property
    def best_params(self) -> dict[str, Any] | None:
        """Configuration of :attr:`best_trial`, or None.

        A choice stored by its label (an estimator, a tuple) is the space's choice
        of that label, or a :class:`~tunewidgets.space.Label` stand-in in a study
        read from its file whose space has not been given again.
        """
        best = self.best_trial
        return None if best is None else self._space.from_stored(best.params)

    @property
    def best_score(self) -> float | None:
        """Score of :attr:`best_trial`, or None."""
        best = self.best_trial
        return None if best is None else best.score

    # -- results -------------------------------------------------------------------
    def trials_dataframe(self) -> pd.DataFrame:
        """The trials as a DataFrame, one row per trial.

        Returns
        -------
        pandas.DataFrame
            Columns ``number``, one per parameter (named as in the space; prefixed
            ``param_`` where a name would clash with another column; absent for a
            trial whose branch lacks the parameter: NaN in a numeric column,
            ``pd.NA`` in a column of choices, where None is a choice), ``score``,
            ``score_std``, ``state``, ``started``, ``duration`` (seconds),
            ``ask_time`` (seconds) and ``error``.
        """
        trials = self.trials
        names = list(self._space.names)
        for trial in trials:
            names.extend(k for k in trial.params if k not in names)
        data: dict[str, Any] = {"number": np.array([t.number for t in trials], dtype=np.int64)}
        for name in names:
            present = [name in t.params for t in trials]
            values = [t.params.get(name) for t in trials]
            numeric = not isinstance(self._space.get(name), Categorical) and all(
                isinstance(v, int | float) and not isinstance(v, bool)
                for v, here in zip(values, present, strict=True)
                if here
            )
            column = column_name(name)
            if numeric and all(present):
                data[column] = pd.Series(values, dtype=None)
            elif numeric:  # a trial of another branch has no value here: NaN
                data[column] = pd.Series(
                    [v if here else np.nan for v, here in zip(values, present, strict=True)],
                    dtype=float,
                )
            else:
                # choices keep their identity (None stays None, "1" stays a string): object
                # dtype, and pd.NA where a trial's branch has no such parameter
                data[column] = pd.Series(
                    [v if here else pd.NA for v, here in zip(values, present, strict=True)],
                    dtype=object,
                )
        nan = math.nan
        data["score"] = np.array([nan if t.score is None else t.score for t in trials], dtype=float)
        data["score_std"] = np.array(
            [nan if t.score_std is None else t.score_std for t in trials], dtype=float
        )
        data["state"] = pd.Series([t.state.value for t in trials], dtype=object)
        data["started"] = pd.to_datetime(
            pd.Series([t.started for t in trials], dtype=object), utc=True
        )
        data["duration"] = np.array(
            [nan if t.duration is None else t.duration for t in trials], dtype=float
        )
        data["ask_time"] = np.array([t.ask_time for t in trials], dtype=float)
        data["error"] = pd.Series([t.error for t in trials], dtype=object)
        frame = pd.DataFrame(data)
        return frame

    def intermediate_dataframe(self) -> pd.DataFrame:
        """Values reported during trials (learning curves), one row per report.

        Returns
        -------
        pandas.DataFrame
            Columns ``number``, ``step``, ``value`` and ``state`` (of the trial),
            sorted by trial number then step; empty when nothing was reported.
        """
        rows = [
            (t.number, step, value, t.state.value)
            for t in self.trials
            for step, value in sorted(t.intermediate_values.items())
        ]
        frame = pd.DataFrame(rows, columns=["number", "step", "value", "state"])
        return frame.astype({"number": int, "step": int, "value": float, "state": str})

    def report(
        self, path: str | os.PathLike[str] = "report.html", *, title: str | None = None
    ) -> Path:
        """Write one self-contained, shareable HTML file about this study.

        Every plot (interactive, opening offline), the results table, the best
        parameters, the search settings, and what the search cost (trials, total
        and per-trial time, samples and folds, the strategy's own time).
        Everything user-provided in it is escaped.

        Parameters
        ----------
        path : str or path, default="report.html"
            Where to write it.
        title : str, optional
            Defaults to the study's name.

        Returns
        -------
        pathlib.Path
            The file written.
        """
        from ..report import write_report  # the views import plotly; the engine does not

        return write_report(self, path, title=title)

    def refit_best(
        self, X: Any, y: Any = None, *, estimator: BaseEstimator | None = None, **fit_params: Any
    ) -> BaseEstimator:
        """Fit the best configuration on all of ``X`` and ``y``.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, optional
            Targets.
        estimator : estimator, optional
            The estimator to configure; defaults to the one this study tuned.
            Required for a study loaded from a file (estimators are never stored).
        **fit_params
            Passed to ``fit``.

        Returns
        -------
        estimator
            A fitted clone with :attr:`best_params` set: the best trial valid in
            the current space.

        Raises
        ------
        ValueError
            If no trial has completed, or no estimator is known.
        """
        from sklearn.base import clone

        base = estimator if estimator is not None else self.estimator
        if base is None:
            raise ValueError(
                f"Study {self.name!r} holds no estimator (estimators are not stored in the "
                "study file). Pass one: study.refit_best(X, y, estimator=MyEstimator())."
            )
        params = self.best_params
        if params is None:
            raise ValueError(f"Study {self.name!r} has no complete trial to refit.")
        stand_ins = {k: v for k, v in params.items() if isinstance(v, Label)}
        if stand_ins:
            raise ValueError(
                f"The best configuration of study {self.name!r} holds choices stored by their "
                f"labels, {stand_ins!r}: a study file keeps no objects. Give the study the space "
                "that holds them (study.set_space(space)) before refit_best."
            )
        return clone(base).set_params(**params).fit(X, y, **fit_params)

    def set_space(self, space: SearchSpace) -> None:
        """Search ``space`` from now on (a narrowed or edited space); the trials stay.

        This is the explicit request to change what the study searches (the
        Dashboard's narrow-and-continue makes it). Every trial keeps the space
        it was drawn from; :attr:`best_trial` then counts only the trials valid
        in the new space. Choices read back from the file as
        :class:`~tunewidgets.space.Label` stand-ins become the objects of
        ``space`` that carry those labels.

        Parameters
        ----------
        space : SearchSpace
            The new space, stored with the study.

        Raises
        ------
        PermissionError
            If the study's file is read-only.
        """
        if not isinstance(space, SearchSpace):
            raise ValueError(
                f"Study: 'space' must be a tw.SearchSpace. Got {type(space).__name__}."
            )
        self._update(space=space)

    def set_settings(self, settings: dict[str, Any]) -> None:
        """Record the settings of the search about to run (strategy, budgets, objective).

        Parameters
        ----------
        settings : dict
            JSON-ready settings, stored with the study and shown in reports.
        """
        self._update(settings=settings)

    def _update(
        self, *, space: SearchSpace | None = None, settings: dict[str, Any] | None = None
    ) -> None:
        with self._lock:
            if space is not None:
                self._space = space
                self._trials = [_with_objects(t, space) for t in self._trials]
            if settings is not None:
                self._settings = dict(settings)
            self._version += 1
        if self._storage is not None:
            self._storage.update_study(self.name, self._space.to_json(), self._settings)


def _new_writer() -> str:
    """Who writes a study's trials: this process and this Study object."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _valid_in(trial: Trial, space: SearchSpace) -> bool:
    """Whether ``trial`` is a configuration of ``space`` (drawn from it, or inside it)."""
    return trial.space is space or space.contains(trial.params)


def _with_objects(trial: Trial, space: SearchSpace) -> Trial:
    """``trial`` with its Label stand-ins replaced by the choices of ``space`` they label."""
    labels = {k: v for k, v in trial.params.items() if isinstance(v, Label)}
    if not labels:
        return trial
    restored = space.from_stored(labels)
    return trial.with_changes(params={**trial.params, **restored})
