"""Benchmarks for the Academy: `python -m bench.run` (or `make bench`).

Numbers are compared with a baseline measured in the same run (a bare Django view), never with
absolute thresholds, and the results are written to docs/benchmarks.md.
"""
