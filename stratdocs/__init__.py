"""stratdocs: publish strategic plans as code."""

__version__ = "0.1.0"
