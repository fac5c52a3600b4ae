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

    def as_json(self) -> dict:
        """The SPARQL 1.1 Query Results JSON document."""
        return {
            "head": {"vars": self.variables},
            "results": {
                "bindings": [{k: t.as_json() for k, t in row.items()} for row in self.rows]
            },
        }
