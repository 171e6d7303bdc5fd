"""Pruners: stop trials early, from the values they report while they run."""

from ._base import Pruner
from ._halving import SuccessiveHalvingPruner
from ._median import MedianPruner

__all__ = ["MedianPruner", "Pruner", "SuccessiveHalvingPruner"]
