"""Build the graph: ontology plus study tables into the embedded store, and optional exports.

Everything is read and checked before the store is touched, so a mistake in a table is reported
and the previous store stays exactly as it was.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import iris
from .errors import TrustkgError
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
        lines = _tee(graph_ntriples(tables), staging_folder(folder) / SNAPSHOT)
        load_streaming(st, lines, folder.with_name(f".{folder.name}.pipe"))
        triples = len(st)
        counts = class_counts(st)
    written = [export_store(folder, Path(out)) for out in outputs]
    return BuildSummary(folder, [t.study_id for t in tables], triples, counts, written)


def _tee(lines: Iterable[str], path: Path) -> Iterator[str]:
    """Pass the lines on and keep a copy in ``path`` (the store's N-Triples snapshot)."""
    with open(path, "w", encoding="utf-8") as copy:
        for line in lines:
            copy.write(line)
            yield line


def load_streaming(store, lines: Iterable[str], pipe: Path) -> None:
    """Bulk-load N-Triples lines into ``store`` while they are still being made.

    Oxigraph's bulk loader reads from a named pipe in Rust, without Python's lock, while a
    thread here writes the lines into it: making the triples and indexing them share the
    machine's cores instead of taking turns. Everything goes to the default graph, which
    Oxigraph indexes three ways rather than six for named graphs: about a third faster to
    load. Where named pipes do not exist, the lines go through a temporary file.
    """
    import threading

    import pyoxigraph

    fmt = pyoxigraph.RdfFormat.N_TRIPLES
    pipe.unlink(missing_ok=True)
    if not hasattr(os, "mkfifo"):
        try:
            with open(pipe, "w", encoding="utf-8") as f:
                f.writelines(lines)
            store.bulk_load(path=str(pipe), format=fmt)
        finally:
            pipe.unlink(missing_ok=True)
        return
    os.mkfifo(pipe)
    failure: list[BaseException] = []

    def write() -> None:
        try:
            with open(pipe, "w", encoding="utf-8") as f:
                try:
                    f.writelines(lines)
                except BrokenPipeError:
                    pass  # the loader stopped first; its own error is raised below
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            failure.append(exc)

    writer = threading.Thread(target=write, name="trustkg-build-writer", daemon=True)
    writer.start()
    try:
        store.bulk_load(path=str(pipe), format=fmt)
    finally:
        writer.join()
        pipe.unlink(missing_ok=True)
    if failure:
        raise failure[0]


def export_store(store_path: Path, out: Path) -> Path:
    """Write the whole built graph, ontology included, to ``out``."""
    from .store import open_store

    return export(list(open_store(store_path)), out)


def class_counts(store) -> dict[str, int]:
    """Instances per trustkg class among the data (the ontology's own individuals left out)."""
    query = f"""
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          ?s a ?class
          FILTER(STRSTARTS(STR(?class), "{iris.TK}") && STRSTARTS(STR(?s), "{iris.DATA}"))
        }} GROUP BY ?class ORDER BY ?class"""
    return {iris.curie(r["class"].value): int(r["n"].value) for r in store.query(query)}


def summary_rows(summary: BuildSummary) -> list[tuple[str, int]]:
    return sorted(Counter(summary.class_counts).items())
