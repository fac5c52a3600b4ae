"""The rules: each axiom of the TBox becomes a SPARQL SELECT that finds new class memberships,
run on the store to a fixpoint.

| construct (where) | rule |
| --- | --- |
| ``rdfs:domain``/``rdfs:range`` of p | subjects/objects of p's path not yet known members |
| ``intersectionOf`` (definition) | members of one conjunct (the smallest) in all the others |
| ``someValuesFrom p.F``, ``min 1`` (definition) | ``?x path(p) ?y`` with ``?y`` in F |
| ``hasValue p a`` (definition) | ``?x path(p) a`` |
| ``min n p.F``, n ≥ 2 (definition) | n values of p in F that are pairwise known different |
| ``oneOf`` (filler) | its individuals are members from the start |
| ``unionOf`` (definition) | told subsumptions only |

Then the consequences of being a member of an expression in superclass position, which may add
types, merge individuals or find an inconsistency: ``some`` on a functional property types its
value; ``allValuesFrom`` types every value; ``hasValue`` adds the value; ``oneOf`` makes the
individual one of the listed ones; ``unionOf`` leaves the disjuncts it is not disjoint with. A
choice between two or more (a union or an enumeration left open) is reported as undecided: the
rules only propagate what is certain, where HermiT reasons by cases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..core import iris
from .axioms import DISTINCT_CLASSES, SK, THING
from .workspace import WORK, Workspace

#: a fixpoint that has not settled after this many rounds is a bug, not a big graph
MAX_ROUNDS = 50
_BATCH = 500


@dataclass
class Rule:
    name: str
    head: str  # the class node it adds members to
    reads: frozenset[str]  # class nodes whose new members make it worth running again
    query: str | None  # a SELECT ?x; None for min cardinality, evaluated in Python


def build_rules(ws: Workspace) -> list[Rule]:
    """The membership rules of the TBox, inner expressions first."""
    t, rules = ws.t, []
    for p in sorted(set(t.domain) | set(t.range)):
        if p.startswith(SK):
            continue
        for d in sorted(t.domain.get(p, ())):
            rules.append(
                Rule(
                    f"domain of {p}",
                    d,
                    frozenset(),
                    f"SELECT DISTINCT ?x WHERE {{ ?x {t.path(p)} ?y . {ws.not_member(d, '?x')} }}",
                )
            )
        if p in t.obj_props:
            for r in sorted(t.range.get(p, ())):
                rules.append(
                    Rule(
                        f"range of {p}",
                        r,
                        frozenset(),
                        f"SELECT DISTINCT ?x WHERE {{ ?y {t.path(p)} ?x . "
                        f"FILTER(!isLiteral(?x)) {ws.not_member(r, '?x')} }}",
                    )
                )
    for n, e in t.exprs.items():
        if n in t.open_nodes or e.kind in ("or", "one"):
            continue  # a union is reached by told subsumptions, an enumeration by its facts
        if e.kind == "and":
            rules.append(Rule(f"intersection {n}", n, frozenset(e.parts), _and_query(ws, n)))
        elif e.kind == "some" or (e.kind == "min" and e.n <= 1):
            rules.append(Rule(f"some {n}", n, frozenset({e.filler}), _some_query(ws, n)))
        elif e.kind == "min":
            rules.append(Rule(f"min {e.n} {n}", n, frozenset({e.filler}), None))
        elif e.kind == "value":
            rules.append(
                Rule(
                    f"value {n}",
                    n,
                    frozenset(),
                    f"SELECT DISTINCT ?x WHERE {{ ?x {t.path(e.prop)} <{e.filler}> . "
                    f"{ws.not_member(n, '?x')} }}",
                )
            )
    return rules


def _derived_only(ws: Workspace, c: str) -> bool:
    """Whether c's members are all derived (few): a good class to drive a join from."""
    return all(s.startswith(SK) or s in ws.t.definitions for s in ws.t.sub.get(c, {c}))


def _and_query(ws: Workspace, n: str) -> str:
    conj = ws.t.exprs[n].parts
    drive = next((c for c in conj if _derived_only(ws, c)), conj[0])
    rest = " ".join(
        f"FILTER EXISTS {{ {ws.member(c, '?x')} }}" for c in conj if c not in (drive, THING)
    )
    return (
        f"SELECT DISTINCT ?x WHERE {{ {ws.member(drive, '?x')} {rest} {ws.not_member(n, '?x')} }}"
    )


def _some_query(ws: Workspace, n: str) -> str:
    e = ws.t.exprs[n]
    path, f = ws.t.path(e.prop), e.filler
    if _derived_only(ws, f):
        body = f"{ws.member(f, '?y')} ?x {path} ?y ."
    else:
        body = f"?x {path} ?y . " + (
            f"FILTER EXISTS {{ {ws.member(f, '?y')} }}" if f != THING else ""
        )
    return f"SELECT DISTINCT ?x WHERE {{ {body} {ws.not_member(n, '?x')} }}"


def fixpoint(ws: Workspace) -> int:
    """Run the rules until none adds a membership; return the number of rounds.

    A rule runs again only when a class it reads gained members (semi-naive evaluation at the
    granularity of classes).
    """
    rules = build_rules(ws)
    readers: dict[str, list[int]] = defaultdict(list)
    for i, rule in enumerate(rules):
        for c in rule.reads:
            for s in ws.t.sub.get(c, {c}):
                readers[s].append(i)
    dirty, rounds = set(range(len(rules))), 0
    while dirty:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise RuntimeError(f"the rules did not settle after {MAX_ROUNDS} rounds")
        # the rules that read no class (domains, ranges, hasValue) are independent: run at once
        independent = [i for i in sorted(dirty) if not rules[i].reads and rules[i].query]
        queries = [rules[i].query or "" for i in independent]
        answers = dict(zip(independent, ws.q_many(queries), strict=True))
        for i, rule in enumerate(rules):
            if i not in dirty:
                continue
            dirty.discard(i)
            if i in answers:
                new = [(x.value, rule.head) for (x,) in answers[i]]
            elif rule.query is None:
                new = [(x, rule.head) for x in min_cardinality(ws, rule.head)]
            else:
                new = [(x.value, rule.head) for (x,) in ws.q(rule.query)]
            if ws.add_types(new):
                for s in ws.t.sup.get(rule.head, {rule.head}):
                    dirty.update(readers.get(s, ()))
    return rounds


def min_cardinality(ws: Workspace, n: str) -> list[str]:
    """Individuals with at least ``e.n`` values of ``e.prop`` in ``e.filler`` that are pairwise
    known to be different (OWL has no unique-name assumption)."""
    e = ws.t.exprs[n]
    path = ws.t.path(e.prop)
    fil = f"FILTER EXISTS {{ {ws.member(e.filler, '?y')} }}" if e.filler != THING else ""
    rows = ws.q(
        f"SELECT ?x ?y WHERE {{ {{ SELECT ?x WHERE {{ ?x {path} ?y . {fil} "
        f"{ws.not_member(n, '?x')} }} GROUP BY ?x HAVING (COUNT(DISTINCT ?y) >= {e.n}) }}"
        f" ?x {path} ?y . {fil} }}"
    )
    candidates: dict[str, set[str]] = defaultdict(set)
    for x, y in rows:
        candidates[x.value].add(y.value)
    # fast path: values asserted in one of the distinct classes are pairwise different
    every = sorted({y for ys in candidates.values() for y in ys})
    distinct: dict[str, set[str]] = defaultdict(set)
    classes = " ".join(f"<{c}>" for c in DISTINCT_CLASSES)
    for i in range(0, len(every), _BATCH):
        values = " ".join(f"<{y}>" for y in every[i : i + _BATCH])
        for y, c in ws.store.query(
            f"SELECT ?y ?c WHERE {{ VALUES ?y {{ {values} }} VALUES ?c {{ {classes} }} ?y a ?c }}"
        ):
            distinct[y.value].add(c.value)
    out = []
    for x, ys in candidates.items():
        per_class: dict[str, int] = defaultdict(int)
        for y in ys:
            for c in distinct.get(y, ()):
                per_class[c] += 1
        if any(v >= e.n for v in per_class.values()) or _has_clique(ws, sorted(ys), e.n):
            out.append(x)
    return out


def _has_clique(ws: Workspace, ys: list[str], k: int) -> bool:
    def grow(chosen: list[str], rest: list[str]) -> bool:
        if len(chosen) == k:
            return True
        return any(
            all(ws.diff(y, c) for c in chosen) and grow([*chosen, y], rest[i + 1 :])
            for i, y in enumerate(rest)
        )

    return grow([], ys)


def superclass_consequences(ws: Workspace) -> bool:
    """What membership of an expression in superclass position entails; True if any fact was
    added (types, property values or merges), so the rules must run again."""
    added = 0
    for n, e in ws.t.exprs.items():
        if e.kind == "some" and e.filler != THING and ws.t.is_functional(e.prop):
            added += _type_values(ws, n, e.prop, e.filler)
        elif e.kind == "all":
            added += _type_values(ws, n, e.prop, e.filler)
        elif e.kind == "value":
            added += _add_value(ws, n)
        elif e.kind in ("max", "exact") and not (e.kind == "max" and e.n == 1):
            if ws.q(f"SELECT ?x WHERE {{ {ws.member(n, '?x')} }} LIMIT 1", "superclass"):
                ws.undecided.append(f"members of {ws.t.show(n)}: counting them needs HermiT")
        elif e.kind == "one":
            added += _one_of(ws, n)
        elif e.kind == "or":
            added += _union(ws, n)
    return added > 0


def _type_values(ws: Workspace, n: str, p: str, f: str) -> int:
    rows = ws.q(
        f"SELECT DISTINCT ?y WHERE {{ {ws.member(n, '?x')} ?x {ws.t.path(p)} ?y . "
        f"FILTER(!isLiteral(?y)) {ws.not_member(f, '?y')} }}",
        "superclass",
    )
    return ws.add_types((y.value, f) for (y,) in rows)


def _add_value(ws: Workspace, n: str) -> int:
    e = ws.t.exprs[n]
    rows = ws.q(
        f"SELECT DISTINCT ?x WHERE {{ {ws.member(n, '?x')} "
        f"FILTER NOT EXISTS {{ ?x {ws.t.path(e.prop)} <{e.filler}> }} }}",
        "superclass",
    )
    a = ox.NamedNode(e.filler)
    if e.prop.startswith(SK):  # an inverse: write the named property's triple the other way
        named = ox.NamedNode(min(ws.t.inverse[e.prop]))
        quads = [ox.Quad(a, named, x, WORK) for (x,) in rows]
    else:
        quads = [ox.Quad(x, ox.NamedNode(e.prop), a, WORK) for (x,) in rows]
    if quads:
        ws.store.extend(quads)
    return len(quads)


def _one_of(ws: Workspace, n: str) -> int:
    """A member of ``{a b c}`` that is none of them by name must equal one of them."""
    members = ws.t.exprs[n].parts
    listed = " ".join(f"<{m}>" for m in members)
    rows = ws.q(
        f"SELECT DISTINCT ?y WHERE {{ {ws.member(n, '?y')} FILTER(?y NOT IN "
        f"({', '.join(f'<{m}>' for m in members)})) FILTER NOT EXISTS {{ ?y "
        f"<{iris.OWL}sameAs> ?m . VALUES ?m {{ {listed} }} }} }}",
        "superclass",
    )
    added = 0
    for (y,) in rows:
        left = [m for m in members if not ws.diff(y.value, m)]
        if not left:
            ws.inconsistencies.append(
                {
                    "kind": "enumeration",
                    "individual": y.value,
                    "why": f"must be one of {', '.join(map(iris.curie, members))} "
                    "but is known to differ from each",
                }
            )
        elif len(left) == 1:
            ws.merge(y.value, left[0], "the only individual of an enumeration it can be")
            added += 1
        else:
            ws.undecided.append(
                f"{y.value} is one of {', '.join(map(iris.curie, left))}: not decided"
            )
    return added


def _union(ws: Workspace, n: str) -> int:
    """A member of a union in none of its disjuncts: keep the disjuncts its types allow."""
    parts = ws.t.exprs[n].parts
    rows = ws.q(
        f"SELECT DISTINCT ?y WHERE {{ {ws.member(n, '?y')} "
        + " ".join(ws.not_member(c, "?y") for c in parts)
        + " }",
        "superclass",
    )
    added = 0
    for (y,) in rows:
        types = ws.types_of(y.value)
        left = [c for c in parts if not any(ws.t.disjoint_nodes(c, ty) for ty in types)]
        if not left:
            ws.inconsistencies.append(
                {
                    "kind": "union",
                    "individual": y.value,
                    "why": f"must be in one of {', '.join(map(iris.curie, parts))} "
                    "but its types are disjoint with each",
                }
            )
        elif len(left) == 1:
            added += ws.add_types([(y.value, left[0])])
        else:
            ws.undecided.append(
                f"{y.value} is in one of {', '.join(map(iris.curie, left))}: not decided"
            )
    return added
