"""Query results in one shape, whichever back-end answered: SPARQL 1.1 Results JSON terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..core.iris import XSD

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

    def sort_lists(self, lists: dict[str, str]) -> QueryResult:
        """The same rows with the parts of each list column (``GROUP_CONCAT``) in Unicode
        code point order, whatever order the engine gave them in.

        >>> r = QueryResult(["ids"], [{"ids": Term("literal", "T2 T10 T1")}])
        >>> r.sort_lists({"ids": " "}).rows[0]["ids"].value
        'T1 T10 T2'
        """
        if not lists:
            return self
        rows = []
        for row in self.rows:
            row = dict(row)
            for name, sep in lists.items():
                t = row.get(name)
                if t is not None and t.type == "literal" and sep in t.value:
                    row[name] = t._replace(value=sep.join(sorted(t.value.split(sep))))
            rows.append(row)
        return QueryResult(self.variables, rows)

    def as_json(self) -> dict:
        """The SPARQL 1.1 Query Results JSON document."""
        return {
            "head": {"vars": self.variables},
            "results": {
                "bindings": [{k: t.as_json() for k, t in row.items()} for row in self.rows]
            },
        }
