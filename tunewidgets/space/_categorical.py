"""``Categorical``: a choice among values of any kind, plain or labelled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._choices import Label, base_label, is_plain, plain_key, same_value
from ._params import Parameter

__all__ = ["Categorical"]


class Categorical(Parameter):
    """A hyperparameter that takes one of a set of choices, of any kind.

    Parameters
    ----------
    choices : sequence
        At least one choice: a list, tuple, range or 1-D array. Choices may be
        plain values (str, int, float, bool, None) or anything else:
        estimators, tuples (an ``ngram_range``), dicts, arrays, functions.
    unique : bool, default=True
        Refuse a choice given twice (most likely a typo). scikit-learn's grids
        allow repeats (a repeated value is tried once per repeat); ``TuneSearchCV``
        passes ``unique=False`` for them.

    Raises
    ------
    ValueError
        If ``choices`` is empty or not a sequence, or
        (with ``unique=True``) holds the same choice twice. ``True`` and ``1``
        count as different, ``1`` and ``1.0`` as the same; other values are
        told apart by their labels; every nan is the same choice, as
        ``np.nan`` in scikit-learn's grids (``SimpleImputer(missing_values=np.nan)``).

    See Also
    --------
    Label : how a choice that JSON cannot hold is stored.

    Notes
    -----
    The compact encoding puts choice ``i`` of ``k`` at the centre of the bin
    ``[i/k, (i+1)/k)``; the Gaussian process sees one column per choice instead
    (one-hot), so no false order is imposed on the choices.

    Stored studies are JSON, never pickle: plain choices are stored as
    themselves, any other choice by its *label* (:attr:`labels`), a readable
    text that is the same for the same value in every session, such as
    ``"LogisticRegression(C=10)"`` or ``"(1, 2)"``. A study read back from its
    file shows those choices as :class:`Label` stand-ins until the space with
    the objects is given again; two categoricals whose choices have the same
    labels are equal.

    Examples
    --------
    >>> import tunewidgets as tw
    >>> kernel = tw.Categorical(["rbf", "poly", "sigmoid"])
    >>> kernel.decode([0.0, 0.5, 1.0])
    ['rbf', 'poly', 'sigmoid']
    >>> tw.Categorical([(1, 1), (1, 2)]).labels
    ['(1, 1)', '(1, 2)']
    """

    kind = "categorical"

    def __init__(self, choices: Sequence[Any], *, unique: bool = True) -> None:
        if isinstance(choices, str | bytes | Mapping) or not isinstance(
            choices, Sequence | np.ndarray
        ):
            raise ValueError(
                "Categorical: 'choices' must be a list of choices (a list, tuple, range or "
                f"1-D array). Got {choices!r} instead."
            )
        if isinstance(choices, np.ndarray) and choices.ndim != 1:
            raise ValueError(
                "Categorical: an array of choices must be one-dimensional (one choice per "
                f"item). Got an array of shape {choices.shape}."
            )
        plain: list[Any] = []
        keys: list[tuple[str, Any]] = []
        first: dict[tuple[str, Any], int] = {}
        for value in choices:
            if isinstance(value, np.generic):
                value = value.item()
            key = _key_of(value)
            if key in first and unique:
                raise ValueError(
                    f"Categorical: choices must be unique, but {_display(value)} appears more "
                    "than once. Choices other than str, numbers, bool and None are told apart "
                    "by their labels (their repr without memory addresses)."
                )
            first.setdefault(key, len(plain))
            keys.append(key)
            plain.append(value)
        if not plain:
            raise ValueError("Categorical: 'choices' needs at least one choice. Got an empty list.")
        self.choices: tuple[Any, ...] = tuple(plain)
        self.unique = bool(unique)
        self._keys = keys
        self._index = first
        # a stored plain str must never be mistaken for another choice's label
        taken = {k[1] for k in keys if k[0] == "str"}
        self._stored: list[Any] = []
        for value, key in zip(plain, keys, strict=True):
            if key[0] != "label":
                self._stored.append(value)
                continue
            label = key[1]
            while label in taken:
                label = f"{label} (object)"
            self._stored.append(Label(label))
        self._by_label = {
            str(s): i for i, s in reversed(list(enumerate(self._stored))) if isinstance(s, Label)
        }
        self._objects = [i for i, k in enumerate(keys) if k[0] == "label"]

    def __repr__(self) -> str:
        shown = ", ".join(_display(c) for c in self.choices)
        extra = "" if self.unique else ", unique=False"
        return f"Categorical([{shown}]{extra})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Categorical) and self._keys == other._keys

    def __hash__(self) -> int:
        return hash(tuple(self._keys))

    @property
    def size(self) -> float:
        return float(len(self._index))

    @property
    def n_onehot(self) -> int:
        return len(self.choices)

    @property
    def labels(self) -> list[str]:
        """How each choice is shown and stored: plain choices as text, others by their label."""
        return [str(s) if isinstance(s, Label) else _plain_text(s) for s in self._stored]

    def label(self, value: Any) -> str:
        """The label of one choice.

        Parameters
        ----------
        value : object
            One of the choices (or its stored form).

        Returns
        -------
        str
        """
        return self.labels[self.index(value)]

    def index(self, value: Any) -> int:
        """Position of ``value`` among the choices (the first, if it is repeated).

        A choice is found by value for plain choices, by identity or equal value
        for others, and by its label for a value read back from a stored study.

        Parameters
        ----------
        value : object
            One of the choices, or its stored form.

        Returns
        -------
        int

        Raises
        ------
        ValueError
            If ``value`` is not one of the choices.
        """
        if isinstance(value, np.generic):
            value = value.item()
        if is_plain(value):
            found = self._index.get(plain_key(value))
            if found is not None:
                return found
        for i in self._objects:
            if self.choices[i] is value:
                return i
        if isinstance(value, str):
            found = self._by_label.get(str(value))
            if found is not None:
                return found
        if not is_plain(value):
            for i in self._objects:
                if same_value(self.choices[i], value):
                    return i
            found = self._index.get(("label", base_label(value)))
            if found is not None:
                return found
        raise ValueError(f"{_display(value)} is not one of the choices {self._shown()}.")

    def _shown(self) -> str:
        return "[" + ", ".join(_display(c) for c in self.choices) + "]"

    def check(self, value: Any, name: str = "value") -> Any:
        try:
            return self.choices[self.index(value)]
        except ValueError:
            raise ValueError(
                f"Parameter {name!r} must be one of {self._shown()}. Got {_display(value)} instead."
            ) from None

    def to_stored(self, value: Any) -> Any:
        """What a trial stores for this choice: the value if JSON holds it, else its label.

        Parameters
        ----------
        value : object
            One of the choices.

        Returns
        -------
        str, int, float, bool or None
        """
        stored = self._stored[self.index(value)]
        return str(stored) if isinstance(stored, Label) else stored

    def from_stored(self, value: Any) -> Any:
        """The choice a stored value stands for (values that are no choice come back as they are).

        Parameters
        ----------
        value : object
            As written by :meth:`to_stored`.

        Returns
        -------
        object
        """
        try:
            return self.choices[self.index(value)]
        except ValueError:
            return value

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        idx = np.fromiter((self.index(v) for v in values), dtype=float, count=len(values))
        return (idx + 0.5) / len(self.choices)

    def decode(self, u: np.ndarray) -> list[Any]:
        return [self.choices[i] for i in self._indices(u)]

    def _indices(self, u: np.ndarray) -> np.ndarray:
        k = len(self.choices)
        return np.clip(np.floor(np.asarray(u, dtype=float) * k), 0, k - 1).astype(int)

    def snap(self, u: np.ndarray) -> np.ndarray:
        idx = self._indices(u)
        if not self.unique:  # a repeated choice is encoded at its first position
            first = np.array([self._index[k] for k in self._keys])
            idx = first[idx]
        return (idx + 0.5) / len(self.choices)

    def unit_to_onehot(self, u: np.ndarray) -> np.ndarray:
        return np.eye(len(self.choices))[self._indices(self.snap(u))]

    def encode_onehot(self, values: Sequence[Any]) -> np.ndarray:
        out = np.zeros((len(values), len(self.choices)))
        for row, value in enumerate(values):
            out[row, self.index(value)] = 1.0
        return out

    def decode_onehot(self, z: np.ndarray) -> list[Any]:
        idx = np.argmax(np.asarray(z, dtype=float), axis=1)
        return [self.choices[i] for i in idx]

    def grid(self, resolution: int) -> list[Any]:
        return list(self.choices)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.kind,
            "choices": [str(s) if isinstance(s, Label) else s for s in self._stored],
        }
        labels = [i for i, s in enumerate(self._stored) if isinstance(s, Label)]
        if labels:
            out["labels"] = labels
        if not self.unique:
            out["unique"] = False
        return out


def _key_of(value: Any) -> tuple[str, Any]:
    if is_plain(value):
        return plain_key(value)
    return ("label", base_label(value))


def _plain_text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _display(value: Any) -> str:
    return repr(value) if is_plain(value) or isinstance(value, Label) else base_label(value)
