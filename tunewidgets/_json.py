r"""The one serializer of stored studies: strict JSON, never pickle.

Opening a study file must run no code, so everything stored (parameters,
settings, per-trial notes, captured text) goes through :func:`dumps` and
:func:`loads`. Whatever a trial hands over is stored, and reads back as it was
written or as a marked, readable stand-in:

- ``None``, ``bool``, ``int``, ``str`` and finite ``float`` as they are; a
  string longer than :data:`MAX_TEXT` characters keeps its head and tail around
  a line saying how much was cut (:func:`cap_text`). Lone surrogates (text
  decoded with ``surrogateescape``) are written as ``\\udcxx`` escapes, which
  JSON allows, and read back as the same characters.
- ``nan``, ``inf`` and ``-inf`` (which strict JSON cannot hold) as a small
  marker object that :func:`loads` turns back into the float.
- NumPy scalars and arrays as plain numbers and lists; tuples and sets as
  lists; mappings as objects with text keys; dates as ISO 8601 text.
- Anything else (an object, a function, bytes, a value that contains itself, a
  container of more than :data:`MAX_ITEMS` items, nesting deeper than
  :data:`MAX_DEPTH`) as a *stand-in*: ``{"__tunewidgets__": "stand-in",
  "type": ..., "repr": ..., "note": ...}``, with a short ``repr`` and a note
  saying why the value itself was not stored.

Serializing never raises for any value, so a trial's payload cannot end a search.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np

__all__ = [
    "MARKER",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_TEXT",
    "cap_text",
    "dumps",
    "dumps_text",
    "escape_surrogates",
    "loads",
    "stand_in",
    "to_jsonable",
]

#: Key that marks an object written by tunewidgets in place of a value.
MARKER = "__tunewidgets__"
#: Characters kept of one string inside a stored value.
MAX_TEXT = 100_000
#: Items of one list, array or mapping stored as such; larger ones become stand-ins.
MAX_ITEMS = 100_000
#: Levels of nesting stored as such; deeper values become stand-ins.
MAX_DEPTH = 64
_MAX_REPR = 2_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def cap_text(text: str, limit: int, what: str = "text") -> str:
    """``text`` if it has at most ``limit`` characters, else its head and tail around a note.

    Parameters
    ----------
    text : str
        Any text.
    limit : int
        Characters to keep (the note comes on top).
    what : str, default="text"
        What the text is, for the note.

    Returns
    -------
    str
        At most ``limit`` characters: the head and the tail joined by a line such
        as ``[tunewidgets: 19,800,000 characters of this output cut here (of
        20,000,000)]``.
    """
    if len(text) <= limit:
        return text
    keep = limit
    for _ in range(3):  # the note's length depends on the count it gives
        cut = len(text) - keep
        note = f"\n[tunewidgets: {cut:,} characters of this {what} cut here (of {len(text):,})]\n"
        keep = max(limit - len(note), 0)  # at most ``limit`` long: capping is idempotent
    head = keep // 2
    return text[:head] + note + text[len(text) - (keep - head) :]


def escape_surrogates(text: str) -> str:
    r"""Replace lone surrogates by visible ``\\udcxx`` escapes (for names, which must be plain).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        Text that encodes to UTF-8.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__, or one that recurses forever
        text = f"<{type(value).__qualname__} object; repr() raised {type(exc).__name__}>"
    if not isinstance(text, str):
        text = f"<{type(value).__qualname__} object>"
    return cap_text(text, _MAX_REPR, "repr")


def stand_in(value: Any, note: str, *, describe: str | None = None) -> dict[str, Any]:
    """The marked, readable object stored in place of ``value``.

    Parameters
    ----------
    value : object
        What could not be stored as such.
    note : str
        Why.
    describe : str, optional
        Text to store instead of ``repr(value)`` (for values whose repr is costly).

    Returns
    -------
    dict
        ``{"__tunewidgets__": "stand-in", "type": ..., "repr": ..., "note": ...}``.
    """
    text = describe if describe is not None else _safe_repr(value)
    return {
        MARKER: "stand-in",
        "type": type(value).__qualname__,
        "repr": text,
        "note": note,
    }


def _float(value: float) -> Any:
    if math.isfinite(value):
        return value
    return {MARKER: "float", "value": "nan" if math.isnan(value) else repr(value)}


def to_jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types (see the module's docstring); never raises.

    Parameters
    ----------
    value : object
        Any value.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float``, ``str``, ``list`` or ``dict``
        (finite floats only: non-finite ones become marker objects).
    """
    return _Walk().convert(value, 0)


class _Walk:
    """One conversion: remembers the containers being walked, to catch cycles."""

    def __init__(self) -> None:
        self.active: set[int] = set()

    def convert(self, value: Any, depth: int) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return cap_text(str.__str__(value), MAX_TEXT, "value")
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return _float(float(value))
        if isinstance(value, np.generic):
            item = value.item()
            if isinstance(item, np.generic | bytes):
                return stand_in(value, "a NumPy value JSON cannot hold: stored as its repr")
            return self.convert(item, depth)
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, np.ndarray | Mapping | list | tuple | set | frozenset):
            return self._container(value, depth)
        note = f"JSON cannot hold a {type(value).__qualname__}: stored as its repr"
        return stand_in(value, note)

    def _container(self, value: Any, depth: int) -> Any:
        kind = type(value).__qualname__
        size = value.size if isinstance(value, np.ndarray) else len(value)
        if size > MAX_ITEMS:
            shape = (
                f" of shape {value.shape} and dtype {value.dtype}"
                if hasattr(value, "shape")
                else ""
            )
            return stand_in(
                value,
                f"too large to store: {size:,} items, more than {MAX_ITEMS:,}",
                describe=f"<{kind}{shape} with {size:,} items>",
            )
        if depth >= MAX_DEPTH:
            return stand_in(
                value,
                f"nested deeper than {MAX_DEPTH} levels: stored as its repr",
                describe=f"<{kind} nested deeper than {MAX_DEPTH} levels>",
            )
        key = id(value)
        if key in self.active:
            return stand_in(
                value,
                "this value contains itself (a cycle): stored as a note",
                describe=f"<the enclosing {kind}, again>",
            )
        self.active.add(key)
        try:
            return self._items(value, depth)
        except Exception as exc:  # a mapping or sequence that fails while read
            return stand_in(value, f"could not be read ({type(exc).__name__}): stored as its repr")
        finally:
            self.active.discard(key)

    def _items(self, value: Any, depth: int) -> Any:
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biufcUSOMm":
                return stand_in(value, "a NumPy array JSON cannot hold: stored as its repr")
            return self.convert(value.tolist(), depth)
        if isinstance(value, Mapping):
            return self._mapping(value, depth)
        return [self.convert(item, depth + 1) for item in value]

    def _mapping(self, value: Mapping[Any, Any], depth: int) -> Any:
        out: dict[str, Any] = {}
        for k, v in list(value.items()):
            if isinstance(k, str):
                name = k
            elif k is None or isinstance(k, bool | int | float | np.generic):
                name = str(k.item() if isinstance(k, np.generic) else k)
            else:
                name = _safe_repr(k)
            if name in out:
                return stand_in(
                    value,
                    f"two keys are both {name!r} once written as text: stored as its repr",
                )
            out[name] = self.convert(v, depth + 1)
        return out


def dumps(value: Any) -> str:
    """Serialize to compact, strict JSON text that encodes to UTF-8; never raises.

    Parameters
    ----------
    value : object
        Any value; converted with :func:`to_jsonable` first.

    Returns
    -------
    str
        JSON text; non-ASCII characters as they are, lone surrogates escaped.
    """
    text = json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps_text(text: str) -> str:
    """Serialize one string to a JSON string, whole (no cap), lone surrogates escaped.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        JSON text that encodes to UTF-8; :func:`loads` gives ``text`` back.
    """
    encoded = json.dumps(str.__str__(text), ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def _restore(obj: dict[str, Any]) -> Any:
    if obj.get(MARKER) == "float" and obj.get("value") in _FLOATS:
        return _FLOATS[obj["value"]]
    return obj


_DECODER = json.JSONDecoder(object_hook=_restore)  # one decoder: making one per call costs


def loads(text: str | None) -> Any:
    """Parse JSON text written by :func:`dumps` (``None`` gives ``None``).

    Parameters
    ----------
    text : str or None
        JSON text.

    Returns
    -------
    object
        Non-finite floats restored from their markers; stand-ins stay as they are.
    """
    return None if text is None else _DECODER.decode(text)
