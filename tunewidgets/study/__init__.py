"""Trials and the Study that holds them."""

from .._trial import Trial, TrialState
from ._open import list_studies, open_study
from ._study import DEFAULT_STORAGE, RESERVED_COLUMNS, Study, generate_name

__all__ = [
    "DEFAULT_STORAGE",
    "RESERVED_COLUMNS",
    "Study",
    "Trial",
    "TrialState",
    "generate_name",
    "list_studies",
    "open_study",
]
