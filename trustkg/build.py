"""Build the graph: ontology plus study tables into the embedded store, and optional exports.

Everything is read and checked before the store is touched, so a mistake in a table is reported
and the previous store stays exactly as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import faults, iris
from .describe import DESCRIPTION_FILE, write_description
from .errors import TrustkgError
from .graphs import split
from .rdfio import export, format_for
from .resources import bundled_studies, ontology_file
from .store import SNAPSHOT, build_lock, resolve_store_path, staged_store, staging_folder
from .tables import StudyTables, read_study


@dataclass
class BuildSummary:
    store: Path
    studies: list[str]
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    description: Path | None = None


def ontology_quads() -> list:
    """The ontology's triples (as quads in the default graph)."""
    import pyoxigraph

    path = ontology_file()
    try:
        triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]
    except SyntaxError as exc:
        raise TrustkgError(f"ontology does not parse: {exc}", file=path) from None


def expand_study_folders(paths: Iterable[str | Path]) -> list[Path]:
    """A study folder stands for itself; a folder without study.csv for the study folders in it
    (so a whole corpus is one --study argument)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not (path / "study.csv").is_file():
            inner = sorted(p for p in path.iterdir() if (p / "study.csv").is_file())
            if inner:
                out += inner
                continue
        out.append(path)
    return out


def read_studies(folders: Iterable[str | Path]) -> list[StudyTables]:
    studies: list[StudyTables] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        study = read_study(folder)
        if study.study_id in seen:
            raise TrustkgError(
                f"study id {study.study_id!r} is already used by {seen[study.study_id]}",
                file=study.path / "study.csv",
                field="id",
            )
        seen[study.study_id] = study.path
        studies.append(study)
    return studies


def ontology_ntriples() -> str:
    """The ontology as N-Triples text."""
    import pyoxigraph

    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in ontology_quads()]
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()


def graph_ntriples(studies: Sequence[StudyTables], with_ontology: bool = True) -> Iterator[str]:
    """Every triple of the graph as N-Triples lines, resolved and checked as they are made."""
    from .load import StudyIndex, study_quads

    index = StudyIndex()
    for study in studies:
        index.add(study)
    if with_ontology:
        yield ontology_ntriples()
    for study in studies:
        yield from study_quads(study, index)


def build(
    studies: Sequence[str | Path] | None = None,
    *,
    include_bundled: bool = True,
    store: str | Path | None = None,
    outputs: Sequence[str | Path] = (),
) -> BuildSummary:
    """Build the store from the bundled studies and any extra study folders.

    Raises :class:`~trustkg.errors.TrustkgError` naming file, line and column for a bad table;
    the store is then left untouched: the new graph is written to a staging folder that only
    replaces the store once everything has loaded.
    """

    folders = list(bundled_studies()) if include_bundled else []
    folders += expand_study_folders(studies or ())
    tables = read_studies(folders)
    for out in outputs:
        format_for(Path(out))  # refuse an unknown extension before writing anything

    folder = resolve_store_path(store)
    with build_lock(folder), staged_store(folder) as st:
        parts = write_snapshot(graph_ntriples(tables), staging_folder(folder))
        faults.point("build:snapshot-written")
        load_parallel(st, parts)
        faults.point("build:loaded")
        triples = len(st)
        counts = class_counts(st)
        # the DCAT/VoID description goes into a named graph of its own, after the counting
        write_description(st, split(st, total=triples), staging_folder(folder))
        # Compacting now costs about 1.5 s at a million triples and makes every later index
        # lookup cheaper: the bulk loaders leave unmerged files that each lookup must search
        # (CQ13 at 1M: 0.13 s before, 0.10 s after).
        st.optimize()
    written = [export_store(folder, Path(out)) for out in outputs]
    return BuildSummary(
        folder, [t.study_id for t in tables], triples, counts, written, folder / DESCRIPTION_FILE
    )


def write_snapshot(lines: Iterable[str], folder: Path, parts: int = 2) -> list[Path]:
    """Write the graph as N-Triples into the store folder, dealt in blocks into ``parts`` files.

    The files are the store's snapshot (a portable copy, and what validation loads into
    memory) and what the bulk loaders read: making the triples takes a few seconds of Python,
    indexing them most of the build, so the indexing is split between the cores.
    """
    paths = [folder / SNAPSHOT.replace(".nt", f"-{i}.nt") for i in range(parts)]
    outs = [open(p, "w", encoding="utf-8") for p in paths]  # noqa: SIM115 - closed below
    try:
        block: list[str] = []
        turn = 0
        for line in lines:
            block.append(line)
            if len(block) >= 50_000:
                outs[turn].write("".join(block))
                block.clear()
                turn = (turn + 1) % parts
                faults.point("build:snapshot-block")
        outs[turn].write("".join(block))
    finally:
        for out in outs:
            out.close()
    return paths


def load_parallel(store, paths: Sequence[Path]) -> None:
    """Bulk-load N-Triples files into one store, one loader thread per file.

    Oxigraph's bulk loader works in Rust without Python's lock, so two loaders into one store
    use both cores: 1M triples index in about 6 s instead of 11. Everything goes to the default
    graph, which Oxigraph indexes three ways rather than six for named graphs.
    """
    import threading

    import pyoxigraph

    failures: list[BaseException] = []

    def load(path: Path) -> None:
        try:
            store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(p,), daemon=True) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]


def export_store(store_path: Path, out: Path) -> Path:
    """Write the whole built graph, ontology included, to ``out``."""
    from .store import open_store

    return export(list(open_store(store_path)), out)


def class_counts(store) -> dict[str, int]:
    """Instances per trustkg class among the data (the ontology's own individuals left out).

    Counted from the rdf:type index alone, then the ontology's own typed individuals, read off
    its file, are taken away: testing every typed node's IRI in the query cost 0.8 s of a
    build at a million triples.
    """
    import pyoxigraph

    query = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
    counts = {
        r["class"].value: int(r["n"].value)
        for r in store.query(query)
        if r["class"].value.startswith(iris.TK)
    }
    rdf_type = pyoxigraph.NamedNode(iris.RDF + "type")
    for q in ontology_quads():
        cls = q.object.value if isinstance(q.object, pyoxigraph.NamedNode) else ""
        if q.predicate == rdf_type and cls in counts and not q.subject.value.startswith(iris.DATA):
            counts[cls] -= 1
    return {iris.curie(c): n for c, n in sorted(counts.items()) if n > 0}


def summary_rows(summary: BuildSummary) -> list[tuple[str, int]]:
    return sorted(Counter(summary.class_counts).items())
