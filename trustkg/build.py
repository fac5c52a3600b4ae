"""Build the graph: ontology plus study tables into the embedded store, and optional exports.

Everything is read and checked before the store is touched, so a mistake in a table is reported
and the previous store stays exactly as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import iris
from .errors import TrustkgError
from .rdfio import export, format_for
from .resources import bundled_studies, ontology_file
from .store import build_lock, resolve_store_path, staged_store
from .tables import StudyTables, read_study


@dataclass
class BuildSummary:
    store: Path
    studies: list[str]
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)


def ontology_quads() -> list:
    """The ontology's triples, in their own named graph."""
    import pyoxigraph

    path = ontology_file()
    graph = pyoxigraph.NamedNode(iris.ONTOLOGY_GRAPH)
    try:
        triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
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


def graph_quads(studies: Sequence[StudyTables], with_ontology: bool = True) -> list:
    """Every quad of the graph: read, resolved and checked, but not yet stored."""
    from .load import StudyIndex, study_quads

    index = StudyIndex()
    for study in studies:
        index.add(study)
    quads = ontology_quads() if with_ontology else []
    for study in studies:
        quads.extend(study_quads(study, index))
    return quads


def build(
    studies: Sequence[str | Path] | None = None,
    *,
    include_bundled: bool = True,
    store: str | Path | None = None,
    outputs: Sequence[str | Path] = (),
) -> BuildSummary:
    """Build the store from the bundled studies and any extra study folders.

    Raises :class:`~trustkg.errors.TrustkgError` naming file, line and column for a bad table;
    the store is then left untouched.
    """
    folders = list(bundled_studies()) if include_bundled else []
    folders += expand_study_folders(studies or ())
    tables = read_studies(folders)
    quads = graph_quads(tables)
    for out in outputs:
        format_for(Path(out))  # refuse an unknown extension before writing anything

    folder = resolve_store_path(store)
    with build_lock(folder), staged_store(folder) as st:
        st.bulk_extend(quads)
        triples = len(st)
        counts = class_counts(st)
    written = [export(quads, Path(out)) for out in outputs]
    return BuildSummary(folder, [t.study_id for t in tables], triples, counts, written)


def class_counts(store) -> dict[str, int]:
    """Instances per trustkg class over the data graphs (ontology graph excluded)."""
    query = f"""
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          GRAPH ?g {{ ?s a ?class }}
          FILTER(?g != <{iris.ONTOLOGY_GRAPH}> && STRSTARTS(STR(?class), "{iris.TK}"))
        }} GROUP BY ?class ORDER BY ?class"""
    return {iris.curie(r["class"].value): int(r["n"].value) for r in store.query(query)}


def summary_rows(summary: BuildSummary) -> list[tuple[str, int]]:
    return sorted(Counter(summary.class_counts).items())
