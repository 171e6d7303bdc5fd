"""The search space: ``Float``, ``Int``, ``Categorical``, ``Distribution`` and ``SearchSpace``."""

from ._choices import Label
from ._distribution import Distribution, as_parameter
from ._params import Categorical, Float, Int, Parameter, parameter_from_json
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
    "parameter_from_json",
]
