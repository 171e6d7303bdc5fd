"""The search space: ``Float``, ``Int``, ``Categorical``, ``Distribution`` and ``SearchSpace``.

Also the spaces inferred for common scikit-learn estimators (:func:`infer_space`)
and a space narrowed around the best trials (:func:`narrow_space`).
"""

from ._categorical import Categorical
from ._choices import Label
from ._distribution import Distribution, as_parameter
from ._from_json import parameter_from_json
from ._infer import infer_space, known_estimators
from ._narrow import narrow_parameter, narrow_space
from ._params import Float, Int, Parameter
from ._space import SearchSpace

__all__ = [
    "Categorical",
    "Distribution",
    "Float",
    "Int",
    "Label",
    "Parameter",
    "SearchSpace",
    "as_parameter",
    "infer_space",
    "known_estimators",
    "narrow_parameter",
    "narrow_space",
    "parameter_from_json",
]
