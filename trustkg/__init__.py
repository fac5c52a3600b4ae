"""trustkg: a knowledge graph of trust between health and social care organisations.

Heavy libraries (rdflib, pyoxigraph, pyshacl, owlready2) are imported inside the functions that
need them, so that ``import trustkg`` and ``trustkg --help`` stay fast.
"""

from .core.version import __version__

__all__ = ["__version__", "query"]


def query(
    name: str,
    params: dict[str, str] | None = None,
    *,
    store: str | None = None,
    endpoint: str | None = None,
    allow_remote: bool = False,
    timeout: float | None = None,
    as_dataframe: bool = False,
):
    """Run a catalogued question (``"cq04"``) or a ``.rq`` file and return its rows.

    Rows come as a list of dicts of plain Python values (numbers as numbers), or as a pandas
    DataFrame with ``as_dataframe=True`` (install the ``pandas`` extra). Parameters, store,
    endpoint, time limit and federation work as on the command line (``trustkg query run``);
    a parameter value that names nothing in the graph gives a ``UserWarning``.
    """
    from .sparql.run import run_query

    result = run_query(
        name, params, store=store, endpoint=endpoint, allow_remote=allow_remote, timeout=timeout
    )
    records = result.records()
    if not as_dataframe:
        return records
    try:
        import pandas
    except ImportError:
        from .core.errors import TrustkgError

        raise TrustkgError("as_dataframe needs pandas: pip install 'trustkg[pandas]'") from None
    return pandas.DataFrame.from_records(records, columns=result.variables)
