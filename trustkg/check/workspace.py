"""The rule engine's working state: the store it reasons in, the derived memberships, and what it
knows about which individuals are the same or different.

Derived facts go into a work graph (``urn:x-trustkg-reason:work``) of a scratch copy of the store,
never into the store itself, and every query reads the default graph and the work graph
together (pyoxigraph's ``default_graph=[…]``). Only SELECTs run; their answers are added with
``Store.extend``. Equality follows OWL, which makes no unique-name assumption: two values of a
functional property are one individual unless something says they differ, and
:meth:`Workspace.diff` says why two individuals differ, or None when they may be the same.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from ..core import iris
from .axioms import DISTINCT_CLASSES, SK, THING, TBox
from .datavalues import value_key

WORK = ox.NamedNode(SK + "work")
RDF_TYPE = ox.NamedNode(iris.RDF_TYPE)
SAME_AS = ox.NamedNode(iris.OWL + "sameAs")

#: queries run at once by :meth:`Workspace.q_many`: one per core, up to four
THREADS = min(4, os.cpu_count() or 1)
#: how deep :meth:`Workspace.diff` follows functional properties to tell two individuals apart
DIFF_DEPTH = 3


class Workspace:
    """A store to reason in, its TBox, and the engine's bookkeeping (queries, time, findings)."""

    def __init__(self, store: ox.Store, tbox: TBox) -> None:
        self.store, self.t = store, tbox
        self.graphs = [ox.DefaultGraph(), WORK]
        self.queries = 0
        self.derived = 0
        self.timings: dict[str, float] = defaultdict(float)
        self.inconsistencies: list[dict] = []
        self.undecided: list[str] = []
        self.merges: list[tuple[str, str, str]] = []
        self.all_different = [set(g) for g in tbox.all_different]
        self._diff_cache: dict[frozenset[str], str | None] = {}
        self._var = 0
        self._distinct_sub = {
            s: c
            for c in DISTINCT_CLASSES
            for s in tbox.sub.get(c, {c})
            if not s.startswith(SK) and s not in tbox.definitions
        }

    # -- queries and memberships ------------------------------------------------------------
    def q(self, text: str, stage: str = "rules") -> list:
        """Run a SELECT over the default and work graphs; its time counts toward ``stage``."""
        started = time.perf_counter()
        self.queries += 1
        rows = list(self.store.query(text, default_graph=self.graphs))
        self.timings[stage] += time.perf_counter() - started
        return rows

    def q_many(self, texts: list[str], stage: str = "rules") -> list[list]:
        """Run independent SELECTs at once on the machine's cores (Oxigraph evaluates a query
        without Python's lock); the answers come back in the order of ``texts``."""
        if len(texts) < 2 or THREADS < 2:
            return [self.q(t, stage) for t in texts]
        from concurrent.futures import ThreadPoolExecutor

        started = time.perf_counter()
        self.queries += len(texts)
        graphs = self.graphs
        with ThreadPoolExecutor(THREADS, thread_name_prefix="trustkg-reason") as pool:
            out = list(pool.map(lambda t: list(self.store.query(t, default_graph=graphs)), texts))
        self.timings[stage] += time.perf_counter() - started
        return out

    def add_types(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Record ``x a c`` for each (x, c) in the work graph; return how many."""
        quads = [ox.Quad(ox.NamedNode(x), RDF_TYPE, ox.NamedNode(c), WORK) for x, c in pairs]
        if quads:
            self.store.extend(quads)
        self.derived += len(quads)
        return len(quads)

    def member(self, c: str, var: str) -> str:
        """A SPARQL group: ``var`` is a known member of class node c (asserted or derived)."""
        if c == THING:
            return ""
        subs = sorted(self.t.sub.get(c, {c}))
        if len(subs) == 1:
            return f"{var} a <{subs[0]}> ."
        self._var += 1
        values = " ".join(f"<{s}>" for s in subs)
        return f"VALUES ?_c{self._var} {{ {values} }} {var} a ?_c{self._var} ."

    def not_member(self, c: str, var: str) -> str:
        """Leave out known members of c (MINUS: several times faster than FILTER NOT EXISTS on
        Oxigraph)."""
        return f"MINUS {{ {self.member(c, var)} }}" if c != THING else "FILTER(false)"

    def types_of(self, x: str) -> set[str]:
        """Every class node x is known to be in, superclasses included."""
        rows = self.q(f"SELECT DISTINCT ?c WHERE {{ <{x}> a ?c }}", "equality")
        out: set[str] = set()
        for (c,) in rows:
            if isinstance(c, ox.NamedNode):
                out |= self.t.sup.get(c.value, {c.value})
        return out

    def study_of(self, x: str) -> str | None:
        """The study an individual belongs to (its ``tk:inStudy``), to point HermiT at it."""
        rows = self.q(f"SELECT ?s WHERE {{ <{x}> <{iris.TK}inStudy> ?s }} LIMIT 1", "report")
        if not rows:
            return None
        return rows[0][0].value.removeprefix(iris.DATA).removesuffix("/study")

    # -- equality ---------------------------------------------------------------------------
    def same(self, a: str, b: str) -> bool:
        return any({a, b} == {m[0], m[1]} for m in self.merges)

    def diff(self, a: str, b: str, depth: int = 0) -> str | None:
        """Why a and b are known to be different individuals; None when they may be one."""
        if a == b:
            return None
        key = frozenset((a, b))
        if key not in self._diff_cache:
            self._diff_cache[key] = None  # guards against cycles through functional values
            self._diff_cache[key] = self._diff(a, b, depth)
        return self._diff_cache[key]

    def _diff(self, a: str, b: str, depth: int) -> str | None:
        t = self.t
        if any(a in g and b in g for g in self.all_different):
            return "owl:AllDifferent or owl:differentFrom"
        common = self._distinct_classes(a) & self._distinct_classes(b)
        if common:
            return f"both are asserted {iris.curie(min(common))}, whose members trustkg mints apart"
        ta, tb = self.types_of(a), self.types_of(b)
        for x in ta:
            for y in tb:
                if frozenset((x, y)) in t.disjoint:
                    return f"disjoint types {iris.curie(x)} and {iris.curie(y)}"
        for p in sorted(q for q in t.functional if q in t.data_props):
            va, vb = self._values(a, p), self._values(b, p)
            if va and vb and not va & vb:
                return f"different values of the functional {iris.curie(p)}"
        if depth < DIFF_DEPTH:
            for q, d in t.functional_states():
                if q in t.data_props:
                    continue
                for c in self._objects(a, q, d):
                    for e in self._objects(b, q, d):
                        if c != e and self.diff(c, e, depth + 1):
                            return f"their {iris.curie(q)} values differ"
        return None

    def _distinct_classes(self, x: str) -> set[str]:
        rows = self.store.quads_for_pattern(ox.NamedNode(x), RDF_TYPE, None, ox.DefaultGraph())
        return {
            self._distinct_sub[r.object.value] for r in rows if r.object.value in self._distinct_sub
        }

    def _values(self, x: str, p: str) -> set:
        rows = self.q(f"SELECT DISTINCT ?v WHERE {{ <{x}> {self.t.path(p)} ?v }}", "equality")
        return {value_key(v) for (v,) in rows if isinstance(v, ox.Literal)}

    def _objects(self, x: str, p: str, d: int) -> set[str]:
        rows = self.q(f"SELECT DISTINCT ?v WHERE {{ <{x}> {self.t.path(p, d)} ?v }}", "equality")
        return {v.value for (v,) in rows if isinstance(v, ox.NamedNode)}

    def merge(self, a: str, b: str, why: str) -> None:
        """a = b: record owl:sameAs both ways and copy each one's triples onto the other, in
        the work graph (OWL's equality replacement), so the rules see one individual."""
        self.merges.append((a, b, why))
        na, nb = ox.NamedNode(a), ox.NamedNode(b)
        quads = [ox.Quad(na, SAME_AS, nb, WORK), ox.Quad(nb, SAME_AS, na, WORK)]
        for src, dst in ((na, nb), (nb, na)):
            for g in self.graphs:
                for qd in self.store.quads_for_pattern(src, None, None, g):
                    if qd.predicate != SAME_AS:
                        quads.append(ox.Quad(dst, qd.predicate, qd.object, WORK))
                for qd in self.store.quads_for_pattern(None, None, src, g):
                    if qd.predicate != SAME_AS:
                        quads.append(ox.Quad(qd.subject, qd.predicate, dst, WORK))
        self.store.extend(quads)
        self._diff_cache.clear()
