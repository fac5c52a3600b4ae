"""Say when a parameter's value names nothing in the graph, and which values it could take.

A misspelt identifier (``--param asymmetry=AT-powr``, ``study=li2019``) is a valid value: the
query runs and answers with no rows, which reads as "no evidence". So each value given is
looked up among the identifiers (``dcterms:identifier``) of the things of the class the query gives
it (``?s dcterms:identifier ?study ; a tk:Study``), or, for an IRI, among the graph's subjects and
objects; one that names nothing gets a warning listing the values that exist (for ``study``,
the studies; for ``asymmetry``, the asymmetry types).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

from ..core.iris import DCTERMS, TK
from .catalogue import CatalogueQuery
from .params import param_term, service_variables
from .results import QueryResult
from .text import strip_literals_and_comments as mask_literals

#: what names a thing within its study (``li2018``, ``AT-power``)
IDENTIFIER = DCTERMS + "identifier"
#: at most this many existing values are listed in a warning
SHOWN = 20


def unknown_values(
    query: CatalogueQuery, params: Mapping[str, str], select: Callable[[str], QueryResult]
) -> list[str]:
    """One message per value of ``params`` that names nothing the store holds.

    ``select`` answers a SELECT (a back-end's). Numbers are not looked up: they name nothing.
    """
    defaults = {p.name: p.default for p in query.params}
    masked = mask_literals(query.text)
    endpoints = set(service_variables(query.text))  # another server's address, not a thing here
    messages = []
    for name, value in params.items():
        if name in endpoints:
            continue
        default = defaults.get(name)
        shown = value if value.isprintable() else repr(value)  # the warning stays one line
        term = param_term(name, value, default)
        if term.startswith("<"):
            found = f"SELECT ?x WHERE {{ {{ {term} ?p ?x }} UNION {{ ?x ?p {term} }} }} LIMIT 1"
            if not select(found).rows:
                messages.append(f"{name}={shown} names nothing in the store")
            continue
        if "^^" in term:
            continue
        cls = param_class(masked, name)
        typed = f"a <{cls}> ; " if cls else ""
        if select(f"SELECT ?x WHERE {{ ?x {typed}<{IDENTIFIER}> {term} }} LIMIT 1").rows:
            continue
        message = f"{name}={shown} names nothing in the store"
        known = _values(cls, default, select)
        close = difflib.get_close_matches(value, known, n=3, cutoff=0.8)
        if close:
            message += f" (did you mean {' or '.join(close)}?)"
        if known:
            more = f" and {len(known) - SHOWN} more" if len(known) > SHOWN else ""
            message += f"; {name} can be {', '.join(known[:SHOWN])}{more}"
        messages.append(message)
    return messages


def param_class(text: str, name: str) -> str | None:
    """The trustkg class the query gives the thing whose identifier is ``?name``, as in
    ``?s dcterms:identifier ?study ; a tk:Study``, or None.

    >>> param_class("?at a tk:AsymmetryType ; dcterms:identifier ?asymmetry", "asymmetry")
    'https://w3id.org/trustkg/ontology#AsymmetryType'
    """
    var = re.escape(name)
    for pattern in (
        rf"dcterms:identifier\s+\?{var}\s*;\s*a\s+tk:(\w+)",
        rf"\ba\s+tk:(\w+)\s*;\s*dcterms:identifier\s+\?{var}\b",
    ):
        m = re.search(pattern, text)
        if m:
            return TK + m.group(1)
    return None


def _values(cls: str | None, default: str | None, select: Callable[[str], QueryResult]) -> list:
    """The identifiers of the things of class ``cls``, or of the default's trustkg classes."""
    if cls:
        where = f"?x a <{cls}> ; <{IDENTIFIER}> ?v"
    elif default is not None and default.startswith('"'):
        where = f"""{{ SELECT DISTINCT ?c WHERE {{
            ?d <{IDENTIFIER}> {default} ; a ?c FILTER(STRSTARTS(STR(?c), "{TK}")) }} }}
            ?x a ?c ; <{IDENTIFIER}> ?v"""
    else:
        return []
    text = f"SELECT DISTINCT ?v WHERE {{ {where} }} ORDER BY ?v LIMIT {SHOWN * 50}"
    return [row["v"].value for row in select(text).rows if "v" in row]
