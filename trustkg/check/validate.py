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

from ..core import iris
from ..core.errors import TrustkgError
from ..core.iris import SH, TK_SHAPES
from ..core.resources import resource_dir
from ..core.text import terminal_text
from ..store.rdfio import parse_rdf_file

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

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
    #: the SHACL validation report graph(s); serialised only when asked for
    graphs: list = field(default_factory=list, repr=False)

    @property
    def report_turtle(self) -> str:
        """The SHACL validation report as Turtle (one report node per graph validated)."""
        import rdflib

        merged = rdflib.Graph()
        merged.bind("sh", SH)
        for graph in self.graphs:
            merged += graph
        return merged.serialize(format="turtle")

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

    from ..store.build import ontology_quads

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

    from ..store.build import ontology_quads

    chunks = [pyoxigraph.serialize(ontology_quads(), format=pyoxigraph.RdfFormat.N_QUADS)]
    if files:
        chunks += [parse_rdf_file(Path(f), input_format) for f in files]
    else:
        from ..store.embedded import open_store

        st = open_store(store)  # holds the ontology too; rdflib drops the duplicates
        chunks.append(pyoxigraph.serialize(st, format=pyoxigraph.RdfFormat.N_QUADS))
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
    """Validate an rdflib graph (``store``: the same data in Oxigraph, if already at hand)."""
    if store is None and engine == "fast":
        store = _oxigraph_copy(data)
    return validate_store(store, shapes, rdflib_data=lambda: data, engine=engine)


def validate_store(
    store: pyoxigraph.Store | None,
    shapes: rdflib.Graph,
    *,
    rdflib_data=None,
    engine: str = "fast",
) -> ValidationReport:
    """Validate the graph held by an Oxigraph store (queried as the union of its graphs).

    ``engine="fast"`` (the default) compiles the Core constraints it understands and the
    SHACL-SPARQL constraints into whole-graph queries on Oxigraph and leaves only the rest to
    pySHACL, which then needs the data as an rdflib graph (``rdflib_data()`` makes it, only
    if needed). ``engine="pyshacl"`` runs everything in pySHACL. Both report the same results.
    """

    from .shacl_core import compile_core, has_constraints
    from .shacl_sparql import run_checks, split_shapes

    if engine not in ("fast", "pyshacl"):
        raise TrustkgError(f"unknown validation engine {engine!r}: use fast or pyshacl")
    if engine == "pyshacl":
        rest, checks = shapes, []
    else:
        rest, sparql_checks = split_shapes(shapes)
        rest, core_checks = compile_core(rest)
        checks = sparql_checks + core_checks
    if engine == "pyshacl" or has_constraints(rest):
        if rdflib_data is None:
            raise TrustkgError("these shapes need pySHACL, which needs the data as a graph")
        report_graph = _pyshacl_report(rdflib_data(), rest)
    else:
        report_graph = _empty_report()
    if checks:
        _add_results(report_graph, run_checks(checks, store))
    results = _results(report_graph, _labels(report_graph, store, rdflib_data))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results, [report_graph])


def _pyshacl_report(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    import pyshacl
    import rdflib

    _, report_graph, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
    )
    if not isinstance(report_graph, rdflib.Graph):  # pySHACL could not run the shapes
        raise TrustkgError(f"the shapes could not be applied: {' '.join(str(text).split())}")
    return report_graph


def _empty_report() -> rdflib.Graph:
    from rdflib import RDF, BNode, Graph, Literal, Namespace

    sh = Namespace(SH)
    graph = Graph()
    graph.bind("sh", sh)
    node = BNode()
    graph.add((node, RDF.type, sh.ValidationReport))
    graph.add((node, sh.conforms, Literal(True)))
    return graph


def _labels(report: rdflib.Graph, store, rdflib_data) -> dict[str, str]:
    """rdfs:label of every focus node, asked of the store in batches (or of the rdflib data)."""
    from rdflib import RDFS, Namespace, URIRef

    sh = Namespace(SH)
    focus = sorted({str(f) for f in report.objects(None, sh.focusNode) if isinstance(f, URIRef)})
    labels: dict[str, str] = {}
    if store is None:
        data = rdflib_data()
        for f in focus:
            label = data.value(URIRef(f), RDFS.label)
            if label is not None:
                labels[f] = str(label)
        return labels
    for i in range(0, len(focus), 500):
        values = " ".join(f"<{f}>" for f in focus[i : i + 500])
        query = (
            "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } "
            "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        for row in store.query(query, use_default_graph_as_union=True):
            labels.setdefault(row["s"].value, row["l"].value)
    return labels


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
        if row["value"] is not None:
            report.add((r, sh.value, _to_rdflib(row["value"])))
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
    from functools import cache

    @cache
    def as_rdflib() -> rdflib.Graph:  # only built if some shape needs pySHACL
        return data_graph(files, store=store, input_format=input_format)

    if files:
        oxstore = _files_store(files, input_format)
    else:
        oxstore = _memory_copy(store)
    data = validate_store(
        oxstore, shapes_graph(shapes, replace_shapes), rdflib_data=as_rdflib, engine=engine
    )
    onto = validate_graph(
        ontology_graph(), shapes_graph([ontology_shapes_file()], replace=True), engine=engine
    )
    return merge_reports(data, onto)


def _memory_copy(store: str | Path | None) -> pyoxigraph.Store:
    """The built store, copied into an in-memory Oxigraph store for validation.

    Validation asks a few hundred whole-graph questions; in memory Oxigraph answers them about
    five times faster than from disk. The copy is loaded from the N-Triples snapshot that
    ``build`` leaves in the store folder (reading the snapshot is several times faster than
    dumping the database); a store without one is dumped.
    """
    import tempfile

    import pyoxigraph

    from ..store.embedded import SNAPSHOT, open_store, resolve_store_path

    folder = resolve_store_path(store)
    disk = open_store(folder)
    memory = pyoxigraph.Store()
    fmt = pyoxigraph.RdfFormat.N_TRIPLES
    snapshot = sorted(folder.glob(SNAPSHOT.replace(".nt", "-*.nt")))
    if snapshot:
        for part in snapshot:
            memory.bulk_load(path=str(part), format=fmt)
        return memory
    with tempfile.TemporaryDirectory(prefix="trustkg-validate-") as tmp:
        dump = Path(tmp) / "graph.nt"
        disk.dump(str(dump), fmt, from_graph=pyoxigraph.DefaultGraph())
        memory.bulk_load(path=str(dump), format=fmt)
    return memory


def _files_store(files: Sequence[str | Path], input_format: str | None) -> pyoxigraph.Store:
    """The files and the ontology in an in-memory Oxigraph store."""
    import pyoxigraph

    from ..store.build import ontology_quads

    store = pyoxigraph.Store()
    store.extend(ontology_quads())
    for f in files:
        store.load(parse_rdf_file(Path(f), input_format), pyoxigraph.RdfFormat.N_QUADS)
    return store


def merge_reports(*reports: ValidationReport) -> ValidationReport:
    results = sorted(
        (res for r in reports for res in r.results),
        key=lambda r: (SEVERITY_ORDER.index(r.severity), r.shape, r.focus_label, r.value or ""),
    )
    graphs = [g for r in reports for g in r.graphs]
    return ValidationReport(all(r.conforms for r in reports), results, graphs)


def _results(report: rdflib.Graph, labels: dict[str, str]) -> list[ValidationResult]:
    from rdflib import RDF, Namespace

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
        label = labels.get(str(focus))
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
    if text.startswith(TK_SHAPES):
        return "tks:" + text[len(TK_SHAPES) :]
    return iris.curie(text).strip("<>") if text.startswith("http") else text


def render_text(report: ValidationReport, verbose: bool = False) -> str:
    """The results grouped by severity with counts, then a closing verdict line.

    By default each severity is summarised by rule: how many results each shape gave, its
    message, and the first thing it names (a graph with hundreds of notes still reads in a
    screen). ``verbose`` lists every result, one line each. The last line is the verdict.
    """
    lines = []
    for severity in SEVERITY_ORDER:
        group = [r for r in report.results if r.severity == severity]
        if not group:
            continue
        heading = f"{severity}s ({len(group)})" if severity != "Info" else f"Info ({len(group)})"
        if verbose:
            lines.append(f"{heading}:")
            lines += [f"  {r.line()}" for r in group]
            continue
        lines.append(f"{heading}, by rule (--verbose lists each):")
        rules: dict[tuple[str, str | None], list[ValidationResult]] = {}
        for r in group:
            rules.setdefault((r.shape, r.path), []).append(r)
        width = len(str(max(len(rs) for rs in rules.values())))
        for (shape, path), rs in sorted(rules.items(), key=lambda kv: (-len(kv[1]), kv[0][0])):
            where = f" [{path}]" if path else ""
            lines.append(
                f"  {len(rs):>{width}}  {shape}{where}: {_shared_message(rs)} "
                f"(e.g. {rs[0].focus_label})"
            )
    c = report.counts()
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"{verdict}: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} note(s)"
    )
    return terminal_text("\n".join(lines))


def _shared_message(results: Sequence[ValidationResult]) -> str:
    """The message the results of one rule share: the whole message when they all say the
    same, else what they have in common up to a word, then "…".

    >>> def note(text):
    ...     return ValidationResult("Info", "", "", None, None, text, "", "")
    >>> _shared_message([note("recorded as printed: x"), note("recorded as printed: y")])
    'recorded as printed: …'
    """
    import os

    messages = [r.message for r in results]
    if len(set(messages)) == 1:
        return messages[0]
    prefix = os.path.commonprefix(messages)
    cut = prefix.rsplit(" ", 1)[0] if " " in prefix else ""
    if len(cut) >= 12:
        return cut + " …"
    first = messages[0]
    return first if len(first) <= 100 else first[:100].rsplit(" ", 1)[0] + " …"
