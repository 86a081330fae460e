"""The benchmark of issue 7: ``make bench`` runs ``bench/run.py`` (see docs/performance.md)."""
