"""``SearchSpace``: a named, ordered set of parameters and its unit-cube encoding."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np

from ._branches import Branches, merge_parameters
from ._categorical import Categorical
from ._distribution import as_parameter
from ._from_json import parameter_from_json
from ._grid import Grids
from ._params import Parameter

__all__ = ["SearchSpace"]

Params = dict[str, Any]


def _as_parameter(name: Any, value: Any) -> Parameter:
    if not isinstance(name, str) or not name:
        raise ValueError(f"SearchSpace: parameter names must be non-empty strings. Got {name!r}.")
    try:
        return as_parameter(value, name)
    except ValueError as exc:
        raise ValueError(f"SearchSpace: {exc}") from None


def _is_branch_list(params: Any) -> bool:
    return isinstance(params, list | tuple) and not isinstance(params, str)


class SearchSpace(Grids, Mapping[str, Parameter]):
    """The hyperparameters to search, by name.

    A read-only mapping from names to :class:`Float`, :class:`Int` and
    :class:`Categorical` parameters, in the order given. It validates
    configurations, samples them, lays out grids, and encodes configurations to
    and from the unit cube that strategies search in.

    Parameters
    ----------
    params : mapping of str to Parameter, or list of such mappings, optional
        The parameters. A plain list (or range, or 1-D array) as a value is
        shorthand for a :class:`Categorical` of its items, and a frozen
        scipy.stats distribution for the matching :class:`Float`, :class:`Int`
        or :class:`Distribution`. A *list* of mappings is a conditional space
        of branches, as in scikit-learn's grids: a configuration belongs to one
        branch and holds only that branch's parameters.
    **kwargs : Parameter
        More parameters, by keyword (not with a list of branches).

    Raises
    ------
    ValueError
        If a name is not a non-empty string, a value is not a parameter, a
        branch is not a mapping, or a name is choices in one branch and a
        range in another.

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

    *Branches.* In a space of branches, the mapping holds every name of every
    branch, a name found in several branches merged into one parameter that
    covers them all (for plots and tables); :attr:`branches` holds the
    branches themselves. Both encodings start with the branch (one column in
    the compact encoding, one indicator per branch in the one-hot one), then
    every branch's own columns; the columns of the other branches hold fixed
    values. So every strategy searches a space of branches through the same
    unit cube (see ``tunewidgets.space._branches``).

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
    >>> svm = tw.SearchSpace([
    ...     {"kernel": ["rbf"], "gamma": tw.Float(1e-4, 1.0, log=True)},
    ...     {"kernel": ["poly"], "degree": [2, 3]},
    ... ])
    >>> svm.names, len(svm.branches)
    (['kernel', 'gamma', 'degree'], 2)
    >>> svm.contains({"kernel": "poly", "degree": 3})
    True
    """

    def __init__(
        self,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        self._layout: Branches | None = None
        if isinstance(params, SearchSpace) and not kwargs:
            self._params = dict(params._params)
            self._layout = params._layout
            return
        if _is_branch_list(params):
            if kwargs:
                raise ValueError(
                    "SearchSpace: give keyword parameters inside the branches, not beside a "
                    "list of branches."
                )
            self._init_branches(params)  # type: ignore[arg-type]
            return
        items: dict[str, Any] = {}
        if params is not None:
            if not isinstance(params, Mapping):
                raise ValueError(
                    "SearchSpace: 'params' must be a dict of name -> tw.Float / tw.Int / "
                    "tw.Categorical, or a list of such dicts (branches). "
                    f"Got {type(params).__name__} instead."
                )
            items.update(params)
        for name, value in kwargs.items():
            if name in items:
                raise ValueError(f"SearchSpace: parameter {name!r} is given twice.")
            items[name] = value
        self._params: dict[str, Parameter] = {
            name: _as_parameter(name, value) for name, value in items.items()
        }

    def _init_branches(self, branches: Sequence[Any]) -> None:
        if not branches:
            raise ValueError(
                "SearchSpace: a list of branches needs at least one branch (a dict of "
                "parameters). Got an empty list."
            )
        spaces = []
        for i, branch in enumerate(branches):
            if not isinstance(branch, Mapping):
                raise ValueError(
                    f"SearchSpace: branch {i} must be a dict of parameters. Got {branch!r} of "
                    f"type {type(branch).__name__} instead."
                )
            space = branch if isinstance(branch, SearchSpace) else SearchSpace(branch)
            if space._layout is not None:
                raise ValueError(f"SearchSpace: branch {i} is itself a space of branches.")
            spaces.append(space)
        if len(spaces) == 1:
            self._params = dict(spaces[0]._params)
            return
        versions: dict[str, list[Parameter]] = {}
        for space in spaces:
            for name, param in space.items():
                versions.setdefault(name, []).append(param)
        self._params = {name: merge_parameters(name, ps) for name, ps in versions.items()}
        self._layout = Branches(spaces)

    # -- branches --------------------------------------------------------------
    @property
    def branches(self) -> list[SearchSpace]:
        """The branches, each a space without branches (a space of one branch: itself)."""
        return [self] if self._layout is None else list(self._layout.spaces)

    def branch_index(self, params: Mapping[str, Any]) -> int:
        """The branch a configuration belongs to (the first that holds it).

        Parameters
        ----------
        params : mapping
            A configuration.

        Returns
        -------
        int

        Raises
        ------
        ValueError
            If no branch holds it.
        """
        if self._layout is None:
            self.check(params)
            return 0
        return self._layout.branch_of(params)

    @property
    def columns(self) -> list[Parameter]:
        """The parameter behind each column of the compact encoding.

        The parameters themselves for a space without branches; for a space of
        branches, a categorical that selects the branch, then each branch's.
        """
        if self._layout is None:
            return list(self._params.values())
        return self._layout.columns

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
        if (self._layout is None) != (other._layout is None):
            return False
        if self._layout is not None:
            return self.branches == other.branches
        return list(self._params.items()) == list(other._params.items())

    def __hash__(self) -> int:
        if self._layout is not None:
            return hash(tuple(hash(b) for b in self.branches))
        return hash(tuple(self._params.items()))

    def __repr__(self) -> str:
        if self._layout is not None:
            lines = [
                "    {" + ", ".join(f"{n!r}: {p!r}" for n, p in branch.items()) + "},"
                for branch in self.branches
            ]
            return "SearchSpace([\n" + "\n".join(lines) + "\n])"
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
        if self._layout is not None:
            return sum(b.size for b in self.branches)
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
        if self._layout is not None:
            return self._layout.n_onehot if onehot else self._layout.n_compact
        if not onehot:
            return len(self._params)
        return sum(p.n_onehot for p in self._params.values())

    def onehot_slices(self, branch: int | None = None) -> dict[str, slice]:
        """The columns each parameter takes in the one-hot encoding.

        Parameters
        ----------
        branch : int, optional
            For a space of branches: the columns of that branch's parameters.
            Without it, a name's columns in the first branch that has it.

        Returns
        -------
        dict of str to slice
        """
        if self._layout is not None:
            found: dict[str, slice] = {}
            for b, (space, cols) in enumerate(zip(self.branches, self._layout.onehot, strict=True)):
                if branch is not None and b != branch:
                    continue
                for name, sl in space.onehot_slices().items():
                    found.setdefault(name, slice(cols.start + sl.start, cols.start + sl.stop))
            return found
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
        if self._layout is not None:
            return self._layout.check(params)
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
        out = self.from_unit(rng.random((count, self.n_features())))
        return out[0] if n is None else out

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
        if self._layout is not None:
            out = self._layout.to_unit(rows, onehot)
            return out[0] if single else out
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
        if self._layout is not None:
            return self._layout.from_unit(u, onehot)
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
        if self._layout is not None:
            return self._layout.snap(u)
        if not self._params:
            return np.zeros((len(u), 0))
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
        if self._layout is not None:
            return self._layout.unit_to_onehot(u)
        if not self._params:
            return np.zeros((len(u), 0))
        return np.hstack([p.unit_to_onehot(u[:, j]) for j, p in enumerate(self._params.values())])

    # -- JSON --------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description of the space.

        Returns
        -------
        dict
            ``{name: parameter description}``, in order; for a space of
            branches, ``{"branches": [one such dict per branch]}``.
        """
        if self._layout is not None:
            return {"branches": [b.to_json() for b in self.branches]}
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
        branches = data.get("branches") if isinstance(data, Mapping) else None
        if isinstance(branches, list):
            return cls([cls.from_json(b) for b in branches])
        return cls({name: parameter_from_json(desc) for name, desc in data.items()})

    # -- stored values -------------------------------------------------------------------
    def to_stored(self, params: Mapping[str, Any]) -> Params:
        """A configuration as a trial stores it: choices JSON cannot hold by their labels.

        Parameters
        ----------
        params : mapping
            A configuration (values of names the space lacks are kept as they are).

        Returns
        -------
        dict
        """
        return {k: self._stored(k, v, to=True) for k, v in params.items()}

    def from_stored(self, params: Mapping[str, Any]) -> Params:
        """The inverse of :meth:`to_stored`: labels back to the choices they stand for.

        Parameters
        ----------
        params : mapping
            As stored.

        Returns
        -------
        dict
        """
        return {k: self._stored(k, v, to=False) for k, v in params.items()}

    def _stored(self, name: str, value: Any, *, to: bool) -> Any:
        param = self._params.get(name)
        if not isinstance(param, Categorical):
            return value
        try:
            return param.to_stored(value) if to else param.from_stored(value)
        except ValueError:
            return value
