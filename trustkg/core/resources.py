"""Where the ontology, shapes, queries and bundled studies live.

In a checkout they sit at the top of the repository, where researchers edit them; an installed
wheel carries copies under ``trustkg/_resources``. Looking in both places keeps one source of
truth in the repository while the wheel still works outside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``shapes`` or ``queries``)."""
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"trustkg resource folder '{name}' is missing from this installation")


def ontology_file() -> Path:
    """The ontology in Turtle, the file researchers edit."""
    return resource_dir("ontology") / "trustkg.ttl"


def ontology_owl_file() -> Path:
    """The RDF/XML copy of the ontology, for Protégé and owlready2."""
    return resource_dir("ontology") / "trustkg.owl"


def data_dir() -> Path:
    """The bundled data: the table schema and the seed studies."""
    return _PACKAGE / "data"


def schema_file() -> Path:
    """The CSVW metadata that fixes every source table's columns."""
    return data_dir() / "schema" / "csv-metadata.json"


def bundled_studies() -> list[Path]:
    """The study folders shipped with trustkg, in a stable order."""
    root = data_dir() / "studies"
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "study.csv").is_file())
