"""Read a query's text safely: find its syntax with strings and comments masked out, refuse
what trustkg never runs (updates) and what leaves the machine unless asked (federation).

>>> require_select("PREFIX tk: <https://w3id.org/trustkg/ontology#> SELECT * WHERE { ?s ?p ?o }")
>>> check_federation("SELECT * WHERE { ?s ?p '# SERVICE in a string' }", set(), False)
"""

from __future__ import annotations

import re

from ..core.errors import TrustkgError

_TOKENS = re.compile(
    r"(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<comment>#[^\n]*)",
)


def strip_literals_and_comments(text: str) -> str:
    """The query with string literals emptied and comments blanked. IRIs, which may hold '#',
    are kept whole: a keyword inside a string or comment is not seen, and none is missed."""

    def keep(m: re.Match[str]) -> str:
        if m.group("iri"):
            return m.group("iri")
        return '""' if m.group("string") else " "

    return _TOKENS.sub(keep, text)


def mask(text: str) -> str:
    """The text with every string literal, IRI and comment replaced by spaces of equal length."""
    return _TOKENS.sub(lambda m: " " * len(m.group(0)), text)


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
#: ``SERVICE ?name``: an endpoint given as a parameter (:mod:`.params` binds it)
SERVICE_VARIABLE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?\?(\w+)", re.IGNORECASE)


def calls_service(text: str) -> bool:
    """Whether the query calls another endpoint (strings and comments ignored)."""
    return bool(_SERVICE.search(strip_literals_and_comments(text)))


def service_variables(text: str) -> list[str]:
    """The variables a query names as ``SERVICE`` addresses (strings and comments ignored).

    >>> service_variables("SELECT * WHERE { SERVICE SILENT ?register { ?s ?p ?o } } # SERVICE ?x")
    ['register']
    """
    return list(dict.fromkeys(m.group(1) for m in SERVICE_VARIABLE.finditer(mask(text))))


_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^<>\s]*)>", re.IGNORECASE)


def check_federation(text: str, local_graphs: set[str] | None, allow_remote: bool) -> None:
    """Refuse SERVICE and FROM <remote> unless the user opted in."""
    if allow_remote:
        return
    bare = strip_literals_and_comments(text)
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


_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.I)


def require_select(text: str) -> None:
    """trustkg runs questions, never updates: the query must be a SELECT."""
    bare = _PROLOGUE.sub("", strip_literals_and_comments(text))
    if not re.match(r"SELECT\b", bare, re.IGNORECASE):
        word = (bare.split() or ["nothing"])[0]
        raise TrustkgError(f"only SELECT queries can be run, this one starts with {word!r}")
