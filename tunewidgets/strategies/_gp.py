"""The Gaussian-process surrogate of :class:`BayesianSearch`, and what plots read from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from scipy.special import ndtri
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Kernel, Matern, WhiteKernel

from ..space import SearchSpace
from ._acquisition import ACQUISITIONS
from ._blas import one_blas_thread
from ._warping import TailWarping

__all__ = ["GPSurrogate", "default_kernel", "fit_gp", "kernel_prior"]

# Bounds expressed in the unit cube, where log scales are already applied:
# a feature finer than 3% of a range, or a trend longer than 20 ranges, is not
# believable from a few dozen trials.
_LENGTH_SCALE = 0.5
_LENGTH_BOUNDS = (0.03, 20.0)
_AMPLITUDE_BOUNDS = (0.05, 20.0)
_NOISE = 1e-2
_NOISE_BOUNDS = (1e-6, 0.5)
# Log-normal priors (median, standard deviation of the log) on the same
# hyperparameters, for normalized scores. The length scale's median grows as
# sqrt(d): distances between points of the unit cube do.
_LENGTH_PRIOR = (0.25, 1.0)  # median x sqrt(d)
_AMPLITUDE_PRIOR = (1.0, 1.0)
_NOISE_PRIOR = (1e-2, 1.5)


def default_kernel(n_features: int) -> Kernel:
    """The surrogate's kernel: amplitude x Matérn 5/2 (one length scale per feature) + noise.

    Parameters
    ----------
    n_features : int
        Number of columns of the one-hot encoding.

    Returns
    -------
    sklearn.gaussian_process.kernels.Kernel
    """
    matern = Matern(
        length_scale=np.full(n_features, _LENGTH_SCALE),
        length_scale_bounds=_LENGTH_BOUNDS,
        nu=2.5,
    )
    return ConstantKernel(1.0, _AMPLITUDE_BOUNDS) * matern + WhiteKernel(_NOISE, _NOISE_BOUNDS)


def kernel_prior(kernel: Kernel, n_params: int) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian prior on the log hyperparameters of :func:`default_kernel`.

    Log-normal priors, for scores normalized to zero mean and unit variance, on
    a unit cube: the amplitude's median is 1, the noise's 1% of the variance,
    and the length scales' ``sqrt(n_params) / 4``, each within about a factor
    of three (the noise's a factor of 4.5) per standard deviation.

    Parameters
    ----------
    kernel : Kernel
        A kernel built by :func:`default_kernel`.
    n_params : int
        Number of parameters of the space (not of one-hot columns).

    Returns
    -------
    mean, std : numpy.ndarray of shape (len(kernel.theta),)
        The prior of ``kernel.theta``, component by component.
    """
    means, stds = [], []
    for hyper in kernel.hyperparameters:
        if hyper.fixed:
            continue
        if hyper.name.endswith("length_scale"):
            median, std = _LENGTH_PRIOR[0] * np.sqrt(n_params), _LENGTH_PRIOR[1]
        elif hyper.name.endswith("noise_level"):
            median, std = _NOISE_PRIOR
        else:
            median, std = _AMPLITUDE_PRIOR
        means += [np.log(median)] * hyper.n_elements
        stds += [std] * hyper.n_elements
    return np.array(means), np.array(stds)


def fit_gp(
    Z: np.ndarray,
    y: np.ndarray,
    kernel: Kernel,
    *,
    optimize: bool,
    rng: np.random.Generator,
    n_restarts: int = 0,
    prior: tuple[np.ndarray, np.ndarray] | None = None,
    fit_rows: tuple[np.ndarray, np.ndarray] | None = None,
    maxiter: int = 60,
) -> GaussianProcessRegressor:
    """Fit a GP with normalized targets, optionally choosing its hyperparameters.

    The hyperparameters maximize the marginal likelihood, times ``prior`` where
    given (a maximum a posteriori estimate). They are optimized with L-BFGS-B
    from ``kernel``'s current values (a warm start) and from ``n_restarts``
    random starts (drawn from the prior where given); without ``optimize`` the
    kernel is used as given, which costs one Cholesky factorization.

    Parameters
    ----------
    Z : numpy.ndarray of shape (n, n_features)
        Encoded configurations.
    y : numpy.ndarray of shape (n,)
        Scores.
    kernel : Kernel
        Starting kernel.
    optimize : bool
        Whether to fit the kernel's hyperparameters.
    rng : numpy.random.Generator
        Source of the random restarts.
    n_restarts : int, default=0
        Extra random starts for the optimizer.
    prior : tuple of numpy.ndarray, optional
        Mean and standard deviation of a Gaussian prior on ``kernel.theta``
        (the log hyperparameters), as from :func:`kernel_prior`.
    fit_rows : tuple of numpy.ndarray, optional
        ``(Z, y)`` to choose the hyperparameters on instead of all of ``Z`` and
        ``y`` (a subset, to bound the cost); the returned GP is fitted to all.
    maxiter : int, default=60
        Iterations of L-BFGS-B per start.

    Returns
    -------
    sklearn.gaussian_process.GaussianProcessRegressor
        Fitted, with ``kernel_`` holding the chosen hyperparameters.
    """
    gp = GaussianProcessRegressor(kernel, alpha=1e-8, optimizer=None, normalize_y=True)
    if not optimize:
        return gp.fit(Z, y)
    gp.fit(*(fit_rows if fit_rows is not None else (Z, y)))
    bounds = gp.kernel_.bounds

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = gp.log_marginal_likelihood(theta, eval_gradient=True, clone_kernel=False)
        if prior is not None:
            z = (theta - prior[0]) / prior[1]
            value, grad = value - 0.5 * float(z @ z), grad - z / prior[1]
        return -value, -grad

    starts = [gp.kernel_.theta]
    for _ in range(n_restarts):
        if prior is None:
            starts.append(rng.uniform(bounds[:, 0], bounds[:, 1]))
        else:
            starts.append(np.clip(rng.normal(*prior), bounds[:, 0], bounds[:, 1]))
    best_theta, best_value = starts[0], np.inf
    for theta0 in starts:
        try:
            result = minimize(
                objective,
                theta0,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": maxiter},
            )
        except (np.linalg.LinAlgError, ValueError):
            continue
        if np.isfinite(result.fun) and result.fun < best_value:
            best_theta, best_value = result.x, result.fun
    gp = GaussianProcessRegressor(
        gp.kernel_.clone_with_theta(best_theta), alpha=1e-8, optimizer=None, normalize_y=True
    )
    return gp.fit(Z, y)


def _cross_covariance(kernel: Kernel, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``kernel(A, B)``, computed directly for amplitude x Matérn 5/2 (the default kernel).

    Other kernels go through scikit-learn; for this one, computing the product
    in place saves the temporaries of scikit-learn's generic kernel algebra,
    most of the cost of scoring thousands of candidates.
    """
    amplitude, matern = getattr(kernel, "k1", None), getattr(kernel, "k2", None)
    if not (
        isinstance(amplitude, ConstantKernel)
        and isinstance(matern, Matern)
        and matern.nu == 2.5
        and np.ndim(amplitude.constant_value) == 0
    ):
        return kernel(A, B)
    scale = np.asarray(matern.length_scale, dtype=float)
    d = cdist(A / scale, B / scale) * np.sqrt(5.0)
    K = d * d
    K *= 1.0 / 3.0
    K += d
    K += 1.0
    np.negative(d, out=d)
    np.exp(d, out=d)
    K *= d
    K *= float(amplitude.constant_value)
    return K


@dataclass
class GPSurrogate:
    """A fitted Gaussian-process model of the score, as :class:`BayesianSearch` sees it.

    This is the teaching view of Bayesian optimization: what the search believes
    about the score everywhere (mean and uncertainty) and how much it wants to
    try each point (the acquisition function).

    Parameters
    ----------
    space : SearchSpace
        The space modelled.
    gp : sklearn.gaussian_process.GaussianProcessRegressor
        The fitted regressor (on the one-hot encoding, and on warped scores
        when ``warping`` is given).
    acquisition : {"ei", "pi", "ucb"}
        The acquisition function's name.
    incumbent : float
        The best score the acquisition tries to improve on, in score units.
    xi : float
        Exploration margin of EI and PI, in the units the regressor models.
    kappa : float
        Exploration weight of UCB.
    next_params : dict or None, default=None
        The configuration the search will ask for next, where known.
    warping : TailWarping, optional
        The monotone map from scores to what ``gp`` models; None for none.
    spread : float, default=1.0
        The standard deviation of the warped scores the model was fitted to:
        the unit of :class:`BayesianSearch`'s margins (``xi`` is a fraction of it).

    Notes
    -----
    With a warping, the Gaussian process models warped scores, and the
    acquisition is computed there. :meth:`predict` maps back to score units:
    the mean is the image of the warped mean (the predictive median), the
    standard deviation the warped one times the map's local slope (identical
    to the warped one wherever the mean is above the median score).

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})
    >>> bo = tw.BayesianSearch(space, seed=0, n_initial=3)
    >>> for _ in range(4):
    ...     p = bo.ask()
    ...     bo.tell(p, -(p["x"] - 0.3) ** 2)
    >>> mean, std = bo.surrogate.predict([{"x": 0.3}, {"x": 0.9}])
    >>> bool(mean[0] > mean[1])
    True
    """

    space: SearchSpace
    gp: GaussianProcessRegressor
    acquisition: str
    incumbent: float
    xi: float
    kappa: float
    next_params: dict[str, Any] | None = field(default=None)
    warping: TailWarping | None = field(default=None)
    spread: float = field(default=1.0)
    _L_inv: np.ndarray | None = field(default=None, init=False, repr=False)

    def _encode(self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> np.ndarray:
        rows = [params] if isinstance(params, Mapping) else list(params)
        return self.space.to_unit(rows, onehot=True)

    def predict_encoded(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predicted mean and standard deviation of the score at one-hot encoded points.

        The standard deviation is that of the underlying function (the noise term
        is left out): it is the search's uncertainty, not the trial-to-trial noise.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n, n_features)
            Points in the one-hot encoding.

        Returns
        -------
        mean, std : numpy.ndarray of shape (n,)
            In score units.
        """
        mean, std = self._latent(Z)
        if self.warping is None:
            return mean, std
        return self.warping.inverse(mean), std * self.warping.slope(mean)

    def predict_model_encoded(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation on the model's (warped) scale at one-hot encoded points.

        The scale the acquisition is computed on (see :meth:`predict_model`).

        Parameters
        ----------
        Z : numpy.ndarray of shape (n, n_features)
            Points in the one-hot encoding.

        Returns
        -------
        mean, std : numpy.ndarray of shape (n,)
            Of the warped score (the noise term left out).
        """
        return self._latent(Z)

    def to_model_scale(self, scores: Sequence[float] | np.ndarray) -> np.ndarray:
        """Map scores to the model's warped scale (identity above the median score).

        Parameters
        ----------
        scores : array-like of float
            Scores, as told.

        Returns
        -------
        numpy.ndarray
        """
        values = np.asarray(scores, dtype=float)
        return values if self.warping is None else self.warping.transform(values)

    def _latent(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation in the units the regressor models."""
        with one_blas_thread():
            return self._latent_unlimited(Z)

    def _latent_unlimited(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gp = self.gp
        kernel = gp.kernel_
        # The white noise is zero between distinct sets of points: amplitude x Matérn only.
        K_trans = _cross_covariance(kernel.k1, Z, gp.X_train_)
        mean = K_trans @ gp.alpha_
        if self._L_inv is None:
            identity = np.eye(len(gp.L_))
            self._L_inv = solve_triangular(gp.L_, identity, lower=True, check_finite=False)
        V = K_trans @ self._L_inv.T  # one matrix product for all points: (L^-1 K_trans^T)^T
        signal = kernel.k1.diag(Z)  # amplitude x Matérn, without the white noise
        var = np.maximum(signal - np.einsum("ij,ij->i", V, V), 0.0)
        scale = float(np.ravel(gp._y_train_std)[0])
        shift = float(np.ravel(gp._y_train_mean)[0])
        return mean * scale + shift, np.sqrt(var) * scale

    def predict(
        self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Predicted mean and standard deviation of the score at configurations.

        Parameters
        ----------
        params : dict or sequence of dict
            Configurations inside the space.

        Returns
        -------
        mean, std : numpy.ndarray of shape (n,)
        """
        return self.predict_encoded(self._encode(params))

    def predict_model(
        self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation on the model's (warped) scale, where the search decides.

        Parameters
        ----------
        params : dict or sequence of dict
            Configurations inside the space.

        Returns
        -------
        mean, std : numpy.ndarray of shape (n,)
            Of the warped score (the noise term left out). Map scores to this
            scale with ``warping.transform``.
        """
        return self._latent(self._encode(params))

    def quantiles_encoded(self, Z: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
        """Quantiles of the predicted score at one-hot encoded points, in score units.

        The model is Gaussian on the warped scale and the warping is increasing,
        so a quantile there maps exactly to the same quantile of the score.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n, n_features)
            Points in the one-hot encoding.
        quantiles : sequence of float
            Levels strictly between 0 and 1.

        Returns
        -------
        numpy.ndarray of shape (n, len(quantiles))
        """
        levels = np.asarray(quantiles, dtype=float)
        if levels.ndim != 1 or not np.all((levels > 0) & (levels < 1)):
            raise ValueError(
                f"'quantiles' must be levels strictly between 0 and 1. Got {list(quantiles)!r}."
            )
        mean, std = self._latent(Z)
        latent = mean[:, None] + std[:, None] * ndtri(levels)[None, :]
        return latent if self.warping is None else self.warping.inverse(latent)

    def acquisition_encoded(
        self,
        Z: np.ndarray,
        acquisition: str | None = None,
        *,
        xi: float | None = None,
        kappa: float | None = None,
    ) -> np.ndarray:
        """Acquisition values at one-hot encoded points (higher = more wanted).

        Parameters
        ----------
        Z : numpy.ndarray of shape (n, n_features)
            Points in the one-hot encoding.
        acquisition : {"ei", "pi", "ucb"}, optional
            Another acquisition than the surrogate's own.
        xi : float, optional
            Margin of EI and PI in model units; defaults to the surrogate's.
        kappa : float, optional
            Weight of UCB; defaults to the surrogate's.

        Returns
        -------
        numpy.ndarray of shape (n,)
        """
        mean, std = self._latent(Z)
        incumbent = self.incumbent
        if self.warping is not None:
            incumbent = float(self.warping.transform(np.array([incumbent]))[0])
        name = self.acquisition if acquisition is None else acquisition
        func = ACQUISITIONS[name]
        if name == "ucb":
            return func(mean, std, incumbent, kappa=self.kappa if kappa is None else kappa)
        return func(mean, std, incumbent, xi=self.xi if xi is None else xi)

    def acquisition_values(
        self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> np.ndarray:
        """Acquisition values at configurations.

        Parameters
        ----------
        params : dict or sequence of dict
            Configurations inside the space.

        Returns
        -------
        numpy.ndarray of shape (n,)
        """
        return self.acquisition_encoded(self._encode(params))

    @property
    def length_scales(self) -> dict[str, float]:
        """Fitted length scale per parameter (the shortest over a categorical's columns).

        A short length scale means the score changes quickly along that
        parameter: a rough, model-based hint of which parameters matter.
        """
        scales = np.atleast_1d(self.gp.kernel_.k1.k2.length_scale)
        out = {}
        for name, cols in self.space.onehot_slices().items():
            out[name] = float(np.min(scales[cols])) if scales.size > 1 else float(scales[0])
        return out
