"""Recognise the codes of an imported project that came from trustkg's codebook.

A researcher who codes with the codebook ``trustkg export codebook`` wrote brings back codes
that *are* framework concepts. Each imported code is compared with the framework's codebook
entries (:mod:`trustkg.sources.framework`), by these rules in order, the first that holds
deciding:

1. **guid**: the code's GUID is the concept's (``uuid5(NAMESPACE_URL, IRI)``), as a tool that
   keeps GUIDs (NVivo, ATLAS.ti, MAXQDA, QualCoder) exports it again;
2. **iri**: the code's description ends with the concept's IRI (in brackets, as the codebook
   writes it), which survives a renamed code and a tool that drops GUIDs;
3. **path**: the code's path (its ancestors' names and its own, joined with ``/``; a Taguette
   tag's path) is the path the codebook gives the concept, in the ``.qdc`` or, cut to
   Taguette's 200 characters, in the CSV (compared after Unicode NFC normalisation, with
   whitespace collapsed and case folded);
4. **name**: the code's name, or the end of its path after a ``/``, is the name of exactly one
   framework entry (a tool flattened the tree, or the code was moved).

A recognised code is linked to its concept as a ``skos:exactMatch`` whose justification says
which rule held. Every other code is new to the framework: an emergent code, which CQ16 lists.

>>> from trustkg.sources.framework import bundled, framework_codes
>>> from trustkg.sources.refiqda import Code, RefiProject
>>> project = RefiProject("x.qdc", "codebook", codes=[
...     Code("g1", "li2018 asymmetry types"), Code("g2", "asymmetric power", parent="g1"),
...     Code("g3", "Information sharing")])
>>> found = Recogniser(framework_codes([bundled("li2018")])).recognise(project)
>>> {g: (r.concept.reference, r.rule) for g, r in found.items()}
{'g1': ('li2018/asymmetries', 'path'), 'g2': ('li2018/AT-power', 'path')}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core import iris
from .framework import FrameworkCode, csv_paths, normalise, paths
from .refiqda import RefiProject

RULES = ("guid", "iri", "path", "name")
#: the SSSOM mapping justification each rule records: a GUID or IRI carried through the tool
#: is trustkg's own codebook (background knowledge) saying which concept the code is; a path or
#: name is a comparison of labels
JUSTIFICATIONS = {
    "guid": "semapv:BackgroundKnowledgeBasedMatching",
    "iri": "semapv:BackgroundKnowledgeBasedMatching",
    "path": "semapv:LexicalMatching",
    "name": "semapv:LexicalMatching",
}
_IRI_AT_END = re.compile(r"\[?(" + re.escape(iris.DATA) + r"[^\s\[\]]+)\]?\s*$")


@dataclass(frozen=True)
class Recognition:
    """Which framework entry an imported code is, and by which rule."""

    code: str  # the imported code's GUID, as trustkg keeps it (lower case)
    concept: FrameworkCode
    rule: str  # one of RULES
    rationale: str

    @property
    def justification(self) -> str:
        return JUSTIFICATIONS[self.rule]


def code_paths(project: RefiProject) -> dict[str, str]:
    """Each code's path: its ancestors' names and its own, joined with ``/`` (never split)."""
    parent = {c.guid: c.parent for c in project.codes}
    name = {c.guid: c.name for c in project.codes}
    out: dict[str, str] = {}
    for c in project.codes:
        chain, g = [], c.guid
        while g and g in name and g not in chain:  # a loop in a hostile file ends here
            chain.append(g)
            g = parent.get(g, "")
        out[c.guid] = "/".join(name[x] for x in reversed(chain))
    return out


class Recogniser:
    """The framework's entries indexed by each rule's key (the first entry wins a tie)."""

    def __init__(self, framework: list[FrameworkCode]) -> None:
        self.by_guid: dict[str, FrameworkCode] = {}
        self.by_iri: dict[str, FrameworkCode] = {}
        self.by_path: dict[str, FrameworkCode] = {}
        names: dict[str, list[FrameworkCode]] = {}
        full, cut = paths(framework), csv_paths(framework)
        for c in framework:
            self.by_guid.setdefault(c.guid.lower(), c)
            self.by_iri.setdefault(c.iri, c)
            self.by_path.setdefault(normalise(full[c.iri]), c)
            self.by_path.setdefault(normalise(cut[c.iri]), c)
            names.setdefault(normalise(c.name), []).append(c)
        #: only a name that one entry alone has: two concepts of one name stay unrecognised
        self.by_name = {n: cs[0] for n, cs in names.items() if len(cs) == 1}

    def recognise(self, project: RefiProject) -> dict[str, Recognition]:
        """The recognised codes of ``project``, by GUID; codes missing are emergent."""
        found: dict[str, Recognition] = {}
        code_path = code_paths(project)
        for code in project.codes:
            hit = self.match(code.guid, code.name, code.description, code_path[code.guid])
            if hit is not None:
                found[code.guid] = hit
        return found

    def match(self, guid: str, name: str, description: str, path: str) -> Recognition | None:
        c = self.by_guid.get(guid.strip("{}").lower())
        if c is not None:
            why = (
                f"GUID {guid.upper()} is uuid5(NAMESPACE_URL, {c.iri}), the GUID trustkg export "
                f"codebook gives {c.reference}"
            )
            return self._found(guid, c, "guid", name, why)
        m = _IRI_AT_END.search(description or "")
        c = self.by_iri.get(m.group(1)) if m else None
        if c is not None:
            why = f"its description ends with the IRI of {c.reference}, {c.iri}"
            return self._found(guid, c, "iri", name, why)
        c = self.by_path.get(normalise(path))
        if c is not None:
            why = f"its path {path!r} is the path trustkg export codebook gives {c.reference}"
            return self._found(guid, c, "path", name, why)
        for tail in _tails(path, name):
            c = self.by_name.get(normalise(tail))
            if c is not None:
                why = (
                    f"its name {tail!r} is the name trustkg's codebook gives {c.reference}, "
                    "and no other framework entry has it"
                )
                return self._found(guid, c, "name", name, why)
        return None

    @staticmethod
    def _found(guid: str, c: FrameworkCode, rule: str, name: str, why: str) -> Recognition:
        rationale = f"Code {name!r} came from trustkg's codebook: {why} (recognised at import)."
        return Recognition(guid, c, rule, rationale)


def _tails(path: str, name: str) -> list[str]:
    """The code's name, then each end of its path after a ``/``, longest first (a flattened
    path such as Taguette's holds the name at its end)."""
    out = [name]
    at = path.find("/")
    while at != -1:
        out.append(path[at + 1 :])
        at = path.find("/", at + 1)
    return out
