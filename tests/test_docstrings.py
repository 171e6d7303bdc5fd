"""Every public name has a numpydoc docstring whose parameters match its signature.

One rule for the whole package: the names of ``tunewidgets.__all__`` and of each
public subpackage's ``__all__`` (and their public methods), checked with
``numpydoc.validate`` as scikit-learn's ``sklearn/tests/test_docstrings.py`` does.
"""

from __future__ import annotations

import enum
import importlib
import inspect

import pytest
from numpydoc.validate import validate

# GL08: missing docstring; PR01/PR02: parameters missing from / unknown to the docstring;
# SS03: summary ends with a period; YD01: generators document what they yield;
# RT01: functions document what they return.
CHECKS = {"GL08", "PR01", "PR02", "SS03", "YD01", "RT01"}
#: EX01 (an Examples section) too, for the functions a notebook user calls first.
EXAMPLES_IN = ("tunewidgets", "tunewidgets.plots")

#: The public modules: the package and its subpackages.
MODULES = (
    "tunewidgets",
    "tunewidgets.exceptions",
    "tunewidgets.space",
    "tunewidgets.strategies",
    "tunewidgets.objectives",
    "tunewidgets.pruners",
    "tunewidgets.runner",
    "tunewidgets.study",
    "tunewidgets.storage",
    "tunewidgets.plots",
    "tunewidgets.widgets",
    "tunewidgets.report",
)


def _public_objects():
    seen = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if name.startswith("__") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if id(obj) in seen:  # re-exported: checked where first found
                continue
            seen.add(id(obj))
            yield f"{module_name}.{name}", obj
            if inspect.isclass(obj):
                for attr, member in _own_members(obj):
                    func = member.__func__ if isinstance(member, classmethod) else member
                    if not inspect.isfunction(func):
                        continue
                    if func.__doc__ is None and inspect.getdoc(getattr(obj, attr)):
                        continue  # inherits its base class's docstring (written once)
                    yield f"{module_name}.{name}.{attr}", member


def _own_members(cls):
    """Public members defined by ``cls`` or by a private base class of tunewidgets."""
    seen = set()
    for klass in cls.__mro__:
        mine = (
            klass is cls
            or (klass.__module__.startswith("tunewidgets") and klass.__name__.startswith("_"))
            or klass.__name__ in PRIVATE_BASES
        )
        if not mine:
            continue
        for attr, member in vars(klass).items():
            if not attr.startswith("_") and attr not in seen:
                seen.add(attr)
                yield attr, member


#: Base classes that hold part of a public class's methods (``SearchSpace``'s grids).
PRIVATE_BASES = {"Grids", "TrialKeeping", "TrialRecords"}

OBJECTS = dict(_public_objects())


def _takes_no_documented_params(obj) -> bool:
    """Enums and Protocols have machinery constructors, not parameters to document."""
    return inspect.isclass(obj) and (
        issubclass(obj, enum.Enum) or getattr(obj, "_is_protocol", False)
    )


def test_every_public_module_is_checked():
    assert len(OBJECTS) > 150
    for module_name in MODULES:
        assert any(q.startswith(module_name + ".") for q in OBJECTS), module_name


@pytest.mark.parametrize("qualname", sorted(OBJECTS))
def test_docstring(qualname):
    # numpydoc resolves the name by import
    result = validate(qualname)
    checks = set(CHECKS)
    obj = OBJECTS[qualname]
    if _takes_no_documented_params(obj):
        checks -= {"PR01", "PR02"}
    if inspect.isclass(obj):
        checks -= {"RT01"}
    elif inspect.isfunction(obj) and qualname.rsplit(".", 1)[0] in EXAMPLES_IN:
        checks |= {"EX01"}
    errors = [(code, msg) for code, msg in result["errors"] if code in checks]
    assert not errors, "\n".join(f"{code}: {msg}" for code, msg in errors)
