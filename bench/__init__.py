"""Benchmarks of mastomove: `python -m bench` (see bench/run.py)."""
