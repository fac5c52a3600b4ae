"""Run a catalogued (or any) SPARQL query on the embedded store or a SPARQL 1.1 endpoint.

Parameters are never spliced into the query as raw text: each value becomes one RDF term —
a literal escaped as N-Triples escapes it, or an IRI that is refused if it holds a character IRIs
may not contain — placed in a ``VALUES`` block at the head of every group the query has. A value
full of quotes, braces or spaces therefore stays a value. The same binding is used locally and
remotely, so both give the same rows.

Federation is opt-in: a query with ``SERVICE``, or with ``FROM``/``FROM NAMED`` naming a graph the
store does not hold, is refused unless ``allow_remote`` is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..core import iris
from ..core.errors import TrustkgError
from .catalogue import CatalogueQuery, find_query

ENDPOINT_ENV = "TRUSTKG_ENDPOINT"
USER_ENV = "TRUSTKG_ENDPOINT_USER"
PASSWORD_ENV = "TRUSTKG_ENDPOINT_PASSWORD"
#: queries longer than this go by POST (a long GET URL is refused by many servers)
POST_THRESHOLD = 1500

XSD = iris.XSD
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}


class Term(NamedTuple):
    """One RDF term of a result, in the shape of the SPARQL 1.1 results JSON.

    A named tuple rather than a frozen dataclass: a big answer makes one per cell, and a tuple
    is built about three times faster.
    """

    type: str  # "uri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def python(self) -> Any:
        """The value a researcher would expect in a DataFrame: numbers as numbers."""
        if self.type == "literal" and self.datatype in _NUMERIC:
            try:
                return (
                    int(self.value)
                    if self.datatype.endswith(("integer", "long", "int"))
                    else (float(self.value))
                )
            except ValueError:
                return self.value
        return self.value

    def as_json(self) -> dict[str, str]:
        out = {"type": self.type, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype and self.datatype != XSD + "string":
            out["datatype"] = self.datatype
        return out


@dataclass
class QueryResult:
    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Rows as plain dicts of Python values (missing values are None)."""
        return [
            {v: (row[v].python() if v in row else None) for v in self.variables}
            for row in self.rows
        ]

    def as_json(self) -> dict:
        """The SPARQL 1.1 Query Results JSON document."""
        return {
            "head": {"vars": self.variables},
            "results": {
                "bindings": [{k: t.as_json() for k, t in row.items()} for row in self.rows]
            },
        }


# -- parameters --------------------------------------------------------------------------------

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


def bind(query: CatalogueQuery, params: Mapping[str, str]) -> str:
    """The query text with its parameters bound in VALUES blocks (see the module docstring)."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown and known:
        raise TrustkgError(
            f"unknown parameter(s) {', '.join(unknown)} for {query.name}; "
            f"it takes {', '.join(sorted(known))}"
        )
    bindings: dict[str, str] = {}
    for name, p in known.items():
        if name in params:
            bindings[name] = param_term(name, params[name], p.default)
        elif p.default is not None:
            bindings[name] = p.default
    for name in unknown:  # a plain .rq file has no header: bind what the user names
        if not re.fullmatch(r"\w+", name):
            raise TrustkgError(f"parameter name {name!r} must be letters, digits or _")
        bindings[name] = param_term(name, params[name], None)
    if not bindings:
        return query.text
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    text = query.text
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
    masked = _mask(text)
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


def _mask(text: str) -> str:
    """The text with every string literal, IRI and comment replaced by spaces of equal length."""
    return _TOKENS.sub(lambda m: " " * len(m.group(0)), text)


# -- safety ------------------------------------------------------------------------------------

_TOKENS = re.compile(
    r"(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<comment>#[^\n]*)",
)


def _strip_literals_and_comments(text: str) -> str:
    """The query with string literals emptied and comments blanked. IRIs, which may hold '#',
    are kept whole: a keyword inside a string or comment is not seen, and none is missed."""

    def keep(m: re.Match[str]) -> str:
        if m.group("iri"):
            return m.group("iri")
        return '""' if m.group("string") else " "

    return _TOKENS.sub(keep, text)


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^<>\s]*)>", re.IGNORECASE)


def check_federation(text: str, local_graphs: set[str] | None, allow_remote: bool) -> None:
    """Refuse SERVICE and FROM <remote> unless the user opted in."""
    if allow_remote:
        return
    bare = _strip_literals_and_comments(text)
    if _SERVICE.search(bare):
        raise TrustkgError(
            "the query calls a remote endpoint (SERVICE); pass --allow-remote to permit it"
        )
    for graph in _FROM.findall(bare):
        if local_graphs is None or graph not in local_graphs:
            raise TrustkgError(
                f"the query reads FROM <{graph}>, which is not a graph of this store; "
                "pass --allow-remote to permit it"
            )


# -- running -----------------------------------------------------------------------------------

_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.I)


def require_select(text: str) -> None:
    """trustkg runs questions, never updates: the query must be a SELECT."""
    bare = _PROLOGUE.sub("", _strip_literals_and_comments(text))
    if not re.match(r"SELECT\b", bare, re.IGNORECASE):
        word = (bare.split() or ["nothing"])[0]
        raise TrustkgError(f"only SELECT queries can be run, this one starts with {word!r}")


def run_query(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    allow_remote: bool = False,
    timeout: float = 60.0,
) -> QueryResult:
    """Run a catalogued query (by name or ``cqNN``) or a ``.rq`` file.

    With ``endpoint`` (or ``$TRUSTKG_ENDPOINT``) the query goes to that SPARQL 1.1 endpoint;
    otherwise to the embedded store's default graph, which holds the whole graph (the dataset
    description is in a named graph of its own).
    """
    query = find_query(name)
    text = bind(query, params or {})
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    if endpoint:
        check_federation(text, None if allow_remote else set(), allow_remote)
        return run_remote(text, endpoint, timeout=timeout)
    from ..store.embedded import open_store

    st = open_store(store)
    if not allow_remote:
        graphs = {g.value for g in st.named_graphs() if hasattr(g, "value")}
        check_federation(text, graphs, allow_remote)
    return run_local(text, st)


def run_local(text: str, store) -> QueryResult:
    """Run a SELECT on an Oxigraph store.

    The query's default graph is the store's default graph, where ``build`` puts the whole
    graph; the dataset description stays in its named graph (reach it with ``GRAPH``). Not
    the union of all graphs: then every triple pattern searches the named-graph indexes as
    well, which made the catalogue's queries up to twice as slow at a million triples.
    """
    import pyoxigraph

    require_select(text)
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise TrustkgError(f"the query does not parse: {' '.join(str(exc).split())}") from None
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TrustkgError("only SELECT queries can be run here (use build --out for graphs)")
    variables = [v.value for v in solutions.variables]
    literal, named = pyoxigraph.Literal, pyoxigraph.NamedNode
    rows = []
    for sol in solutions:  # the hot loop of a big answer: no function call per cell
        row = {}
        for i, v in enumerate(variables):
            t = sol[i]
            if t is None:
                continue
            kind = type(t)
            if kind is literal:
                row[v] = Term("literal", t.value, t.datatype.value, t.language)
            elif kind is named:
                row[v] = Term("uri", t.value)
            else:
                row[v] = Term("bnode", t.value)
        rows.append(row)
    return QueryResult(variables, rows)


def credentials(endpoint: str) -> tuple[str, str] | None:
    """From $TRUSTKG_ENDPOINT_USER/$TRUSTKG_ENDPOINT_PASSWORD, else ~/.netrc; never the CLI."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user and password is not None:
        return user, password
    import netrc
    from urllib.parse import urlparse

    host = urlparse(endpoint).hostname or ""
    try:
        auth = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if auth:
        login, _, password = auth
        return login or "", password or ""
    return None


def run_remote(text: str, endpoint: str, *, timeout: float = 60.0) -> QueryResult:
    """Send the query over the SPARQL 1.1 Protocol; errors become one line, credentials stay
    out of every message."""
    import socket
    import urllib.error

    from SPARQLWrapper import JSON, POST, SPARQLExceptions, SPARQLWrapper

    if not re.match(r"^https?://", endpoint):
        raise TrustkgError(f"endpoint {endpoint!r} must be an http:// or https:// address")
    require_select(text)
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    # SPARQLWrapper guesses the query form from keywords and can mistake a word in a comment
    # for an update; the form is known here, so say it.
    client.queryType = "SELECT"
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    if len(text) > POST_THRESHOLD:
        client.setMethod(POST)
    auth = credentials(endpoint)
    if auth:
        client.setCredentials(*auth)
    where = _redact(endpoint)
    try:
        doc = client.queryAndConvert()
    except SPARQLExceptions.Unauthorized:
        raise TrustkgError(f"{where} refused the credentials (401 Unauthorized)") from None
    except SPARQLExceptions.EndPointNotFound:
        raise TrustkgError(
            f"{where} answered 404 Not Found: is this the SPARQL endpoint?"
        ) from None
    except SPARQLExceptions.QueryBadFormed as exc:
        raise TrustkgError(f"{where} rejected the query (400): {_first_line(exc)}") from None
    except SPARQLExceptions.EndPointInternalError as exc:
        raise TrustkgError(f"{where} failed (500): {_first_line(exc)}") from None
    except SPARQLExceptions.SPARQLWrapperException as exc:
        raise TrustkgError(f"{where} answered with an error: {_first_line(exc)}") from None
    except urllib.error.HTTPError as exc:
        raise TrustkgError(f"{where} answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise TrustkgError(f"{where} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise TrustkgError(f"{where} did not answer within {timeout:g} s") from None
        raise TrustkgError(f"cannot reach {where}: {reason}") from None
    except (ConnectionError, OSError) as exc:
        raise TrustkgError(f"cannot reach {where}: {exc}") from None
    if not isinstance(doc, dict) or "head" not in doc:
        raise TrustkgError(f"{where} did not return SPARQL JSON results")
    variables = list(doc["head"].get("vars", []))
    rows = []
    for binding in doc.get("results", {}).get("bindings", []):
        row = {}
        for var, t in binding.items():
            kind = "literal" if t["type"] in ("literal", "typed-literal") else t["type"]
            datatype = t.get("datatype") or (
                XSD + "string" if kind == "literal" and "xml:lang" not in t else None
            )
            if "xml:lang" in t:
                datatype = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
            row[var] = Term(kind, t["value"], datatype, t.get("xml:lang"))
        rows.append(row)
    return QueryResult(variables, rows)


def _redact(url: str) -> str:
    """The endpoint as shown in messages: without any user:password@ part."""
    return re.sub(r"//[^/@]*@", "//", url)


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]
