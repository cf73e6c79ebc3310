"""Content of the series: episodes, scene classes, components and the manifest."""

from .catalog import SERIES

__all__ = ["SERIES"]
