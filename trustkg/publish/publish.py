"""Publish the built graph to any SPARQL 1.1 server, one named graph per study.

Each graph of ``graphs.split`` goes up as N-Triples into a staging graph (the target's IRI plus
``.staging-<token>``) through the Graph Store HTTP Protocol, or through SPARQL Update where the
server has no Graph Store Protocol (:mod:`.transfer`). Only when every staging graph is up does
SPARQL Update ``MOVE`` them into place. A publish that fails before the switch leaves every
published graph as it was, on every server. What the switch itself gives depends on the server
(:mod:`.servers`):

- Oxigraph, Fuseki, GraphDB run one update request as one transaction: readers of a named graph
  see the old graph or the new one, never half of either. Up to ``SWITCH_TOGETHER_TRIPLES`` all
  graphs move in a single request, so they change together; above it one by one, the
  description last (see the constant for why).
- Virtuoso 7 does not: a ``MOVE`` is a clear, a copy and a clear, visible while it runs (about
  a second per 20,000 triples), and the operations of one request are not one transaction. So
  each graph moves in its own request, and a switch that fails leaves the graphs before it
  replaced, the one in flight possibly half moved, and the others as they were; publishing
  again repairs it, since everything is staged again.

Staging graphs are dropped on the way out when the server still answers, and by the next
publish when it did not. Credentials are read as for queries (:mod:`trustkg.sparql.http`),
offered in the scheme the server asks for (Basic or Digest), and never appear in a message.
"""

from __future__ import annotations

import itertools
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import TrustkgError
from ..sparql.http import Client, redact
from ..store.graphs import DESCRIPTION, graph_name, normalise_base, split, triples
from .servers import Server, describe_server, layout, server
from .transfer import STAGING_MARK, StepError, Transfer

__all__ = ["STAGING_MARK", "PublishSummary", "Server", "layout", "publish", "server"]

#: Up to this many triples, every graph moves into place in one update request (one
#: transaction); above it, one graph per request. Oxigraph's transactions slow down faster than
#: their size grows (MOVE of 4,000 triples 0.2 s, 40,000 3.8 s, 100,000 13 s; a million in one
#: request ran for minutes and 4 GB), while graph by graph a million triples take about a minute.
SWITCH_TOGETHER_TRIPLES = 50_000
#: Virtuoso moves about 15,000 triples a second; a MOVE may take this long per triple before
#: the request times out (on top of --timeout)
MOVE_SECONDS_PER_TRIPLE = 1 / 5_000


@dataclass
class PublishSummary:
    endpoint: str
    graphs: list[tuple[str, int]] = field(default_factory=list)  # (graph IRI, triples)
    dropped_staging: int = 0
    seconds: float = 0.0
    server: str = ""


def _half_switched(
    where: str,
    step: str,
    exc: StepError,
    switched: int,
    total: int,
    together: bool,
    transfer: Transfer,
    moves: list[tuple[str, str]],
) -> TrustkgError:
    """The error for a switch that may have happened in part: say what is known."""
    if together:
        return TrustkgError(
            f"publishing to {where} failed while {step}: {exc}; the server did not confirm "
            "the switch, so the graphs are either all as before or all new: publish again"
        )
    try:  # what was not moved yet is dropped, so the union default graph does not show it
        transfer.drop([s for s, _ in moves], 10)
    except StepError:
        pass
    if not transfer.srv.profile.transactional_requests:
        maybe = (
            ", and the one in flight may be half moved (Virtuoso's MOVE is not atomic)"
            if not exc.answered
            else ""
        )
        return TrustkgError(
            f"publishing to {where} failed while {step}: {exc}; {switched} of {total} graphs "
            f"had been replaced and the others are as before{maybe}: publish again"
        )
    maybe = "" if exc.answered else " (the one in flight may be either)"
    return TrustkgError(
        f"publishing to {where} failed while {step}: {exc}; {switched} of {total} graphs had "
        f"been replaced, each whole, and the others are as before{maybe}: publish again"
    )


def publish(
    endpoint: str,
    *,
    store: str | Path | None = None,
    base: str | None = None,
    update: str | None = None,
    gsp: str | None = None,
    use_gsp: bool = True,
    kind: str = "auto",
    timeout: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> PublishSummary:
    """Publish the built store to the server whose SPARQL endpoint is ``endpoint``.

    Each study goes to ``{base}{study}/graph``, the ontology to ``{base}ontology/graph``, the
    shared nodes to ``{base}shared/graph`` and the DCAT/VoID description, which then names
    ``endpoint``, to ``{base}dataset/graph`` (``base`` defaults to trustkg's data namespace).
    ``kind`` is the kind of server (``auto``: ask it; ``oxigraph``, ``virtuoso`` or ``other``),
    which decides the usual addresses and how the graphs are switched.
    Raises :class:`TrustkgError` in one line when any step fails; the published graphs are
    then unchanged (see the module docstring for what a failed switch leaves).
    """
    import pyoxigraph

    from ..store.describe import describe
    from ..store.embedded import open_store

    started = time.monotonic()
    say = progress or (lambda _message: None)
    base = normalise_base(base)
    st = open_store(store)
    client = Client(endpoint)
    srv = server(
        endpoint,
        update=update,
        gsp=gsp,
        use_gsp=use_gsp,
        kind=kind,
        timeout=timeout,
        client=client,
    )
    transfer = Transfer(srv, client, timeout)
    parts = split(st)
    where = redact(srv.endpoint)

    leftovers = transfer.leftover_staging(base)
    token = uuid.uuid4().hex[:12]
    try:  # a harmless update first: a wrong address or login must fail before any upload
        transfer.drop(leftovers + [graph_name(base, DESCRIPTION) + STAGING_MARK + token])
    except StepError as exc:
        raise TrustkgError(f"{exc}; nothing was published") from None
    say(describe_server(srv))
    if leftovers:
        say(f"removed {len(leftovers)} staging graph(s) an interrupted publish left")
    summary = PublishSummary(srv.endpoint, dropped_staging=len(leftovers), server=srv.profile.kind)
    moves: list[tuple[str, str]] = []  # (staging, target)
    sizes: list[int] = []
    empty: list[str] = []
    issued = datetime.now(UTC).replace(microsecond=0)
    described = describe(st, parts, base=base, endpoint=srv.endpoint, issued=issued)
    contents = itertools.chain(
        ((p.graph(base), ts) for p, ts in triples(st, parts)),
        [(graph_name(base, DESCRIPTION), described)],
    )
    total = len(parts) + 1
    step = "preparing the graphs"
    switched = 0
    ops: list[tuple[str, int]] = []  # (operation, triples it moves)
    together = True
    try:
        with tempfile.TemporaryDirectory(prefix="trustkg-publish-") as tmp:
            for i, (target, found) in enumerate(contents, 1):
                if not found:
                    empty.append(target)
                    continue
                step = f"uploading {target} ({i} of {total})"
                path = Path(tmp) / f"{i}.nt"
                pyoxigraph.serialize(found, output=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
                staging = f"{target}{STAGING_MARK}{token}"
                moves.append((staging, target))
                transfer.upload(path, staging)
                path.unlink()
                summary.graphs.append((target, len(found)))
                sizes.append(len(found))
                say(f"staged {target}: {len(found):,} triples")
        step = "moving the staging graphs into place"
        ops = [(f"MOVE <{s}> TO <{t}>", n) for (s, t), n in zip(moves, sizes, strict=True)]
        ops[-1:-1] = [(f"DROP SILENT GRAPH <{t}>", 0) for t in empty]  # the description last
        together = srv.profile.transactional_requests and sum(sizes) <= SWITCH_TOGETHER_TRIPLES
        batches = [ops] if together else [[op] for op in ops]
        for batch in batches:
            moved = sum(n for _, n in batch)
            transfer.update(
                " ;\n".join(op for op, _ in batch),
                timeout + moved * MOVE_SECONDS_PER_TRIPLE,
            )
            switched += len(batch)
    except StepError as exc:
        if step.startswith("moving") and (switched or not exc.answered):
            raise _half_switched(
                where, step, exc, switched, len(ops), together, transfer, moves
            ) from None
        try:
            transfer.drop([s for s, _ in moves], min(timeout, 10))
            tidy = "its staging graphs were removed"
        except StepError:
            tidy = "the next publish removes the staging graphs it left on the server"
        raise TrustkgError(
            f"publishing to {where} failed while {step}: {exc}; the published graphs are "
            f"unchanged, and {tidy}"
        ) from None
    for target in empty:
        summary.graphs.append((target, 0))
    summary.seconds = time.monotonic() - started
    return summary
