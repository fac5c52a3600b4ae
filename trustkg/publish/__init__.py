"""Publish: a local SPARQL endpoint over the store (serve), and publishing to a SPARQL server."""
