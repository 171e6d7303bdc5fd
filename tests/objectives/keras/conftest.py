"""Tiny Keras models on a slice of digits: eager (no XLA compile), so a trial takes well under a second."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

import tunewidgets as tw


def build_model(params: dict) -> object:
    """A one-hidden-layer network; ``lr`` and ``units`` come from the trial."""
    import keras

    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(int(params.get("units", 16)), activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(float(params.get("lr", 1e-2))),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=False,
    )
    return model


@pytest.fixture(scope="session")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """400 digits, scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return (X[:400] / 16.0).astype("float32"), y[:400].astype("int32")


@pytest.fixture
def objective(digits) -> tw.KerasObjective:
    """Four epochs of :func:`build_model`, batch 64, monitoring validation accuracy."""
    X, y = digits
    return tw.KerasObjective(build_model, X, y, epochs=4, batch_size=64, validation_split=0.25)
