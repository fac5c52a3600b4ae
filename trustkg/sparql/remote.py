"""The endpoint back-end: a SELECT over the SPARQL 1.1 Protocol, answered as :class:`QueryResult`.

Credentials come from the environment or ``~/.netrc``, never from the command line, and no
message ever shows them (:func:`redact`); ``trustkg publish`` uses the same two functions.
"""

from __future__ import annotations

import os
import re

from ..core.errors import TrustkgError
from ..core.iris import RDF, XSD
from .results import QueryResult, Term
from .text import require_select

ENDPOINT_ENV = "TRUSTKG_ENDPOINT"
USER_ENV = "TRUSTKG_ENDPOINT_USER"
PASSWORD_ENV = "TRUSTKG_ENDPOINT_PASSWORD"
#: queries longer than this go by POST (a long GET URL is refused by many servers)
POST_THRESHOLD = 1500


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
    where = redact(endpoint)
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
                datatype = RDF + "langString"
            row[var] = Term(kind, t["value"], datatype, t.get("xml:lang"))
        rows.append(row)
    return QueryResult(variables, rows)


def redact(url: str) -> str:
    """The endpoint as shown in messages: without any user:password@ part."""
    return re.sub(r"//[^/@]*@", "//", url)


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]
