"""Build the graph: ontology plus study tables into the embedded store, and optional exports.

Everything is read and checked before the store is touched, so a mistake in a table is reported
and the previous store stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core import faults, iris
from ..core.errors import TrustkgError
from ..core.resources import bundled_studies
from ..load.graph import graph_ntriples
from ..load.ontology import ontology_quads
from ..sources.tables import StudyTables, read_study
from .describe import DESCRIPTION_FILE, write_description
from .embedded import SNAPSHOT, build_lock, open_store, replace_store, resolve_store_path
from .graphs import Tally, split, study_ids
from .rdfio import export, format_for


@dataclass
class BuildSummary:
    store: Path
    studies: list[str]
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    description: Path | None = None
    #: studies the store held before this build that the build left out
    dropped: list[str] = field(default_factory=list)


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


def build(
    studies: Sequence[str | Path] | None = None,
    *,
    include_bundled: bool = True,
    store: str | Path | None = None,
    outputs: Sequence[str | Path] = (),
) -> BuildSummary:
    """Build the store from the bundled studies and any extra study folders.

    Raises :class:`~trustkg.core.errors.TrustkgError` naming file, line and column for a bad table;
    the store is then left untouched: the new graph is written to a staging folder that only
    replaces the store once everything has loaded.
    """

    folders = list(bundled_studies()) if include_bundled else []
    folders += expand_study_folders(studies or ())
    tables = read_studies(folders)
    for out in outputs:
        format_for(Path(out))  # refuse an unknown extension before writing anything

    folder = resolve_store_path(store)

    def fill(st, stage: Path) -> tuple[int, dict[str, int]]:
        from concurrent.futures import ThreadPoolExecutor

        tally = Tally()
        write_and_load(st, graph_ntriples(tables), stage, on_block=tally.add)
        faults.point("build:loaded")
        # Compact while the counting and the description run: each loaded part is an index
        # file of its own, and whether RocksDB merged them before the store was closed was
        # left to chance: of two stores of the same million-triple corpus, the one RocksDB
        # had merged answered CQ14 in 101 ms, the other in 203 ms; compacted, 51 ms.
        with ThreadPoolExecutor(1, thread_name_prefix="trustkg-compact") as pool:
            compacted = pool.submit(st.optimize)
            triples = len(st)
            counts = class_counts(st)
            # the named graphs' sizes, for the description: counted as the lines were
            # written, or, should that count not add up to the store's, by querying the store
            parts = tally.parts(st, triples) or split(st, total=triples)
            # the DCAT/VoID description goes into a named graph of its own, after the counting
            write_description(st, parts, stage)
            compacted.result()
        return triples, counts

    with build_lock(folder):
        dropped = sorted(set(held_studies(folder)) - {t.study_id for t in tables})
        triples, counts = replace_store(folder, fill)
    written = [export_store(folder, Path(out)) for out in outputs]
    return BuildSummary(
        folder,
        [t.study_id for t in tables],
        triples,
        counts,
        written,
        folder / DESCRIPTION_FILE,
        dropped,
    )


def held_studies(store: str | Path | None) -> list[str]:
    """The ids of the studies a built store holds now ([] when there is no store yet).

    A build replaces the whole store with the studies it is given, so it tells the caller which
    of these it leaves out (until the store keeps each study on its own).
    """
    folder = resolve_store_path(store)
    if not (folder / "CURRENT").is_file():
        return []
    try:
        return study_ids(open_store(folder))
    except TrustkgError:
        return []  # a store trustkg cannot split is rebuilt all the same


#: Items (lines) per snapshot file: the first file is small so that indexing starts early,
#: each next one twice as big, up to Oxigraph's own bulk-load batch, so a big graph is not cut
#: into many small index files that every later lookup must search.
FIRST_PART = 100_000
LAST_PART = 1_000_000
_BLOCK = 20_000


def write_and_load(
    store,
    lines: Iterable[str],
    folder: Path,
    on_block: Callable[[list[str]], object] | None = None,
) -> list[Path]:
    """Write the graph as N-Triples files into the store folder, loading each into ``store``
    while the next is written.

    The files are the store's snapshot (a portable copy, and what validation loads into
    memory). Making the lines is Python on one core; Oxigraph's bulk loader indexes a file in
    Rust without Python's lock, so a finished file goes to a loader thread and making and
    indexing overlap on the two cores (with the rest of that change, a million-triple build
    went from 12.5 s to 8.4 s in the benchmark). ``on_block`` sees each block of lines before
    it is written.
    """
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph

    def load(path: Path) -> None:
        # lenient skips checking each IRI again: trustkg mints them all from percent-quoted
        # ids (the ontology, written by hand, was parsed strictly before it got here)
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)

    paths: list[Path] = []
    loads = []
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="trustkg-load")
    out = None
    try:
        in_file, limit = 0, FIRST_PART
        block: list[str] = []

        def flush() -> None:
            nonlocal out, in_file
            if on_block is not None:
                on_block(block)
            if out is None:
                paths.append(folder / SNAPSHOT.replace(".nt", f"-{len(paths)}.nt"))
                out = open(paths[-1], "w", encoding="utf-8")  # noqa: SIM115 - closed below
            out.write("".join(block))
            in_file += len(block)
            block.clear()

        def hand_over() -> None:
            nonlocal out, in_file
            out.close()
            out = None
            in_file = 0
            loads.append(pool.submit(load, paths[-1]))

        for line in lines:
            block.append(line)
            if len(block) >= _BLOCK:
                flush()
                faults.point("build:snapshot-block")
                if in_file >= limit:
                    hand_over()
                    limit = min(2 * limit, LAST_PART)
        if block or not paths or out is not None:
            flush()
            hand_over()
        faults.point("build:snapshot-written")
        for done in loads:
            done.result()
    finally:
        if out is not None:
            out.close()
        # a failure while writing waits for the loads under way: the staging store is only
        # deleted once nothing writes into it
        pool.shutdown(wait=True, cancel_futures=True)
    return paths


def export_store(store_path: Path, out: Path) -> Path:
    """Write the whole built graph, ontology included, to ``out``."""
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
