"""The embedded back-end: a SELECT on the Oxigraph store, answered as :class:`QueryResult`.

The query runs on a worker thread (:func:`~trustkg.core.interrupt.run_interruptibly`): Oxigraph
evaluates it in Rust, where Ctrl-C cannot reach, so the calling thread waits in short steps and
stops at Ctrl-C or at the time limit.
"""

from __future__ import annotations

import re

from ..core.errors import TrustkgError
from ..core.interrupt import run_interruptibly
from .results import QueryResult, Term
from .text import require_select

_POSITION = re.compile(r"\bat (\d+):(\d+)")


class QuerySyntaxError(TrustkgError):
    """A query that does not parse; ``line`` and ``column`` say where, when Oxigraph does."""


def syntax_error(exc: SyntaxError, file: object | None = None) -> QuerySyntaxError:
    """Oxigraph's parse error as one line, with the line and column it names.

    >>> str(syntax_error(SyntaxError("error at 2:7: expected one of Prefix"), "q.rq"))
    'q.rq:2:7: the query does not parse: expected one of Prefix'
    """
    message = " ".join(str(exc).split())
    m = _POSITION.search(message)
    line = column = None
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        message = message[m.end() :].lstrip(": ") or message
    if "Prefix not found" in message:
        message = "a prefix is used that no PREFIX line declares"
    elif len(message) > 160:
        message = message[:160].rsplit(" ", 1)[0] + " …"
    return QuerySyntaxError(
        f"the query does not parse: {message}", file=file, line=line, column=column
    )


def check_syntax(text: str, file: object | None = None) -> None:
    """Raise :class:`QuerySyntaxError` naming the line and column if ``text`` does not parse
    (tried on an empty in-memory store, so it costs nothing; its solutions are never read, so
    nothing is evaluated and no ``SERVICE`` is called).

    Oxigraph names the furthest point its parser reached, which for a mistake inside a group
    is often the end of the text; rdflib's parser, asked only then, names the token where
    the query stops making sense.
    """
    import pyoxigraph

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        error = syntax_error(exc, file)
        end = text.count("\n") + 1, len(text) - text.rfind("\n")
        if (error.line, error.column) in (end, (end[0] + 1, 1), (None, None)):
            error = _located_by_rdflib(text, file) or error
        raise error from None


def _located_by_rdflib(text: str, file: object | None) -> QuerySyntaxError | None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        found = re.search(r"found (.*?)\s+\(at char", str(exc))
        where = f"at {found.group(1)}" if found else "here"
        return QuerySyntaxError(
            f"the query does not parse: it stops making sense {where}",
            file=file,
            line=exc.lineno,
            column=exc.column,
        )
    except Exception:  # rdflib refuses it for another reason (a prefix): keep Oxigraph's
        return None
    return None


def run_local(text: str, store, timeout: float | None = None) -> QueryResult:
    """Run a SELECT on an Oxigraph store; Ctrl-C stops it, and so does ``timeout`` seconds.

    The query's default graph is the store's default graph, where ``build`` puts the whole
    graph; the dataset description stays in its named graph (reach it with ``GRAPH``). Not
    the union of all graphs: then every triple pattern searches the named-graph indexes as
    well, which made the catalogue's queries up to twice as slow at a million triples.
    """
    require_select(text)
    return run_interruptibly(lambda: _select(text, store), timeout=timeout, what="the query")


def _select(text: str, store) -> QueryResult:
    import pyoxigraph

    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise syntax_error(exc) from None
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
