"""Bayesian optimization with a Gaussian-process surrogate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from ._training import MAX_FIT, MAX_TRAIN, N_BEST, TrainingSet
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
_DEFAULT_KAPPA = 1.96
# The "hedge" portfolio (GP-Hedge: Hoffman, Brochu & de Freitas, 2011, as in
# scikit-optimize's gp_hedge): each acquisition nominates a point, one is chosen
# with probability proportional to exp(eta x gain), and each gains the model's
# mean at its nominee once the next result is in (in spreads of the warped scores).
_ARMS = ("ei", "pi", "ucb")
_ETA = 1.0
_CHOICES = {**ACQUISITIONS, "hedge": None}

Points = Mapping[str, Any] | Sequence[Mapping[str, Any]] | np.ndarray


class BayesianSearch(Strategy):
    """Bayesian optimization: model the score with a Gaussian process, ask where it is promising.

    Parameters
    ----------
    space : SearchSpace
        The space to search.
    seed : int, optional
        Seed of the initial design, the candidate points and the optimizer's restarts.
    acquisition : {"ei", "pi", "ucb", "hedge"}, default="ei"
        Expected improvement, probability of improvement, upper confidence
        bound, or a portfolio of the three ("hedge", as scikit-optimize's
        ``gp_hedge``): each nominates a point, one is drawn with a probability
        that grows with how well its past nominees turned out in the model's
        eyes, each with its own default margin.
    n_initial : int, optional
        Size of the quasi-random initial design before the model takes over.
        Defaults to ``d + 1`` for ``d`` parameters, at least 3 and at most 10: a
        lean start, because notebook searches are short.
    xi : float, optional
        Exploration margin of EI and PI, as a fraction of the (warped) scores'
        standard deviation. Defaults to 0.01 for EI and 0.1 for PI, which
        without a wider margin keeps polishing its best point (in a portfolio
        too, unless given).
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
    BayesianSearch.acquisition_values : score points as the search does.
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

    *Thousands of trials.* An exact Gaussian process costs O(n³) to fit. Past
    200 observations the model is fitted to 200 of them: the 80 best and a
    seeded random sample of the others that changes little from one trial to
    the next; the kernel's hyperparameters are re-fitted (when the data have
    grown by 10%) on 64 of them, half best, half sampled. An ask then costs
    about the same at 10,000 trials as at 200, and the search stays
    deterministic for a seed. Below 64 observations every one is used.

    *Querying the model.* :meth:`acquisition_values` scores any points with
    the search's own model and acquisition, exactly as the next ``ask()``
    does; :meth:`predict_model` gives the model's mean and uncertainty on its
    own scale, and :meth:`predict_quantiles` its belief about the score.

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
        kappa: float = _DEFAULT_KAPPA,
        n_candidates: int = 1000,
    ) -> None:
        super().__init__(space, seed=seed)
        owner = "BayesianSearch"
        self.acquisition = check_choice(acquisition, "acquisition", _CHOICES, owner=owner)
        default_initial = min(max(space.n_features() + 1, 3), 10)
        self.n_initial = check_int(
            default_initial if n_initial is None else n_initial, "n_initial", owner=owner, low=1
        )
        self._xi_given = xi is not None
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
        self._data = TrainingSet(space.n_features(onehot=True), self._entropy)
        self._kernel: Kernel = default_kernel(space.n_features(onehot=True))
        self._prior = kernel_prior(self._kernel, d)
        self._optimized_at = 0
        self._cached: tuple[tuple[int, int], GPSurrogate, bool] | None = None
        # the "hedge" portfolio: each acquisition's gains, and its last nominees
        self._gains = np.zeros(len(_ARMS))
        self._nominees: tuple[int, np.ndarray, np.ndarray] | None = None

    # -- model ------------------------------------------------------------------
    def _on_tell(self, params: dict[str, Any], score: float) -> None:
        self._data.append(self.space.to_unit(params, onehot=True), score)

    def _training_data(
        self, with_pending: bool
    ) -> tuple[np.ndarray, np.ndarray, int, tuple[np.ndarray, np.ndarray] | None] | None:
        """Encoded points and scores the model is fitted to.

        Returns ``(Z, y, n_told, fit_rows)``: the training set (bounded, see
        ``_training``), pending points last as the worst success so far; how many
        rows are told results; and, past ``MAX_FIT`` observations, the smaller
        set the kernel's hyperparameters are fitted to (None: all of ``Z``).
        """
        scores = self._data.y
        ok = np.isfinite(scores)
        if ok.sum() < 2:
            return None
        worst = float(scores[ok].min())
        rows = self._data.select(MAX_TRAIN, N_BEST)
        Z, y = self._data.Z[rows], np.where(ok[rows], scores[rows], worst)
        n_told = len(rows)
        if with_pending and self._pending:
            Z = np.vstack([Z, self.space.to_unit(self._pending, onehot=True)])
            y = np.concatenate([y, np.full(len(self._pending), worst)])
        fit_rows = None
        if len(scores) > MAX_FIT:
            sub = self._data.select(MAX_FIT, MAX_FIT // 2)
            fit_rows = self._data.Z[sub], np.where(ok[sub], scores[sub], worst)
        return Z, y, n_told, fit_rows

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
        Z, y, n_told, fit_rows = data
        rng = np.random.default_rng([self._entropy, *key])
        n = key[0]
        optimize = n <= _ALWAYS_OPTIMIZE or n >= _REFIT_GROWTH * self._optimized_at
        restarts = 1 if n <= _ALWAYS_OPTIMIZE else 0
        warping = TailWarping(y)
        latent = warping.transform(y)
        if fit_rows is not None:
            fit_rows = fit_rows[0], warping.transform(fit_rows[1])
        gp = fit_gp(
            Z,
            latent,
            self._kernel,
            optimize=optimize,
            rng=rng,
            n_restarts=restarts,
            prior=self._prior,
            fit_rows=fit_rows,
            # past the bound, a warm start from the last fit needs fewer steps
            maxiter=60 if fit_rows is None else 30,
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
            spread=spread,
        )
        # The incumbent is the model's best belief at a point already tried (robust to noise).
        surrogate.incumbent = float(np.max(surrogate.predict_encoded(Z[:n_told])[0]))
        if initial:
            surrogate.next_params = (
                self._design_point() if key[0] + key[1] < self.n_initial else None
            )
        elif self.acquisition == "hedge":
            self._hedge(surrogate, rng, n)
        else:
            surrogate.next_params = self._maximize(surrogate, rng)
        self._cached = (key, surrogate, optimize)
        return surrogate, optimize

    def _arm(self, surrogate: GPSurrogate, arm: str) -> None:
        """Set ``surrogate``'s acquisition to ``arm`` with that acquisition's default margin."""
        surrogate.acquisition = arm
        xi = self.xi if self._xi_given else _DEFAULT_XI.get(arm, 0.0)
        surrogate.xi = xi * surrogate.spread
        surrogate.kappa = self.kappa

    def _hedge(self, surrogate: GPSurrogate, rng: np.random.Generator, n: int) -> None:
        """The portfolio: credit the last nominees, nominate anew, choose one (seeded)."""
        if self._nominees is not None and n > self._nominees[0]:
            _, nominated, valid = self._nominees
            mean = surrogate._latent(nominated)[0] / surrogate.spread
            self._gains += np.where(valid, mean, 0.0)
            self._nominees = None
        nominees: list[dict[str, Any] | None] = []
        for arm in _ARMS:
            self._arm(surrogate, arm)
            nominees.append(self._maximize(surrogate, rng))
        logits = _ETA * (self._gains - self._gains.max())
        weights = np.exp(logits) * np.array([p is not None for p in nominees])
        if not weights.any():
            surrogate.next_params = None
            return
        choice = int(np.searchsorted(np.cumsum(weights / weights.sum()), rng.random()))
        choice = min(choice, len(_ARMS) - 1)
        while nominees[choice] is None:  # pragma: no cover - a zero weight is never drawn
            choice = (choice + 1) % len(_ARMS)
        self._arm(surrogate, _ARMS[choice])
        surrogate.next_params = nominees[choice]
        valid = np.array([p is not None for p in nominees])
        encoded = np.zeros((len(_ARMS), self.space.n_features(onehot=True)))
        encoded[valid] = self.space.to_unit([p for p in nominees if p is not None], onehot=True)
        self._nominees = (n, encoded, valid)

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

    # -- the search's own model, for anyone to query ------------------------------
    def _fitted(self, owner: str) -> GPSurrogate:
        model = self._model()
        if model is None:
            n_ok = int(np.isfinite(self._data.y).sum())
            raise RuntimeError(
                f"BayesianSearch.{owner}: there is no model yet; the search fits one after two "
                f"successful results, and it has {n_ok}."
            )
        return model[0]

    def _encode_points(self, points: Points, owner: str) -> np.ndarray:
        """One-hot encoding of configurations, or of points of the compact unit encoding."""
        if isinstance(points, np.ndarray) and points.dtype.kind in "fiu":
            U = np.asarray(points, dtype=float)
            U = U[None, :] if U.ndim == 1 else U
            if U.ndim != 2 or U.shape[1] != len(self.space) or not np.all(np.isfinite(U)):
                raise ValueError(
                    f"BayesianSearch.{owner}: an array of points must have shape "
                    f"(n, {len(self.space)}) (the compact unit encoding, one column per "
                    f"parameter) and finite values. Got shape {U.shape}."
                )
            if U.size and (U.min() < 0.0 or U.max() > 1.0):
                raise ValueError(
                    f"BayesianSearch.{owner}: points of the unit encoding must lie in [0, 1]. "
                    f"Got values from {U.min():.4g} to {U.max():.4g}."
                )
            return self.space.unit_to_onehot(U)
        rows = [points] if isinstance(points, Mapping) else list(points)
        return self.space.to_unit([self.space.check(row) for row in rows], onehot=True)

    def acquisition_values(
        self,
        points: Points,
        acquisition: str | None = None,
        *,
        xi: float | None = None,
        kappa: float | None = None,
    ) -> np.ndarray:
        """Score points with the search's own model and acquisition, on the scale it uses.

        With no options, these are exactly the values the next ``ask()``
        maximizes (over configurations not yet tried or pending): the model
        fitted to what has been told, pending points included as the search
        counts them, on its warped scale, with its incumbent and margin.

        Parameters
        ----------
        points : dict, sequence of dict, or numpy.ndarray
            Configurations inside the space, or points of the compact unit
            encoding, shape ``(n, len(space))`` (``space.to_unit(params)``).
        acquisition : {"ei", "pi", "ucb"}, optional
            Another acquisition than the search's own, with its own default
            margin (0.01 for EI, 0.1 for PI, kappa 1.96 for UCB) unless ``xi`` or
            ``kappa`` is given.
        xi : float, optional
            Margin of EI and PI, as a fraction of the warped scores' standard
            deviation (as in the constructor).
        kappa : float, optional
            Weight of UCB's uncertainty.

        Returns
        -------
        numpy.ndarray of shape (n,)
            Higher is more wanted.

        Raises
        ------
        RuntimeError
            Before the search has a model (fewer than two successful results).
        ValueError
            For points outside the space or an unknown acquisition.

        Examples
        --------
        >>> import tunewidgets as tw
        >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
        >>> bo = tw.BayesianSearch(space, seed=0, n_initial=3)
        >>> for _ in range(5):
        ...     p = bo.ask()
        ...     bo.tell(p, -(p["x"] - 0.3) ** 2)
        >>> values = bo.acquisition_values([{"x": 0.3}, {"x": 0.95}])
        >>> bool(values[0] > values[1])
        True
        """
        owner = "BayesianSearch.acquisition_values"
        if acquisition is not None:
            acquisition = check_choice(acquisition, "acquisition", ACQUISITIONS, owner=owner)
        if xi is not None:
            xi = check_real(xi, "xi", owner=owner, low=0.0)
        if kappa is not None:
            kappa = check_real(kappa, "kappa", owner=owner, low=0.0)
        with self._lock:
            surrogate = self._fitted("acquisition_values")
            Z = self._encode_points(points, "acquisition_values")
            name = surrogate.acquisition if acquisition is None else acquisition
            own = name == surrogate.acquisition  # the search's own: its own margin
            margin = surrogate.xi if own else _DEFAULT_XI.get(name, 0.0) * surrogate.spread
            if xi is not None:
                margin = xi * surrogate.spread
            if kappa is None:
                kappa = surrogate.kappa if own else _DEFAULT_KAPPA
            return surrogate.acquisition_encoded(Z, name, xi=margin, kappa=kappa)

    def predict_model(self, points: Points) -> tuple[np.ndarray, np.ndarray]:
        """The model's mean and standard deviation on its own (warped) scale.

        This is the scale the acquisition is computed on; map scores to it with
        :meth:`to_model_scale`.

        Parameters
        ----------
        points : dict, sequence of dict, or numpy.ndarray
            As for :meth:`acquisition_values`.

        Returns
        -------
        mean, std : numpy.ndarray of shape (n,)
            The standard deviation is the model's uncertainty about the score,
            without the trial-to-trial noise.

        Raises
        ------
        RuntimeError
            Before the search has a model.
        """
        with self._lock:
            surrogate = self._fitted("predict_model")
            return surrogate._latent(self._encode_points(points, "predict_model"))

    def predict_quantiles(
        self, points: Points, quantiles: Sequence[float] = (0.1, 0.5, 0.9)
    ) -> np.ndarray:
        """Quantiles of the predicted score, in score units.

        The model is Gaussian on its warped scale and the warping is monotone,
        so these are exact quantiles of the model's belief about the score (its
        median is the 0.5 quantile; its mean in score units is not defined as
        simply).

        Parameters
        ----------
        points : dict, sequence of dict, or numpy.ndarray
            As for :meth:`acquisition_values`.
        quantiles : sequence of float, default=(0.1, 0.5, 0.9)
            Levels strictly between 0 and 1.

        Returns
        -------
        numpy.ndarray of shape (n, len(quantiles))

        Raises
        ------
        RuntimeError
            Before the search has a model.
        ValueError
            For levels outside (0, 1).
        """
        with self._lock:
            surrogate = self._fitted("predict_quantiles")
            Z = self._encode_points(points, "predict_quantiles")
            return surrogate.quantiles_encoded(Z, quantiles)

    def to_model_scale(self, scores: Sequence[float] | np.ndarray) -> np.ndarray:
        """Map scores to the model's warped scale (identity above the median score).

        Parameters
        ----------
        scores : array-like of float
            Scores, as told.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        RuntimeError
            Before the search has a model.
        """
        with self._lock:
            return self._fitted("to_model_scale").to_model_scale(scores)

    # -- asking ------------------------------------------------------------------
    def _in_initial_design(self) -> bool:
        n_ok = int(np.isfinite(self._data.y).sum())
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
        if self.acquisition == "hedge":
            self.last_info = {"portfolio_gains": [round(float(g), 4) for g in self._gains]}
        else:
            self.last_info = {}
        self.last_info |= {
            "phase": "model",
            "acquisition": surrogate.acquisition,
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
        scores = self._data.y
        starts = None
        if np.isfinite(scores).any():
            top = np.argsort(np.where(np.isfinite(scores), -scores, np.inf), kind="stable")[:3]
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
