"""Benchmarks: `python -m bench` (or `make bench`) prints speed, memory and hit-rate figures against targets."""
