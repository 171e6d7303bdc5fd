"""The search space: ``Float``, ``Int``, ``Categorical`` and ``SearchSpace``."""

from ._params import Categorical, Float, Int, Parameter, parameter_from_json
from ._space import SearchSpace

__all__ = ["Categorical", "Float", "Int", "Parameter", "SearchSpace", "parameter_from_json"]
