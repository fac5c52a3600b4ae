"""The benchmark harness: trustkg against the plain way (rdflib, pySHACL) on synthetic corpora.

Run it as ``python benchmarks/run.py``; ``benchmarks/README.md`` says what it measures, how, and
how to add a section.
"""
