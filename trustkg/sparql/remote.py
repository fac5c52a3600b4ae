"""The endpoint back-end: a SELECT over the SPARQL 1.1 Protocol, answered as :class:`QueryResult`.

The request is made by SPARQLWrapper in the protocol's plainest form, which every server
answers: GET with ``query=``, or a form-encoded POST for a long query (Virtuoso 7 never answers
a POST whose body is the bare query). Credentials are offered only to a server that asks for
them, in the scheme it names: one request without them learns the scheme and realm from the
401 (:func:`.http.challenge`), and SPARQLWrapper then answers it (Basic, or Digest with that
realm; for Digest SPARQLWrapper installs urllib's default opener for the process). Two things a
server may do to an answer are caught here, so that the rows are the same as the embedded
store's: Virtuoso cuts an answer at its ``ResultSetMaxRows`` (10,000 in Debian's configuration)
and says so only in an ``X-SPARQL-MaxRows`` header, which trustkg turns into an error rather
than a short answer; and Virtuoso writes ``xsd:boolean`` values as ``1``/``0`` in JSON results,
which become ``true``/``false`` (their canonical form, as Oxigraph writes them).
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error

from ..core.errors import TrustkgError
from ..core.iris import RDF, XSD
from .http import HttpError, challenge, check_address, credentials, one_line, redact
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
    client = _client(text, endpoint, timeout)
    where = redact(endpoint)
    answer = _ask(client, where, timeout)
    body = b""
    try:
        body = answer.response.read()
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError, OSError, http.client.HTTPException):
        doc = None
    if doc is None and body.lstrip().startswith(b'{"head"'):
        # results that stop mid-way: Oxigraph's time limit ends them with its note
        raise TrustkgError(
            f"{where} cut its answer short (its time limit for a query, or an error while "
            "answering): the results are not valid SPARQL JSON"
        )
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict):
        raise TrustkgError(f"{where} did not return SPARQL JSON results")
    result = _result(doc)
    cap = answer.response.headers.get(MAX_ROWS_HEADER)
    if cap and cap.strip().isdigit() and len(result.rows) >= int(cap):
        raise TrustkgError(
            f"{where} cut the answer at {int(cap):,} rows ({MAX_ROWS_HEADER}; Virtuoso's "
            "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini): raise that limit, or "
            "narrow the query with LIMIT and OFFSET"
        )
    return result


def _client(text: str, endpoint: str, timeout: float):
    """A SPARQLWrapper set up for this query, with the login the server asks for, if any."""
    from SPARQLWrapper import BASIC, DIGEST, JSON, POST, URLENCODED, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    # SPARQLWrapper guesses the query form from keywords and can mistake a word in a comment
    # for an update; the form is known here, so say it.
    client.queryType = "SELECT"
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    if len(text) > POST_THRESHOLD:
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
    auth = credentials(endpoint)
    if auth:
        try:
            asked = challenge(endpoint, timeout)
        except HttpError as exc:
            raise TrustkgError(str(exc)) from None
        if asked is not None:
            scheme, realm = asked
            client.setHTTPAuth(DIGEST if scheme == "digest" else BASIC)
            client.setCredentials(*auth, realm=realm or "SPARQL")
    return client


def _ask(client, where: str, timeout: float):
    """Run the request; every failure becomes one line that names the server, never a login."""
    from SPARQLWrapper import SPARQLExceptions

    try:
        return client.query()
    except SPARQLExceptions.Unauthorized:
        raise TrustkgError(
            f"{where} refused the credentials (401)"
            if client.user
            else f"{where} asks for credentials (401): set $TRUSTKG_ENDPOINT_USER and "
            "$TRUSTKG_ENDPOINT_PASSWORD, or add the host to ~/.netrc"
        ) from None
    except SPARQLExceptions.EndPointNotFound:
        raise TrustkgError(
            f"{where} answered 404 Not Found: is this the SPARQL endpoint?"
        ) from None
    except SPARQLExceptions.QueryBadFormed as exc:
        raise TrustkgError(f"{where} rejected the query (400){_said(exc)}") from None
    except SPARQLExceptions.EndPointInternalError as exc:
        raise TrustkgError(f"{where} failed (500){_said(exc)}") from None
    except SPARQLExceptions.SPARQLWrapperException as exc:
        raise TrustkgError(f"{where} answered with an error{_said(exc)}") from None
    except urllib.error.HTTPError as exc:
        raise TrustkgError(f"{where} answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise TrustkgError(f"{where} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise TrustkgError(f"{where} did not answer within {timeout:g} s") from None
        raise TrustkgError(f"cannot reach {where}: {exc.reason}") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise TrustkgError(f"lost the connection to {where}: {exc}") from None


def _said(exc: Exception) -> str:
    """What the server said, on one line; SPARQLWrapper prefixes it with its own words."""
    text = one_line(str(exc).split("Response:", 1)[-1])
    return f": {text}" if text else ""


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
