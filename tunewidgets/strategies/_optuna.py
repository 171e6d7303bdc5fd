"""Any Optuna sampler behind the tunewidgets ask/tell interface."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .._imports import optional_import
from ..space import Categorical, Float, Int, SearchSpace
from ._base import Strategy

if TYPE_CHECKING:
    import optuna

__all__ = ["OptunaSearch"]

_MAX_REDRAWS = 20


_BRANCH = "__branch__"


def _distribution(param: Any) -> Any:
    """The Optuna distribution a parameter is searched through."""
    optuna = optional_import("optuna", "optuna", "OptunaSearch")
    dist = optuna.distributions
    if isinstance(param, Float):
        return dist.FloatDistribution(param.low, param.high, log=param.log)
    if isinstance(param, Int):
        return dist.IntDistribution(param.low, param.high, log=param.log)
    if isinstance(param, Categorical):  # plain choices as themselves, others by their label
        return dist.CategoricalDistribution([param.to_stored(c) for c in param.choices])
    return dist.FloatDistribution(0.0, 1.0)  # a Distribution: its quantile


class _Layout:
    """How configurations of a space (branches too) are named and encoded for Optuna.

    A space of branches is searched define-by-run: the branch is a categorical
    ``"__branch__"``, then each parameter of that branch, named ``"<branch>:<name>"``
    so that a name defined differently in two branches stays two Optuna parameters.
    """

    def __init__(self, space: SearchSpace) -> None:
        self.space = space
        self.branched = len(space.branches) > 1
        self.names = [
            {name: f"{b}:{name}" if self.branched else name for name in branch}
            for b, branch in enumerate(space.branches)
        ]
        self.dists = [
            {self.names[b][name]: _distribution(param) for name, param in branch.items()}
            for b, branch in enumerate(space.branches)
        ]

    def encode(self, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        b = self.space.branch_index(params)
        branch = self.space.branches[b]
        values, dists = {}, {}
        if self.branched:
            optuna = optional_import("optuna", "optuna", "OptunaSearch")
            values[_BRANCH] = b
            dists[_BRANCH] = optuna.distributions.CategoricalDistribution(
                list(range(len(self.names)))
            )
        for name, value in params.items():
            param, key = branch[name], self.names[b][name]
            if isinstance(param, Categorical):
                values[key] = param.to_stored(value)
            elif isinstance(param, Float | Int):
                values[key] = value
            else:
                values[key] = float(param.encode([value])[0])
            dists[key] = self.dists[b][key]
        return values, dists

    def decode(self, values: dict[str, Any]) -> dict[str, Any]:
        b = int(values.get(_BRANCH, 0))
        branch = self.space.branches[b]
        out = {}
        for name, param in branch.items():
            value = values[self.names[b][name]]
            if isinstance(param, Categorical):
                out[name] = param.from_stored(value)
            elif isinstance(param, Float | Int):
                out[name] = value
            else:
                out[name] = param.decode(np.array([value]))[0]
        return out

    def ask(self, study: Any) -> tuple[Any, dict[str, Any]]:
        if not self.branched:
            trial = study.ask(self.dists[0])
            return trial, self.decode(trial.params)
        trial = study.ask()
        b = trial.suggest_categorical(_BRANCH, list(range(len(self.names))))
        values: dict[str, Any] = {_BRANCH: b}
        for key, dist in self.dists[b].items():
            values[key] = _suggest(trial, key, dist)
        return trial, self.decode(values)


def _suggest(trial: Any, key: str, dist: Any) -> Any:
    """``trial.suggest_*`` for one of the distributions made by :func:`_distribution`."""
    if hasattr(dist, "choices"):
        return trial.suggest_categorical(key, list(dist.choices))
    if type(dist).__name__ == "IntDistribution":
        return trial.suggest_int(key, dist.low, dist.high, log=dist.log)
    return trial.suggest_float(key, dist.low, dist.high, log=dist.log)


class OptunaSearch(Strategy):
    """Use an Optuna sampler (TPE, CMA-ES, GP, ...) as a tunewidgets strategy.

    For users who trust Optuna's samplers and want tunewidgets' dashboard,
    storage and runner. Needs the ``optuna`` extra.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    sampler : optuna.samplers.BaseSampler, optional
        The sampler; defaults to ``optuna.samplers.TPESampler(seed=seed)``.
    seed : int, optional
        Seed of the default sampler (ignored when ``sampler`` is given).

    Raises
    ------
    ImportError
        If Optuna is not installed.

    See Also
    --------
    BayesianSearch : tunewidgets' own Gaussian-process search.

    Notes
    -----
    An in-memory Optuna study holds what the sampler knows. Results told for
    configurations it did not ask for are added to that study as finished
    trials; failed ones are told as failed. When the sampler proposes a
    configuration already tried (a seeded sampler replays its first proposals
    after a resume), it is answered with the known score and asked again; after
    20 such proposals in a row, an untried configuration is drawn at random.

    A space of branches is searched define-by-run: the sampler first picks the
    branch, then that branch's parameters (named ``"<branch>:<name>"`` inside
    Optuna). Choices that are not plain values are given to Optuna by their
    labels, and a :class:`Distribution` by its quantile in ``[0, 1]``.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> tpe = tw.OptunaSearch(space, seed=0)
    >>> p = tpe.ask()
    >>> tpe.tell(p, p["x"])
    """

    name = "tpe"

    def __init__(
        self,
        space: SearchSpace,
        sampler: optuna.samplers.BaseSampler | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(space, seed=seed)
        optuna = optional_import("optuna", "optuna", "OptunaSearch")
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.sampler = sampler if sampler is not None else optuna.samplers.TPESampler(seed=seed)
        self._optuna = optuna
        self._layout = _Layout(space)
        self._study = optuna.create_study(direction="maximize", sampler=self.sampler)
        self._asked: list[tuple[dict[str, Any], Any]] = []
        self._scores_by_key: dict[tuple[float, ...], float] = {}

    def _ask(self) -> dict[str, Any]:
        self._check_not_exhausted()
        state = self._optuna.trial.TrialState
        for _ in range(_MAX_REDRAWS):
            trial, params = self._layout.ask(self._study)
            params = self.space.check(params)
            key = self._key(params)
            if key not in self._seen:
                break
            # A configuration already tried (e.g. a seeded sampler replaying its start
            # after a resume): answer it from what is known and let the sampler go on.
            known = self._scores_by_key.get(key)
            if known is None or math.isnan(known):
                self._study.tell(trial, state=state.FAIL)
            else:
                self._study.tell(trial, known)
        else:
            # The sampler keeps proposing what has been tried (it has converged on a
            # discrete space): ask an untried configuration, drawn at random, instead.
            for _ in range(_MAX_REDRAWS):
                params = self.space.sample(self._rng)
                if self._key(params) not in self._seen:
                    break
            self._study.enqueue_trial(self._layout.encode(params)[0])
            trial, params = self._layout.ask(self._study)
            params = self.space.check(params)
        self._asked.append((params, trial))
        self.last_info = {"sampler": type(self.sampler).__name__}
        return params

    def _on_tell(self, params: dict[str, Any], score: float) -> None:
        self._scores_by_key[self._key(params)] = score
        state = self._optuna.trial.TrialState
        for i, (asked, trial) in enumerate(self._asked):
            if asked == params:
                del self._asked[i]
                if math.isnan(score):
                    self._study.tell(trial, state=state.FAIL)
                else:
                    self._study.tell(trial, score)
                return
        if math.isnan(score):
            return  # a failure it never asked for teaches a sampler nothing
        values, distributions = self._layout.encode(params)
        self._study.add_trial(
            self._optuna.trial.create_trial(params=values, distributions=distributions, value=score)
        )
