"""One trial of a Keras 3 model: build it, fit it, report the monitored value each epoch.

Keras is optional: this module imports it only when a :class:`KerasObjective`
is created or run, never on ``import tunewidgets``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._validation import check_choice, check_int, check_real
from ..space import Categorical, Float, Int, SearchSpace
from ._base import Objective, ObjectiveResult, Reporter, TrialPruned, _NullReporter
from ._keras_import import import_keras

if TYPE_CHECKING:
    import keras

__all__ = ["KerasObjective"]

#: Keyword arguments of ``fit`` that the objective sets itself.
_RESERVED_FIT = ("x", "y", "epochs", "batch_size", "validation_data", "validation_split")


@functools.cache
def _callback_class() -> type:
    """The Keras callback that reports each epoch (defined once Keras is imported)."""
    keras = import_keras()

    class ReportEpochs(keras.callbacks.Callback):  # type: ignore[misc,name-defined]
        """Report the monitored value after each epoch; stop training when pruned."""

        def __init__(self, reporter: Reporter, monitor: str, sign: float) -> None:
            super().__init__()
            self.reporter, self.monitor, self.sign = reporter, monitor, sign
            self.missing: list[str] | None = None
            self.diverged: tuple[int, float] | None = None
            self.pruned_at: int | None = None

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            logs = logs or {}
            if self.monitor not in logs:
                self.missing = sorted(logs)
                self.model.stop_training = True
                return
            value = float(logs[self.monitor])
            if not math.isfinite(value):
                self.diverged = (epoch + 1, value)
                self.model.stop_training = True
                return
            self.reporter.report(self.sign * value, step=epoch + 1)
            if self.reporter.should_prune():
                self.pruned_at = epoch + 1
                self.model.stop_training = True

    return ReportEpochs


def _check_resource(space: SearchSpace, name: str) -> None:
    """``epochs`` and ``batch_size``, when tuned, must take positive integer values."""
    if name not in space.names:
        return
    param = space[name]
    ok = (isinstance(param, Int) and param.low >= 1) or (
        isinstance(param, Categorical)
        and all(isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in param.choices)
    )
    if not ok:
        kind = "a Float" if isinstance(param, Float) else repr(param)
        raise ValueError(
            f"KerasObjective: the tuned parameter {name!r} must take positive integers, e.g. "
            f"tw.Int(1, 64) or tw.Categorical([32, 64, 128]). Got {kind}."
        )


class KerasObjective(Objective):
    """Train a Keras 3 model per trial, reporting the monitored value after every epoch.

    A trial calls ``build_model(params)``, which returns a compiled model, and
    fits it on ``x`` and ``y``. After each epoch a callback reports the
    ``monitor`` value to the trial (``trial.intermediate_values[epoch]``, with
    epochs counted from 1), so learning curves draw while it trains and a
    pruner can stop it: training then ends after that epoch and the trial is
    recorded as pruned. The score of a complete trial is the monitored value
    after its last epoch.

    Parameters
    ----------
    build_model : callable
        ``build_model(params) -> keras.Model``, compiled, with ``monitor``
        among its logged metrics. It receives every parameter of the trial,
        ``epochs`` and ``batch_size`` included when they are tuned.
    x : array-like
        Training inputs, as ``keras.Model.fit`` takes them.
    y : array-like, optional
        Training targets.
    validation_data : tuple, optional
        ``(x_val, y_val)`` (or with sample weights) to monitor on; overrides
        ``validation_split``.
    validation_split : float, default=0.2
        Fraction of ``x`` and ``y`` held out to monitor on when no
        ``validation_data`` is given: Keras takes the *last* samples, before
        shuffling, so shuffle the data first if it is ordered.
    epochs : int, default=10
        Epochs per trial, unless the space tunes ``"epochs"``.
    batch_size : int, default=32
        Batch size, unless the space tunes ``"batch_size"``.
    monitor : str, default="val_accuracy"
        The metric reported and scored, as Keras logs it (``"val_"`` + a
        compiled metric's name for validation values, or ``"val_loss"``).
    mode : {"max", "min"}, default="max"
        Whether the monitored value is better higher (accuracy) or lower
        (a loss). With ``"min"`` the objective reports and scores the
        *negated* value (``-val_loss``), because tunewidgets always maximizes;
        the raw values stay in the trial's ``info["history"]``.
    seed : int or None, default=0
        Seed for ``keras.utils.set_random_seed`` before each trial is built,
        so weights, dropout and shuffling are the same for the same
        configuration, run after run. None leaves the random state alone.
    fit_kwargs : dict, optional
        Further arguments to ``fit`` (``callbacks``, ``class_weight``,
        ``shuffle``, ...); the ones set above are refused.

    Raises
    ------
    ImportError
        If Keras 3 is not installed: ``pip install "tunewidgets[keras]"``.
    ValueError
        For invalid arguments, e.g. a ``val_`` monitor with no validation data,
        or ``mode="max"`` with a loss.

    See Also
    --------
    MedianPruner, SuccessiveHalvingPruner : stop poor trials early.
    tune : runs a whole search with this objective.

    Notes
    -----
    **Backend.** Keras 3 runs on JAX, TensorFlow or PyTorch; the ``keras``
    extra installs JAX, the lightest on a CPU. Choose the backend with the
    ``KERAS_BACKEND`` environment variable before Keras is first imported; if
    it is unset and the backend of Keras's config file (TensorFlow by default)
    is not installed, JAX is selected.

    **Bad models fail their trial, not the search.** A ``build_model`` that
    raises, returns something other than a Keras model or an uncompiled one,
    and a ``monitor`` that the model does not log (found after the first
    epoch), each fail the trial with a message that says so; a monitored
    value that becomes nan or infinite (training diverged) too.

    **Reproducibility.** ``keras.utils.set_random_seed(seed)`` seeds Python's
    ``random``, NumPy's global generator and the backend at the start of each
    trial, in the thread that runs it: code that relies on NumPy's global
    random state in the same process sees it reset. The Keras session is
    cleared before each trial (``keras.utils.clear_session``), so layer names
    and memory do not grow with the number of trials.

    The objective holds no Keras object, only ``build_model`` and the data, so
    it can be sent to worker processes (with cloudpickle, as Dask does).

    Examples
    --------
    >>> import numpy as np
    >>> import tunewidgets as tw
    >>> def build_model(params):
    ...     import keras
    ...     model = keras.Sequential([
    ...         keras.Input((4,)),
    ...         keras.layers.Dense(params["units"], activation="relu"),
    ...         keras.layers.Dense(2, activation="softmax"),
    ...     ])
    ...     model.compile(optimizer=keras.optimizers.Adam(params["lr"]),
    ...                   loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ...     return model
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(64, 4)).astype("float32")
    >>> y = (x[:, 0] > 0).astype("int32")
    >>> objective = tw.KerasObjective(build_model, x, y, epochs=3)
    >>> space = tw.SearchSpace({"units": tw.Int(2, 8), "lr": tw.Float(1e-3, 1e-1, log=True)})
    >>> study = tw.tune(objective, space, strategy="random", n_trials=2, storage=None)
    >>> [sorted(t.intermediate_values) for t in study.trials]
    [[1, 2, 3], [1, 2, 3]]
    """

    reports_intermediate = True

    def __init__(
        self,
        build_model: Callable[[dict[str, Any]], keras.Model],
        x: Any,
        y: Any = None,
        *,
        validation_data: Sequence[Any] | None = None,
        validation_split: float = 0.2,
        epochs: int = 10,
        batch_size: int = 32,
        monitor: str = "val_accuracy",
        mode: str = "max",
        seed: int | None = 0,
        fit_kwargs: dict[str, Any] | None = None,
    ) -> None:
        import_keras()
        owner = "KerasObjective"
        if not callable(build_model):
            raise ValueError(
                f"{owner}: 'build_model' must be a function build_model(params) -> compiled "
                f"keras.Model. Got {build_model!r}."
            )
        if x is None:
            raise ValueError(f"{owner}: 'x' is required (the training inputs). Got None.")
        n_x, n_y = _length(x), _length(y)
        if y is not None and n_x is not None and n_y is not None and n_x != n_y:
            raise ValueError(
                f"{owner}: x and y must have the same number of samples: x has {n_x}, y has {n_y}."
            )
        if validation_data is not None and (
            not isinstance(validation_data, tuple | list) or len(validation_data) not in (2, 3)
        ):
            raise ValueError(
                f"{owner}: 'validation_data' must be a tuple (x_val, y_val) or "
                f"(x_val, y_val, sample_weight). Got {type(validation_data).__name__}."
            )
        split = check_real(validation_split, "validation_split", owner=owner, low=0.0)
        if split >= 1.0:  # type: ignore[operator]
            raise ValueError(
                f"The 'validation_split' parameter of {owner} must be a finite number in the "
                f"range [0.0, 1.0). Got {validation_split!r} instead."
            )
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(
                f"{owner}: 'monitor' must be the name of a logged metric, such as "
                f"'val_accuracy' or 'val_loss'. Got {monitor!r}."
            )
        mode = check_choice(mode, "mode", ("max", "min"), owner=owner)
        if mode == "max" and monitor.endswith("loss"):
            raise ValueError(
                f"{owner}: monitor={monitor!r} is a loss, which is better lower: pass "
                "mode='min' (the objective then maximizes its negative)."
            )
        if monitor.startswith("val_") and validation_data is None and split == 0.0:
            raise ValueError(
                f"{owner}: monitor={monitor!r} needs validation data. Give validation_data "
                f"or a validation_split > 0, or monitor a training metric such as "
                f"{monitor.removeprefix('val_')!r}."
            )
        fit_kwargs = dict(fit_kwargs or {})
        clash = sorted(set(fit_kwargs) & set(_RESERVED_FIT))
        if clash:
            raise ValueError(
                f"{owner}: 'fit_kwargs' may not set {', '.join(map(repr, clash))}: use the "
                "objective's own arguments (or tune 'epochs' and 'batch_size' in the space)."
            )
        self.build_model = build_model
        self.x, self.y = x, y
        self.validation_data = None if validation_data is None else tuple(validation_data)
        self.validation_split = split
        self.epochs = check_int(epochs, "epochs", owner=owner, low=1)
        self.batch_size = check_int(batch_size, "batch_size", owner=owner, low=1)
        self.monitor = monitor
        self.mode = mode
        self.seed = check_int(seed, "seed", owner=owner, low=0, allow_none=True)
        self.fit_kwargs = fit_kwargs

    def check_space(self, space: SearchSpace) -> None:
        _check_resource(space, "epochs")
        _check_resource(space, "batch_size")

    def _build(self, params: dict[str, Any]) -> keras.Model:
        """Call ``build_model`` and check that it returned a compiled model."""
        keras = import_keras()
        try:
            model = self.build_model(dict(params))
        except Exception as exc:
            raise RuntimeError(
                f"build_model(params) raised {type(exc).__name__}: {exc}".rstrip(": ")
            ) from exc
        if not isinstance(model, keras.Model):
            raise TypeError(
                "build_model(params) must return a compiled keras.Model. Got "
                f"{type(model).__name__}: {model!r}."[:300]
            )
        if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
            raise ValueError(
                "build_model(params) returned a model that is not compiled: call "
                "model.compile(optimizer=..., loss=..., metrics=[...]) before returning it."
            )
        return model

    def __call__(self, params: dict[str, Any], reporter: Reporter | None = None) -> ObjectiveResult:
        keras = import_keras()
        reporter = reporter if reporter is not None else _NullReporter(params=params)
        epochs = int(params.get("epochs", self.epochs))
        batch_size = int(params.get("batch_size", self.batch_size))
        keras.utils.clear_session(free_memory=False)
        if self.seed is not None:
            keras.utils.set_random_seed(self.seed)
        model = self._build(params)
        sign = 1.0 if self.mode == "max" else -1.0
        callback = _callback_class()(reporter, self.monitor, sign)
        fit_kwargs = dict(self.fit_kwargs)
        callbacks = [*fit_kwargs.pop("callbacks", []), callback]
        validation: dict[str, Any] = (
            {"validation_data": self.validation_data}
            if self.validation_data is not None
            else {"validation_split": self.validation_split}
        )
        history = model.fit(
            self.x,
            self.y,
            epochs=epochs,
            batch_size=batch_size,
            verbose=fit_kwargs.pop("verbose", 0),
            callbacks=callbacks,
            **validation,
            **fit_kwargs,
        )
        if callback.missing is not None:
            logged = ", ".join(repr(m) for m in callback.missing) or "none"
            raise ValueError(
                f"monitor={self.monitor!r} is not a metric this model logs; it logs {logged}. "
                "Compile the model with that metric (e.g. metrics=['accuracy']) or monitor "
                "one of those."
            )
        if callback.diverged is not None:
            epoch, value = callback.diverged
            raise ValueError(
                f"{self.monitor} was {value} after epoch {epoch}: training diverged "
                "(a lower learning rate often helps)."
            )
        if callback.pruned_at is not None:
            raise TrialPruned(f"pruned after epoch {callback.pruned_at} of {epochs}")
        raw = [float(v) for v in history.history[self.monitor]]
        scored = [sign * v for v in raw]
        best = max(range(len(scored)), key=scored.__getitem__)
        return ObjectiveResult(
            score=scored[-1],
            info={
                "monitor": self.monitor,
                "mode": self.mode,
                "epochs": len(raw),
                "best_epoch": best + 1,
                "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
            },
        )

    def describe(self) -> dict[str, Any]:
        if self.validation_data is not None:
            validation = f"validation_data ({_length(self.validation_data[0])} samples)"
        else:
            validation = f"validation_split={self.validation_split}"
        return {
            "kind": "keras",
            "build_model": getattr(self.build_model, "__name__", repr(self.build_model)),
            "n_samples": _length(self.x),
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "monitor": self.monitor,
            "mode": self.mode,
            "validation": validation,
            "seed": self.seed,
        }

    @property
    def label(self) -> str:
        return "keras"


def _length(data: Any) -> int | None:
    """The number of samples in ``data`` (an array, a list, or a dict of arrays), if known."""
    if data is None:
        return None
    if isinstance(data, dict):
        data = next(iter(data.values()), None)
        if data is None:
            return None
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(data)
    except TypeError:
        return None
