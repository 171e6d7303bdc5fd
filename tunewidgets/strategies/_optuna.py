"""Any Optuna sampler behind the tunewidgets ask/tell interface."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .._imports import optional_import
from ..space import Categorical, Float, Int, SearchSpace
from ._base import Strategy

if TYPE_CHECKING:
    import optuna

__all__ = ["OptunaSearch"]

_MAX_REDRAWS = 20


def _distributions(space: SearchSpace) -> dict[str, Any]:
    optuna = optional_import("optuna", "optuna", "OptunaSearch")
    dist = optuna.distributions
    out: dict[str, Any] = {}
    for name, param in space.items():
        if isinstance(param, Float):
            out[name] = dist.FloatDistribution(param.low, param.high, log=param.log)
        elif isinstance(param, Int):
            out[name] = dist.IntDistribution(param.low, param.high, log=param.log)
        elif isinstance(param, Categorical):
            out[name] = dist.CategoricalDistribution(list(param.choices))
    return out


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
        self._distributions = _distributions(space)
        self._study = optuna.create_study(direction="maximize", sampler=self.sampler)
        self._asked: list[tuple[dict[str, Any], Any]] = []
        self._scores_by_key: dict[tuple[float, ...], float] = {}

    def _ask(self) -> dict[str, Any]:
        self._check_not_exhausted()
        state = self._optuna.trial.TrialState
        for _ in range(_MAX_REDRAWS):
            trial = self._study.ask(self._distributions)
            params = self.space.check(trial.params)
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
            self._study.enqueue_trial(params)
            trial = self._study.ask(self._distributions)
            params = self.space.check(trial.params)
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
        self._study.add_trial(
            self._optuna.trial.create_trial(
                params=params, distributions=self._distributions, value=score
            )
        )
