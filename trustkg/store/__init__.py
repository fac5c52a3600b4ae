"""The store: build the graph into an embedded Oxigraph database, describe it, export it.

``trustkg.store.open_store`` and ``trustkg.store.as_rdflib_graph`` are part of the Python API.
"""

from .embedded import SNAPSHOT, as_rdflib_graph, default_store_path, open_store

__all__ = ["SNAPSHOT", "as_rdflib_graph", "default_store_path", "open_store"]
