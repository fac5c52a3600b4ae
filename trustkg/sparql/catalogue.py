"""The question catalogue: one SPARQL file per question in ``queries/``, with a header.

Each file starts with comment lines ``# key: value``: ``title``, ``question``, ``cq`` (the
competency question it answers, or ``report``), ``param`` (repeatable:
``NAME = DEFAULT : description``, the default a SPARQL term or ``-`` for none) and ``expects``
(what it returns on the seed data). Parameters are the query's variables of the same name.

A column made with ``GROUP_CONCAT`` is declared with ``list`` (repeatable:
``NAME = "SEPARATOR" : why``). SPARQL leaves the order of a ``GROUP_CONCAT``'s parts to the
engine, and engines differ (Oxigraph follows its indexes, Virtuoso its own), so trustkg sorts
the parts of each declared column after any back-end has answered: the same question gives the
same cell on the embedded store, on Oxigraph's server and on Virtuoso.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import TrustkgError
from ..core.limits import check_size
from ..core.resources import resource_dir
from .text import calls_service

REQUIRED_KEYS = ("title", "question", "cq", "expects")
_HEADER = re.compile(r"^#\s*(\w+):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*=\s*(\S.*?)\s*:\s*(.+)$")


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None  # a SPARQL term as written (``"li2018"``, ``<iri>``, ``5``) or None
    description: str


@dataclass
class CatalogueQuery:
    name: str  # file stem, e.g. cq04-participants-per-network-sector
    path: Path
    title: str
    question: str
    cq: str
    expects: str
    params: list[Param] = field(default_factory=list)
    text: str = ""
    #: list columns (GROUP_CONCAT) → the separator between their parts
    lists: dict[str, str] = field(default_factory=dict)

    @property
    def federated(self) -> bool:
        """It calls another endpoint (SERVICE), so it runs only with --allow-remote and the
        endpoint's address."""
        return calls_service(self.text)

    @property
    def short(self) -> str:
        """``cq04`` for ``cq04-participants-...``; the full name for reports."""
        return self.name.split("-", 1)[0] if self.name.startswith("cq") else self.name


def parse_query_file(path: Path) -> CatalogueQuery:
    """Read a query file and its header; raise naming the line if the header is incomplete."""
    check_size(path, what="the query file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrustkgError(f"cannot read the query: {exc}", file=path) from None
    header: dict[str, str] = {}
    params: list[Param] = []
    lists: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise TrustkgError(
                    "a param line reads 'NAME = DEFAULT : description' (DEFAULT '-' for none)",
                    file=path,
                    line=number,
                )
            name, default, description = pm.groups()
            params.append(Param(name, None if default == "-" else default, description))
        elif key == "list":
            lm = _PARAM.match(value)
            separator = _quoted(lm.group(2)) if lm else None
            if not separator:
                raise TrustkgError(
                    "a list line reads 'NAME = \"SEPARATOR\" : why' (the GROUP_CONCAT separator)",
                    file=path,
                    line=number,
                )
            lists[lm.group(1)] = separator
        else:
            header[key] = value
    return CatalogueQuery(
        name=path.stem,
        path=path,
        title=header.get("title", path.stem),
        question=header.get("question", ""),
        cq=header.get("cq", ""),
        expects=header.get("expects", ""),
        params=params,
        text=text,
        lists=lists,
    )


def _quoted(value: str) -> str | None:
    """The string a header writes in double quotes (JSON's escapes), or None."""
    try:
        text = json.loads(value)
    except ValueError:
        return None
    return text if isinstance(text, str) else None


def missing_header_keys(query: CatalogueQuery) -> list[str]:
    return [k for k in REQUIRED_KEYS if not getattr(query, k)]


def catalogue() -> list[CatalogueQuery]:
    """Every catalogued query, in file-name order."""
    return [parse_query_file(p) for p in sorted(resource_dir("queries").glob("*.rq"))]


def find_query(name: str) -> CatalogueQuery:
    """A catalogued query by full name or ``cqNN``, or any ``.rq`` file by path."""
    path = Path(name)
    if path.suffix == ".rq" and (path.is_file() or "/" in name):
        if not path.is_file():
            raise TrustkgError("query file not found", file=path)
        return parse_query_file(path)
    queries = catalogue()
    for q in queries:
        if name in (q.name, q.short):
            return q
    matches = [q for q in queries if q.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    raise TrustkgError(
        f"no catalogued query {name!r}: try 'trustkg query list' (or give a path to a .rq file)"
    )
