"""Benchmarks: scripts that print numbers (not tests). See benchmark.py and corpus.py."""
