"""The package version, in a module of its own so that any stage can read it without
importing the package root (which imports the pipeline)."""

__version__ = "0.1.0"
