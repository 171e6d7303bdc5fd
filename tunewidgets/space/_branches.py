"""A space of branches: its unit-cube encoding, and one parameter per name for views.

scikit-learn writes a conditional space as a list of grids, one per branch:
``[{"kernel": ["rbf"], "gamma": ...}, {"kernel": ["poly"], "degree": ...}]``.
A configuration belongs to exactly one branch and holds only that branch's
parameters.

The encoding gives strategies an ordinary unit cube, so they need not know
about branches:

- the *compact* encoding has one column that selects the branch (choice ``b``
  of ``k`` at the centre of its bin, as a categorical), then each branch's own
  columns, side by side;
- the *one-hot* encoding (for the Gaussian process) has one indicator column
  per branch, then each branch's one-hot columns.

The columns of the branches a configuration does not belong to hold fixed
values (0.5 for a number, no choice set for a categorical): every configuration
has exactly one point, two points that decode to the same configuration snap to
the same point, and a model sees each branch's parameters vary only among the
configurations of that branch (the imputation of inactive parameters of
Hutter et al., as in SMAC).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._categorical import Categorical, _key_of
from ._params import Float, Int, Parameter

if TYPE_CHECKING:
    from ._space import SearchSpace

__all__ = ["Branches", "merge_parameters"]

_IMPUTED = 0.5


def _imputed_onehot(space: SearchSpace) -> np.ndarray:
    parts = [
        np.zeros(p.n_onehot) if isinstance(p, Categorical) else np.full(p.n_onehot, _IMPUTED)
        for p in space.values()
    ]
    return np.concatenate(parts) if parts else np.zeros(0)


class Branches:
    """The layout of a space of branches in the compact and one-hot encodings."""

    def __init__(self, spaces: Sequence[SearchSpace]) -> None:
        self.spaces = list(spaces)
        k = len(self.spaces)
        self.selector = Categorical(list(range(k)))
        self.compact: list[slice] = []
        start = 1
        for space in self.spaces:
            width = space.n_features()
            self.compact.append(slice(start, start + width))
            start += width
        self.n_compact = start
        self.onehot: list[slice] = []
        start = k
        imputed = [np.zeros(k)]
        for space in self.spaces:
            width = space.n_features(onehot=True)
            self.onehot.append(slice(start, start + width))
            imputed.append(_imputed_onehot(space))
            start += width
        self.n_onehot = start
        self.imputed_onehot = np.concatenate(imputed)
        # earlier branches with the same names: a configuration both hold is the earlier one's
        self.earlier = [
            [a for a in range(b) if set(self.spaces[a]) == set(space)]
            for b, space in enumerate(self.spaces)
        ]

    @property
    def columns(self) -> list[Parameter]:
        """The parameter behind each compact column (the selector first)."""
        return [self.selector] + [p for space in self.spaces for p in space.columns]

    # -- which branch -----------------------------------------------------------------
    def branch_of(self, params: Mapping[str, Any]) -> int:
        """Index of the first branch that holds ``params``; ValueError if none does."""
        return self.match(params)[0]

    def check(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` in canonical form, in the order of the branch that holds it."""
        return self.match(params)[1]

    def match(self, params: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """The branch that holds ``params``, and ``params`` in canonical form."""
        if not isinstance(params, Mapping):
            raise ValueError(f"A configuration must be a dict of parameter values. Got {params!r}.")
        keys = set(params)
        candidates = [i for i, space in enumerate(self.spaces) if set(space) == keys]
        error: ValueError | None = None
        for i in candidates:
            try:
                checked = self.spaces[i].check(params)
            except ValueError as exc:
                error = error or exc
                continue
            return i, checked
        if len(candidates) == 1 and error is not None:
            raise error
        if candidates:
            raise ValueError(
                f"{dict(params)!r} lies inside no branch of the space (the branches with these "
                f"parameters are {[i for i in candidates]}; the first says: {error})."
            )
        listed = "; ".join(f"branch {i}: {space.names!r}" for i, space in enumerate(self.spaces))
        raise ValueError(
            f"Parameters {sorted(keys)!r} are those of no branch of the space ({listed})."
        )

    def _groups(self, rows: Sequence[Mapping[str, Any]]) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(self.branch_of(row), []).append(i)
        return groups

    def _selected(self, u: np.ndarray, onehot: bool) -> np.ndarray:
        k = len(self.spaces)
        if onehot:
            return np.argmax(u[:, :k], axis=1)
        return np.clip(np.floor(np.clip(u[:, 0], 0.0, 1.0) * k), 0, k - 1).astype(int)

    # -- encodings ------------------------------------------------------------------
    def to_unit(self, rows: Sequence[Mapping[str, Any]], onehot: bool) -> np.ndarray:
        n, k = len(rows), len(self.spaces)
        if onehot:
            out = np.tile(self.imputed_onehot, (n, 1))
        else:
            out = np.full((n, self.n_compact), _IMPUTED)
        for b, index in self._groups(rows).items():
            cols = (self.onehot if onehot else self.compact)[b]
            out[np.ix_(index, range(cols.start, cols.stop))] = self.spaces[b].to_unit(
                [rows[i] for i in index], onehot=onehot
            )
            if onehot:
                out[index, b] = 1.0
            else:
                out[index, 0] = (b + 0.5) / k
        return out

    def from_unit(self, u: np.ndarray, onehot: bool) -> list[dict[str, Any]]:
        chosen = self._selected(u, onehot)
        out: list[dict[str, Any]] = [{} for _ in range(len(u))]
        for b in np.unique(chosen):
            index = np.flatnonzero(chosen == b)
            cols = (self.onehot if onehot else self.compact)[b]
            decoded = self.spaces[b].from_unit(u[index, cols], onehot=onehot)
            for i, params in zip(index, decoded, strict=True):
                out[i] = params
        return out

    def _moved(self, u: np.ndarray, chosen: np.ndarray) -> dict[int, dict[str, Any]]:
        """Rows whose configuration an earlier branch also holds: the configuration, by row."""
        moved = {}
        for i in np.flatnonzero([bool(self.earlier[b]) for b in chosen]):
            b = chosen[i]
            params = self.spaces[b].from_unit(u[i : i + 1, self.compact[b]])[0]
            if any(self.spaces[a].contains(params) for a in self.earlier[b]):
                moved[int(i)] = params
        return moved

    def snap(self, u: np.ndarray) -> np.ndarray:
        k = len(self.spaces)
        chosen = self._selected(u, onehot=False)
        moved = self._moved(u, chosen)
        out = np.full(u.shape, _IMPUTED)
        out[:, 0] = (chosen + 0.5) / k
        for b in np.unique(chosen):
            index = np.flatnonzero(chosen == b)
            cols = self.compact[b]
            if cols.stop > cols.start:
                out[np.ix_(index, range(cols.start, cols.stop))] = self.spaces[b].snap(
                    u[index, cols]
                )
        for i, params in moved.items():
            out[i] = self.to_unit([params], onehot=False)[0]
        return out

    def unit_to_onehot(self, u: np.ndarray) -> np.ndarray:
        chosen = self._selected(u, onehot=False)
        moved = self._moved(u, chosen)
        out = np.tile(self.imputed_onehot, (len(u), 1))
        for b in np.unique(chosen):
            index = np.flatnonzero(chosen == b)
            out[index, b] = 1.0
            cols, hot = self.compact[b], self.onehot[b]
            if hot.stop > hot.start:
                out[np.ix_(index, range(hot.start, hot.stop))] = self.spaces[b].unit_to_onehot(
                    u[index, cols]
                )
        for i, params in moved.items():
            out[i] = self.to_unit([params], onehot=True)[0]
        return out


def _numbers(param: Parameter) -> tuple[float, float, bool, bool] | None:
    """(low, high, integral, log) of a numeric parameter, or of a categorical of numbers."""
    if isinstance(param, Categorical):
        values = param.choices
        if not all(
            isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in values
        ):
            return None
        integral = all(float(v).is_integer() for v in values)
        return float(min(values)), float(max(values)), integral, False
    if isinstance(param, Int):
        return float(param.low), float(param.high), True, param.log
    low, high = getattr(param, "low", None), getattr(param, "high", None)
    if low is None or high is None:
        return None
    integral = bool(getattr(param, "discrete", False))
    return float(low), float(high), integral, bool(getattr(param, "log", False))


def merge_parameters(name: str, params: Sequence[Parameter]) -> Parameter:
    """One parameter that covers every branch's version of ``name`` (for plots and tables).

    Identical parameters stay as they are; categoricals merge into one with
    every choice; numbers (ranges, distributions, categoricals of numbers) into
    the range that covers them all.

    Parameters
    ----------
    name : str
        The parameter's name, for messages.
    params : sequence of Parameter
        Its definitions in the branches that have it.

    Returns
    -------
    Parameter

    Raises
    ------
    ValueError
        If the name is a set of choices (not numbers) in one branch and a range
        in another.
    """
    first = params[0]
    if all(p == first for p in params[1:]):
        return first
    if all(isinstance(p, Categorical) for p in params):
        choices: dict[tuple[str, Any], Any] = {}
        for p in params:
            for value in p.choices:  # type: ignore[attr-defined]
                choices.setdefault(_key_of(value), value)
        return Categorical(list(choices.values()))
    spans = [_numbers(p) for p in params]
    if any(span is None for span in spans):
        raise ValueError(
            f"SearchSpace: parameter {name!r} is a set of choices in one branch and a range in "
            "another. A name must be numbers in every branch, or choices in every branch; "
            "rename one of them."
        )
    low = min(s[0] for s in spans)  # type: ignore[index]
    high = max(s[1] for s in spans)  # type: ignore[index]
    log = all(s[3] for s in spans) and low > 0  # type: ignore[index]
    if all(s[2] for s in spans):  # type: ignore[index]
        if low == high:
            return Categorical([int(low)])
        return Int(int(low), int(high), log=log)
    if low == high or not (math.isfinite(low) and math.isfinite(high)):
        return Categorical([low]) if low == high else Float(-1.0, 1.0)
    return Float(low, high, log=log)
