"""Any payload is stored, and reads back as written or as a marked, readable stand-in."""

from __future__ import annotations

import json
import math
import tempfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tunewidgets as tw
from tunewidgets import _json
from tunewidgets.study._payload import MAX_ERROR, MAX_OUTPUT

SPACE = tw.SearchSpace({"x": tw.Float(0.0, 1.0)})

# every code point, lone surrogates included (text decoded with surrogateescape holds them)
ANY_TEXT = st.text(st.characters(exclude_categories=())) | st.sampled_from(
    ["\udcff", "a\ud800b\udfff", "\x00\n\r\t", "\u2028", "\U0001f600", "é" * 3, '"\\']
)


class Opaque:
    """An object JSON cannot hold, with an odd repr."""

    def __repr__(self):
        return "Opaque(\udcff)"


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


class EndlessRepr:
    def __repr__(self):
        return repr(self)  # RecursionError


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**64, max_value=2**200)
    | st.floats()  # nan and infinities included
    | ANY_TEXT
    | st.binary(max_size=8)
    | st.builds(np.float64, st.floats())
    | st.builds(np.int64, st.integers(-(2**63), 2**63 - 1))
    | st.builds(np.bool_, st.booleans())
    | st.datetimes()
    | st.dates()
    | st.builds(Opaque)
    | st.builds(BrokenRepr)
    | st.builds(EndlessRepr)
    | st.sampled_from([complex(1, 2), print, Ellipsis])
)
KEYS = ANY_TEXT | st.integers() | st.booleans() | st.none() | st.floats() | st.tuples(st.integers())


def _containers(children):
    return (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(KEYS, children, max_size=4)
        | st.frozensets(st.integers() | ANY_TEXT, max_size=3)
        | st.builds(lambda xs: np.array(xs, dtype=float), st.lists(st.floats(), max_size=4))
    )


VALUES = st.recursive(SCALARS, _containers, max_leaves=12)


@st.composite
def self_referencing(draw):
    """A container that contains itself, somewhere inside."""
    outer = draw(st.sampled_from(["list", "dict"]))
    value = [] if outer == "list" else {}
    inner = {"again": value, "other": draw(VALUES)}
    if outer == "list":
        value.extend([draw(VALUES), inner])
    else:
        value.update(a=draw(VALUES), b=[inner])
    return value


ANYTHING = VALUES | self_referencing()


def _same(a, b):
    """Equality where nan equals nan."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _is_stand_in(value, type_name=None):
    return (
        isinstance(value, dict)
        and value.get(_json.MARKER) == "stand-in"
        and isinstance(value.get("repr"), str)
        and isinstance(value.get("note"), str)
        and (type_name is None or value["type"] == type_name)
    )


def _matches(original, stored, seen=()):
    """Whether ``stored`` is ``original`` as written, or a marked stand-in for it."""
    if _is_stand_in(stored):
        return not isinstance(original, str | int | float | type(None))
    if isinstance(original, np.generic):
        return _matches(original.item(), stored, seen)
    if original is None or isinstance(original, bool | int):
        return type(stored) is type(original) and stored == original
    if isinstance(original, float):
        return _same(float(original), stored)
    if isinstance(original, str):
        return stored == _json.cap_text(original, _json.MAX_TEXT, "value")
    if isinstance(original, datetime | date):
        return stored == original.isoformat()
    if isinstance(original, np.ndarray):
        return _matches(original.tolist(), stored, seen)
    if isinstance(original, list | tuple | frozenset | set):
        items = list(original)
        return (
            isinstance(stored, list)
            and len(stored) == len(items)
            and all(_matches(x, y, seen) for x, y in zip(items, stored, strict=True))
        )
    if isinstance(original, dict):
        return (
            isinstance(stored, dict)
            and len(stored) == len(original)
            and all(_matches(v, stored[_key(k)], seen) for k, v in original.items())
        )
    return False


def _key(key):
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return str(key)
    return repr(key)


@settings(max_examples=300, deadline=None)
@given(value=ANYTHING)
def test_any_value_is_serialized_to_strict_json_and_read_back(value):
    text = _json.dumps(value)  # never raises
    text.encode("utf-8")  # SQLite can store it
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))
    back = _json.loads(text)
    assert _matches(value, back) or _is_stand_in(back), (value, back)
    assert _json.dumps(back) == text  # what is read back is written back the same


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_text_round_trips_exactly_lone_surrogates_included(text):
    assert _json.loads(_json.dumps(text)) == text
    assert _json.loads(_json.dumps({text: [text]})) == {text: [text]}


def test_self_references_become_notes():
    loop = {"name": "loop"}
    loop["self"] = loop
    back = _json.loads(_json.dumps({"info": loop}))
    assert back["info"]["name"] == "loop"
    assert _is_stand_in(back["info"]["self"], "dict")
    assert "contains itself" in back["info"]["self"]["note"]


def test_huge_values_become_stand_ins_or_are_capped():
    back = _json.loads(_json.dumps({"array": np.zeros(10**6), "text": "x" * 10**6}))
    assert _is_stand_in(back["array"], "ndarray")
    assert "1,000,000 items" in back["array"]["note"]
    assert len(back["text"]) == _json.MAX_TEXT
    assert "characters of this value cut here (of 1,000,000)" in back["text"]


class _StoredStudy:
    """One study file for many hypothesis examples (a fresh trial each)."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "payload.db"
        self.study = tw.Study(SPACE, name="payload", storage=self.path)

    def record(self, **payload):
        trial = self.study._start_trial({"x": 0.5})
        finished = self.study._finish_trial(
            trial.with_changes(state=tw.TrialState.COMPLETE, score=0.5, **payload)
        )
        loaded = tw.Study.load(self.path, "payload").trial(trial.number)
        return finished, loaded


@pytest.fixture(scope="module")
def stored():
    study = _StoredStudy()
    yield study
    study.folder.cleanup()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(output=ANY_TEXT, error=ANY_TEXT | st.none(), info=ANYTHING)
def test_any_output_error_and_info_are_stored_and_read_back(stored, output, error, info):
    finished, loaded = stored.record(output=output, error=error, info={"payload": info})
    assert loaded.output == output == finished.output
    assert loaded.error == error == finished.error
    assert _matches(info, loaded.info["payload"]) or _is_stand_in(loaded.info["payload"])
    # what the study holds is what the file holds
    assert _same(loaded.info, finished.info)
    assert loaded.with_changes(info={}) == finished.with_changes(info={})


def test_output_and_error_are_capped_with_a_marker(stored):
    output = "start\n" + "x" * (3 * MAX_OUTPUT) + "\nthe end"
    finished, loaded = stored.record(output=output, error="E" * (2 * MAX_ERROR))
    assert loaded.output == finished.output
    assert len(loaded.output) == MAX_OUTPUT
    assert loaded.output.startswith("start\n") and loaded.output.endswith("\nthe end")
    assert f"characters of this output cut here (of {len(output):,})" in loaded.output
    assert len(loaded.error) == MAX_ERROR and "of this error cut here" in loaded.error


def test_an_info_too_large_as_a_whole_keeps_its_small_entries(stored):
    many = {f"k{i}": "v" * 50_000 for i in range(60)}  # 3 MB of JSON, no single huge value
    finished, loaded = stored.record(info={"small": [1, 2], "many": many})
    assert loaded.info["small"] == [1, 2]
    assert _is_stand_in(loaded.info["many"])
    assert "more than a trial's info may take" in loaded.info["many"]["note"]
    assert _same(loaded.info, finished.info)


def _hostile(params, trial):
    case = params["case"]
    if case == "surrogate-output":
        print("odd bytes: \udcff\udc80")
    elif case == "surrogate-error":
        raise ValueError("bad \udcff")
    elif case == "huge-output":
        print("y" * 20_000_000)
    elif case == "self-info":
        loop = []
        loop.append(loop)
        return {"score": 1.0, "loop": loop, "f": print, "nan": math.nan, "big": np.ones(10**6)}
    elif case == "huge-error":
        raise RuntimeError("z" * 5_000_000)
    return 1.0


CASES = ["surrogate-output", "surrogate-error", "huge-output", "self-info", "huge-error", "plain"]


def test_no_payload_ends_a_search_or_loses_a_trial(tmp_path):
    space = tw.SearchSpace({"case": tw.Categorical(CASES)})
    path = tmp_path / "hostile.db"
    study = tw.tune(
        _hostile,
        space,
        strategy="grid",
        n_trials=len(CASES),
        storage=path,
        study_name="odd \udcff name",
        progress=False,
        max_consecutive_failures=None,
    )
    assert len(study.trials) == len(CASES)
    loaded = tw.Study.load(path)
    assert loaded.name == study.name == "odd \\udcff name"  # names are plain text: escaped
    assert tw.list_studies(path)[0].name == study.name
    by_case = {t.params["case"]: t for t in loaded.trials}
    for mine, theirs in zip(study.trials, loaded.trials, strict=True):
        assert _same(mine.info, theirs.info)
        assert mine.with_changes(info={}) == theirs.with_changes(info={})
    assert "odd bytes: \udcff\udc80" in by_case["surrogate-output"].output
    assert by_case["surrogate-error"].error == "ValueError: bad \udcff"
    assert "characters of this output cut here (of 20,000,001)" in by_case["huge-output"].output
    info = by_case["self-info"].info
    assert by_case["self-info"].state is tw.TrialState.COMPLETE
    assert _is_stand_in(info["loop"][0], "list") and _is_stand_in(info["f"])
    assert math.isnan(info["nan"]) and _is_stand_in(info["big"], "ndarray")
    assert len(by_case["huge-error"].error) == MAX_ERROR
    assert by_case["plain"].score == 1.0
