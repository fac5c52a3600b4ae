"""How the store's one default graph splits into named graphs: one per study, plus two more.

Locally everything lives in the default graph (Oxigraph indexes it three ways instead of six,
see ``build.py``); a shared SPARQL server wants one named graph per study, so that a study can be
replaced, dropped or queried on its own. The split follows what the data already records:

* a study's graph holds its study node and every triple whose subject says ``tk:inStudy`` it;
* the ontology graph holds every triple whose subject is outside trustkg's data namespace and in
  no study: the ontology, its blank-node axioms and its statements about reused vocabularies;
* the shared graph holds the data nodes that belong to no single study because several studies
  point to them: curators, external identifiers (ODS, ONS, Wikidata) and register areas.

The dataset description (``describe.py``) has a fourth graph of its own. Graph names are
``{base}{name}/graph``; the default base is trustkg's data namespace, so a study's graph is
``iris.graph_iri(study)`` and the ontology's ``iris.ONTOLOGY_GRAPH``. Counting and extracting
run as SPARQL inside Oxigraph, so they scale with the store (about 2 s per million triples).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..core import iris
from ..core.errors import TrustkgError

#: Graph names that are not studies; ``iris.valid_study_id`` refuses them as study ids.
ONTOLOGY = "ontology"
SHARED = "shared"
DESCRIPTION = "dataset"
#: what ``reason --write`` inferred: ``iris.INFERRED_GRAPH``
INFERRED = "inferred"

DEFAULT_BASE = iris.DATA

_TK = iris.TK
_BASE_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')


def normalise_base(base: str | None) -> str:
    """The base IRI that graph names start with; a missing final ``/`` or ``#`` is added."""
    if not base:
        return DEFAULT_BASE
    if _BASE_FORBIDDEN.search(base) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", base):
        raise TrustkgError(
            f"graph base {base!r} is not an absolute IRI (e.g. https://example.org/graphs/)",
            field="--graph",
        )
    return base if base.endswith(("/", "#")) else base + "/"


def graph_name(base: str, name: str) -> str:
    """``{base}{name}/graph``: with the default base, the names ``iris`` already mints."""
    return f"{base}{name}/graph"


@dataclass(frozen=True)
class Part:
    """One named graph of the split: its key (a study id, ``ontology`` or ``shared``), a title
    for people, how many triples it holds, and the study node or ontology IRI it stands for."""

    key: str
    title: str
    triples: int
    source: str | None = None

    def graph(self, base: str = DEFAULT_BASE) -> str:
        return graph_name(base, self.key)

    @property
    def is_study(self) -> bool:
        return self.key not in (ONTOLOGY, SHARED)


_IN_STUDY = f"<{_TK}inStudy>"

# Whole-store string filters (STRSTARTS(STR(?s)) over every triple) take seconds per million
# triples on Oxigraph, and MINUS is fast, so the SPARQL only separates "in a study" from "in
# none", and the few thousand subjects in none are sorted in Python.
_STUDY_COUNTS = f"""SELECT ?study (SUM(?k) AS ?n) WHERE {{
    ?s {_IN_STUDY} ?study {{ SELECT ?s (COUNT(*) AS ?k) WHERE {{ ?s ?p ?o }} GROUP BY ?s }}
}} GROUP BY ?study"""
_REST_COUNTS = f"""SELECT ?s (COUNT(*) AS ?k) WHERE {{
    ?s ?p ?o MINUS {{ ?s {_IN_STUDY} ?x }} }} GROUP BY ?s"""
_REST = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o MINUS {{ ?s {_IN_STUDY} ?x }} }}"


def _studies(store) -> dict[str, tuple[str, str]]:
    """Study node IRI → (study id, title)."""
    studies: dict[str, tuple[str, str]] = {}
    query = f"""SELECT ?study ?title WHERE {{
        ?study a <{_TK}Study> FILTER(STRSTARTS(STR(?study), "{iris.DATA}"))
        OPTIONAL {{ ?study <{iris.RDFS}label> ?title }} }}"""
    for row in store.query(query):
        node = row["study"].value
        key = node[len(iris.DATA) :].removesuffix("/study")
        if not iris.valid_study_id(key):
            raise TrustkgError(
                f"the store holds a study {node} that trustkg cannot name a graph for"
            )
        title = row["title"].value if row["title"] is not None else key
        studies[node] = (key, title)
    return studies


def study_titles(store) -> dict[str, str]:
    """Study id → title (its id when it has none), for every study an open store holds."""
    return {key: title for key, title in sorted(_studies(store).values())}


def study_ids(store) -> list[str]:
    """The ids of the studies an open store holds, sorted."""
    return list(study_titles(store))


def _home_iri(iri: str | None, studies: dict[str, tuple[str, str]]) -> str:
    """The part a subject that says no tk:inStudy belongs to (``None`` for a blank node)."""
    if iri is not None:
        if iri in studies:
            return studies[iri][0]
        if iri.startswith(iris.DATA):
            return SHARED
    return ONTOLOGY


def _home(subject, studies: dict[str, tuple[str, str]]) -> str:
    import pyoxigraph

    return _home_iri(subject.value if isinstance(subject, pyoxigraph.NamedNode) else None, studies)


def split(store, total: int | None = None) -> list[Part]:
    """The named graphs of a built store, with their triple counts (default graph only).

    ``total``, the number of triples in the default graph, saves counting them again when the
    caller knows it. Raises :class:`TrustkgError` when the store cannot be split cleanly: a
    subject claimed by two studies, or a tk:inStudy that names no study of the store.
    """
    from concurrent.futures import ThreadPoolExecutor

    studies = _studies(store)
    counts: dict[str, int] = {}
    # the two whole-store scans run at once: Oxigraph evaluates them without Python's lock
    with ThreadPoolExecutor(2) as pool:
        study_rows, rest_rows = pool.map(
            lambda q: list(store.query(q)), (_STUDY_COUNTS, _REST_COUNTS)
        )
    for row in study_rows:
        node = row["study"].value
        if node not in studies:
            raise TrustkgError(f"tk:inStudy names {node}, which is not a study of this store")
        counts[studies[node][0]] = int(row["n"].value)
    for row in rest_rows:
        key = _home(row["s"], studies)
        counts[key] = counts.get(key, 0) + int(row["k"].value)
    if total is None:
        total = int(
            next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
        )
    if sum(counts.values()) != total:  # a subject in two studies is counted twice
        raise TrustkgError(
            f"the store's {total} triples do not split into one graph per study "
            f"({sum(counts.values())} placed): some subject says tk:inStudy of two studies"
        )
    return _parts(studies, counts)


def _parts(studies: dict[str, tuple[str, str]], counts: dict[str, int]) -> list[Part]:
    parts = [
        Part(key, f"Study {key}: {title}", counts.get(key, 0), node)
        for node, (key, title) in sorted(studies.items(), key=lambda kv: kv[1][0])
    ]
    parts.append(
        Part(
            ONTOLOGY,
            "The trustkg ontology and what it says about the vocabularies it reuses",
            counts.get(ONTOLOGY, 0),
            iris.ONTOLOGY_IRI,
        )
    )
    parts.append(
        Part(
            SHARED,
            "Nodes several studies share: curators, external identifiers, register areas",
            counts.get(SHARED, 0),
        )
    )
    return parts


class Tally:
    """The build's lines counted as they pass: triples per subject, and which study each
    subject's ``tk:inStudy`` names, to size the named graphs without scanning the store.

    :func:`split` scans the whole store twice on both cores (about 1.2 s of a build at a
    million triples); counting the lines on their way to the loader costs less, on one core
    while the other indexes. The count is only used when its total equals the store's own.
    Lines can only outnumber the store's triples, and only by repeating one (written twice, or
    in two spellings the loader keeps once), so equal totals mean every line was a triple of
    its own and the per-subject counts are exact; otherwise the build falls back on
    :func:`split`, as it does for a subject in two studies, which ``split`` also explains.
    The build writes no line twice, so no set of seen lines is kept: at ten million triples
    that set held ten million entries (the build's peak fell from 3.8 to 2.8 GB without it
    and the repeated curator lines).
    """

    def __init__(self) -> None:
        self._lines = 0
        self._subjects: dict[str, int] = {}  # subject as written → triples
        self._in_study: dict[str, str] = {}  # subject as written → the study it names
        self._clash = False

    def add(self, lines: list[str]) -> None:
        """Count a block of N-Triples items: one line each, or several (the ontology's)."""
        subjects, in_study = self._subjects, self._in_study
        for line in lines:
            if line.count("\n") > 1:
                self.add(line.splitlines(keepends=True))
                continue
            self._lines += 1
            s, p, rest = line.split(" ", 2)
            subjects[s] = subjects.get(s, 0) + 1
            if p == _IN_STUDY:
                study = rest[: rest.rindex(" ")]
                if in_study.setdefault(s, study) != study:
                    self._clash = True

    @property
    def total(self) -> int:
        return self._lines

    def parts(self, store, total: int) -> list[Part] | None:
        """The split of :func:`split`, from the counts; None when they do not add up to
        ``total``, the store's number of triples."""
        if self._clash or self.total != total:
            return None
        studies = _studies(store)
        counts: dict[str, int] = {}
        for s, n in self._subjects.items():
            node = self._in_study.get(s)
            if node is not None:
                study = studies.get(node[1:-1])
                if study is None:
                    return None  # a tk:inStudy naming no study: split() says so
                key = study[0]
            else:
                key = _home_iri(s[1:-1] if s.startswith("<") else None, studies)
            counts[key] = counts.get(key, 0) + n
        return _parts(studies, counts)


def triples(store, parts: list[Part]) -> Iterator[tuple[Part, list]]:
    """Each part with its triples (pyoxigraph ``Triple`` objects), in the order given.

    A study's triples come from one indexed query each; the triples in no study are read once
    and dealt to the study nodes, the ontology and the shared graph.
    """
    studies = {p.source: (p.key, p.title) for p in parts if p.is_study and p.source}
    rest: dict[str, list] = {}
    for t in store.query(_REST):
        rest.setdefault(_home(t.subject, studies), []).append(t)
    for part in parts:
        found = list(rest.get(part.key, []))
        if part.is_study and part.source:
            found += store.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s {_IN_STUDY} <{part.source}> . ?s ?p ?o }}"
            )
        yield part, found
