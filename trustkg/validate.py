"""Validate the graph with SHACL: the data shapes and the ontology shapes in ``shapes/``.

A graph *conforms* when no result has severity ``sh:Violation``: warnings and notes are there for
a researcher to read, not to fail a build (pySHACL's ``allow_warnings``/``allow_infos``). Results
are turned into plain records that name the focus node by its label, so a message reads
"Quotation li2018 Q03: speaker is in N3 but the attribution says N2" rather than an IRI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import iris
from .errors import TrustkgError
from .rdfio import parse_rdf_file
from .resources import resource_dir

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

SH = "http://www.w3.org/ns/shacl#"
SEVERITY_ORDER = ("Violation", "Warning", "Info")


@dataclass
class ValidationResult:
    severity: str
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    message: str
    shape: str
    constraint: str

    def line(self) -> str:
        path = f" [{self.path}]" if self.path else ""
        return f"{self.severity:<9} {self.focus_label}{path}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    report_turtle: str = ""

    def counts(self) -> dict[str, int]:
        c = Counter(r.severity for r in self.results)
        return {s: c.get(s, 0) for s in SEVERITY_ORDER}

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [asdict(r) for r in self.results],
        }


def data_shapes_file() -> Path:
    """Shapes for study data: what a study's graph must, should or may hold."""
    return resource_dir("shapes") / "trustkg-data.ttl"


def ontology_shapes_file() -> Path:
    """Shapes for the ontology itself (labels, definitions, header), kept apart from data."""
    return resource_dir("shapes") / "trustkg-ontology.ttl"


def _nquads_to_graph(chunks: Sequence[bytes]) -> rdflib.Graph:
    """Union of all graphs as one rdflib Graph (SHACL validates one data graph)."""
    import rdflib

    ds = rdflib.Dataset()
    for chunk in chunks:
        ds.parse(data=chunk.decode("utf-8"), format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in ds.quads():
        graph.add((s, p, o))
    return graph


def ontology_graph() -> rdflib.Graph:
    import pyoxigraph

    from .build import ontology_quads

    return _nquads_to_graph(
        [pyoxigraph.serialize(ontology_quads(), format=pyoxigraph.RdfFormat.N_QUADS)]
    )


def data_graph(
    files: Sequence[str | Path] = (),
    *,
    store: str | Path | None = None,
    input_format: str | None = None,
) -> rdflib.Graph:
    """The graph to validate: the given files, or the built store, always with the ontology
    (``sh:class`` follows ``rdfs:subClassOf`` through it)."""
    import pyoxigraph

    from .build import ontology_quads

    chunks = [pyoxigraph.serialize(ontology_quads(), format=pyoxigraph.RdfFormat.N_QUADS)]
    if files:
        chunks += [parse_rdf_file(Path(f), input_format) for f in files]
    else:
        from .store import open_store

        st = open_store(store)
        onto = pyoxigraph.NamedNode(iris.ONTOLOGY_GRAPH)
        chunks.append(
            pyoxigraph.serialize(
                (q for q in st if q.graph_name != onto), format=pyoxigraph.RdfFormat.N_QUADS
            )
        )
    return _nquads_to_graph(chunks)


def shapes_graph(extra: Sequence[str | Path] = (), replace: bool = False) -> rdflib.Graph:
    """The data shapes, plus (or, with ``replace``, instead of them) the user's shape files."""
    import rdflib

    graph = rdflib.Graph()
    sources = [Path(p) for p in extra] if replace else [data_shapes_file(), *map(Path, extra)]
    if not sources:
        raise TrustkgError("no shapes to validate with (--replace-shapes needs --shapes FILE)")
    for path in sources:
        graph.parse(data=parse_rdf_file(path).decode("utf-8"), format="nquads")
    return graph


def validate_graph(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    *,
    store: pyoxigraph.Store | None = None,
    engine: str = "fast",
) -> ValidationReport:
    """Validate ``data`` with ``shapes`` and return plain result records.

    ``engine="fast"`` (the default) leaves the core constraints to pySHACL and runs the
    SPARQL-based constraints once over the whole graph on Oxigraph (``store``, or an in-memory
    copy of ``data``); ``engine="pyshacl"`` runs everything in pySHACL. Both report the same
    results; the fast one scales.
    """
    import pyshacl
    import rdflib

    from .shacl_sparql import run_checks, split_shapes

    if engine not in ("fast", "pyshacl"):
        raise TrustkgError(f"unknown validation engine {engine!r}: use fast or pyshacl")
    core, checks = split_shapes(shapes) if engine == "fast" else (shapes, [])
    _, report_graph, text = pyshacl.validate(
        data,
        shacl_graph=core,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
    )
    if not isinstance(report_graph, rdflib.Graph):  # pySHACL could not run the shapes
        raise TrustkgError(f"the shapes could not be applied: {' '.join(str(text).split())}")
    if checks:
        if store is None:
            store = _oxigraph_copy(data)
        _add_results(report_graph, run_checks(checks, store))
    results = _results(report_graph, data)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results, report_graph.serialize(format="turtle"))


def _oxigraph_copy(graph: rdflib.Graph) -> pyoxigraph.Store:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _to_rdflib(term):
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _add_results(report: rdflib.Graph, rows: list[dict]) -> None:
    """Write SPARQL-check results into the SHACL report graph, as pySHACL would."""
    from rdflib import RDF, BNode, Literal, Namespace, URIRef

    sh = Namespace(SH)
    (node,) = report.subjects(RDF.type, sh.ValidationReport)
    for row in rows:
        r = BNode()
        report.add((node, sh.result, r))
        report.add((r, RDF.type, sh.ValidationResult))
        report.add((r, sh.focusNode, _to_rdflib(row["focus"])))
        report.add((r, sh.resultSeverity, sh[row["severity"]]))
        report.add((r, sh.sourceShape, URIRef(row["shape"])))
        report.add((r, sh.sourceConstraint, URIRef(row["constraint"])))
        report.add((r, sh.sourceConstraintComponent, sh.SPARQLConstraintComponent))
        report.add((r, sh.resultMessage, Literal(row["message"])))
        report.add((r, sh.value, _to_rdflib(row["value"] or row["focus"])))
        if row["path"] is not None:
            report.add((r, sh.resultPath, _to_rdflib(row["path"])))
        if row["severity"] == "Violation":
            report.set((node, sh.conforms, Literal(False)))


def validate(
    files: Sequence[str | Path] = (),
    *,
    store: str | Path | None = None,
    shapes: Sequence[str | Path] = (),
    replace_shapes: bool = False,
    input_format: str | None = None,
    engine: str = "fast",
) -> ValidationReport:
    """Validate files (with the ontology) or, with no file, the built store.

    The data shapes run over the data and the ontology; the ontology shapes over the ontology
    alone, so the ontology's hygiene is checked on every validation.
    """
    graph = data_graph(files, store=store, input_format=input_format)
    oxstore = None
    if not files:  # the built store answers the SPARQL checks itself: no copy needed
        from .store import open_store

        oxstore = open_store(store)
    data = validate_graph(graph, shapes_graph(shapes, replace_shapes), store=oxstore, engine=engine)
    onto = validate_graph(
        ontology_graph(), shapes_graph([ontology_shapes_file()], replace=True), engine=engine
    )
    return merge_reports(data, onto)


def merge_reports(*reports: ValidationReport) -> ValidationReport:
    import rdflib

    merged = rdflib.Graph()
    for r in reports:
        merged.parse(data=r.report_turtle, format="turtle")
    results = sorted(
        (res for r in reports for res in r.results),
        key=lambda r: (SEVERITY_ORDER.index(r.severity), r.shape, r.focus_label, r.value or ""),
    )
    return ValidationReport(
        all(r.conforms for r in reports), results, merged.serialize(format="turtle")
    )


def _results(report: rdflib.Graph, data: rdflib.Graph) -> list[ValidationResult]:
    from rdflib import RDF, RDFS, Namespace

    sh = Namespace(SH)
    out = []
    for r in report.subjects(RDF.type, sh.ValidationResult):
        focus = report.value(r, sh.focusNode)
        path = report.value(r, sh.resultPath)
        value = report.value(r, sh.value)
        shape = report.value(r, sh.sourceShape)
        constraint = report.value(r, sh.sourceConstraint) or report.value(
            r, sh.sourceConstraintComponent
        )
        message = report.value(r, sh.resultMessage)
        label = data.value(focus, RDFS.label)
        severity = str(report.value(r, sh.resultSeverity)).removeprefix(SH)
        out.append(
            ValidationResult(
                severity=severity,
                focus=str(focus),
                focus_label=str(label) if label is not None else _short(focus),
                path=_short(path) if path is not None else None,
                value=str(value) if value is not None else None,
                message=" ".join(str(message).split()) if message else "",
                shape=_short(shape),
                constraint=_short(constraint),
            )
        )
    out.sort(
        key=lambda r: (SEVERITY_ORDER.index(r.severity), r.shape, r.focus_label, r.value or "")
    )
    return out


def _short(term) -> str:
    from rdflib import BNode

    if term is None:
        return ""
    if isinstance(term, BNode):
        return "(anonymous shape)"
    text = str(term)
    shapes_ns = "https://w3id.org/trustkg/shapes#"
    if text.startswith(shapes_ns):
        return "tks:" + text[len(shapes_ns) :]
    return iris.curie(text).strip("<>") if text.startswith("http") else text


def render_text(report: ValidationReport) -> str:
    """One line per result, grouped by severity with counts, and a closing summary line."""
    lines = []
    for severity in SEVERITY_ORDER:
        group = [r for r in report.results if r.severity == severity]
        if not group:
            continue
        lines.append(
            f"{severity}s ({len(group)}):" if severity != "Info" else f"Info ({len(group)}):"
        )
        lines += [f"  {r.line()}" for r in group]
    c = report.counts()
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"{verdict}: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} note(s)"
    )
    return "\n".join(lines)
