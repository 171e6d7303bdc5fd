"""``tune``: one call runs a whole search, headless, and returns the Study."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

from ._setup import plan_search
from .exceptions import TrialsFailedWarning
from .runner import Event, EventKind
from .space import SearchSpace
from .strategies import Strategy
from .study import DEFAULT_STORAGE, Study

__all__ = ["TrialsFailedWarning", "tune"]


class _ProgressBar:
    """A tqdm bar fed by runner events: trials done, best score, ETA."""

    def __init__(self, total: int | None, desc: str, best: float | None) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total, desc=desc, unit="trial", dynamic_ncols=True)
        self.best = best

    def __call__(self, events: list[Event]) -> None:
        for event in events:
            trial = event.trial
            if event.kind is EventKind.TRIAL_FINISHED and trial is not None:
                if trial.has_score and (self.best is None or trial.score > self.best):  # type: ignore[operator]
                    self.best = trial.score
                if self.best is not None:
                    self.bar.set_postfix_str(f"best={self.best:.4g}", refresh=False)
                self.bar.update(1)
            elif event.kind is EventKind.SEARCH_FINISHED:
                self.bar.close()


def tune(
    objective: Any,
    space: SearchSpace | dict[str, Any] | None = None,
    X: Any = None,
    y: Any = None,
    *,
    strategy: str | Strategy = "bayes",
    n_trials: int | None = 50,
    timeout: float | None = None,
    target: float | None = None,
    patience: int | None = None,
    max_consecutive_failures: int | None = 5,
    cv: Any = 5,
    scoring: str | Callable[..., float] | None = None,
    groups: Any = None,
    fit_params: dict[str, Any] | None = None,
    n_jobs: int = 1,
    executor: Any = None,
    pruner: Any = None,
    storage: str | os.PathLike[str] | None = DEFAULT_STORAGE,
    study_name: str | None = None,
    study: Study | None = None,
    change_space: bool = False,
    seed: int | None = None,
    strategy_options: dict[str, Any] | None = None,
    progress: bool = True,
    capture_output: bool = True,
) -> Study:
    """Run a whole search and return its :class:`Study`.

    Parameters
    ----------
    objective : estimator or callable
        A scikit-learn estimator (tuned by cross-validation on ``X``, ``y``), or
        any callable ``objective(params) -> float`` to maximize, or
        ``objective(params, trial)`` to report intermediate values.
    space : SearchSpace or dict, optional
        What to search. May be omitted for common scikit-learn estimators (see
        :func:`infer_space`), whose space is then inferred from the estimator
        passed: a pipeline's steps, a meta-estimator's own parameters and its
        base estimator's.
    X, y : array-like, optional
        Data for an estimator.
    strategy : {"bayes", "random", "grid", "evolution", "tpe"} or Strategy, default="bayes"
        How to choose configurations. ``"grid"`` with ``n_trials`` is the finest grid
        that fits in the budget (give ``strategy_options={"resolution": k}`` for
        ``k`` points a parameter instead).
    n_trials : int or None, default=50
        Trials to run in this call (None: until another budget ends the search).
    timeout : float, optional
        Seconds after which no new trial starts.
    target : float, optional
        Stop once the best score reaches this value.
    patience : int, optional
        Stop after this many trials without a new best score.
    max_consecutive_failures : int or None, default=5
        Stop after this many failed trials in a row.
    cv : int or splitter, default=5
        Cross-validation for an estimator. The splitter is applied once and every
        trial is scored on the same folds.
    scoring : str or callable, optional
        Scorer for an estimator (a name from ``sklearn.metrics.get_scorer_names()``).
    groups : array-like, optional
        Group labels for group-aware splitters.
    fit_params : dict, optional
        Passed to the estimator's ``fit``.
    n_jobs : int, default=1
        Trials at once, in worker processes on this machine (-1: one per CPU).
    executor : dask.distributed.Client or TrialExecutor, optional
        Run trials on a Dask cluster instead, as many at once as its workers
        have threads: ``executor=Client("tcp://scheduler:8786")``. The Client
        stays yours (it is not closed).
    pruner : Pruner, optional
        Stop unpromising trials early from their intermediate values.
    storage : str, path or None, default="tunewidgets.db"
        The SQLite file that keeps every trial (a path, ``~`` expanded, or a
        ``"sqlite:///path.db"`` URL; missing folders are created); None keeps
        the study in memory.
    study_name : str, optional
        The study's name. If the file already holds a study of that name, it is
        continued: its trials are told to the strategy first. Another process
        may be running the same study at the same time: the trials of both are
        kept, and each strategy learns the other's. Generated when omitted.
    study : Study, optional
        A study to continue (its trials are told to the strategy first).
    change_space : bool, default=False
        Continue a study (``study_name=`` of a stored one, or ``study=``) even
        though this search's space, or its estimator or objective, differs from
        the study's: the new space is recorded and the earlier trials stay;
        ``best_params`` then counts only trials valid in the new space. Without
        it, continuing with a different space or objective is refused, with a
        message naming the differences.
    seed : int, optional
        Seed of the strategy.
    strategy_options : dict, optional
        Options of the strategy, e.g. ``{"acquisition": "ucb"}``.
    progress : bool, default=True
        Show a progress bar (trials, best score, ETA).
    capture_output : bool, default=True
        Keep what trials print with each trial instead of printing it.

    Returns
    -------
    Study
        Every trial, the best parameters and score, a DataFrame of results.

    Raises
    ------
    ValueError
        For invalid arguments (unknown strategy or scorer, X and y of different
        lengths, ``n_trials <= 0``, a negative timeout, a study to continue
        with a different space, ...), before any trial runs.
    PermissionError
        If the study file is read-only (or cannot be created), before any trial runs.

    Warns
    -----
    TrialsFailedWarning
        When every trial of the search failed (NaN in ``X``, say): the message
        names the first error, and the study has no best score.
    ExecutorLostError
        If ``executor`` is a Dask Client whose cluster cannot be reached (before
        the study is opened), or stops answering during the search (the study
        keeps every trial that finished).

    See Also
    --------
    Runner : the same search in a background thread, with pause and resume.
    TuneSearchCV : the scikit-learn drop-in.
    Dashboard : the same search, live in a notebook.

    Notes
    -----
    A trial that raises or returns nan is recorded as failed with its error and
    the search goes on. Ctrl-C (KeyboardInterrupt) stops the search cleanly:
    the trial in flight is recorded as failed and the Study keeps everything
    that finished.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> space = tw.SearchSpace({"C": tw.Float(1e-2, 1e2, log=True)})
    >>> study = tw.tune(SVC(), space, X, y, strategy="random", n_trials=5, cv=3,
    ...                 storage=None, progress=False, seed=0)
    >>> study.best_score > 0.9
    True
    """
    plan = plan_search(
        objective,
        space,
        X,
        y,
        owner="tune",
        strategy=strategy,
        seed=seed,
        strategy_options=strategy_options,
        n_trials=n_trials,
        timeout=timeout,
        target=target,
        patience=patience,
        max_consecutive_failures=max_consecutive_failures,
        cv=cv,
        scoring=scoring,
        groups=groups,
        fit_params=fit_params,
        n_jobs=n_jobs,
        executor=executor,
        pruner=pruner,
        capture_output=capture_output,
        storage=storage,
        study_name=study_name,
        study=study,
        change_space=change_space,
    )
    the_study = plan.open_study()
    runner = plan.runner(the_study)
    if progress:
        runner.subscribe(
            _ProgressBar(plan.budgets["n_trials"], the_study.name, the_study.best_score)
        )
    runner.run()
    if runner.error is not None:
        raise runner.error
    if runner.failure_summary is not None and runner.finish_reason != "interrupted":
        warnings.warn(
            f"tune: {runner.failure_summary} (study {the_study.name!r}; see "
            "study.trials_dataframe()['error']).",
            TrialsFailedWarning,
            stacklevel=2,
        )
    if runner.finish_reason == "interrupted":
        print(
            f"tunewidgets: search interrupted; study {the_study.name!r} keeps its "
            f"{len(the_study.trials)} trials.",
            file=sys.stderr,
        )
    return the_study
