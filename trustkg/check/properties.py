"""What the ontology's property axioms entail, as the rule engine uses it: which properties'
triples entail a given property's (so a rule matches one SPARQL path instead of materialising
property triples), which classes every subject of a property is in, and which properties are
functional. :class:`~trustkg.check.axioms.TBox` reads the axioms into the fields used here.
"""

from __future__ import annotations

from collections import defaultdict

#: skolem namespace of class expressions, fresh inverse properties and the engine's work graph
SK = "urn:x-trustkg-reason:"


class PropertyAxioms:
    """The property half of the TBox: sub-, inverse, equivalent, symmetric, transitive and
    functional properties, domains and ranges."""

    subprop: dict[str, set[str]]
    inverse: dict[str, set[str]]
    symmetric: set[str]
    transitive: set[str]
    functional: set[str]
    inv_functional: set[str]
    domain: dict[str, set[str]]
    range: dict[str, set[str]]

    def close_properties(self) -> None:
        """Called once the axioms are read: the entailment edges between properties."""
        self._edge_map = self._edges()
        self._paths: dict[tuple[str, int], str] = {}

    def _edges(self) -> dict[tuple[str, int], set[tuple[str, int]]]:
        """(q, d) → (p, d'): a triple of q in direction d entails one of p in direction d'."""
        edges: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        for q, ups in self.subprop.items():
            for u in ups:
                for d in (1, -1):
                    edges[(q, d)].add((u, d))
        for q, invs in self.inverse.items():
            for u in invs:
                for d in (1, -1):
                    edges[(q, d)].add((u, -d))
        for q in self.symmetric:
            for d in (1, -1):
                edges[(q, d)].add((q, -d))
        return edges

    def implied_by(self, p: str) -> set[tuple[str, int]]:
        """Every (q, d) such that ``x p y`` entails ``x q y`` (d=1) or ``y q x`` (d=-1)."""
        return _walk((p, 1), self._edge_map)

    def implying(self, p: str) -> list[tuple[str, int]]:
        """Every named (q, d) whose triples entail ``x p y``: the alternatives of its path."""
        reverse: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        for src, dsts in self._edge_map.items():
            for dst in dsts:
                reverse[dst].add(src)
        return sorted(s for s in _walk((p, 1), reverse) if not s[0].startswith(SK))

    def path(self, p: str, d: int = 1) -> str:
        """A SPARQL property path that matches every triple entailing ``x p y`` (d=1) or
        ``y p x`` (d=-1)."""
        if (p, d) not in self._paths:
            alts = [f"<{q}>" if dq * d == 1 else f"^<{q}>" for q, dq in self.implying(p)]
            if not alts:
                alts = [f"<{p}>" if d == 1 else f"^<{p}>"]
            text = alts[0] if len(alts) == 1 else "(" + "|".join(alts) + ")"
            self._paths[(p, d)] = f"({text})+" if p in self.transitive else text
        return self._paths[(p, d)]

    def prop_domains(self, p: str) -> set[str]:
        """Class nodes every subject of p is in: its domains, its super-properties' domains
        and its inverses' ranges."""
        out: set[str] = set()
        for q, d in self.implied_by(p):
            out |= self.domain.get(q, set()) if d == 1 else self.range.get(q, set())
        return out

    def is_functional(self, p: str) -> bool:
        return any(
            (q in self.functional and d == 1) or (q in self.inv_functional and d == -1)
            for q, d in self.implied_by(p)
        )

    def functional_states(self) -> list[tuple[str, int]]:
        """Declared functional (q, 1) and inverse-functional (q, -1) properties."""
        return [(q, 1) for q in sorted(self.functional)] + [
            (q, -1) for q in sorted(self.inv_functional)
        ]


def _walk(start, edges) -> set:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
