"""The ``python -m codi_geo`` commands, one module per group."""
