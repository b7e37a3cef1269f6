"""Benchmarks: `make bench` (python -m bench). Each step prints its time and the ratio against a bare baseline
measured in the same run on the same data, so a noisy shared machine moves both sides alike."""
