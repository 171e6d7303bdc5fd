"""``SearchSpace``: a named, ordered set of parameters and its unit-cube encoding."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np

from ._params import Categorical, Parameter, parameter_from_json

__all__ = ["SearchSpace"]

Params = dict[str, Any]


def _as_parameter(name: Any, value: Any) -> Parameter:
    if not isinstance(name, str) or not name:
        raise ValueError(f"SearchSpace: parameter names must be non-empty strings. Got {name!r}.")
    if isinstance(value, Parameter):
        return value
    if isinstance(value, list):  # a tuple could mean (low, high): too ambiguous to guess
        return Categorical(value)
    raise ValueError(
        f"SearchSpace: parameter {name!r} must be a tw.Float, tw.Int or tw.Categorical "
        f"(or a list of choices). Got {value!r} instead."
    )


class SearchSpace(Mapping[str, Parameter]):
    """The hyperparameters to search, by name.

    A read-only mapping from names to :class:`Float`, :class:`Int` and
    :class:`Categorical` parameters, in the order given. It validates
    configurations, samples them, lays out grids, and encodes configurations to
    and from the unit cube that strategies search in.

    Parameters
    ----------
    params : mapping of str to Parameter, optional
        The parameters. A plain list as a value is shorthand for a
        :class:`Categorical` of its items.
    **kwargs : Parameter
        More parameters, by keyword.

    Raises
    ------
    ValueError
        If a name is not a non-empty string or a value is not a parameter.

    See Also
    --------
    Float, Int, Categorical : the parameter kinds.

    Notes
    -----
    Two encodings are offered. The *compact* one (``onehot=False``) gives one
    column in ``[0, 1]`` per parameter; it is what random, grid and evolutionary
    search use. The *one-hot* one gives one column per numeric parameter and one
    per category, which is what the Gaussian process of :class:`BayesianSearch`
    sees. Log scales are applied and integers own equal-width bins in both.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> space = tw.SearchSpace({
    ...     "C": tw.Float(1e-3, 1e3, log=True),
    ...     "kernel": tw.Categorical(["rbf", "poly"]),
    ... })
    >>> space.to_unit({"C": 1.0, "kernel": "poly"}).tolist()
    [0.5, 0.75]
    >>> space.from_unit([[0.5, 0.75]])
    [{'C': 1.0, 'kernel': 'poly'}]
    """

    def __init__(self, params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        items: dict[str, Any] = {}
        if params is not None:
            if not isinstance(params, Mapping):
                raise ValueError(
                    "SearchSpace: 'params' must be a dict of name -> tw.Float / tw.Int / "
                    f"tw.Categorical. Got {type(params).__name__} instead."
                )
            items.update(params)
        for name, value in kwargs.items():
            if name in items:
                raise ValueError(f"SearchSpace: parameter {name!r} is given twice.")
            items[name] = value
        self._params: dict[str, Parameter] = {
            name: _as_parameter(name, value) for name, value in items.items()
        }

    # -- mapping -------------------------------------------------------------
    def __getitem__(self, name: str) -> Parameter:
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchSpace):
            return NotImplemented
        return list(self._params.items()) == list(other._params.items())

    def __hash__(self) -> int:
        return hash(tuple(self._params.items()))

    def __repr__(self) -> str:
        if not self._params:
            return "SearchSpace({})"
        lines = [f"    {name!r}: {param!r}," for name, param in self._params.items()]
        return "SearchSpace({\n" + "\n".join(lines) + "\n})"

    @property
    def names(self) -> list[str]:
        """The parameter names, in order."""
        return list(self._params)

    @property
    def size(self) -> float:
        """Number of distinct configurations (``math.inf`` with any Float)."""
        return math.prod(p.size for p in self._params.values())

    def n_features(self, onehot: bool = False) -> int:
        """Number of columns of the unit-cube encoding.

        Parameters
        ----------
        onehot : bool, default=False
            Count one column per category instead of one per parameter.

        Returns
        -------
        int
        """
        if not onehot:
            return len(self._params)
        return sum(p.n_onehot for p in self._params.values())

    def onehot_slices(self) -> dict[str, slice]:
        """The columns each parameter takes in the one-hot encoding.

        Returns
        -------
        dict of str to slice
        """
        out, start = {}, 0
        for name, param in self._params.items():
            out[name] = slice(start, start + param.n_onehot)
            start += param.n_onehot
        return out

    # -- validation ------------------------------------------------------------
    def check(self, params: Mapping[str, Any]) -> Params:
        """Validate a configuration and return it in canonical form.

        Parameters
        ----------
        params : mapping
            One value for every parameter of the space, and nothing else.

        Returns
        -------
        dict
            The configuration with plain Python values, in the space's order.

        Raises
        ------
        ValueError
            Naming the parameter that is missing, unknown or out of its domain.
        """
        if not isinstance(params, Mapping):
            raise ValueError(f"A configuration must be a dict of parameter values. Got {params!r}.")
        unknown = [k for k in params if k not in self._params]
        if unknown:
            raise ValueError(f"Unknown parameter {unknown[0]!r}: the space has {self.names!r}.")
        missing = [k for k in self._params if k not in params]
        if missing:
            raise ValueError(f"Parameter {missing[0]!r} is missing from {dict(params)!r}.")
        return {name: param.check(params[name], name) for name, param in self._params.items()}

    def contains(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` is a valid configuration of this space.

        Parameters
        ----------
        params : mapping
            A configuration.

        Returns
        -------
        bool
        """
        try:
            self.check(params)
        except (ValueError, TypeError):
            return False
        return True

    # -- sampling and grids ---------------------------------------------------------
    @overload
    def sample(self, rng: np.random.Generator | int | None = ..., n: None = ...) -> Params: ...
    @overload
    def sample(self, rng: np.random.Generator | int | None, n: int) -> list[Params]: ...

    def sample(
        self, rng: np.random.Generator | int | None = None, n: int | None = None
    ) -> Params | list[Params]:
        """Draw configurations uniformly, each parameter in its own scale.

        Parameters
        ----------
        rng : numpy.random.Generator or int, optional
            The generator, or a seed for a new one.
        n : int, optional
            How many to draw; ``None`` draws one and returns it unwrapped.

        Returns
        -------
        dict or list of dict
        """
        rng = np.random.default_rng(rng)
        count = 1 if n is None else n
        out = self.from_unit(rng.random((count, len(self._params))))
        return out[0] if n is None else out

    def grid_size(self, resolution: int | Mapping[str, int] = 5) -> int:
        """Number of points of :meth:`grid` at this resolution.

        Parameters
        ----------
        resolution : int or mapping of str to int, default=5
            As for :meth:`grid`.

        Returns
        -------
        int
        """
        return math.prod(len(v) for v in self._axes(resolution))

    def grid(self, resolution: int | Mapping[str, int] = 5) -> Iterator[Params]:
        """Iterate over the Cartesian product of each parameter's grid.

        Parameters
        ----------
        resolution : int or mapping of str to int, default=5
            Points per numeric parameter (at least 2), or a resolution per name
            (names left out get 5). Every categorical choice is always included
            and integer grids hold no duplicates.

        Yields
        ------
        dict
            Configurations, the last parameter varying fastest.
        """
        axes = self._axes(resolution)
        for values in itertools.product(*axes):
            yield dict(zip(self._params, values, strict=True))

    def _axes(self, resolution: int | Mapping[str, int]) -> list[list[Any]]:
        if isinstance(resolution, Mapping):
            unknown = [k for k in resolution if k not in self._params]
            if unknown:
                raise ValueError(
                    f"'resolution' names unknown parameter {unknown[0]!r}: the space has "
                    f"{self.names!r}."
                )
            per = {name: resolution.get(name, 5) for name in self._params}
        else:
            per = dict.fromkeys(self._params, resolution)
        for name, r in per.items():
            if isinstance(r, bool) or not isinstance(r, int | np.integer) or r < 2:
                raise ValueError(
                    f"The 'resolution' of a grid must be an int >= 2 (points per numeric "
                    f"parameter). Got {r!r} for {name!r}."
                )
        return [param.grid(int(per[name])) for name, param in self._params.items()]

    # -- unit cube --------------------------------------------------------------
    @overload
    def to_unit(self, params: Mapping[str, Any], onehot: bool = ...) -> np.ndarray: ...
    @overload
    def to_unit(self, params: Sequence[Mapping[str, Any]], onehot: bool = ...) -> np.ndarray: ...

    def to_unit(
        self, params: Mapping[str, Any] | Sequence[Mapping[str, Any]], onehot: bool = False
    ) -> np.ndarray:
        """Encode configurations as points of the unit cube.

        Parameters
        ----------
        params : dict or sequence of dict
            Configurations inside the space.
        onehot : bool, default=False
            One column per category instead of one per parameter.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_features,)`` for a single dict, else ``(n, n_features)``.
        """
        single = isinstance(params, Mapping)
        rows: Sequence[Mapping[str, Any]] = [params] if single else params  # type: ignore[list-item]
        cols = []
        for name, param in self._params.items():
            values = [row[name] for row in rows]
            cols.append(param.encode_onehot(values) if onehot else param.encode(values)[:, None])
        out = np.hstack(cols) if cols else np.zeros((len(rows), 0))
        return out[0] if single else out

    def from_unit(
        self, u: np.ndarray | Sequence[Sequence[float]], onehot: bool = False
    ) -> list[Params]:
        """Decode points of the unit cube into configurations.

        Parameters
        ----------
        u : array-like of shape (n, n_features)
            Points; coordinates outside ``[0, 1]`` are clipped.
        onehot : bool, default=False
            Whether ``u`` is in the one-hot encoding.

        Returns
        -------
        list of dict
            Configurations inside the space, with plain Python values.
        """
        u = np.atleast_2d(np.asarray(u, dtype=float))
        expected = self.n_features(onehot)
        if u.shape[1] != expected:
            raise ValueError(f"Expected {expected} columns, got an array of shape {u.shape}.")
        if onehot:
            slices = self.onehot_slices()
            columns = [p.decode_onehot(u[:, slices[n]]) for n, p in self._params.items()]
        else:
            columns = [p.decode(u[:, j]) for j, p in enumerate(self._params.values())]
        names = list(self._params)
        return [dict(zip(names, [col[i] for col in columns], strict=True)) for i in range(len(u))]

    def snap(self, u: np.ndarray) -> np.ndarray:
        """Move compact points to the encoding of the configurations they decode to.

        Parameters
        ----------
        u : array-like of shape (n, n_params)
            Points of the compact encoding.

        Returns
        -------
        numpy.ndarray of shape (n, n_params)
            Integers and choices at their bin centres, everything inside ``[0, 1]``;
            two points that decode to the same configuration snap to the same row.
        """
        u = np.atleast_2d(np.asarray(u, dtype=float))
        return np.column_stack([p.snap(u[:, j]) for j, p in enumerate(self._params.values())])

    def unit_to_onehot(self, u: np.ndarray) -> np.ndarray:
        """One-hot encoding of the configurations that compact points decode to.

        Equivalent to ``to_unit(from_unit(u), onehot=True)``, without building
        dictionaries: the fast path for scoring many candidate points.

        Parameters
        ----------
        u : array-like of shape (n, n_params)
            Points of the compact encoding.

        Returns
        -------
        numpy.ndarray of shape (n, n_features(onehot=True))
        """
        u = np.atleast_2d(np.asarray(u, dtype=float))
        return np.hstack([p.unit_to_onehot(u[:, j]) for j, p in enumerate(self._params.values())])

    # -- JSON --------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description of the space.

        Returns
        -------
        dict
            ``{name: parameter description}``, in order.
        """
        return {name: param.to_json() for name, param in self._params.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SearchSpace:
        """Rebuild a space from :meth:`to_json` output.

        Parameters
        ----------
        data : mapping
            As returned by :meth:`to_json`.

        Returns
        -------
        SearchSpace
        """
        return cls({name: parameter_from_json(desc) for name, desc in data.items()})
