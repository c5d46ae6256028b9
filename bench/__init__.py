"""Benchmark: cloudaudit.aws against the amazon.aws way (API calls and wall time)."""
