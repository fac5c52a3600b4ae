"""Triples for register extracts and external identifiers: NHS ODS codes and ONS areas.

An ODS code becomes an external identifier (an ``adms:Identifier`` whose ``skos:notation`` is
the code and which is ``skos:inScheme`` its scheme) with the register's name for it; an ONS
code becomes a ``tk:Area`` with its GSS identifier and the larger area it lies within. Identifier
IRIs are shared by every study (:func:`trustkg.core.iris.identifier_iri`), so the join with a
study's ``identifiers.csv`` needs no matching step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core import iris
from ..core.iris import ADMS
from ..sources.registers import is_ons_lookup, read_ods, read_ons_lookup
from .ntriples import IN_SCHEME, LABEL, NOTATION, A, L, N, code, tk

IDENTIFIER_CLASS = N(ADMS + "Identifier")
HAS_IDENTIFIER = N(ADMS + "identifier")


def identifier_triples(node: str, scheme: str, value: str) -> list[str]:
    """The triples that describe an external identifier node."""
    return [
        f"{node} {A} {IDENTIFIER_CLASS} .\n",
        f"{node} {NOTATION} {L(value)} .\n",
        f"{node} {IN_SCHEME} {code('IdentifierScheme', scheme)} .\n",
    ]


def register_ntriples(folder: Path) -> Iterator[str]:
    """Triples for every register extract (``*.csv``) in ``folder``, in file name order."""
    a, label = A, LABEL
    for path in sorted(folder.glob("*.csv")):
        if is_ons_lookup(path):
            for area in read_ons_lookup(path):
                s = N(iris.data_iri("area", "ons-gss", area.code))
                ident = N(iris.identifier_iri("ons-gss", area.code))
                yield f"{s} {a} {tk('Area')} .\n"
                yield f"{s} {label} {L(area.name or area.code, language='en')} .\n"
                yield f"{s} {tk('areaType')} {L(area.area_type)} .\n"
                yield f"{s} {HAS_IDENTIFIER} {ident} .\n"
                yield f"{s} {tk('sourceFile')} {L(path.name)} .\n"
                yield from identifier_triples(ident, "ons-gss", area.code)
                if area.within:
                    parent = N(iris.data_iri("area", "ons-gss", area.within))
                    yield f"{s} {tk('withinArea')} {parent} .\n"
        else:
            for entry in read_ods(path):
                ident = N(iris.identifier_iri("ods", entry.code))
                yield from identifier_triples(ident, "ods", entry.code)
                yield f"{ident} {tk('registeredName')} {L(entry.name)} .\n"
                yield f"{ident} {tk('sourceFile')} {L(path.name)} .\n"
