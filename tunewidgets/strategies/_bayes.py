"""Bayesian optimization with a Gaussian-process surrogate."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import qmc
from sklearn.gaussian_process.kernels import Kernel

from .._validation import check_choice, check_int, check_real
from ..space import SearchSpace
from ._acquisition import ACQUISITIONS
from ._base import Strategy
from ._blas import one_blas_thread
from ._gp import GPSurrogate, default_kernel, fit_gp, kernel_prior
from ._optimize import maximize_acquisition
from ._warping import TailWarping

__all__ = ["BayesianSearch"]

# Always re-fit the kernel's hyperparameters below this many observations;
# beyond it, re-fit whenever the data has grown by 10% (a Cholesky refresh in between).
_ALWAYS_OPTIMIZE = 40
_REFIT_GROWTH = 1.1
# PI needs a wider margin than EI: it rewards the probability of any
# improvement, however small, so with xi near 0 it asks next to its best point
# (Lizotte, 2008; Brochu, Cora & de Freitas, 2010, section 2.3).
_DEFAULT_XI = {"ei": 0.01, "pi": 0.1}


class BayesianSearch(Strategy):
    """Bayesian optimization: model the score with a Gaussian process, ask where it is promising.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    seed : int, optional
        Seed of the initial design, the candidate points and the optimizer's restarts.
    acquisition : {"ei", "pi", "ucb"}, default="ei"
        Expected improvement, probability of improvement, or upper confidence bound.
    n_initial : int, optional
        Size of the quasi-random initial design before the model takes over.
        Defaults to ``d + 1`` for ``d`` parameters, at least 3 and at most 10: a
        lean start, because notebook searches are short.
    xi : float, optional
        Exploration margin of EI and PI, as a fraction of the (warped) scores'
        standard deviation. Defaults to 0.01 for EI and 0.1 for PI, which
        without a wider margin keeps polishing its best point.
    kappa : float, default=1.96
        Exploration weight of UCB.
    n_candidates : int, default=1000
        Random candidates scored per ask before local refinement.

    Attributes
    ----------
    surrogate : GPSurrogate or None
        The model fitted to the results told so far (None before two successes).

    Raises
    ------
    ValueError
        For an unknown acquisition or an out-of-range option.

    See Also
    --------
    GPSurrogate : what the model predicts, for plots.
    RandomSearch, EvolutionarySearch

    Notes
    -----
    *Model.* scikit-learn's ``GaussianProcessRegressor`` with kernel
    ``amplitude * Matern(nu=5/2, one length scale per feature) + noise``, on
    the unit cube with log scales applied. Its hyperparameters are maximum a
    posteriori estimates under log-normal priors (see ``kernel_prior`` in
    ``tunewidgets.strategies._gp``): with a dozen trials, the likelihood alone
    often picks degenerate fits (a parameter declared irrelevant, all
    variation declared noise) that send the search to the corners.

    *Scores.* The model sees the scores through a monotone warping: the
    better half as they are, the worse half on a log scale, so that one
    divergent trial (an R² of -10⁸) does not flatten the good region, and the
    differences among good configurations keep their size.

    *Integers and categoricals.* Categoricals are one-hot encoded, with a length
    scale per choice (so choices need not be ordered, and an irrelevant choice
    gets a long length scale). The acquisition is only ever evaluated at valid
    configurations (integers rounded, exactly one choice set), so the search
    never proposes a point between integers or categories, and never repeats a
    configuration already tried or pending.

    *Acquisition optimization.* ``n_candidates`` uniform random points plus the
    best points seen are scored, the best few are refined by three rounds of
    shrinking local perturbation, then by a coordinate hill climb whose moves
    respect each parameter's kind (a small step of a float, the next integer,
    every other choice of a categorical).

    *Branches.* A space of branches (``tw.SearchSpace([{...}, {...}])``)
    reaches the model through the space's one-hot encoding: one indicator
    column per branch, then every branch's own columns, the columns of the
    other branches held at a fixed value (see :class:`SearchSpace`). One
    Gaussian process thus models every branch: configurations of a branch
    differ only in that branch's columns, so each branch's length scales are
    learned from its own trials, while the indicator columns let the model
    tell the branches' levels apart and share what it learns of the score's
    scale. One model rather than one per branch, because searches here are
    short: a branch with few trials still borrows the amplitude and noise
    learned from the others, and the acquisition compares points of every
    branch on one scale, so the search moves to the branch that promises most.

    *Failures and parallel asks.* A failed trial is modelled as scoring as badly
    as the worst success, which steers the search away from regions that fail.
    Points asked for but not yet told are added as if they scored the worst
    success so far (the "constant liar"), so parallel asks spread out.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(-2.0, 2.0), "y": tw.Int(-3, 3)})
    >>> bo = tw.BayesianSearch(space, seed=0)
    >>> for _ in range(12):
    ...     p = bo.ask()
    ...     bo.tell(p, -(p["x"] - 0.5) ** 2 - (p["y"] - 1) ** 2)
    >>> params, score = bo.best
    >>> score > -0.5
    True
    """

    name = "bayes"

    def __init__(
        self,
        space: SearchSpace,
        seed: int | None = None,
        acquisition: str = "ei",
        n_initial: int | None = None,
        *,
        xi: float | None = None,
        kappa: float = 1.96,
        n_candidates: int = 1000,
    ) -> None:
        super().__init__(space, seed=seed)
        owner = "BayesianSearch"
        self.acquisition = check_choice(acquisition, "acquisition", ACQUISITIONS, owner=owner)
        default_initial = min(max(space.n_features() + 1, 3), 10)
        self.n_initial = check_int(
            default_initial if n_initial is None else n_initial, "n_initial", owner=owner, low=1
        )
        if xi is None:
            xi = _DEFAULT_XI.get(self.acquisition, 0.0)
        self.xi = check_real(xi, "xi", owner=owner, low=0.0)
        self.kappa = check_real(kappa, "kappa", owner=owner, low=0.0)
        self.n_candidates = check_int(n_candidates, "n_candidates", owner=owner, low=10)
        d = max(space.n_features(), 1)  # compact columns (a space of branches has more)
        optimization = "random-cd" if d > 1 else None
        sampler = qmc.LatinHypercube(d, optimization=optimization, rng=self._rng)
        self._design = sampler.random(self.n_initial)
        self._entropy = int(self._rng.integers(2**63))
        self._kernel: Kernel = default_kernel(space.n_features(onehot=True))
        self._prior = kernel_prior(self._kernel, d)
        self._optimized_at = 0
        self._cached: tuple[tuple[int, int], GPSurrogate, bool] | None = None

    # -- model ------------------------------------------------------------------
    def _training_data(self, with_pending: bool) -> tuple[np.ndarray, np.ndarray] | None:
        scores = np.array(self._scores, dtype=float)
        ok = np.isfinite(scores)
        if ok.sum() < 2:
            return None
        worst = float(scores[ok].min())
        params = list(self._told)
        y = np.where(ok, scores, worst)
        if with_pending and self._pending:
            params += self._pending
            y = np.concatenate([y, np.full(len(self._pending), worst)])
        return self.space.to_unit(params, onehot=True), y

    def _model(self) -> tuple[GPSurrogate, bool] | None:
        """The surrogate for the current state, and whether its kernel was re-optimized.

        A pure function of what has been told and asked (cached per state): looking
        at the surrogate between asks never changes what the search asks next.
        """
        key = (len(self._told), len(self._pending))
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1], self._cached[2]
        with one_blas_thread():
            return self._fit_model(key)

    def _fit_model(self, key: tuple[int, int]) -> tuple[GPSurrogate, bool] | None:
        initial = self._in_initial_design()
        data = self._training_data(with_pending=not initial)
        if data is None:
            return None
        Z, y = data
        rng = np.random.default_rng([self._entropy, *key])
        n = key[0]
        optimize = n <= _ALWAYS_OPTIMIZE or n >= _REFIT_GROWTH * self._optimized_at
        restarts = 1 if n <= _ALWAYS_OPTIMIZE else 0
        warping = TailWarping(y)
        latent = warping.transform(y)
        gp = fit_gp(
            Z,
            latent,
            self._kernel,
            optimize=optimize,
            rng=rng,
            n_restarts=restarts,
            prior=self._prior,
        )
        spread = float(np.std(latent)) or 1.0
        surrogate = GPSurrogate(
            self.space,
            gp,
            self.acquisition,
            incumbent=0.0,
            xi=self.xi * spread,
            kappa=self.kappa,
            warping=warping,
        )
        # The incumbent is the model's best belief at a point already tried (robust to noise).
        surrogate.incumbent = float(np.max(surrogate.predict_encoded(Z[:n])[0]))
        if initial:
            surrogate.next_params = (
                self._design_point() if key[0] + key[1] < self.n_initial else None
            )
        else:
            surrogate.next_params = self._maximize(surrogate, rng)
        self._cached = (key, surrogate, optimize)
        return surrogate, optimize

    @property
    def surrogate(self) -> GPSurrogate | None:
        """The Gaussian-process model of the results told so far, with its next proposal.

        None before two successful results. Fitted on demand and cached until the
        next ``ask`` or ``tell``; ``next_params`` is what the next ``ask()`` will
        return (None while the initial design is still being used up at random).
        """
        with self._lock:
            model = self._model()
            return None if model is None else model[0]

    # -- asking ------------------------------------------------------------------
    def _in_initial_design(self) -> bool:
        n_ok = int(np.isfinite(np.array(self._scores, dtype=float)).sum())
        return len(self._told) + len(self._pending) < self.n_initial or n_ok < 2

    def _design_point(self) -> dict[str, Any]:
        index = len(self._told) + len(self._pending)
        return self.space.from_unit(self._design[index][None, :])[0]

    def _ask(self) -> dict[str, Any]:
        self._check_not_exhausted()
        if self._in_initial_design():
            self.last_info = {"phase": "initial design"}
            if len(self._told) + len(self._pending) < self.n_initial:
                params = self._design_point()
                if self._key(params) not in self._seen:
                    return params
            return self._fresh_random()
        model = self._model()
        if model is None or model[0].next_params is None:
            self.last_info = {"phase": "random (no model)"}
            return self._fresh_random()
        surrogate, optimized = model
        if optimized:
            self._kernel = surrogate.gp.kernel_
            self._optimized_at = len(self._told)
        params = surrogate.next_params
        mean, std = surrogate.predict(params)
        acq = surrogate.acquisition_values(params)
        self.last_info = {
            "phase": "model",
            "acquisition": self.acquisition,
            "acquisition_value": float(acq[0]),
            "predicted_score": float(mean[0]),
            "predicted_std": float(std[0]),
        }
        return params

    def _fresh_random(self) -> dict[str, Any]:
        for _ in range(100):
            params = self.space.sample(self._rng)
            if self._key(params) not in self._seen:
                return params
        return params

    def _maximize(self, surrogate: GPSurrogate, rng: np.random.Generator) -> dict[str, Any] | None:
        """Best unseen configuration by acquisition (see ``maximize_acquisition``)."""
        scores = np.array(self._scores, dtype=float)
        starts = None
        if np.isfinite(scores).any():
            top = np.argsort(np.where(np.isfinite(scores), scores, -np.inf))[::-1][:3]
            starts = self.space.to_unit([self._told[i] for i in top])

        def acquisition(U: np.ndarray) -> np.ndarray:
            return surrogate.acquisition_encoded(self.space.unit_to_onehot(U))

        U, _ = maximize_acquisition(
            self.space, acquisition, rng, n_candidates=self.n_candidates, starts=starts
        )
        for row in U:
            if tuple(np.round(row, 9).tolist()) not in self._seen:
                return self.space.from_unit(row[None, :])[0]
        return None
