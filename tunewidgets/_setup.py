"""One setup path: what a user passes, validated once, turned into what a search needs.

Every entry point (:func:`tune`, ``Dashboard``, ``Race``, ``TuneSearchCV``)
calls :func:`plan_search` with the arguments it received and gets a
:class:`SearchPlan`: the objective, the resolved space, the strategy, the
budgets and where trials run, each checked once, before any study is opened
or thread started. The plan opens (or continues) the study and builds the
:class:`Runner`; entry points only decide how to show the search.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from .objectives import Objective, SklearnObjective, as_objective, is_estimator
from .runner import Runner, check_budgets, check_executor, check_n_jobs, check_pruner
from .runner._factory import make_executor
from .runner._remote import check_picklable
from .space import SearchSpace
from .strategies import Strategy, budget_resolution, make_strategy
from .study import DEFAULT_STORAGE, Study, open_study

__all__ = ["SearchPlan", "plan_search", "search_settings"]

_BUDGETS = ("n_trials", "timeout", "target", "patience", "max_consecutive_failures")
_OBJECTIVE = ("cv", "scoring")
_STRATEGY = ("strategy", "seed", "strategy_options")
_EXECUTION = ("n_jobs", "executor")


def _build_objective(
    target: Any,
    data: Mapping[str, Any],
    *,
    cv: Any,
    scoring: Any,
    owner: str,
) -> Objective:
    """The objective for an estimator (with its data), an Objective or a callable."""
    X, y = data.get("X"), data.get("y")
    if isinstance(target, type) and hasattr(target, "fit"):
        raise ValueError(
            f"{owner}: pass an estimator instance, {target.__name__}(), not the class "
            f"{target.__name__}."
        )
    if is_estimator(target):
        if X is None:
            raise ValueError(
                f"{owner}: tuning an estimator needs the data to cross-validate it on: "
                "pass X (and y)."
            )
        return SklearnObjective(
            target,
            X,
            y,
            cv=cv,
            scoring=scoring,
            groups=data.get("groups"),
            fit_params=data.get("fit_params"),
        )
    if X is not None or y is not None:
        raise ValueError(
            f"{owner}: X and y are used only to tune a scikit-learn estimator; a callable "
            "objective takes just the parameters: objective(params) -> float."
        )
    if target is None:
        raise ValueError(
            f"{owner} needs something to tune: a scikit-learn estimator (with X, y) or a "
            "function objective(params) -> float."
        )
    return as_objective(target)


def _resolve_space(
    space: Any, objective: Objective, study: Study | None, owner: str
) -> SearchSpace:
    """The space given, the study's, or one inferred from the estimator the user passed."""
    if space is None and study is not None:
        return study.space
    if isinstance(space, SearchSpace):
        return space
    if isinstance(space, Mapping) or (isinstance(space, list) and space):
        return SearchSpace(space)  # a list of dicts: a space of branches
    if space is None:
        if objective.estimator is not None:
            from .space import infer_space

            splits = getattr(objective, "splits", None)
            n_samples = min(len(train) for train, _ in splits) if splits else None
            return infer_space(objective.estimator, n_samples=n_samples)
        raise ValueError(
            f"{owner}: 'space' is required for a function objective, e.g. "
            "tw.SearchSpace({'x': tw.Float(0.0, 1.0)}); it is inferred only for scikit-learn "
            "estimators."
        )
    raise ValueError(
        f"{owner}: 'space' must be a tw.SearchSpace (or a dict of parameters, or a list of "
        f"such dicts: branches). Got {type(space).__name__}."
    )


def _check_strategy(strategy: Any, space: SearchSpace, seed: Any, options: Any) -> Strategy:
    if isinstance(strategy, Strategy) and strategy.n_told:
        raise ValueError(
            f"The {type(strategy).__name__} given has already been told {strategy.n_told} "
            "results; pass a strategy by name, or a fresh instance."
        )
    if options is not None and not isinstance(options, Mapping):
        raise ValueError(
            "'strategy_options' must be a dict of the strategy's options, e.g. "
            f"{{'acquisition': 'ucb'}}. Got {options!r} instead."
        )
    return make_strategy(strategy, space, seed=seed, **dict(options or {}))


def search_settings(strategy: Strategy, objective: Objective, **budgets: Any) -> dict[str, Any]:
    """The JSON-ready settings stored with a study and shown in reports.

    Parameters
    ----------
    strategy : Strategy
        The strategy in use.
    objective : Objective
        The objective in use.
    **budgets
        Budgets and execution settings (n_trials, timeout, n_jobs, ...).

    Returns
    -------
    dict
    """
    options = {
        k: v
        for k, v in vars(strategy).items()
        if not k.startswith("_")
        and k not in ("space", "last_info")
        and isinstance(v, str | int | float | bool | type(None))
    }
    return {
        "strategy": strategy.name or type(strategy).__name__,
        "strategy_options": options,
        "objective": objective.describe(),
        **budgets,
    }


class SearchPlan:
    """A search, validated and ready to run: made by :func:`plan_search`.

    Attributes
    ----------
    owner : str
        The entry point that made it, for messages.
    objective : Objective
        What each trial runs (for an estimator, cross-validation on folds split once).
    estimator : estimator or None
        The scikit-learn estimator tuned, when there is one.
    space : SearchSpace
        The space to search.
    strategy : str or Strategy
        The strategy's name, or the instance the user gave.
    seed : int or None
        Seed of the strategy.
    strategy_options : dict
        Options of the strategy.
    budgets : dict
        ``n_trials``, ``timeout``, ``target``, ``patience`` and ``max_consecutive_failures``.
    n_jobs : int
        Trials at once on this machine (-1 resolved to the CPU count).
    executor : object or None
        A Dask Client or a TrialExecutor, when trials run elsewhere.
    pruner : Pruner or None
        Stops unpromising trials early.
    capture_output : bool
        Keep what trials print with each trial.
    """

    owner: str
    objective: Objective
    estimator: Any
    space: SearchSpace
    strategy: str | Strategy
    seed: int | None
    strategy_options: dict[str, Any]
    budgets: dict[str, Any]
    n_jobs: int
    executor: Any
    pruner: Any
    capture_output: bool
    _study: Study | None
    _storage: Any
    _study_name: str | None
    _change_space: bool
    _fresh: Strategy | None

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        name = self.strategy if isinstance(self.strategy, str) else type(self.strategy).__name__
        return (
            f"SearchPlan(owner={self.owner!r}, objective={self.objective.label!r}, "
            f"space={self.space.names!r}, strategy={name!r}, budgets={self.budgets!r})"
        )

    # -- changes ---------------------------------------------------------------------
    def replace(self, **changes: Any) -> SearchPlan:
        """A plan with some settings changed; only what changed is validated again.

        The objective is rebuilt only when ``cv`` or ``scoring`` change, so the
        folds of a study stay the same from one run to the next.

        Parameters
        ----------
        **changes
            Any of ``space``, ``strategy``, ``seed``, ``strategy_options``, the
            budgets (``n_trials``, ``timeout``, ``target``, ``patience``,
            ``max_consecutive_failures``), ``n_jobs``, ``executor``, ``pruner``,
            ``cv`` and ``scoring``.

        Returns
        -------
        SearchPlan

        Raises
        ------
        ValueError
            For an invalid value, or a setting that cannot be changed.
        """
        allowed = {"space", "pruner", *_BUDGETS, *_OBJECTIVE, *_STRATEGY, *_EXECUTION}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValueError(
                f"{self.owner}: cannot change {unknown!r} of a search; changeable settings are "
                f"{sorted(allowed)!r}."
            )
        fields = dict(self.__dict__)
        owner = self.owner
        objective_changes = {
            k: v for k, v in changes.items() if k in _OBJECTIVE and v != fields["_raw"][k]
        }
        if objective_changes:
            raw = {**fields["_raw"], **objective_changes}
            if self.estimator is None:
                raise ValueError(f"{owner}: cv and scoring apply only to a scikit-learn estimator.")
            fields["objective"] = _build_objective(
                self.estimator, fields["_data"], cv=raw["cv"], scoring=raw["scoring"], owner=owner
            )
            fields["_raw"] = raw
        if "space" in changes:
            fields["space"] = _resolve_space(changes["space"], fields["objective"], None, owner)
        if objective_changes or "space" in changes:
            fields["objective"].check_space(fields["space"])
        if any(k in changes for k in _STRATEGY) or "space" in changes:
            for key in _STRATEGY:
                fields[key] = changes.get(key, fields[key])
            fields["strategy_options"] = dict(fields["strategy_options"] or {})
            fields["_fresh"] = _check_strategy(
                fields["strategy"], fields["space"], fields["seed"], fields["strategy_options"]
            )
        if any(k in changes for k in _BUDGETS):
            merged = {k: changes.get(k, self.budgets[k]) for k in _BUDGETS}
            fields["budgets"] = check_budgets(owner, **merged)
        if any(k in changes for k in _EXECUTION):
            n_jobs = changes.get("n_jobs", self.n_jobs)
            executor = changes.get("executor", self.executor)
            fields["n_jobs"] = check_n_jobs(n_jobs, owner)
            check_executor(executor, n_jobs, owner)
            fields["executor"] = executor
        if "pruner" in changes:
            fields["pruner"] = check_pruner(changes["pruner"], owner)
        if fields["executor"] is not None or fields["n_jobs"] > 1:
            check_picklable(fields["objective"], owner)
        return SearchPlan(**fields)

    # -- running -----------------------------------------------------------------------
    def open_study(self) -> Study:
        """The study to record into: the one given, a stored one of that name, or a new one.

        Returns
        -------
        Study
            Its ``estimator`` is set to the one tuned (used by ``refit_best``).

        Raises
        ------
        ValueError
            If a study to continue was searched with a different space or
            objective and the plan does not ask for the change.
        PermissionError
            If the study file is read-only.
        """
        study = open_study(
            self.space,
            study=self._study,
            storage=self._storage,
            study_name=self._study_name,
            label=self.objective.label,
            objective=self.objective.describe(),
            change_space=self._change_space,
        )
        if self.estimator is not None:
            study.estimator = self.estimator
        return study

    def new_strategy(self) -> Strategy:
        """The strategy for the next search: the one built while validating, if unused.

        Returns
        -------
        Strategy
        """
        fresh = self._fresh
        if fresh is not None and fresh.n_told == 0 and not fresh.pending:
            self._fresh = None
            return fresh
        if isinstance(self.strategy, Strategy):
            raise ValueError(
                f"{self.owner}: the {type(self.strategy).__name__} instance given has been used "
                "by a search already; pass the strategy by name to search again."
            )
        return make_strategy(self.strategy, self.space, seed=self.seed, **self.strategy_options)

    def runner(self, study: Study, strategy: Strategy | None = None) -> Runner:
        """A Runner of this plan recording into ``study`` (not started).

        The study is set to the plan's space (a narrowed or edited space is
        asked for by the plan), and the search's settings are recorded in it.

        Parameters
        ----------
        study : Study
            Where trials are recorded.
        strategy : Strategy, optional
            Use this strategy (built on the plan's space) instead of a new one.

        Returns
        -------
        Runner
        """
        chosen = strategy if strategy is not None else self.new_strategy()
        if chosen.space != self.space:
            raise ValueError(f"{self.owner}: the strategy must be built on the plan's space.")
        executor = make_executor(self.n_jobs, self.executor, self.owner)
        if study.space != self.space:
            study.set_space(self.space)
        study.set_settings(
            search_settings(
                chosen,
                self.objective,
                **self.budgets,
                seed=self.seed,
                n_jobs=self.n_jobs,
                executor=executor.describe(),
            )
        )
        return Runner._prepared(
            study,
            self.objective,
            chosen,
            self.budgets,
            executor,
            self.pruner,
            capture_output=self.capture_output,
        )


def plan_search(
    objective: Any,
    space: SearchSpace | Mapping[str, Any] | None = None,
    X: Any = None,
    y: Any = None,
    *,
    owner: str = "tune",
    strategy: str | Strategy = "bayes",
    seed: int | None = None,
    strategy_options: Mapping[str, Any] | None = None,
    n_trials: int | None = 50,
    timeout: float | None = None,
    target: float | None = None,
    patience: int | None = None,
    max_consecutive_failures: int | None = 5,
    require_budget: bool = True,
    cv: Any = 5,
    scoring: str | Callable[..., float] | None = None,
    groups: Any = None,
    fit_params: Mapping[str, Any] | None = None,
    n_jobs: int = 1,
    executor: Any = None,
    pruner: Any = None,
    capture_output: bool = True,
    storage: str | os.PathLike[str] | None = DEFAULT_STORAGE,
    study_name: str | None = None,
    study: Study | None = None,
    change_space: bool = False,
    size_grid: bool = True,
) -> SearchPlan:
    """Validate a search's arguments, once, and return the plan that runs it.

    The one place where what a user passes (to :func:`tune`, ``Dashboard``,
    ``Race`` or ``TuneSearchCV``) becomes a search: nothing is opened or
    started until every argument has been checked.

    Parameters
    ----------
    objective : estimator, Objective or callable
        A scikit-learn estimator (tuned by cross-validation on ``X``, ``y``), an
        Objective, or a function ``objective(params) -> float`` to maximize.
    space : SearchSpace or dict, optional
        What to search; inferred from the estimator passed when omitted (its own
        parameters, a pipeline's steps, a meta-estimator's base estimator), or
        taken from ``study``.
    X, y : array-like, optional
        Data for an estimator.
    owner : str, default="tune"
        The entry point, named in messages.
    strategy, seed, strategy_options
        As for :func:`tune`.
    n_trials, timeout, target, patience, max_consecutive_failures
        The budgets, as for :func:`tune`.
    require_budget : bool, default=True
        Refuse a search with no budget at all (one that only ``stop()`` ends).
    cv, scoring, groups, fit_params
        Cross-validation of an estimator; the splitter is applied once, here.
    n_jobs, executor, pruner, capture_output
        Where and how trials run, as for :func:`tune`.
    storage, study_name, study
        Where trials are recorded (see :meth:`SearchPlan.open_study`).
    change_space : bool, default=False
        Continue a study whose space or objective differs from this search's
        (see :func:`tunewidgets.study.open_study`).
    size_grid : bool, default=True
        For ``strategy="grid"`` with ``n_trials`` and no ``resolution`` option: the
        finest grid that fits in ``n_trials`` (shuffled if even the coarsest does
        not fit; see :func:`tunewidgets.strategies.budget_resolution`). TuneSearchCV
        turns it off: its grid is scikit-learn's, whatever ``n_iter`` says.

    Returns
    -------
    SearchPlan

    Raises
    ------
    ValueError
        For any invalid argument, naming it, what is allowed and what was received.
    ExecutorLostError
        For a Dask Client whose cluster cannot be reached.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> from tunewidgets._setup import plan_search
    >>> plan = plan_search(lambda p: -(p["x"] - 1) ** 2, {"x": tw.Float(-3.0, 3.0)},
    ...                    strategy="random", n_trials=4, storage=None, seed=0)
    >>> study = plan.open_study()
    >>> plan.runner(study).run() is study, len(study.trials)
    (True, 4)
    """
    if study is not None and not isinstance(study, Study):
        raise ValueError(f"{owner}: 'study' must be a tw.Study. Got {type(study).__name__}.")
    if study is not None and study_name is not None:
        raise ValueError(
            f"{owner}: give 'study' (a Study to continue) or 'study_name' (a study in "
            "'storage'), not both."
        )
    if study_name is not None and (not isinstance(study_name, str) or not study_name.strip()):
        raise ValueError(
            f"{owner}: 'study_name' must be a non-empty string, or None for a generated "
            f"name. Got {study_name!r}."
        )
    if fit_params is not None and not isinstance(fit_params, Mapping):
        raise ValueError(f"{owner}: 'fit_params' must be a dict. Got {fit_params!r} instead.")
    data = {"X": X, "y": y, "groups": groups, "fit_params": dict(fit_params or {}) or None}
    built = _build_objective(objective, data, cv=cv, scoring=scoring, owner=owner)
    search_space = _resolve_space(space, built, study, owner)
    built.check_space(search_space)
    valid_options = strategy_options is None or isinstance(strategy_options, Mapping)
    options = dict(strategy_options or {}) if valid_options else None
    fresh = _check_strategy(strategy, search_space, seed, strategy_options)
    budgets = check_budgets(
        owner,
        n_trials=n_trials,
        timeout=timeout,
        target=target,
        patience=patience,
        max_consecutive_failures=max_consecutive_failures,
    )
    if (
        size_grid
        and strategy == "grid"
        and options is not None
        and "resolution" not in options
        and budgets["n_trials"] is not None
    ):
        # the finest grid the budget holds, not a fixed 5 points a parameter that the
        # budget would cut off part-way (or leave half unspent)
        resolution, fits = budget_resolution(search_space, budgets["n_trials"])
        options["resolution"] = resolution
        options.setdefault("shuffle", not fits)
        fresh = _check_strategy(strategy, search_space, seed, options)
    if require_budget and all(budgets[k] is None for k in _BUDGETS[:4]):
        raise ValueError(
            f"{owner} needs a budget: give n_trials (an int >= 1), a timeout, a target or "
            "a patience."
        )
    jobs = check_n_jobs(n_jobs, owner)
    check_executor(executor, n_jobs, owner)
    check_pruner(pruner, owner)
    if executor is not None or jobs > 1:
        check_picklable(built, owner)
    return SearchPlan(
        owner=owner,
        objective=built,
        estimator=built.estimator,
        space=search_space,
        strategy=strategy,
        seed=seed,
        strategy_options=options or {},
        budgets=budgets,
        n_jobs=jobs,
        executor=executor,
        pruner=pruner,
        capture_output=bool(capture_output),
        _fresh=fresh,
        _data=data,
        _raw={"cv": cv, "scoring": scoring},
        _storage=storage,
        _study_name=study_name,
        _study=study,
        _change_space=change_space,
    )
