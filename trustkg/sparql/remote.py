"""The endpoint back-end: a SELECT over the SPARQL 1.1 Protocol, answered as :class:`QueryResult`.

The request is the protocol's plainest form, which every server answers: GET with ``query=``,
or a form-encoded POST for a long query (Virtuoso 7 never answers a POST whose body is the bare
query, ``application/sparql-query``). Credentials, when the server asks for them, go as it asks
(:mod:`.http`). Two things a server may do to an answer are caught here, so that the rows are
the same as the embedded store's: Virtuoso cuts an answer at its ``ResultSetMaxRows`` (10,000
in Debian's configuration) and says so only in an ``X-SPARQL-MaxRows`` header, which trustkg
turns into an error rather than a short answer; and Virtuoso writes ``xsd:boolean`` values as
``1``/``0`` in JSON results, which become ``true``/``false`` (their canonical form, as Oxigraph
writes them).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from ..core.errors import TrustkgError
from ..core.iris import RDF, XSD
from .http import Client, HttpError, check_address, credentials, redact
from .results import QueryResult, Term
from .text import require_select

__all__ = ["ENDPOINT_ENV", "credentials", "redact", "run_remote"]

ENDPOINT_ENV = "TRUSTKG_ENDPOINT"
#: queries longer than this go by POST (a long GET URL is refused by many servers)
POST_THRESHOLD = 1500
#: the header in which Virtuoso says that it cut the answer short
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
_BOOLEAN = XSD + "boolean"


def run_remote(text: str, endpoint: str, *, timeout: float = 60.0) -> QueryResult:
    """Send the query over the SPARQL 1.1 Protocol; errors become one line, credentials stay
    out of every message."""
    check_address(endpoint)
    require_select(text)
    accept = {"Accept": "application/sparql-results+json"}
    client = Client(endpoint)
    try:
        if len(text) > POST_THRESHOLD:
            form = urlencode({"query": text}).encode("utf-8")
            headers = {**accept, "Content-Type": "application/x-www-form-urlencoded"}
            answer = client.send(endpoint, "POST", form, headers, timeout)
        else:
            joiner = "&" if "?" in endpoint else "?"
            url = endpoint + joiner + urlencode({"query": text})
            answer = client.send(url, "GET", None, accept, timeout)
    except HttpError as exc:
        raise TrustkgError(_query_failure(exc)) from None
    where = redact(endpoint)
    try:
        doc = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict):
        raise TrustkgError(f"{where} did not return SPARQL JSON results")
    result = _result(doc)
    cap = answer.headers.get(MAX_ROWS_HEADER)
    if cap and cap.strip().isdigit() and len(result.rows) >= int(cap):
        raise TrustkgError(
            f"{where} cut the answer at {int(cap):,} rows ({MAX_ROWS_HEADER}; Virtuoso's "
            "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini): raise that limit, or "
            "narrow the query with LIMIT and OFFSET"
        )
    return result


def _query_failure(exc: HttpError) -> str:
    if exc.status == 404:
        return f"{exc.where} answered 404 Not Found: is this the SPARQL endpoint?"
    if exc.status == 400:
        return f"{exc.where} rejected the query (400): {exc.said}".rstrip(": ")
    if exc.status is not None and exc.status >= 500:
        return f"{exc.where} failed ({exc.status}): {exc.said}".rstrip(": ")
    return str(exc)


def _result(doc: dict) -> QueryResult:
    variables = list(doc["head"].get("vars", []))
    rows = []
    for binding in doc.get("results", {}).get("bindings", []):
        row = {}
        for var, t in binding.items():
            kind = "literal" if t["type"] in ("literal", "typed-literal") else t["type"]
            value = t["value"]
            datatype = t.get("datatype") or (
                XSD + "string" if kind == "literal" and "xml:lang" not in t else None
            )
            if "xml:lang" in t:
                datatype = RDF + "langString"
            elif datatype == _BOOLEAN and value in ("1", "0"):
                value = "true" if value == "1" else "false"
            row[var] = Term(kind, value, datatype, t.get("xml:lang"))
        rows.append(row)
    return QueryResult(variables, rows)
