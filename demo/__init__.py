"""A deterministic, fictional district to try the directory with."""

from demo.load import DatabaseNotEmpty, DemoSummary, load_demo

__all__ = ["DatabaseNotEmpty", "DemoSummary", "load_demo"]
