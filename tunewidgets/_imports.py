"""One guard for optional dependencies (Keras, Dask, Optuna).

``import tunewidgets`` never needs them; using a feature that does raises an
``ImportError`` that names the extra to install.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

__all__ = ["is_available", "optional_import"]


def is_available(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it.

    Parameters
    ----------
    module : str
        A top-level module name.

    Returns
    -------
    bool
    """
    return importlib.util.find_spec(module) is not None


def optional_import(module: str, extra: str, feature: str) -> ModuleType:
    """Import an optional dependency or explain how to install it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"optuna"``.
    extra : str
        The tunewidgets extra that provides it, e.g. ``"optuna"``.
    feature : str
        What needs it, for the message, e.g. ``"OptunaSearch"``.

    Returns
    -------
    module

    Raises
    ------
    ImportError
        Naming the extra: ``pip install "tunewidgets[extra]"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{feature} needs the optional dependency {module!r}, which is not installed. "
            f'Install it with: pip install "tunewidgets[{extra}]"'
        ) from exc
