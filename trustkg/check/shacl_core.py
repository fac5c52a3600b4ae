"""Compile SHACL Core constraints into whole-graph SPARQL queries for Oxigraph.

pySHACL checks each focus node in turn on an rdflib graph: fine for a study, minutes for a
million triples (and the graph must first be copied into rdflib). Every Core constraint trustkg's
shapes use can instead be asked once of the whole store — "which focus nodes have no value for
tk:text?" — which Oxigraph answers in milliseconds. This module compiles the constraints it
understands and leaves every other one to pySHACL, so unfamiliar shapes still work, only slower.

Understood, on property shapes with a plain IRI path: ``minCount``, ``maxCount``, ``datatype``,
``class``, ``in``, ``pattern`` (with ``flags``), ``minLength``, ``maxLength``, ``languageIn``,
``nodeKind``, ``min/maxInclusive``, ``min/maxExclusive``, ``lessThan``, ``lessThanOrEquals``, and
``or`` of shapes that each test one ``class`` or ``datatype``; on node shapes, ``or`` of shapes
that each require one property (``path`` + ``minCount``). Results carry the same focus node,
path, value, severity, source shape and message as pySHACL reports (a test compares the two).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..core.iris import RDF_TYPE, SH
from .shacl_sparql import SUBCLASS, SparqlCheck, shape_targets

if TYPE_CHECKING:
    import rdflib


#: keys a compiled property shape may carry (anything else: pySHACL handles that shape)
_PROPERTY_KEYS = {
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "in",
    "pattern",
    "flags",
    "minLength",
    "maxLength",
    "languageIn",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "lessThan",
    "lessThanOrEquals",
    "or",
    "message",
    "severity",
    "name",
    "description",
    "order",
    "group",
    "deactivated",
}
_NODE_KINDS = {
    "IRI": "isIRI(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNode": "isBlank(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
    "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}
_COMPARE = {
    "minInclusive": ">=",
    "maxInclusive": "<=",
    "minExclusive": ">",
    "maxExclusive": "<",
}


def _local(term) -> str:
    return str(term).removeprefix(SH)


def _n3(term) -> str:
    from rdflib import Literal

    if isinstance(term, Literal):
        return term.n3()
    return f"<{term}>"


def _string(text: str) -> str:
    return json.dumps(str(text))  # a JSON string is a valid SPARQL string literal


def _instance_of(var: str, cls) -> str:
    return f"{var} <{RDF_TYPE}>/<{SUBCLASS}>* <{cls}>"


class _Compiler:
    def __init__(self, shapes: rdflib.Graph) -> None:
        import rdflib

        self.g = shapes
        self.sh = rdflib.Namespace(SH)

    def props(self, node) -> dict[str, list]:
        out: dict[str, list] = {}
        for p, o in self.g.predicate_objects(node):
            if str(p).startswith(SH):
                out.setdefault(_local(p), []).append(o)
        return out

    def items(self, lst) -> list:
        from rdflib.collection import Collection

        return list(Collection(self.g, lst))

    # -- property shapes -------------------------------------------------------------------
    def property_checks(self, node_shape, prop, targets: list[str]) -> list[SparqlCheck] | None:
        from rdflib import Literal, URIRef

        p = self.props(prop)
        if not set(p) <= _PROPERTY_KEYS or len(p.get("path", [])) != 1:
            return None
        path = p["path"][0]
        if not isinstance(path, URIRef):
            return None  # complex paths: leave to pySHACL
        if p.get("deactivated") == [Literal(True)]:
            return []
        severity = _local(p["severity"][0]) if "severity" in p else "Violation"
        message = str(p["message"][0]) if "message" in p else ""
        target = " UNION ".join("{ " + t + " }" for t in targets)
        values = f"{target} ?this <{path}> ?value ."
        checks: list[SparqlCheck] = []

        def add(component: str, where: str, select: str = "?this ?value", default: str = ""):
            query = f"SELECT DISTINCT {select} (<{path}> AS ?path) WHERE {{ {where} }}"
            checks.append(
                SparqlCheck(
                    shape=str(prop),
                    constraint=SH + component,
                    severity=severity,
                    message=message or default,
                    query=query,
                    value_is_focus=False,
                )
            )

        for key, objs in p.items():
            obj = objs[0]
            if key == "minCount":
                n = int(obj)
                if n == 1:
                    add(
                        "MinCountConstraintComponent",
                        f"{target} FILTER NOT EXISTS {{ ?this <{path}> ?any }}",
                        "?this",
                        f"Less than 1 values on {path}",
                    )
                elif n > 1:
                    add(
                        "MinCountConstraintComponent",
                        f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} "
                        f"OPTIONAL {{ ?this <{path}> ?v }} }} GROUP BY ?this }} FILTER (?n < {n})",
                        "?this",
                    )
            elif key == "maxCount":
                n = int(obj)
                add(
                    "MaxCountConstraintComponent",
                    f"{{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} "
                    f"?this <{path}> ?v }} GROUP BY ?this }} FILTER (?n > {n})",
                    "?this",
                )
            elif key == "datatype":
                add(
                    "DatatypeConstraintComponent",
                    f"{values} FILTER (!isLiteral(?value) || DATATYPE(?value) != <{obj}>)",
                )
            elif key == "class":
                for cls in objs:
                    add(
                        "ClassConstraintComponent",
                        f"{values} FILTER NOT EXISTS {{ {_instance_of('?value', cls)} }}",
                    )
            elif key == "in":
                allowed = " || ".join(f"sameTerm(?value, {_n3(t)})" for t in self.items(obj))
                add("InConstraintComponent", f"{values} FILTER (!({allowed or 'false'}))")
            elif key == "pattern":
                flags = f", {_string(p['flags'][0])}" if "flags" in p else ""
                add(
                    "PatternConstraintComponent",
                    f"{values} FILTER (isBlank(?value) || "
                    f"!REGEX(STR(?value), {_string(obj)}{flags}))",
                )
            elif key in ("minLength", "maxLength"):
                op = "<" if key == "minLength" else ">"
                add(
                    f"{key[0].upper()}{key[1:]}ConstraintComponent",
                    f"{values} FILTER (isBlank(?value) || STRLEN(STR(?value)) {op} {int(obj)})",
                )
            elif key == "languageIn":
                tags = " || ".join(
                    f"LANGMATCHES(LANG(?value), {_string(t)})" for t in self.items(obj)
                )
                add(
                    "LanguageInConstraintComponent",
                    f"{values} FILTER (!isLiteral(?value) || !({tags or 'false'}))",
                )
            elif key == "nodeKind":
                test = _NODE_KINDS.get(_local(obj))
                if test is None:
                    return None
                add("NodeKindConstraintComponent", f"{values} FILTER (!{test})")
            elif key in _COMPARE:
                add(
                    f"{key[0].upper()}{key[1:]}ConstraintComponent",
                    f"{values} FILTER (!COALESCE(?value {_COMPARE[key]} {_n3(obj)}, false))",
                )
            elif key in ("lessThan", "lessThanOrEquals"):
                op = "<" if key == "lessThan" else "<="
                add(
                    f"{key[0].upper()}{key[1:]}ConstraintComponent",
                    f"{values} ?this <{obj}> ?other FILTER (!COALESCE(?value {op} ?other, false))",
                )
            elif key == "or":
                tests = []
                for member in self.items(obj):
                    mp = self.props(member)
                    if set(mp) == {"class"}:
                        tests.append(f"EXISTS {{ {_instance_of('?value', mp['class'][0])} }}")
                    elif set(mp) == {"datatype"}:
                        dt = mp["datatype"][0]
                        tests.append(f"(isLiteral(?value) && DATATYPE(?value) = <{dt}>)")
                    else:
                        return None
                add("OrConstraintComponent", f"{values} FILTER (!({' || '.join(tests)}))")
        return checks

    # -- node shapes -----------------------------------------------------------------------
    def node_or_check(self, node_shape, targets: list[str]) -> SparqlCheck | None:
        p = self.props(node_shape)
        tests = []
        for member in self.items(p["or"][0]):
            mp = self.props(member)
            if set(mp) != {"path", "minCount"} or int(mp["minCount"][0]) != 1:
                return None
            tests.append(f"EXISTS {{ ?this <{mp['path'][0]}> ?any{len(tests)} }}")
        target = " UNION ".join("{ " + t + " }" for t in targets)
        severity = _local(p["severity"][0]) if "severity" in p else "Violation"
        message = str(p["message"][0]) if "message" in p else ""
        return SparqlCheck(
            shape=str(node_shape),
            constraint=SH + "OrConstraintComponent",
            severity=severity,
            message=message,
            query=f"SELECT DISTINCT ?this WHERE {{ {target} FILTER (!({' || '.join(tests)})) }}",
            value_is_focus=True,
        )


def compile_core(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlCheck]]:
    """Return the shapes graph without the compiled constraints, and the compiled checks.

    The unit handed to pySHACL when not understood is one property shape of one node shape
    (or a node shape's own ``sh:or``); everything else runs as SPARQL.
    """
    import rdflib
    from rdflib import RDF

    sh = rdflib.Namespace(SH)
    comp = _Compiler(shapes)
    rest = rdflib.Graph()
    for triple in shapes:
        rest.add(triple)
    for prefix, ns in shapes.namespaces():
        rest.bind(prefix, ns, override=True)
    checks: list[SparqlCheck] = []
    node_shapes = set(shapes.subjects(RDF.type, sh.NodeShape)) | set(
        shapes.subjects(sh.property, None)
    )
    for node in sorted(node_shapes, key=str):
        targets = shape_targets(shapes, node)
        if not targets:
            continue
        if shapes.value(node, sh.deactivated) == rdflib.Literal(True):
            continue
        for prop in list(shapes.objects(node, sh.property)):
            compiled = comp.property_checks(node, prop, targets)
            if compiled is not None:
                checks += compiled
                rest.remove((node, sh.property, prop))
        if shapes.value(node, sh["or"]) is not None:
            check = comp.node_or_check(node, targets)
            if check is not None:
                checks.append(check)
                rest.remove((node, sh["or"], None))
    return rest, checks


def has_constraints(shapes: rdflib.Graph) -> bool:
    """Whether anything is left for pySHACL to check."""
    import rdflib

    sh = rdflib.Namespace(SH)
    params = {
        sh.property,
        sh.sparql,
        sh["or"],
        sh["and"],
        sh["not"],
        sh.xone,
        sh.node,
        sh["class"],
        sh.datatype,
        sh.minCount,
        sh.maxCount,
        sh["in"],
        sh.pattern,
        sh.nodeKind,
        sh.closed,
        sh.hasValue,
        sh.equals,
        sh.disjoint,
        sh.qualifiedValueShape,
        sh.minLength,
        sh.maxLength,
        sh.languageIn,
        sh.uniqueLang,
        sh.lessThan,
        sh.lessThanOrEquals,
        sh.minInclusive,
        sh.maxInclusive,
        sh.minExclusive,
        sh.maxExclusive,
    }
    targeted = set()
    for t in (sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf):
        targeted |= set(shapes.subjects(t, None))
    targeted |= set(shapes.subjects(rdflib.RDF.type, rdflib.RDFS.Class)) & set(
        shapes.subjects(rdflib.RDF.type, sh.NodeShape)
    )
    return any(shapes.value(node, p) is not None for node in targeted for p in params)
