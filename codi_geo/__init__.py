"""codi-geo: maps of CODI programme results on Thai administrative boundaries."""

__version__ = "0.1.0"
