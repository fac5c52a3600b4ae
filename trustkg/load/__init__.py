"""Load: checked rows to N-Triples lines, with one emitter for stated facts and curated links.
No store access."""
