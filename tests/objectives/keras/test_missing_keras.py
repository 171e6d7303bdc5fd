"""Without Keras: ``import tunewidgets`` works, and KerasObjective names the extra to install."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


def test_import_tunewidgets_does_not_import_keras():
    result = run(
        """
        import sys
        import tunewidgets as tw
        tw.KerasObjective, tw.MedianPruner
        print(sorted(m for m in ("keras", "jax", "tensorflow", "torch") if m in sys.modules))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_keras_the_error_names_the_extra():
    result = run(
        """
        import sys
        sys.modules["keras"] = None  # as if Keras were not installed
        import tunewidgets as tw
        try:
            tw.KerasObjective(lambda params: None, [[0.0]], [0])
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "KerasObjective needs the optional dependency 'keras'" in result.stdout
    assert 'pip install "tunewidgets[keras]"' in result.stdout


def test_a_missing_backend_is_named():
    pytest.importorskip("keras")
    if importlib.util.find_spec("tensorflow") is not None:
        pytest.skip("TensorFlow is installed: the backend is not missing")
    result = run(
        """
        import tunewidgets as tw
        try:
            tw.KerasObjective(lambda params: None, [[0.0]], [0])
        except ImportError as exc:
            print(exc)
        """,
        KERAS_BACKEND="tensorflow",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "Keras is installed but could not be imported with the 'tensorflow' backend"
        in result.stdout
    )
    assert "KERAS_BACKEND=jax" in result.stdout


def test_jax_is_chosen_when_the_configured_backend_is_missing(tmp_path):
    pytest.importorskip("keras")
    pytest.importorskip("jax")
    (tmp_path / "keras.json").write_text('{"backend": "tensorflow"}')
    result = run(
        """
        import sys
        sys.modules["tensorflow"] = None
        import tunewidgets as tw
        tw.KerasObjective(lambda params: None, [[0.0]], [0])
        import keras
        print(keras.backend.backend())
        """,
        KERAS_HOME=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "jax"
