"""Import Keras 3 on first use, choosing a backend that is installed, or explain what is missing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import ModuleType

from .._imports import is_available, optional_import

__all__ = ["import_keras"]

_BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def _configured_backend() -> str:
    """The backend Keras will use: ``KERAS_BACKEND``, else its config file, else TensorFlow."""
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    try:
        config = json.loads((Path(home) / "keras.json").read_text())
    except (OSError, ValueError):
        config = {}
    backend = config.get("backend") if isinstance(config, dict) else None
    return backend if isinstance(backend, str) else "tensorflow"


def import_keras(feature: str = "KerasObjective") -> ModuleType:
    """Import Keras 3, or explain what to install.

    If Keras is not imported yet, ``KERAS_BACKEND`` is unset, and the backend
    of Keras's config file (``~/.keras/keras.json``; TensorFlow by default) is
    not installed but JAX is, the JAX backend is selected: that is what
    ``pip install "tunewidgets[keras]"`` installs.

    Parameters
    ----------
    feature : str, default="KerasObjective"
        What needs Keras, for the message.

    Returns
    -------
    module
        ``keras``.

    Raises
    ------
    ImportError
        If Keras is not installed (naming the ``keras`` extra), if its backend
        cannot be imported, or if it is older than Keras 3.
    """
    if (
        "keras" not in sys.modules
        and not os.environ.get("KERAS_BACKEND")
        and is_available("keras")
        and not is_available(_BACKEND_MODULES.get(_configured_backend(), "jax"))
        and is_available("jax")
    ):
        os.environ["KERAS_BACKEND"] = "jax"
    if not is_available("keras"):
        return optional_import("keras", "keras", feature)  # raises, naming the extra
    try:
        module = optional_import("keras", "keras", feature)
    except ImportError as exc:
        backend = _configured_backend()
        raise ImportError(
            f"{feature}: Keras is installed but could not be imported with the {backend!r} "
            f"backend ({exc.__cause__ or exc}). Install that backend, or choose another with "
            "the KERAS_BACKEND environment variable, e.g. KERAS_BACKEND=jax (pip install "
            '"tunewidgets[keras]" installs Keras with JAX).'
        ) from exc
    major = str(getattr(module, "__version__", "0")).split(".")[0]
    if not major.isdigit() or int(major) < 3:
        raise ImportError(
            f"{feature} needs Keras 3; Keras {module.__version__} is installed. "
            'Upgrade it with: pip install "tunewidgets[keras]"'
        )
    return module
