"""Maximizing an acquisition function over a mixed space, without gradients.

The acquisition of a Gaussian process is cheap to evaluate on many points at
once but multi-modal, flat far from the data and defined only at valid
configurations (an integer, one choice per categorical). It is maximized in the
compact unit encoding of the space, in three steps: many random candidates;
Gaussian perturbations of the best ones at shrinking scales; and a coordinate
hill climb whose moves respect each parameter's kind (a small step for a float,
the next integer, every other choice of a categorical).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..space import Categorical, Distribution, Float, Int, SearchSpace

__all__ = ["maximize_acquisition"]

_N_STARTS = 5
_N_NEIGHBOURS = 32
_SIGMAS = (0.1, 0.03, 0.01)
_FLOAT_STEPS = (0.02, 0.005)
_MAX_CLIMBS = 10


def _coordinate_moves(space: SearchSpace, U: np.ndarray) -> np.ndarray:
    """Every configuration one parameter away from each row of ``U`` (compact encoding)."""
    moves = []
    for j, param in enumerate(space.columns):
        column = U[:, j]
        if isinstance(param, Float | Distribution):
            targets = [column + s for s in _FLOAT_STEPS] + [column - s for s in _FLOAT_STEPS]
        elif isinstance(param, Int):
            values = np.asarray(param.decode(column))
            targets = [
                param.encode(np.clip(values + step, param.low, param.high)) for step in (-1, 1)
            ]
        elif isinstance(param, Categorical):
            k = len(param.choices)
            index = np.minimum((np.clip(column, 0.0, 1.0) * k).astype(int), k - 1)
            targets = [((index + shift) % k + 0.5) / k for shift in range(1, k)]
        else:  # pragma: no cover - every parameter kind is handled above
            targets = []
        for target in targets:
            moved = U.copy()
            moved[:, j] = target
            moves.append(moved)
    return np.clip(np.concatenate(moves), 0.0, 1.0) if moves else U[:0]


def maximize_acquisition(
    space: SearchSpace,
    acquisition: Callable[[np.ndarray], np.ndarray],
    rng: np.random.Generator,
    *,
    n_candidates: int,
    starts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Points of the space and their acquisition values, the most promising first.

    Parameters
    ----------
    space : SearchSpace
        The space searched.
    acquisition : callable
        Maps points of the compact unit encoding, shape ``(n, space.n_features())``, to
        acquisition values, shape ``(n,)``; higher is better.
    rng : numpy.random.Generator
        Source of the random candidates and perturbations.
    n_candidates : int
        Number of uniform random candidates.
    starts : numpy.ndarray of shape (m, space.n_features()), optional
        Extra candidates, such as the best configurations tried so far.

    Returns
    -------
    points : numpy.ndarray of shape (n, space.n_features())
        Every point scored (snapped to valid configurations), best first.
    values : numpy.ndarray of shape (n,)
        Their acquisition values, in decreasing order.
    """
    d = space.n_features()
    categorical = np.array([isinstance(p, Categorical) for p in space.columns])
    pool = [rng.random((n_candidates, d))]
    if starts is not None and len(starts):
        pool.append(np.asarray(starts, dtype=float))
    U = space.snap(np.vstack(pool))
    values = acquisition(U)
    for sigma in _SIGMAS:
        best = U[np.argsort(values)[::-1][:_N_STARTS]]
        local = np.repeat(best, _N_NEIGHBOURS, axis=0)
        noise = rng.normal(0.0, sigma, local.shape)
        local[:, ~categorical] += noise[:, ~categorical]
        if categorical.any():
            flip = rng.random(local.shape) < 1.0 / d
            flip[:, ~categorical] = False
            local[flip] = rng.random(int(flip.sum()))
        local = space.snap(np.clip(local, 0.0, 1.0))
        U = np.vstack([U, local])
        values = np.concatenate([values, acquisition(local)])
    # Coordinate hill climb from the best few, one parameter at a time.
    order = np.argsort(values)[::-1][:_N_STARTS]
    current, current_values = U[order], values[order]
    for _ in range(_MAX_CLIMBS):
        moves = space.snap(_coordinate_moves(space, current))
        move_values = acquisition(moves)
        U = np.vstack([U, moves])
        values = np.concatenate([values, move_values])
        per_start = move_values.reshape(-1, len(current)).T  # (start, move)
        best_move = per_start.argmax(axis=1)
        better = per_start[np.arange(len(current)), best_move] > current_values
        if not better.any():
            break
        index = best_move * len(current) + np.arange(len(current))
        current = np.where(better[:, None], moves[index], current)
        current_values = np.where(better, move_values[index], current_values)
    order = np.argsort(values, kind="stable")[::-1]
    return U[order], values[order]
