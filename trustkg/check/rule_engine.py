"""The scalable reasoner: the ontology's axioms compiled to SPARQL rules (``rules.py``) and
checks (``consistency.py``), run inside Oxigraph over the whole store. No Java.

It answers what HermiT answers on trustkg's data (consistency, and the members of every defined
class; tests/check/test_engines.py runs both), in time that grows linearly with the store: a
million triples in seconds, ten million in minutes, where HermiT stops finishing at about a
hundred thousand. It reasons in a scratch copy of the store (hard links, so free), so the store
stays read-only; with ``write`` it works in the staging copy of an atomic replacement instead,
under the build lock, and keeps the inferred memberships of the defined classes (see
:func:`write_inferred`). Both runs start from the stated graph: earlier inferences are removed
first, so an ontology change never leaves stale memberships behind.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

from ..core import iris
from .axioms import SK, TBox, read_tbox
from .consistency import (
    check_data_ranges,
    check_disjoint,
    check_functional,
    check_same_and_different,
)
from .result import ReasonResult
from .rules import fixpoint, superclass_consequences
from .workspace import RDF_TYPE, WORK, Workspace

INFERRED = ox.NamedNode(iris.INFERRED_GRAPH)
#: rounds of rules, superclass consequences and merges before giving up (a merge per round)
MAX_PASSES = 20
_OPEN_WORDS = {
    "all": "owl:allValuesFrom",
    "not": "owl:complementOf",
    "max": "a max cardinality",
    "exact": "an exact cardinality",
    "self": "owl:hasSelf",
    "data": "a data restriction",
    "unknown": "an expression the rules do not read",
}


def reason_with_rules(
    store: str | Path | None = None, *, ontology: list | None = None, write: bool = False
) -> ReasonResult:
    """Reason over the built store with the rules compiled from ``ontology`` (its quads; the
    bundled ontology by default). ``write`` keeps the defined classes' inferred memberships in
    the store. Raises :class:`~trustkg.core.errors.StoreError` when there is no store."""
    from ..load.ontology import ontology_quads
    from ..store.embedded import (
        build_lock,
        open_store,
        replace_store,
        resolve_store_path,
        use_copy,
    )

    started = time.perf_counter()
    quads = ontology if ontology is not None else ontology_quads()
    tbox = read_tbox(quads)
    compiled = time.perf_counter() - started
    folder = resolve_store_path(store)
    if not write:
        result = use_copy(folder, lambda st: _run(st, tbox, quads, write=False))
    else:
        open_store(folder)  # no store: the usual message, before taking the lock
        with build_lock(folder):
            result = replace_store(
                folder, lambda st, _: _run(st, tbox, quads, write=True), copy_current=True
            )
    result.stats["compile_s"] = round(compiled, 3)
    result.stats["total_s"] = round(time.perf_counter() - started, 3)
    return result


def _run(store: ox.Store, tbox: TBox, ontology: list, *, write: bool) -> ReasonResult:
    started = time.perf_counter()
    # from the stated graph: earlier inferences out; the ontology in the work graph, so a
    # test ontology reaches the rules the way it reaches HermiT, and never the store
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED.value}> {{ ?s ?p ?o }} }} ; "
        f"DROP SILENT GRAPH <{INFERRED.value}> ; DROP SILENT GRAPH <{WORK.value}>"
    )
    store.extend(ox.Quad(q.subject, q.predicate, q.object, WORK) for q in ontology)
    ws = Workspace(store, tbox)
    ws.timings["setup"] = time.perf_counter() - started
    rounds = _derive(ws)
    check_disjoint(ws)
    check_data_ranges(ws)
    check_same_and_different(ws)
    consistent = not ws.inconsistencies
    inferred = _members(ws) if consistent else {}
    written = _write_inferred(ws, inferred) if write else None
    result = ReasonResult(
        engine="rules",
        consistent=consistent,
        individuals=_individuals(ws),
        inferred={iris.curie(c): m for c, m in inferred.items()},
        inconsistencies=ws.inconsistencies,
        undecided=undecided(tbox) + ws.undecided,
        # the ontology's own equalities (a retired individual and its replacement) are not news
        merged=[list(m) for m in ws.merges if frozenset(m[:2]) not in tbox.same_as],
        written=written,
    )
    store.remove_graph(WORK)
    result.stats = {
        "reason_s": round(time.perf_counter() - started, 3),
        "rounds": rounds,
        "queries": ws.queries,
        "derived": ws.derived,
        "stages_s": {k: round(v, 3) for k, v in sorted(ws.timings.items())},
    }
    return result


def _derive(ws: Workspace) -> int:
    """Rules to a fixpoint, then what superclass positions and functional properties entail,
    again until nothing changes (or an inconsistency is found)."""
    for a, b in ws.q(f"SELECT ?a ?b WHERE {{ ?a <{iris.OWL}differentFrom> ?b }}", "setup"):
        ws.all_different.append({a.value, b.value})
    ws.add_types((m, n) for n, e in ws.t.exprs.items() if e.kind == "one" for m in e.parts)
    for a, b in ws.q(
        f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{iris.OWL}sameAs> ?b FILTER(?a != ?b) }}",
        "setup",
    ):
        if ws.same(a.value, b.value):
            continue  # asserted both ways, or in the store and the ontology
        renamed = frozenset((a.value, b.value)) in ws.t.same_as
        ws.merge(
            a.value, b.value, "the ontology's owl:sameAs" if renamed else "asserted owl:sameAs"
        )
    rounds = 0
    for _ in range(MAX_PASSES):
        rounds += fixpoint(ws)
        more = superclass_consequences(ws)
        more = check_functional(ws) or more
        if not more or ws.inconsistencies:
            break
    return rounds


def _members(ws: Workspace) -> dict[str, list[str]]:
    out = {}
    for c in ws.t.defined():
        rows = ws.q(
            f"SELECT DISTINCT ?x WHERE {{ {ws.member(c, '?x')} FILTER(isIRI(?x)) }}", "answer"
        )
        out[c] = sorted(x.value for (x,) in rows)
    return out


def _individuals(ws: Workspace) -> int:
    """Individuals asserted in one of the ontology's own classes (HermiT's count)."""
    classes = " ".join(f"<{c}>" for c in sorted(ws.t.named) if c.startswith(iris.TK))
    rows = ws.store.query(
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c }}"
    )
    return int(next(iter(rows))[0].value)


def _write_inferred(ws: Workspace, inferred: dict[str, list[str]]) -> int:
    """The inferred memberships into the inferences graph and the default graph.

    The default graph is what every query reads (``trustkg query``, ``serve``, a published
    copy), so ``?q a tk:LessDominantSectorQuotation`` answers there with no ``GRAPH``; the
    named graph records which triples were inferred, so that a later run (or ``--drop``)
    removes exactly them. Only memberships not stated already are written.
    """
    quads = []
    for c, members in inferred.items():
        cls = ox.NamedNode(c)
        stated = {
            q.subject.value
            for q in ws.store.quads_for_pattern(None, RDF_TYPE, cls, ox.DefaultGraph())
        }
        for m in members:
            if m not in stated:
                node = ox.NamedNode(m)
                quads += [ox.Quad(node, RDF_TYPE, cls, INFERRED), ox.Quad(node, RDF_TYPE, cls)]
    ws.store.extend(quads)
    return len(quads) // 2


def drop_inferred(store: str | Path | None = None) -> int:
    """Remove what ``reason --write`` added; return how many memberships were removed."""
    from ..store.embedded import build_lock, open_store, replace_store, resolve_store_path

    folder = resolve_store_path(store)
    open_store(folder)

    def drop(st: ox.Store, _stage) -> int:
        n = sum(1 for _ in st.quads_for_pattern(None, None, None, INFERRED))
        st.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED.value}> {{ ?s ?p ?o }} }} ; "
            f"DROP SILENT GRAPH <{INFERRED.value}>"
        )
        return n

    with build_lock(folder):
        return replace_store(folder, drop, copy_current=True)


def undecided(tbox: TBox) -> list[str]:
    """What the ontology asks that the rules cannot decide, axiom by axiom."""
    out = [f"not compiled: {u}" for u in tbox.not_compiled]
    for c in tbox.defined():
        todo, seen = sorted(tbox.definitions[c]), set()
        while todo:
            n = todo.pop()
            e = tbox.exprs.get(n)
            if n in seen or e is None:
                continue
            seen.add(n)
            if n in tbox.open_nodes:
                out.append(
                    f"membership of {iris.curie(c)}: its definition uses "
                    f"{_OPEN_WORDS[e.kind]} ({tbox.show(n)})"
                )
            todo += [p for p in (*e.parts, e.filler) if p.startswith(SK)]
    return out
