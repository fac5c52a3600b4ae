r"""Bind a catalogue query's parameters without ever splicing raw text into it.

Each value becomes one RDF term (a literal escaped as N-Triples escapes it, or an IRI refused if
it holds a character IRIs may not contain) placed in a ``VALUES`` block at the head of every
group the query has. A value full of quotes, braces or spaces therefore stays a value. The same
binding is used locally and remotely, so both give the same rows.

>>> param_term("asymmetry", "AT-power", '"AT-power"')
'"AT-power"'
>>> print(param_term("study", 'x" } DROP ALL #', '"li2018"'))
"x\" } DROP ALL #"
>>> param_term("min", "3", "1")
'"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> param_term("org", "tkd:li2018/organisation/O1", "<https://example.org/x>")
'<https://w3id.org/trustkg/data/li2018/organisation/O1>'

A parameter named after ``SERVICE`` (``SERVICE ?register { … }``) is the address of another
endpoint: engines do not take a variable there, so its value, checked to be an http(s) IRI,
replaces the variable in the text, and nowhere else. Federation stays opt-in all the same
(:func:`~trustkg.sparql.text.check_federation`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..core import iris
from ..core.errors import TrustkgError
from ..core.iris import XSD
from .catalogue import CatalogueQuery
from .text import SERVICE_VARIABLE, mask, service_variables

_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")


def _literal(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _iri(value: str, name: str) -> str:
    if not value or _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise TrustkgError(
            f"parameter {name}: {value!r} is not an IRI (no spaces, quotes, braces or <>)"
        )
    return f"<{value}>"


def param_term(name: str, value: str, default: str | None) -> str:
    """Turn a command-line value into one SPARQL term, typed like the parameter's default."""
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], name)
    if default is not None and default.startswith("<"):
        m = _PREFIXED.match(value)
        if m and m.group(1) in iris.PREFIXES:
            return _iri(iris.PREFIXES[m.group(1)] + m.group(2), name)
        return _iri(value, name)
    if default is not None and re.fullmatch(r"-?\d+", default):
        if not re.fullmatch(r"-?\d+", value):
            raise TrustkgError(f"parameter {name}: {value!r} is not a whole number")
        return f'"{int(value)}"^^<{XSD}integer>'
    return _literal(value)


def _service_iri(name: str, value: str) -> str:
    value = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not re.match(r"https?://[^/]", value):
        raise TrustkgError(
            f"parameter {name}: {value!r} is not the http:// or https:// address of an endpoint"
        )
    return _iri(value, name)


def _bind_services(text: str, values: Mapping[str, str]) -> str:
    """``SERVICE ?name`` → ``SERVICE <value>`` for each given name, found on the masked text."""
    for m in reversed(list(SERVICE_VARIABLE.finditer(mask(text)))):
        if m.group(1) in values:
            at = m.start(1) - 1  # the '?'
            text = text[:at] + values[m.group(1)] + text[m.end(1) :]
    return text


def require_service_endpoints(text: str) -> None:
    """A bound query whose ``SERVICE`` still names a variable cannot run: say which value to
    give."""
    missing = service_variables(text)
    if missing:
        raise TrustkgError(
            f"the query calls another endpoint through SERVICE ?{missing[0]}: give its address "
            f"with --param {missing[0]}=URL"
        )


def bind(query: CatalogueQuery, params: Mapping[str, str]) -> str:
    """The query text with its parameters bound in VALUES blocks (see the module docstring).

    >>> from pathlib import Path
    >>> from trustkg.sparql.catalogue import CatalogueQuery, Param
    >>> q = CatalogueQuery("demo", Path("demo.rq"), "title", "question", "", "",
    ...                    params=[Param("s", "<https://example.org/a>", "the subject")],
    ...                    text="SELECT * WHERE { ?s ?p ?o }")
    >>> bind(q, {})
    'SELECT * WHERE { VALUES (?s) { (<https://example.org/a>) }  ?s ?p ?o }'
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown and known:
        raise TrustkgError(
            f"unknown parameter(s) {', '.join(unknown)} for {query.name}; "
            f"it takes {', '.join(sorted(known))}"
        )
    services = set(service_variables(query.text))
    addresses: dict[str, str] = {}
    bindings: dict[str, str] = {}
    for name, p in known.items():
        value = params.get(name, p.default)
        if value is None:
            continue
        if name in services:
            addresses[name] = _service_iri(name, value)
        else:
            bindings[name] = param_term(name, value, p.default) if name in params else value
    for name in unknown:  # a plain .rq file has no header: bind what the user names
        if not re.fullmatch(r"\w+", name):
            raise TrustkgError(f"parameter name {name!r} must be letters, digits or _")
        if name in services:
            addresses[name] = _service_iri(name, params[name])
        else:
            bindings[name] = param_term(name, params[name], None)
    text = _bind_services(query.text, addresses)
    if not bindings:
        return text
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    for at in sorted(group_starts(text), reverse=True):
        text = text[:at] + block + text[at:]
    return text


_GROUP_AFTER = re.compile(r"\b(?:WHERE|UNION)\s*\{", re.IGNORECASE)
_GROUP_BEFORE_UNION = re.compile(r"\}\s*UNION\b", re.IGNORECASE)


def group_starts(text: str) -> list[int]:
    """Offsets just inside every WHERE group and every UNION branch.

    The parameters' VALUES block goes at each of them: Oxigraph evaluates UNION branches and
    subqueries on their own, so a binding made only at the top would reach them too late to
    narrow them. Offsets are found on a copy with strings and comments masked out (same
    length), so a brace or keyword inside a literal is never taken for syntax.
    """
    masked = mask(text)
    starts = {m.end() for m in _GROUP_AFTER.finditer(masked)}
    subquery = re.compile(r"\s*SELECT\b", re.IGNORECASE)
    for m in _GROUP_BEFORE_UNION.finditer(masked):
        depth = 0
        for i in range(m.start(), -1, -1):
            if masked[i] == "}":
                depth += 1
            elif masked[i] == "{":
                depth -= 1
                if depth == 0:
                    starts.add(i + 1)
                    break
    # a subquery's braces hold SELECT, not a pattern: its own WHERE group gets the block
    return sorted(at for at in starts if not subquery.match(masked, at))
