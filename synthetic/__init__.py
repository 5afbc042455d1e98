"""What the tests and the benchmarks share, and neither owns: synthetic data (never CODI's
figures: seeded results, pinpoints, CODI-like volumes and hostile files) and the local servers
they run the app and standalone map pages on.

``tests/`` and ``bench/`` both import from here; neither imports the other.
"""
