"""Hallway's media pipeline: probe and process phone videos and photos into feed-ready files."""

from .errors import MediaCrash, MediaError, NotEligible, OutOfSpace, out_of_space
from .formats import kind_of
from .pipeline import process
from .probe import probe
from .profiles import Limits
from .sandbox import process_isolated

__all__ = ["Limits", "MediaCrash", "MediaError", "NotEligible", "kind_of", "probe", "process", "process_isolated"]
