"""``TuneSearchCV``: a scikit-learn drop-in for GridSearchCV and RandomizedSearchCV."""

from __future__ import annotations

import builtins
import copy
import numbers
import sys
import warnings
from collections.abc import Callable
from inspect import signature
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, is_classifier
from sklearn.model_selection import check_cv
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import _check_method_params, indexable

from ._search_cv_fitted import FittedSearchMixin
from ._search_cv_results import (
    finished,
)
from ._search_cv_space import search_space_of
from ._setup import plan_search
from .objectives import SklearnObjective
from .objectives._sklearn import build_scorer
from .strategies import Strategy, available_strategies
from .study import TrialState, generate_name

__all__ = ["TuneSearchCV"]

try:  # scikit-learn >= 1.9: callbacks (sklearn.callback)
    from sklearn.callback import CallbackSupportMixin, with_callbacks
except ImportError:  # pragma: no cover - older scikit-learn

    class CallbackSupportMixin:  # type: ignore[no-redef]
        """Stand-in where scikit-learn has no callbacks."""

    def with_callbacks(method: Any) -> Any:  # type: ignore[no-redef]
        return method


#: Whether the installed scikit-learn's searches pass ``sample_weight`` to the scorer when
#: metadata routing is off (1.8 and later); TuneSearchCV does as the installed version does.
_SCORERS_GET_SAMPLE_WEIGHT = hasattr(BaseSearchCV, "_check_scorers_accept_sample_weight")

_DEFAULT_N_ITER = {"random": 10}
_N_ITER = 50


def _reraise(objective: SklearnObjective, trial: Any) -> BaseException:
    """The error of the trial that failed with ``error_score="raise"``, as it was raised.

    In-thread, the exception itself; from a worker process, a new exception of the
    same class (looked up among the modules already imported, never imported) and
    message, read from the trial's traceback.
    """
    if objective.last_exception is not None:
        return objective.last_exception
    text = trial.error or "a trial failed"
    lines = [line for line in (trial.info or {}).get("traceback", "").splitlines() if line]
    name, _, message = (lines[-1] if lines else text).partition(": ")
    module, _, cls = name.rpartition(".")
    kind = getattr(sys.modules.get(module) if module else builtins, cls, None)
    if isinstance(kind, type) and issubclass(kind, Exception):
        try:
            return kind(message)
        except Exception:  # an exception class that needs other arguments
            pass
    return RuntimeError(text)


class TuneSearchCV(FittedSearchMixin, MetaEstimatorMixin, CallbackSupportMixin, BaseEstimator):
    """Search hyperparameters with any tunewidgets strategy, the scikit-learn way.

    A drop-in for :class:`~sklearn.model_selection.GridSearchCV` and
    :class:`~sklearn.model_selection.RandomizedSearchCV`: the same arguments,
    ``fit``, then ``best_params_``, ``best_score_``, ``best_estimator_`` and
    ``cv_results_`` as scikit-learn lays them out; ``predict`` and friends use
    the refitted best estimator. ``study_`` holds the search for tunewidgets'
    plots, dashboard and reports. scikit-learn's own tests of its two searches
    run against it (``tests/test_search_cv_sklearn.py``).

    Parameters
    ----------
    estimator : estimator
        The estimator (or pipeline) to tune.
    space : SearchSpace, dict or list of dicts, optional
        What to search: tw.Float / tw.Int / tw.Categorical parameters, lists of
        values, or frozen scipy.stats distributions. A list of dicts is a space
        of branches, as in scikit-learn's grids. At most one of ``space``,
        ``param_grid`` and ``param_distributions`` is given; with none, the
        space is inferred for common estimators (see ``tw.infer_space``).
    param_grid : dict or list of dicts, optional
        ``GridSearchCV``'s argument (lists of values), checked as it checks it.
    param_distributions : dict or list of dicts, optional
        ``RandomizedSearchCV``'s argument (lists or distributions), checked as
        it checks it.
    strategy : {"bayes", "random", "grid", "evolution", "tpe"} or Strategy, default="bayes"
        How to choose configurations.
    n_iter : int, optional
        Configurations to try. Defaults to the whole grid with ``"grid"``, 10
        with ``"random"`` (as ``RandomizedSearchCV``), 50 otherwise.
    scoring : str, callable, list, tuple or dict, optional
        As in scikit-learn: one metric, or several (a list or tuple of names, a
        dict of scorers, a callable returning a dict; then ``refit`` names the
        one that picks the best). None uses the estimator's ``score``.
    n_jobs : int, optional
        Trials at once, in worker processes (-1: one per CPU; None: 1).
    refit : bool, str or callable, default=True
        Refit the best configuration on the whole data set; with several
        metrics, the name of the one that picks it; or a callable
        ``refit(cv_results_) -> best_index_``.
    cv : int, splitter or iterable, optional
        As in scikit-learn (None: 5 folds, stratified for classifiers). Split
        once; every candidate is scored on the same folds.
    verbose : int, default=0
        As in scikit-learn: 1 says how many fits; 2 adds a line per fold; 3 its
        score.
    pre_dispatch : int or str, default="2*n_jobs"
        Accepted for compatibility; the runner hands out ``n_jobs`` trials at a
        time.
    error_score : "raise" or float, default=np.nan
        The score of a fold whose fit fails; "raise" raises that error.
    return_train_score : bool, default=False
        Include training scores in ``cv_results_``.
    random_state : int or RandomState, optional
        Seed of the strategy.
    strategy_options : dict, optional
        Options of the strategy, e.g. ``{"acquisition": "ucb"}`` or ``{"resolution": 4}``.
    storage : str or None, default=None
        A SQLite file to keep the trials in (none by default, as scikit-learn's
        searches keep nothing).
    study_name : str, optional
        Name of the studies in ``storage``: each ``fit`` starts a new study,
        named ``study_name`` plus a time stamp and a random suffix, unless
        ``continue_study=True``.
    continue_study : bool, default=False
        Continue the study called ``study_name`` (its trials are told to the
        strategy, and are part of ``cv_results_``).
    timeout : float, optional
        Seconds after which no new trial starts.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in scikit-learn: ``params``, ``param_<name>`` (masked where a
        candidate's branch lacks the parameter), ``split<k>_test_<metric>``,
        ``mean_test_<metric>``, ``std_test_<metric>``, ``rank_test_<metric>``
        (``<metric>`` is ``score`` for one metric), train scores when asked,
        and fit and score times.
    best_estimator_ : estimator
        Refitted on all data (with ``refit``).
    best_score_ : float
        Mean cross-validated score of the best configuration (not with a
        callable ``refit``).
    best_params_ : dict
        The best configuration.
    best_index_ : int
        Its index in ``cv_results_``.
    scorer_ : callable or dict
        The scorer used (a dict with several metrics).
    multimetric_ : bool
        Whether several metrics were used.
    n_splits_ : int
        Number of cross-validation splits.
    refit_time_ : float
        Seconds spent refitting the best configuration.
    classes_ : ndarray
        The best estimator's class labels (classifiers).
    n_features_in_ : int
        Features seen by the best estimator.
    feature_names_in_ : ndarray
        Their names, when ``X`` had them.
    study_ : Study
        The search, for ``tw.plots``, ``tw.Dashboard(study=...)`` and ``study_.report()``.

    See Also
    --------
    tune : the same search as one function call.
    sklearn.model_selection.GridSearchCV, sklearn.model_selection.RandomizedSearchCV

    Notes
    -----
    *scikit-learn's exact behaviour.* ``strategy="grid"`` with ``param_grid``
    is ``GridSearchCV``: the same candidates in the same order (each dict's
    names sorted, the dicts in turn), every one of them. ``strategy="random"``
    with ``param_distributions``, ``n_iter`` and an int ``random_state`` is
    ``RandomizedSearchCV``: the same candidates, drawn the same way from the
    same seed. Folds, fit and score parameters (``sample_weight`` reaches the
    scorer as scikit-learn routes it, metadata routing included),
    ``error_score``, ``FitFailedWarning``, several metrics, ``refit`` (a name
    or a callable), ``cv_results_`` (keys, dtypes, ranks), ``verbose``
    messages, callbacks and Ctrl-C (``KeyboardInterrupt`` is raised, after the
    trials that finished are recorded) behave as in scikit-learn.

    *Deliberate differences*, each for a reason:

    - The default strategy is ``"bayes"``: a model of the score picks each
      next configuration, which needs fewer fits than a grid or random draws
      for the same quality; ``strategy`` says otherwise.
    - ``n_jobs`` runs whole candidates in parallel (each in a worker process,
      its folds one after the other), not single folds: so a candidate's
      result reaches the strategy, the study and the dashboard at once.
      ``pre_dispatch`` is accepted and unused.
    - Parameter names are checked before the first fit, with a message naming
      the closest valid names (scikit-learn fails in the first fit); a name
      that ``set_params`` accepts is accepted even if ``get_params`` does not
      list it.
    - ``param_distributions`` needs frozen scipy.stats distributions (their
      quantile function lets every strategy search them), not any object with
      ``rvs``; a string is refused rather than read as a list of characters.
    - ``random_state`` given as a ``RandomState`` is turned into an int seed
      (strategies are seeded with ints), so the random candidates differ from
      ``RandomizedSearchCV``'s with that ``RandomState``.
    - With ``n_jobs > 1`` and ``error_score="raise"``, the error raised is a
      new exception of the same built-in type and message (the original stays
      in its worker); callbacks then see the search's tasks but not each fold.
    - A study is kept (``study_``; in SQLite with ``storage``), each fit in a
      new one, so nested cross-validation and repeated fits never share trials.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> import tunewidgets as tw
    >>> X, y = load_iris(return_X_y=True)
    >>> search = tw.TuneSearchCV(SVC(), {"C": tw.Float(1e-2, 1e2, log=True)},
    ...                          strategy="random", n_iter=5, cv=3, random_state=0)
    >>> bool(search.fit(X, y).best_score_ > 0.9)
    True
    >>> sorted(k for k in search.cv_results_ if k.startswith("split"))
    ['split0_test_score', 'split1_test_score', 'split2_test_score']
    >>> grid = tw.TuneSearchCV(SVC(), param_grid=[{"kernel": ["linear"], "C": [1, 10]},
    ...                                          {"kernel": ["rbf"], "gamma": [0.1, 1.0]}],
    ...                        strategy="grid", cv=3).fit(X, y)
    >>> len(grid.cv_results_["params"]), grid.cv_results_["param_gamma"].mask.tolist()
    (4, [True, True, False, False])
    """

    def __init__(
        self,
        estimator: BaseEstimator,
        space: Any = None,
        *,
        param_grid: Any = None,
        param_distributions: Any = None,
        strategy: str | Strategy = "bayes",
        n_iter: int | None = None,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable[..., int] = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: Any = np.nan,
        return_train_score: bool = False,
        random_state: Any = None,
        strategy_options: dict[str, Any] | None = None,
        storage: str | None = None,
        study_name: str | None = None,
        continue_study: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.estimator = estimator
        self.space = space
        self.param_grid = param_grid
        self.param_distributions = param_distributions
        self.strategy = strategy
        self.n_iter = n_iter
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score
        self.random_state = random_state
        self.strategy_options = strategy_options
        self.storage = storage
        self.study_name = study_name
        self.continue_study = continue_study
        self.timeout = timeout

    # -- scorers, as BaseSearchCV ----------------------------------------------------
    def _check_refit_for_multimetric(self, scores: Any) -> None:
        valid = isinstance(self.refit, str) and self.refit in scores
        if self.refit is not False and not valid and not callable(self.refit):
            raise ValueError(
                "For multi-metric scoring, the parameter refit must be set to a scorer key or a "
                "callable to refit an estimator with the best parameter setting on the whole "
                "data and make the best_* attributes available for that metric. If this is "
                f"not needed, refit should be set to False explicitly. {self.refit!r} was passed."
            )

    def _get_scorers(self) -> tuple[Any, str]:
        if not (
            self.error_score == "raise"
            or (
                isinstance(self.error_score, numbers.Real)
                and not isinstance(self.error_score, bool)
            )
        ):
            raise ValueError(
                "The 'error_score' parameter of TuneSearchCV must be 'raise' or a number. "
                f"Got {self.error_score!r} instead."
            )
        scorer = build_scorer(self.estimator, self.scoring, self.error_score)
        if hasattr(scorer, "_scorers"):  # several metrics
            self._check_refit_for_multimetric(scorer._scorers)
            return scorer, self.refit  # type: ignore[return-value]
        return scorer, "score"

    def _check_scorers_accept_sample_weight(self) -> bool:
        scorers, _ = self._get_scorers()
        if hasattr(scorers, "_scorers"):
            for name, scorer in scorers._scorers.items():
                if not scorer._accept_sample_weight():
                    warnings.warn(
                        f"The scoring {name}={scorer} does not support sample_weight, which may "
                        f"lead to statistically incorrect results when fitting {self} with "
                        "sample_weight. ",
                        stacklevel=3,
                    )
            return bool(scorers._accept_sample_weight())
        if hasattr(scorers, "_accept_sample_weight"):
            accept = scorers._accept_sample_weight()
        else:
            accept = "sample_weight" in signature(scorers).parameters
        if not accept:
            warnings.warn(
                f"The scoring {scorers} does not support sample_weight, which may lead to "
                f"statistically incorrect results when fitting {self} with sample_weight. ",
                stacklevel=3,
            )
        return bool(accept)

    def _routed_params(self, params: dict[str, Any]) -> tuple[dict, dict, dict]:
        """Parameters for fit, the scorer and the splitter, routed as scikit-learn routes them."""
        if _routing_enabled():
            routed = process_routing(self, "fit", **params)
            return (
                dict(routed.estimator.fit),
                dict(routed.scorer.score),
                dict(routed.splitter.split),
            )
        params = dict(params)
        groups = params.pop("groups", None)
        score = {}
        if (
            params.get("sample_weight") is not None
            and _SCORERS_GET_SAMPLE_WEIGHT
            and self._check_scorers_accept_sample_weight()
        ):
            score["sample_weight"] = params["sample_weight"]
        return params, score, {"groups": groups}

    def get_metadata_routing(self) -> MetadataRouter:
        """Metadata routing of this search: to the estimator's fit, the scorer and the splitter.

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRouter
        """
        router = MetadataRouter(owner=self)
        router.add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
        scorer, _ = self._get_scorers()
        router.add(
            scorer=scorer,
            method_mapping=MethodMapping()
            .add(caller="score", callee="score")
            .add(caller="fit", callee="score"),
        )
        router.add(
            splitter=self.cv, method_mapping=MethodMapping().add(caller="fit", callee="split")
        )
        return router

    # -- the search -----------------------------------------------------------------
    def _strategy_plan(self, space: Any) -> tuple[Any, int | None, dict[str, Any], int | None]:
        """Strategy, its seed, its options and the trial budget."""
        strategy = self.strategy
        options = dict(self.strategy_options or {})
        seed = self.random_state
        if isinstance(seed, np.random.RandomState):
            seed = int(seed.randint(np.iinfo(np.int32).max))
        name = strategy if isinstance(strategy, str) else None
        n_iter = self.n_iter
        if n_iter is not None and (
            isinstance(n_iter, bool) or not isinstance(n_iter, numbers.Integral) or n_iter < 1
        ):
            raise ValueError(
                "The 'n_iter' parameter of TuneSearchCV must be an int >= 1 (configurations to "
                f"try) or None. Got {n_iter!r} instead."
            )
        if n_iter is None:
            n_iter = None if name == "grid" else _DEFAULT_N_ITER.get(name or "", _N_ITER)
        if isinstance(strategy, Strategy):
            strategy = copy.deepcopy(strategy)
        elif name == "random":
            options.setdefault("n_iter", int(n_iter))  # type: ignore[arg-type]
        elif name == "grid" and n_iter is not None:
            from .strategies import GridSearch

            size = len(GridSearch(space, **options))
            if n_iter < size:
                warnings.warn(
                    f"TuneSearchCV: n_iter={n_iter} stops the grid of {size} points early; "
                    "leave n_iter=None to try every point, as GridSearchCV does.",
                    UserWarning,
                    stacklevel=3,
                )
            elif n_iter > size:
                warnings.warn(
                    f"TuneSearchCV: the grid has {size} points, fewer than n_iter={n_iter}. "
                    f"Running {size} iterations.",
                    UserWarning,
                    stacklevel=3,
                )
        elif name in available_strategies() and n_iter is not None and space.size < n_iter:
            warnings.warn(
                f"The total space of parameters {int(space.size)} is smaller than "
                f"n_iter={n_iter}. Running {int(space.size)} iterations.",
                UserWarning,
                stacklevel=3,
            )
        return strategy, seed, options, n_iter

    def _study_name(self) -> str | None:
        if self.storage is None or self.continue_study:
            return self.study_name
        return generate_name(self.study_name or type(self.estimator).__name__.lower())

    @with_callbacks
    def fit(self, X: Any, y: Any = None, **params: Any) -> TuneSearchCV:
        """Run the search, then refit the best configuration.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), optional
            Targets (None for unsupervised estimators).
        **params
            Passed to the estimator's ``fit`` (arrays of one value per sample
            are split with the folds), ``groups`` to the splitter, and
            ``sample_weight`` to the scorer too, as scikit-learn routes them.

        Returns
        -------
        TuneSearchCV
            Fitted.

        Raises
        ------
        ValueError, TypeError
            For invalid arguments; with scikit-learn's messages for its own.
        KeyboardInterrupt
            On Ctrl-C, after the trials that finished are recorded in ``study_``.
        """
        scorers, refit_metric = self._get_scorers()
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        fit_params, score_params, split_params = self._routed_params(params)
        sample_weight = params.get("sample_weight")
        metadata = {"sample_weight": sample_weight} if sample_weight is not None else None
        root = self._callback_root(X, y, metadata)

        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        self.n_splits_ = n_splits = cv.get_n_splits(X, y, **split_params)
        space = search_space_of(self.space, self.param_grid, self.param_distributions)
        splits = list(cv.split(X, y, **split_params))
        if space is None and splits:  # none given: inferred, as tune and the Dashboard do
            from .space import infer_space

            space = infer_space(self.estimator, n_samples=min(len(train) for train, _ in splits))
        if len(splits) != n_splits:
            raise ValueError(
                "cv.split and cv.get_n_splits return inconsistent results. Expected "
                f"{n_splits} splits, got {len(splits)}"
            )
        if not splits:
            raise ValueError(
                "No fits were performed. Was the CV iterator empty? Were there no candidates?"
            )
        metric = refit_metric if isinstance(refit_metric, str) and refit_metric != "score" else None
        if metric is None and isinstance(self.refit, str):
            metric = self.refit
        objective = SklearnObjective(
            self.estimator,
            X,
            y,
            cv=splits,
            scoring=self.scoring,
            fit_params=fit_params,
            error_score=self.error_score,
            return_train_score=self.return_train_score,
            metric=metric,
            score_params=score_params,
            verbose=int(self.verbose or 0),
        )
        objective._scorer = scorers  # the very scorer given: a stateful one keeps its state
        objective.check_values = False  # a value the estimator refuses fails its fits
        strategy, seed, options, n_iter = self._strategy_plan(space)
        n_jobs = 1 if self.n_jobs is None else self.n_jobs
        plan = plan_search(
            objective,
            space,
            owner="TuneSearchCV",
            strategy=strategy,
            seed=seed,
            strategy_options=options,
            n_trials=n_iter,
            timeout=self.timeout,
            max_consecutive_failures=1 if self.error_score == "raise" else None,
            require_budget=False,
            n_jobs=n_jobs,
            capture_output=False,
            storage=self.storage,
            study_name=self._study_name(),
            size_grid=False,  # scikit-learn's grid: n_iter does not change it
        )
        study = plan.open_study()
        runner = plan.runner(study)
        search_ctx = self._callback_search(root, runner, n_splits)
        if search_ctx is not None and n_jobs == 1:  # fold tasks in workers cannot report
            objective._callbacks = (self, search_ctx)
        if self.verbose > 0:
            n_candidates = self._n_candidates(runner, n_iter)
            total = "an unknown number of" if n_candidates is None else n_candidates
            fits = "" if n_candidates is None else f", totalling {n_candidates * n_splits} fits"
            print(f"Fitting {n_splits} folds for each of {total} candidates{fits}")
        try:
            runner.run()
        finally:
            objective._callbacks = None
        self.study_ = study
        if runner.error is not None:
            raise runner.error
        if runner.finish_reason == "interrupted":
            raise KeyboardInterrupt(
                f"TuneSearchCV: interrupted; study_ ({study.name!r}) keeps its "
                f"{len(study.trials)} trials."
            )
        trials = finished(study.trials)
        if self.error_score == "raise":
            failed = [t for t in trials if t.state is TrialState.FAILED]
            if failed:
                raise _reraise(objective, failed[0])
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)
        self._set_results(trials, n_splits, refit_metric)
        self._refit(X, y, fit_params, root, metadata)
        self.scorer_ = scorers._scorers if hasattr(scorers, "_scorers") else scorers
        if root is not None:
            root.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
        return self

    def _n_candidates(self, runner: Any, n_iter: int | None) -> int | None:
        strategy = runner.strategy
        if hasattr(strategy, "__len__"):
            size = len(strategy)
            return size if n_iter is None else min(size, n_iter)
        if getattr(strategy, "n_candidates", None) is not None:
            return int(strategy.n_candidates)  # ParameterSampler's draws, with replacement or not
        return n_iter

    # -- callbacks (scikit-learn >= 1.9) ------------------------------------------------
    def _callback_root(self, X: Any, y: Any, metadata: Any) -> Any:
        if not hasattr(self, "_init_callback_context"):
            return None
        return self._init_callback_context(
            max_subtasks=1 + (self.refit is not False)
        ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

    def _callback_search(self, root: Any, runner: Any, n_splits: int) -> Any:
        if root is None:
            return None
        size = self._n_candidates(runner, runner.n_trials)
        ctx = root.subcontext(
            task_name="search",
            max_subtasks=None if size is None else size * n_splits,
            sequential_subtasks=False,
        ).call_on_fit_task_begin(estimator=self)
        return ctx
