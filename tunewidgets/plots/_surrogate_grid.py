"""Evaluating a surrogate along one or two parameters, the others held fixed.

Shared by the search-path plot (the mean over two parameters) and the surrogate
plot (mean, uncertainty and acquisition along one). Points are built directly in
the surrogate's one-hot encoding, so thousands of them cost one prediction call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..space import Categorical, Int, Parameter, SearchSpace
from ._common import AxisCoords, axis_label, choice_label

_GRID_2D = 32
MISSING = object()  # a category the model does not know (None is a valid choice)


@dataclass(frozen=True)
class SurrogateGrid:
    """A surrogate's predicted mean over two parameters (``mean[j, i]`` at ``y[j], x[i]``)."""

    x: np.ndarray  # drawn coordinates: real values, or choice indices
    y: np.ndarray
    mean: np.ndarray
    discrete: bool  # an axis is categorical: draw cells, not contours
    fixed_at: str  # what the other parameters were fixed at, in words


def _fallback(param: Parameter) -> Any:
    return param.decode(np.array([0.5]))[0]


def _value(row: pd.Series | Mapping[str, Any] | None, name: str) -> Any:
    value = None
    if isinstance(row, pd.Series):
        value = row.get(axis_label(name))
    elif row is not None:
        value = row.get(name)
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _branch(
    model_space: SearchSpace, row: pd.Series | Mapping[str, Any] | None, needs: tuple[str, ...]
) -> SearchSpace:
    """The branch a plot fixes the other parameters in: the row's, else one holding ``needs``."""
    branches = model_space.branches
    if len(branches) == 1:
        return branches[0]
    holding = [b for b in branches if all(n in b for n in needs)] or branches
    for branch in holding:
        if all(param.contains(_value(row, name)) for name, param in branch.items()):
            return branch
    return holding[0]


def branch_parameter(model_space: SearchSpace, base: Mapping[str, Any], name: str) -> Parameter:
    """Parameter ``name`` as the branch of ``base`` defines it (the space's, without branches)."""
    if len(model_space.branches) == 1:
        return model_space[name]
    branch = model_space.branches[model_space.branch_index(base)]
    return branch[name] if name in branch else model_space[name]


def base_params(
    model_space: SearchSpace,
    row: pd.Series | Mapping[str, Any] | None,
    needs: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A configuration of ``model_space`` taken from ``row`` where it fits, else mid-range.

    In a space of branches: a configuration of the row's branch, or of the first
    branch that holds the parameters in ``needs`` (those a plot sweeps).
    """
    out = {}
    for name, param in _branch(model_space, row, needs).items():
        value = _value(row, name)
        out[name] = param.check(value) if param.contains(value) else _fallback(param)
    return out


def encode_sweep(
    model_space: SearchSpace, base: Mapping[str, Any], sweeps: Mapping[str, Any], n: int
) -> np.ndarray:
    """``n`` one-hot rows: ``base`` everywhere, with ``sweeps[name]`` (n values each) varying."""
    Z = np.repeat(model_space.to_unit([dict(base)], onehot=True), n, axis=0)
    branched = len(model_space.branches) > 1
    slices = model_space.onehot_slices(model_space.branch_index(base) if branched else None)
    for name, values in sweeps.items():
        param = branch_parameter(model_space, base, name)
        if isinstance(param, Categorical):
            Z[:, slices[name]] = param.encode_onehot(list(values))
        else:
            Z[:, slices[name]] = param.encode(np.asarray(values, dtype=float))[:, None]
    return Z


def sweep_values(param: Parameter, axis: AxisCoords, resolution: int) -> np.ndarray:
    """Where to evaluate along an axis: real values across its range, or choice indices."""
    if axis.kind == "categorical":
        return np.arange(len(axis.ticktext or ()), dtype=float)
    lo, hi = axis.range
    if axis.kind == "log":
        values = np.logspace(lo, hi, resolution)
    else:
        values = np.linspace(lo, hi, resolution)
    if isinstance(param, Int) and hi - lo + 1 <= resolution and axis.kind == "linear":
        values = np.arange(np.ceil(lo), np.floor(hi) + 1)
    return values


def model_values(model_param: Parameter, axis: AxisCoords, drawn: np.ndarray) -> list[Any]:
    """Drawn coordinates as the model's values (categories by name; unknown ones missing)."""
    if axis.kind != "categorical":
        return list(drawn)
    text = list(axis.ticktext or ())
    choices = model_param.choices if isinstance(model_param, Categorical) else ()
    by_label = {choice_label(c): c for c in choices}
    return [by_label.get(text[int(i)], MISSING) for i in drawn]


def surrogate_grid_2d(
    surrogate: Any,
    space: SearchSpace,
    x: AxisCoords,
    y: AxisCoords,
    best_row: pd.Series | None,
) -> SurrogateGrid | None:
    """The surrogate's mean over ``x`` and ``y`` (None where the model lacks either)."""
    model_space = getattr(surrogate, "space", None)
    if model_space is None or x.name not in model_space or y.name not in model_space:
        return None
    if (x.kind == "categorical") != isinstance(model_space[x.name], Categorical) or (
        y.kind == "categorical"
    ) != isinstance(model_space[y.name], Categorical):
        return None
    base = base_params(model_space, best_row, needs=(x.name, y.name))
    if any(name not in base for name in (x.name, y.name)):
        return None  # no branch has both
    gx = sweep_values(space[x.name], x, _GRID_2D)
    gy = sweep_values(space[y.name], y, _GRID_2D)
    vx = model_values(branch_parameter(model_space, base, x.name), x, gx)
    vy = model_values(branch_parameter(model_space, base, y.name), y, gy)
    XX, YY = np.meshgrid(np.arange(len(vx)), np.arange(len(vy)))
    flat_x = [vx[i] for i in XX.ravel()]
    flat_y = [vy[j] for j in YY.ravel()]
    valid = np.array(
        [a is not MISSING and b is not MISSING for a, b in zip(flat_x, flat_y, strict=True)]
    )
    mean = np.full(len(flat_x), np.nan)
    if valid.any():
        keep = np.flatnonzero(valid)
        sweeps = {x.name: [flat_x[i] for i in keep]}
        if x.name != y.name:
            sweeps[y.name] = [flat_y[i] for i in keep]
        Z = encode_sweep(model_space, base, sweeps, len(keep))
        mean[keep] = surrogate.predict_encoded(Z)[0]
    fixed = "the best trial's values" if best_row is not None else "mid-range values"
    return SurrogateGrid(
        x=gx,
        y=gy,
        mean=mean.reshape(len(vy), len(vx)),
        discrete=x.kind == "categorical" or y.kind == "categorical",
        fixed_at=fixed,
    )
