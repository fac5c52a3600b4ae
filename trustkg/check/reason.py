"""Reason with HermiT (through owlready2): is the graph consistent, and who falls into the
ontology's defined classes?

HermiT is exact but slow on large data, so this is for the ontology and study-sized stores; at
scale, materialise what queries need with SPARQL rules instead. Two adjustments make the
store's data something HermiT accepts and can reason over usefully:

- ``xsd:gYear``/``xsd:gYearMonth`` are outside the OWL 2 datatype map and make HermiT abort; such
  literals are passed as plain strings (their properties have no range that this could break).
- OWL makes no unique-name assumption, but trustkg mints one IRI per row, so individuals of the
  same class are declared different (``owl:AllDifferent``); without that, "takes part in two
  networks" could never be inferred.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core import iris
from ..core.errors import TrustkgError

_UNSUPPORTED_DATATYPES = {iris.XSD + "gYear", iris.XSD + "gYearMonth"}

#: classes whose individuals trustkg mints one per row, and so are pairwise different
_DISTINCT_CLASSES = ("CareNetwork", "Organisation", "Participant", "Quotation")


@dataclass
class ReasonResult:
    consistent: bool
    individuals: int
    inferred: dict[str, list[str]] = field(default_factory=dict)
    unsatisfiable: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _reasoner_input(store_path: str | Path | None, with_data: bool) -> bytes:
    """The ontology and the store's triples as N-Triples, adjusted for HermiT."""
    import pyoxigraph

    from ..store.build import ontology_quads

    triples: dict = {}
    for q in ontology_quads():
        triples[pyoxigraph.Triple(q.subject, q.predicate, q.object)] = None
    if with_data:
        from ..store.embedded import open_store

        store = open_store(store_path)
        # the default graph: the ontology (the dict drops the duplicates) and the studies;
        # the dataset description, in a named graph, is about the graph, not part of it
        for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()):
            obj = q.object
            if isinstance(obj, pyoxigraph.Literal) and obj.datatype.value in _UNSUPPORTED_DATATYPES:
                obj = pyoxigraph.Literal(obj.value)
            triples[pyoxigraph.Triple(q.subject, q.predicate, obj)] = None
    return pyoxigraph.serialize(list(triples), format=pyoxigraph.RdfFormat.N_TRIPLES)


def reason(
    store: str | Path | None = None, *, timeout: int = 300, with_data: bool | None = None
) -> ReasonResult:
    """Run HermiT over the ontology plus the built store (if any).

    ``with_data=None`` reasons over the store when one has been built and over the ontology alone
    otherwise. Raises :class:`TrustkgError` when Java is missing or the reasoner times out.
    """
    import shutil

    from ..store.embedded import resolve_store_path

    if shutil.which("java") is None:
        raise TrustkgError("the HermiT reasoner needs Java: install a Java runtime (JRE 11+)")
    if with_data is None:
        with_data = (resolve_store_path(store) / "CURRENT").is_file()
    data = _reasoner_input(store, with_data)
    with tempfile.TemporaryDirectory(prefix="trustkg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(data)
        return _run_hermit(path, timeout)


def _run_hermit(path: Path, timeout: int) -> ReasonResult:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    tk = world.get_namespace(iris.TK)
    with onto:
        for local in _DISTINCT_CLASSES:
            cls = tk[local]
            members = list(cls.instances()) if cls is not None else []
            if len(members) > 1:
                owlready2.AllDifferent(members)
    defined = sorted(
        (c for c in world.classes() if c.iri.startswith(iris.TK) and _is_defined(c)),
        key=lambda c: c.name,
    )
    individuals = len(
        {i for c in world.classes() if c.iri.startswith(iris.TK) for i in c.instances()}
    )
    import subprocess

    import owlready2.reasoning as reasoning

    # owlready2 passes these keyword arguments to subprocess; a timeout bounds a runaway HermiT.
    kwargs = reasoning._subprocess_kargs
    kwargs["timeout"] = timeout
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasonResult(consistent=False, individuals=individuals)
    except subprocess.TimeoutExpired:
        raise TrustkgError(
            f"the HermiT reasoner did not finish within {timeout} s (use --timeout)"
        ) from None
    except owlready2.base.OwlReadyJavaError as exc:
        lines = str(exc).strip().splitlines()
        raise TrustkgError(f"the HermiT reasoner failed: {lines[-1] if lines else exc}") from None
    finally:
        kwargs.pop("timeout", None)
    inferred = {f"tk:{c.name}": sorted(_label(i) for i in c.instances()) for c in defined}
    unsatisfiable = sorted(
        f"tk:{c.name}" for c in world.inconsistent_classes() if c.iri.startswith(iris.TK)
    )
    return ReasonResult(True, individuals, inferred, unsatisfiable)


def _is_defined(cls) -> bool:
    """A class the reasoner fills from a definition (section 3 of the ontology): equivalent to a
    class expression other than an enumeration (the code lists, closed with ``owl:oneOf``) or a
    named class (a retired term equivalent to its replacement)."""
    import owlready2

    return any(not isinstance(e, owlready2.OneOf | owlready2.ThingClass) for e in cls.equivalent_to)


def _label(entity) -> str:
    """``li2018/organisation/N1-O05 (Voluntary Action)``: the id tells apart equal names."""
    name = entity.iri.removeprefix(iris.DATA)
    labels = list(getattr(entity, "label", []) or [])
    return f"{name} ({labels[0]})" if labels else name
