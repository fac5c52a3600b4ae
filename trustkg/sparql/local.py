"""The embedded back-end: a SELECT on the Oxigraph store, answered as :class:`QueryResult`."""

from __future__ import annotations

from ..core.errors import TrustkgError
from .results import QueryResult, Term
from .text import require_select


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
