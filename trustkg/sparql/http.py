"""HTTP to SPARQL servers, for queries and for ``trustkg publish``: one client that answers the
server's login challenge, whichever scheme it asks for.

Credentials come from ``$TRUSTKG_ENDPOINT_USER``/``$TRUSTKG_ENDPOINT_PASSWORD`` or ``~/.netrc``,
never from the command line, and no message shows them (:func:`redact`). They are sent only
when the server asks (a 401 with ``WWW-Authenticate``), only to the endpoint's own scheme, host
and port, and in the scheme it names: HTTP Basic (Oxigraph behind a proxy, Fuseki, GraphDB) or
Digest (Virtuoso's ``/sparql-auth``, which refuses Basic). Once a server has accepted them,
later requests carry them from the start, so a large upload is not sent twice. The standard
library's handlers do the work for publishing; queries go through SPARQLWrapper
(:mod:`.remote`), which learns the scheme and realm from :func:`challenge`.

>>> redact("https://bob:hunter2@kg.example.org/sparql")
'https://kg.example.org/sparql'
"""

from __future__ import annotations

import http.client
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlparse

from ..core.errors import TrustkgError

USER_ENV = "TRUSTKG_ENDPOINT_USER"
PASSWORD_ENV = "TRUSTKG_ENDPOINT_PASSWORD"


def credentials(endpoint: str) -> tuple[str, str] | None:
    """From $TRUSTKG_ENDPOINT_USER/$TRUSTKG_ENDPOINT_PASSWORD, else ~/.netrc; never the CLI."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user and password is not None:
        return user, password
    import netrc

    host = urlparse(endpoint).hostname or ""
    try:
        auth = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if auth:
        login, _, password = auth
        return login or "", password or ""
    return None


def redact(url: str) -> str:
    """The address as shown in messages: without any user:password@ part."""
    return re.sub(r"//[^/@]*@", "//", url)


def check_address(url: str) -> None:
    """Refuse what is not an http(s) address, and credentials written into one (they would
    show in shell histories and process lists).

    >>> try:
    ...     check_address("http://bob:hunter2@127.0.0.1:7878/query")
    ... except TrustkgError as exc:
    ...     print("hunter2" in str(exc), "TRUSTKG_ENDPOINT_USER" in str(exc))
    False True
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise TrustkgError(f"{redact(url)!r} is not an http:// or https:// address")
    if parsed.username or parsed.password:
        raise TrustkgError(
            f"{redact(url)} carries credentials in the address: put them in ${USER_ENV} and "
            f"${PASSWORD_ENV} or in ~/.netrc"
        )


@dataclass
class Answer:
    """A server's successful answer."""

    status: int
    headers: Message
    body: bytes


@dataclass(eq=False)
class HttpError(Exception):
    """One request failed. ``status`` is the HTTP status when the server answered (it then
    surely did not apply the request); ``said`` is the start of its error text, on one line."""

    where: str
    status: int | None = None
    reason: str = ""
    said: str = ""
    timeout: float | None = None
    unreachable: str = ""
    lost: str = ""
    with_credentials: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    #: what the caller knows of a likely cause, shown after the status
    hint: str = ""

    @property
    def answered(self) -> bool:
        return self.status is not None

    def __str__(self) -> str:
        if self.timeout is not None:
            return f"{self.where} did not answer within {self.timeout:g} s"
        if self.unreachable:
            return f"cannot reach {self.where}: {self.unreachable}"
        if self.lost:
            return f"lost the connection to {self.where}: {self.lost}"
        if self.status == 401:
            if self.with_credentials:
                return f"{self.where} refused the credentials (401)"
            return (
                f"{self.where} asks for credentials (401): set ${USER_ENV} and ${PASSWORD_ENV}, "
                "or add the host to ~/.netrc"
            )
        said = f": {self.said}" if self.said else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.where} answered {self.status} {self.reason}{hint}{said}"


_TAG = re.compile(r"<[^>]*>")


def one_line(said: str) -> str:
    """A server's error text on one line, without HTML markup (Virtuoso answers 404 with a
    page), and short.

    >>> one_line("<html><h3>Error 404</h3>\\n<pre> The requested URL was not found</pre>")
    'Error 404 The requested URL was not found'
    """
    return " ".join(_TAG.sub(" ", said).split())[:300]


def challenge(endpoint: str, timeout: float = 60.0) -> tuple[str, str] | None:
    """The login scheme (``basic`` or ``digest``) and realm a server asks for at ``endpoint``,
    learned from one request without credentials; None when it asks for none."""
    req = urllib.request.Request(endpoint, method="GET")
    try:
        with urllib.request.build_opener().open(req, timeout=timeout):
            return None
    except urllib.error.HTTPError as exc:
        if exc.code != 401:
            return None  # e.g. 400 for a request without a query: no login asked for
        asked = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
    except TimeoutError:
        raise HttpError(redact(endpoint), timeout=timeout) from None
    except urllib.error.URLError as exc:
        raise HttpError(redact(endpoint), unreachable=str(exc.reason)) from None
    scheme, _, params = asked.strip().partition(" ")
    realm = urllib.request.parse_keqv_list(
        [p for p in urllib.request.parse_http_list(params) if "=" in p]
    ).get("realm", "")
    return scheme.lower() or "basic", realm


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """urllib's Digest handler, which also answers every later request up front with the last
    challenge (counting the nonce up, as RFC 7616 allows). A server that wants a fresh nonce
    says so with another 401, which the handler answers as before."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req, auth):  # noqa: ANN001, ANN201 (urllib's signature)
        _, challenge = auth.split(" ", 1)
        self._challenge = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(challenge))
        )
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):  # noqa: ANN001, ANN201
        if self._challenge and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self._challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


class Client:
    """Requests to one server, with its credentials (if any) offered when it asks for them."""

    def __init__(self, endpoint: str) -> None:
        self.auth = credentials(endpoint)
        handlers: list[urllib.request.BaseHandler] = []
        if self.auth:
            parsed = urlparse(endpoint)
            passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
            passwords.add_password(None, f"{parsed.scheme}://{parsed.netloc}/", *self.auth)
            handlers = [_Digest(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def send(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Answer:
        """One request; any failure raises :class:`HttpError` (its text is one line).

        The body is bytes, not a stream: a server that asks for credentials gets it again.
        """
        req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
        where = redact(url.split("?", 1)[0])
        fail = HttpError(where, with_credentials=bool(self.auth))
        try:
            with self.opener.open(req, timeout=timeout) as answer:
                return Answer(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as exc:
            fail.status, fail.reason = exc.code, str(exc.reason)
            fail.headers = dict(exc.headers.items()) if exc.headers else {}
            try:
                fail.said = one_line(exc.read(2000).decode("utf-8", "replace"))
            except (OSError, http.client.HTTPException):
                pass
        except ValueError as exc:
            if "AuthHandler" not in str(exc):
                raise
            # urllib's Digest handler meeting a scheme it does not know (Bearer, Negotiate)
            fail.status, fail.reason, fail.said = 401, "Unauthorized", str(exc)
        except TimeoutError:
            fail.timeout = timeout
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                fail.timeout = timeout
            else:
                fail.unreachable = str(exc.reason)
        except (http.client.HTTPException, OSError) as exc:
            fail.lost = " ".join(str(exc).split()) or type(exc).__name__
        raise fail
