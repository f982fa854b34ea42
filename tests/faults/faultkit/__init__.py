"""Fault-injection kit shared by tests/faults and bench/faults.py.

Each module builds one family of faults and measures the outcome as plain counts, so the same code runs the
small CI subset (pytest) and the full sets (``STUDIO_FAULTS_FULL=1`` or ``python bench/faults.py``).
"""
