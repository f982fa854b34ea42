"""Studio: an offline creative-writing studio. Importing this package has no side effects."""

__version__ = "0.1.0"
