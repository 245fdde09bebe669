"""Labelloom core: users, projects, tasks, annotations and the plugin host."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("labelloom")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
