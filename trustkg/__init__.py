"""trustkg: a knowledge graph of trust between health and social care organisations.

Heavy libraries (rdflib, pyoxigraph, pyshacl, owlready2) are imported inside the functions that
need them, so that ``import trustkg`` and ``trustkg --help`` stay fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trustkg")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
