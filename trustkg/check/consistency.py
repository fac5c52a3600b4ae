"""The consistency checks of the rule engine: what makes an OWL reasoner call the graph
inconsistent, found with whole-graph queries, each with the reason HermiT does not give.

- an individual in two disjoint classes (``owl:disjointWith``, ``owl:AllDisjointClasses``, a
  complement, a subclass of ``owl:Nothing``), derived types included;
- two values of a functional (or inverse-functional) property that are known to be different
  individuals, e.g. a participant in two networks, an organisation in two sectors; two values
  that may be one individual are merged instead, as OWL does;
- two values of a functional data property that are different values (``tk:text``,
  ``tk:tableRow``);
- a data value outside its property's range (``0`` as a positiveInteger, a language-tagged
  string as an ``xsd:string``);
- an individual said to be the same as one it is known to differ from.
"""

from __future__ import annotations

from itertools import combinations

import pyoxigraph as ox

from ..core import iris
from .datavalues import SIGNED, in_range, value_key
from .workspace import Workspace

#: stop collecting after this many: a loader bug can make thousands, and each costs queries
MAX_FINDINGS = 200


def check_functional(ws: Workspace) -> bool:
    """Two values of a functional property: inconsistent when known different, merged
    otherwise. True when something was merged (the rules must then run again)."""
    t, merged = ws.t, False
    states = [
        (q, d, t.path(q, d), "isLiteral" if q in t.data_props else "isIRI")
        for q, d in t.functional_states()
    ]
    found = ws.q_many([_colliding(path, test) for _, _, path, test in states], "consistency")
    for (q, d, path, test), subjects in zip(states, found, strict=True):
        if len(ws.inconsistencies) >= MAX_FINDINGS:
            break
        if q in t.data_props:
            for x, v1, v2 in _collisions(ws, subjects, path, test):
                if value_key(v1) != value_key(v2):
                    ws.inconsistencies.append(
                        {
                            "kind": "functional data property",
                            "individual": x.value,
                            "property": q,
                            "values": [str(v1), str(v2)],
                        }
                    )
            continue
        for x, y1, y2 in _collisions(ws, subjects, path, test):
            a, b = y1.value, y2.value
            if ws.same(a, b):
                continue
            why = ws.diff(a, b)
            if why:
                ws.inconsistencies.append(
                    {
                        "kind": "functional property" if d == 1 else "inverse-functional property",
                        "individual": x.value,
                        "property": q,
                        "values": [a, b],
                        "why": why,
                    }
                )
            else:
                ws.merge(a, b, f"two values of the functional {iris.curie(q)} of {x.value}")
                merged = True
    return merged


def _colliding(path: str, test: str) -> str:
    """The subjects with two values of a path: one GROUP BY (a self-join with a FILTER is
    about 20 times slower on Oxigraph)."""
    return (
        f"SELECT ?x WHERE {{ ?x {path} ?y FILTER({test}(?y)) }} GROUP BY ?x "
        f"HAVING (COUNT(DISTINCT ?y) > 1) LIMIT {MAX_FINDINGS}"
    )


def _collisions(ws: Workspace, subjects: list, path: str, test: str) -> list[tuple]:
    """(x, v1, v2) for each pair of values of each of ``subjects`` (found by
    :func:`_colliding`)."""
    out = []
    for (x,) in subjects:
        rows = ws.q(
            f"SELECT DISTINCT ?y WHERE {{ {x} {path} ?y FILTER({test}(?y)) }}", "consistency"
        )
        values = sorted({y for (y,) in rows}, key=str)
        out += [(x, a, b) for a, b in combinations(values, 2)]
    return out


def check_disjoint(ws: Workspace) -> None:
    """Individuals in two disjoint classes: one query per AllDisjointClasses axiom (one scan
    of the types, grouped), one per other disjoint pair; all run at once."""
    t, done, queries, labels = ws.t, set(), [], []
    for group in t.disjoint_groups:
        pairs = " ".join(f"(<{s}> <{c}>)" for c in group for s in sorted(t.sub.get(c, {c})))
        queries.append(
            f"SELECT ?x (GROUP_CONCAT(DISTINCT STR(?top); separator=' ') AS ?cs) "
            f"WHERE {{ VALUES (?c ?top) {{ {pairs} }} ?x a ?c }} GROUP BY ?x "
            f"HAVING (COUNT(DISTINCT ?top) > 1) LIMIT {MAX_FINDINGS}"
        )
        labels.append(None)  # the classes come with each answer
        done.update(frozenset(p) for p in combinations(group, 2))
    for pair in sorted(t.disjoint - done, key=sorted):
        a, b = sorted(pair) if len(pair) == 2 else (min(pair), min(pair))
        derived_union = any(t.exprs.get(c) and t.exprs[c].kind == "or" for c in (a, b))
        if derived_union and pair not in t.disjoint_pairs:
            continue  # a union's members are placed by the superclass consequences
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ {ws.member(a, '?x')} FILTER EXISTS "
            f"{{ {ws.member(b, '?x')} }} }} LIMIT {MAX_FINDINGS}"
        )
        labels.append([t.show(a), t.show(b)])
    for classes, rows in zip(labels, ws.q_many(queries, "consistency"), strict=True):
        for row in rows:
            found = sorted(row[1].value.split()) if classes is None else classes
            ws.inconsistencies.append(
                {"kind": "disjoint classes", "individual": row[0].value, "classes": found}
            )


def check_data_ranges(ws: Workspace) -> None:
    """Data values outside their property's declared range."""
    t, checks = ws.t, []
    for p, dts in sorted(t.data_range.items()):
        for dt in sorted(dts - {iris.RDFS + "Literal"}):
            # candidates: another datatype or a language tag; for the signed integer types,
            # every value (the sign is checked here)
            test = (
                ""
                if dt in SIGNED
                else f"FILTER(!isLiteral(?v) || DATATYPE(?v) != <{dt}> || LANG(?v) != '')"
            )
            checks.append((p, dt, f"SELECT ?x ?v WHERE {{ ?x {t.path(p)} ?v . {test} }}"))
    answers = ws.q_many([q for _, _, q in checks], "consistency")
    for (p, dt, _), rows in zip(checks, answers, strict=True):
        for x, v in rows:
            if not isinstance(v, ox.Literal) or not in_range(v, dt):
                ws.inconsistencies.append(
                    {
                        "kind": "data range",
                        "individual": x.value,
                        "property": p,
                        "value": str(v),
                        "range": dt,
                    }
                )
                if len(ws.inconsistencies) >= MAX_FINDINGS:
                    return


def check_same_and_different(ws: Workspace) -> None:
    """An equality (asserted or derived) between individuals known to be different."""
    for a, b, why in ws.merges:
        differ = ws.diff(a, b)
        if differ:
            ws.inconsistencies.append(
                {
                    "kind": "same and different",
                    "individual": a,
                    "values": [a, b],
                    "why": f"{why}; but {differ}",
                }
            )
