"""Ketenscan: measure, discuss and improve chain collaboration in Dutch youth care."""

__version__ = "0.1.0"
