"""Read an OWL ontology's axioms into the form the rule engine reasons with (the TBox).

The rule engine (``rules.py``) never names a class of trustkg's ontology: everything it does
comes from the axioms read here, so a defined class, a disjointness or a property axiom added to
the ontology is reasoned over with no code change. Every class expression (a blank node in the
Turtle) gets a skolem IRI, ``urn:x-trustkg-reason:cxN``, so that "x is a member of this
expression" is an ordinary ``?x a <cxN>`` triple in the engine's work graph. Two closures are
computed once, here:

- the *told* subsumptions between named classes and expressions: subClassOf, equivalentClass
  both ways, ``A ⊓ B ⊑ A``, ``A ⊑ A ⊔ B``, a union under what all its disjuncts are under, and a
  restriction on ``p`` under the domains of ``p``; "x is a member of D" is then "x has a type
  among the classes under D", and no superclass membership is ever written;
- for each property, every property (and direction) whose triples entail it, through
  subPropertyOf, inverseOf, equivalentProperty and symmetry, as one SPARQL property path: the
  engine never materialises property triples.

Constructs that are read but that the engine cannot decide membership of (``owl:allValuesFrom``
in a definition, a complement, max or exact cardinalities, ...) are listed in
:attr:`TBox.open_nodes`; axioms it does not compile at all (property chains, keys, ...) in
:attr:`TBox.not_compiled`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from ..core import iris
from .datavalues import KNOWN_DATATYPES
from .properties import SK, PropertyAxioms

THING, NOTHING = iris.OWL + "Thing", iris.OWL + "Nothing"
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = (iris.RDF + n for n in ("type", "first", "rest", "nil"))

#: trustkg mints one IRI per table row: the asserted members of these classes are pairwise
#: different individuals. Both engines read this one list (HermiT as owl:AllDifferent).
DISTINCT_CLASSES = tuple(
    iris.TK + c for c in ("CareNetwork", "Organisation", "Participant", "Quotation")
)

#: expression kinds whose membership the rules cannot derive (they need a complete reasoner)
OPEN_KINDS = frozenset({"all", "not", "max", "exact", "self", "data", "unknown"})

_O, _R = iris.OWL, iris.RDFS
_CARDINALITIES = (
    ("minQualifiedCardinality", "min"),
    ("minCardinality", "min"),
    ("maxQualifiedCardinality", "max"),
    ("maxCardinality", "max"),
    ("qualifiedCardinality", "exact"),
    ("cardinality", "exact"),
)
#: axioms the rules leave to HermiT: reported, never silently ignored
_NOT_COMPILED_PREDICATES = (
    "propertyChainAxiom",
    "hasKey",
    "propertyDisjointWith",
    "disjointUnionOf",
    "sourceIndividual",
)
_NOT_COMPILED_TYPES = (
    "ReflexiveProperty",
    "IrreflexiveProperty",
    "AsymmetricProperty",
    "AllDisjointProperties",
    "NegativePropertyAssertion",
)


@dataclass(frozen=True)
class Expr:
    """A class expression: ``kind`` is and, or, one, not, some, value, all, self, min, max,
    exact, data or unknown. ``parts`` holds the operands of and/or (class nodes) and the
    individuals of one; ``filler`` the class node of some/all/cardinalities, or the individual
    of value; ``n`` the cardinality."""

    kind: str
    parts: tuple[str, ...] = ()
    prop: str = ""
    filler: str = THING
    n: int = 0


def _term(t) -> str:
    """A pyoxigraph term as a string key: the IRI, ``_:id`` for a blank node, a literal's text."""
    name = type(t).__name__
    if name == "BlankNode":
        return "_:" + t.value
    return t.value


class _Index:
    """The ontology's triples, indexed the few ways the reader looks them up."""

    def __init__(self, triples: Iterable) -> None:
        self.by_sp: dict[tuple[str, str], list] = defaultdict(list)
        self.by_p: dict[str, list[tuple[str, object]]] = defaultdict(list)
        for t in triples:
            s, p = _term(t.subject), t.predicate.value
            self.by_sp[(s, p)].append(t.object)
            self.by_p[p].append((s, t.object))

    def value(self, s: str, p: str):
        found = self.by_sp.get((s, p))
        return found[0] if found else None

    def pairs(self, p: str) -> list[tuple[str, object]]:
        return self.by_p.get(p, [])

    def typed(self, cls: str) -> list[str]:
        return [s for s, o in self.by_p.get(RDF_TYPE, []) if o.value == cls]

    def items(self, node) -> list:
        """The members of an RDF list."""
        out, seen = [], set()
        key = _term(node)
        while key != RDF_NIL and key not in seen:
            seen.add(key)
            first = self.value(key, RDF_FIRST)
            if first is None:
                break
            out.append(first)
            rest = self.value(key, RDF_REST)
            if rest is None:
                break
            key = _term(rest)
        return out


class TBox(PropertyAxioms):
    """The axioms of one ontology, normalised and closed (see the module docstring)."""

    def __init__(self, triples: Iterable) -> None:
        self.exprs: dict[str, Expr] = {}
        self.named: set[str] = set()
        self.told: dict[str, set[str]] = defaultdict(set)  # node -> direct superclass nodes
        self.definitions: dict[str, set[str]] = defaultdict(set)  # named class -> equivalents
        self.disjoint_pairs: set[frozenset[str]] = set()
        self.disjoint_groups: list[list[str]] = []
        self.domain: dict[str, set[str]] = defaultdict(set)
        self.range: dict[str, set[str]] = defaultdict(set)
        self.data_range: dict[str, set[str]] = defaultdict(set)
        self.subprop: dict[str, set[str]] = defaultdict(set)
        self.inverse: dict[str, set[str]] = defaultdict(set)
        self.functional: set[str] = set()
        self.inv_functional: set[str] = set()
        self.symmetric: set[str] = set()
        self.transitive: set[str] = set()
        self.obj_props: set[str] = set()
        self.data_props: set[str] = set()
        self.all_different: list[list[str]] = []
        self.same_as: set[frozenset[str]] = set()  # the ontology's own (a renamed individual)
        self.not_compiled: list[str] = []
        self._count = 0
        self._inverse_names: dict[str, str] = {}
        self._g = _Index(triples)
        self._read()
        self._close()
        del self._g

    # -- reading ---------------------------------------------------------------------------
    def _prop(self, node) -> str:
        """A property expression: a named property, or ``[owl:inverseOf p]`` as a fresh name."""
        if type(node).__name__ == "NamedNode":
            return node.value
        inv = self._g.value(_term(node), _O + "inverseOf")
        if inv is None:
            self.not_compiled.append("a property expression that is neither named nor inverse")
            return SK + "unknown-property"
        name = inv.value
        if name not in self._inverse_names:
            fresh = f"{SK}inverse/{name}"
            self._inverse_names[name] = fresh
            self.inverse[fresh].add(name)
            self.inverse[name].add(fresh)
            self.obj_props.add(fresh)
        return self._inverse_names[name]

    def _cls(self, node) -> str:
        """A class node: a named class's IRI, or the skolem IRI of a class expression."""
        if type(node).__name__ == "NamedNode":
            self.named.add(node.value)
            return node.value
        g, key = self._g, _term(node)
        name = f"{SK}cx{self._count}"
        self._count += 1
        if (lst := g.value(key, _O + "intersectionOf")) is not None:
            expr = Expr("and", tuple(self._cls(c) for c in g.items(lst)))
        elif (lst := g.value(key, _O + "unionOf")) is not None:
            expr = Expr("or", tuple(self._cls(c) for c in g.items(lst)))
        elif (lst := g.value(key, _O + "oneOf")) is not None:
            expr = Expr("one", tuple(_term(m) for m in g.items(lst)))
        elif (c := g.value(key, _O + "complementOf")) is not None:
            expr = Expr("not", filler=self._cls(c))
        elif (p := g.value(key, _O + "onProperty")) is not None:
            expr = self._restriction(key, self._prop(p))
        else:
            expr = Expr("unknown")
        self.exprs[name] = expr
        return name

    def _restriction(self, key: str, p: str) -> Expr:
        g = self._g
        on_class = g.value(key, _O + "onClass")
        filler = self._cls(on_class) if on_class is not None else THING
        if (f := g.value(key, _O + "someValuesFrom")) is not None:
            if p in self.data_props or f.value.startswith(iris.XSD):
                return Expr("data", prop=p)
            return Expr("some", prop=p, filler=self._cls(f))
        if (v := g.value(key, _O + "hasValue")) is not None:
            if type(v).__name__ == "Literal":
                return Expr("data", prop=p)
            return Expr("value", prop=p, filler=v.value)
        if (f := g.value(key, _O + "allValuesFrom")) is not None:
            return Expr("all", prop=p, filler=self._cls(f))
        if g.value(key, _O + "hasSelf") is not None:
            return Expr("self", prop=p)
        for local, kind in _CARDINALITIES:
            if (n := g.value(key, _O + local)) is not None:
                return Expr(kind, prop=p, filler=filler, n=int(n.value))
        return Expr("unknown", prop=p)

    def _read(self) -> None:
        g = self._g
        self.obj_props |= set(g.typed(_O + "ObjectProperty"))
        self.data_props |= set(g.typed(_O + "DatatypeProperty"))
        for s, o in g.pairs(_R + "subClassOf"):
            self.told[self._cls(_node(s))].add(self._cls(o))
        for s, o in g.pairs(_O + "equivalentClass"):
            a, b = self._cls(_node(s)), self._cls(o)
            self.told[a].add(b)
            self.told[b].add(a)
            for x, y in ((a, b), (b, a)):
                if not x.startswith(SK):
                    self.definitions[x].add(y)
        for s, o in g.pairs(_O + "disjointWith"):
            self.disjoint_pairs.add(frozenset((self._cls(_node(s)), self._cls(o))))
        for d in g.typed(_O + "AllDisjointClasses"):
            members = g.value(d, _O + "members")
            self.disjoint_groups.append([self._cls(c) for c in g.items(members)])
        for p, c in g.pairs(_R + "domain"):
            self.domain[p].add(self._cls(c))
        for p, c in g.pairs(_R + "range"):
            if p in self.data_props:
                self.data_range[p].add(c.value)
            else:
                self.range[p].add(self._cls(c))
        for s, o in g.pairs(_R + "subPropertyOf"):
            self.subprop[s].add(o.value)
        for s, o in g.pairs(_O + "equivalentProperty"):
            self.subprop[s].add(o.value)
            self.subprop[o.value].add(s)
        for s, o in g.pairs(_O + "inverseOf"):
            if not s.startswith("_:"):
                self.inverse[s].add(o.value)
                self.inverse[o.value].add(s)
        for kind, target in (
            ("FunctionalProperty", self.functional),
            ("InverseFunctionalProperty", self.inv_functional),
            ("SymmetricProperty", self.symmetric),
            ("TransitiveProperty", self.transitive),
        ):
            target |= set(g.typed(_O + kind))
        for d in g.typed(_O + "AllDifferent"):
            members = g.value(d, _O + "distinctMembers") or g.value(d, _O + "members")
            self.all_different.append([_term(m) for m in g.items(members)])
        self.same_as = {frozenset((a, b.value)) for a, b in g.pairs(_O + "sameAs") if a != b.value}
        for a, b in g.pairs(_O + "differentFrom"):
            self.all_different.append([a, b.value])
        for local in _NOT_COMPILED_PREDICATES:
            for s, _ in g.pairs(_O + local):
                self.not_compiled.append(f"owl:{local} on {iris.curie(s)}")
        for local in _NOT_COMPILED_TYPES:
            for s in g.typed(_O + local):
                self.not_compiled.append(f"{iris.curie(s)} a owl:{local}")

    # -- closures --------------------------------------------------------------------------
    def _close(self) -> None:
        self.close_properties()
        for p, dts in self.data_range.items():
            self.not_compiled += [
                f"range {iris.curie(dt)} of {iris.curie(p)}"
                for dt in sorted(dts)
                if dt not in KNOWN_DATATYPES
            ]
        for n, e in self.exprs.items():
            if e.kind == "and":
                self.told[n].update(e.parts)
            elif e.kind == "or":
                for c in e.parts:
                    self.told[c].add(n)
            elif e.kind in ("some", "value", "self", "data") or (
                e.kind in ("min", "exact") and e.n >= 1
            ):
                self.told[n].update(self.prop_domains(e.prop))
        nodes = set(self.told) | {s for v in self.told.values() for s in v}
        self.nodes = nodes | set(self.exprs) | self.named
        # a union is under what every one of its disjuncts is under (closed with the rest)
        changed = True
        while changed:
            self.sup = {n: self._reach(n) for n in self.nodes}
            changed = False
            for n, e in self.exprs.items():
                if e.kind == "or":
                    common = set.intersection(*(self.sup[c] for c in e.parts)) - self.sup[n]
                    if common:
                        self.told[n] |= common
                        changed = True
        self.sub: dict[str, set[str]] = defaultdict(set)
        for n, ups in self.sup.items():
            for u in ups:
                self.sub[u].add(n)
        pairs = set(self.disjoint_pairs)
        for group in self.disjoint_groups:
            pairs.update(frozenset(p) for p in combinations(group, 2))
        pairs.update(frozenset((n, e.filler)) for n, e in self.exprs.items() if e.kind == "not")
        pairs.update(frozenset((n,)) for n in self.nodes if NOTHING in self.sup[n])
        self.disjoint = pairs
        # a union is disjoint with what all its disjuncts are disjoint with
        for n, e in self.exprs.items():
            if e.kind == "or":
                for other in self.nodes:
                    if all(self.disjoint_nodes(c, other) for c in e.parts):
                        self.disjoint.add(frozenset((n, other)))
        self.open_nodes = {n: e.kind for n, e in self.exprs.items() if e.kind in OPEN_KINDS}

    def _reach(self, n: str) -> set[str]:
        seen, todo = {n, THING}, [n]
        while todo:
            for u in self.told.get(todo.pop(), ()):
                if u not in seen:
                    seen.add(u)
                    todo.append(u)
        return seen

    def disjoint_nodes(self, a: str, b: str) -> bool:
        """Whether class nodes a and b can have no member in common (told, not complete)."""
        sa, sb = self.sup.get(a, {a, THING}), self.sup.get(b, {b, THING})
        return any(frozenset((x, y)) in self.disjoint for x in sa for y in sb)

    def show(self, n: str) -> str:
        """A class node in Manchester-like syntax, for messages.

        >>> from trustkg.load.ontology import ontology_quads
        >>> t = read_tbox(ontology_quads())
        >>> t.show(min(t.definitions[iris.TK + "UnmatchedQuotation"]))
        '(tk:Quotation and tk:nearestCandidate some tk:Participant)'
        """
        e = self.exprs.get(n)
        if e is None:
            return iris.curie(n)
        p = iris.curie(min(self.inverse[e.prop])) if e.prop.startswith(SK) else ""
        p = f"inverse {p}" if p else iris.curie(e.prop) if e.prop else ""
        if e.kind in ("and", "or"):
            return "(" + f" {e.kind} ".join(self.show(c) for c in e.parts) + ")"
        if e.kind == "one":
            return "{" + " ".join(iris.curie(m) for m in e.parts) + "}"
        if e.kind == "not":
            return f"not {self.show(e.filler)}"
        if e.kind in ("min", "max", "exact"):
            return f"{p} {e.kind} {e.n} {self.show(e.filler)}"
        if e.kind == "value":
            return f"{p} value {iris.curie(e.filler)}"
        if e.kind in ("some", "all"):
            return f"{p} {'only' if e.kind == 'all' else 'some'} {self.show(e.filler)}"
        return f"{p} {e.kind}".strip()

    def defined(self) -> list[str]:
        """The ontology's own classes that a definition fills: equivalent to a class expression
        other than an enumeration (a closed code list) or a named class (a renamed term). Those
        are the classes whose members ``reason`` reports, as HermiT's answer does."""
        return sorted(
            c
            for c, eqs in self.definitions.items()
            if c.startswith(iris.TK)
            and any(e in self.exprs and self.exprs[e].kind != "one" for e in eqs)
        )


def _node(key: str):
    """A subject key back as a term the class reader accepts."""
    import pyoxigraph

    if key.startswith("_:"):
        return pyoxigraph.BlankNode(key[2:])
    return pyoxigraph.NamedNode(key)


def read_tbox(triples: Iterable) -> TBox:
    """The TBox of an ontology given as pyoxigraph triples or quads.

    >>> from trustkg.load.ontology import ontology_quads
    >>> tbox = read_tbox(ontology_quads())
    >>> "https://w3id.org/trustkg/ontology#LessDominantSectorQuotation" in tbox.defined()
    True
    """
    return TBox(triples)
