"""What ``trustkg reason`` answers, whichever engine ran, and how it reads as text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..core import iris

#: members listed per class in the text report; ``--format json`` and CQ19 list them all
TEXT_MEMBERS = 25


@dataclass
class ReasonResult:
    """The answer of one reasoning run.

    ``inferred`` maps each defined class (``tk:…``) to the IRIs of its members, asserted or
    inferred; it is empty when the graph is inconsistent (then everything follows). ``tbox``
    says whether HermiT checked the ontology on its own and what it found. ``undecided`` lists
    what the rule engine could not decide and HermiT could (see docs/reasoning.md).
    """

    engine: str
    consistent: bool
    individuals: int
    inferred: dict[str, list[str]] = field(default_factory=dict)
    unsatisfiable: list[str] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    merged: list[list[str]] = field(default_factory=list)
    tbox: dict = field(default_factory=dict)
    study: str | None = None
    written: int | None = None
    stats: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def short(iri: str) -> str:
    """A member as people read it: ``li2018/quotation/Q02`` for trustkg's data IRIs.

    >>> short("https://w3id.org/trustkg/data/li2018/quotation/Q02")
    'li2018/quotation/Q02'
    >>> short("https://w3id.org/trustkg/ontology#inNetwork"), short('"0"^^<urn:x>')
    ('tk:inNetwork', '"0"^^<urn:x>')
    """
    if iri.startswith(iris.DATA):
        return iri.removeprefix(iris.DATA)
    if " " in iri or iri.startswith(('"', "(")) or ":" not in iri:
        return iri  # a literal or a class expression, already as people read it
    return iris.curie(iri)


def render_text(r: ReasonResult, verbose: bool = False) -> str:
    """The report ``trustkg reason`` prints: how many members each defined class has (with
    ``verbose``, who: at most :data:`TEXT_MEMBERS` each; ``--format json`` lists all), what
    stands in the way of consistency, and the verdict as the last line."""
    where = f", study {r.study} only" if r.study else ""
    lines = [f"engine: {r.engine}{where}"]
    for finding in r.inconsistencies:
        what = ", ".join(
            short(v) if isinstance(v, str) else ", ".join(map(short, v))
            for k, v in finding.items()
            if k in ("property", "classes", "values", "value", "range")
        )
        why = f" ({finding['why']})" if finding.get("why") else ""
        lines.append(f"  {finding['kind']}: {short(finding['individual'])}: {what}{why}")
    tb = r.tbox
    if tb.get("checked"):
        bad = ", ".join(r.unsatisfiable) or "none"
        lines.append(f"ontology checked by HermiT: unsatisfiable classes: {bad}")
    elif tb.get("note"):
        lines.append(f"ontology not checked by a DL reasoner: {tb['note']}")
    for cls, members in r.inferred.items():
        lines.append(f"{cls} ({len(members)})" + (":" if verbose and members else ""))
        if verbose:
            lines += [f"  {short(m)}" for m in members[:TEXT_MEMBERS]]
            if len(members) > TEXT_MEMBERS:
                more = len(members) - TEXT_MEMBERS
                lines.append(f"  … and {more} more (--format json lists all)")
    for pair in r.merged:
        lines.append(f"same individual: {short(pair[0])} = {short(pair[1])} ({pair[2]})")
    if r.undecided:
        lines.append("not decided by the rule engine (HermiT decides these):")
        lines += [f"  {u}" for u in r.undecided]
    if r.written is not None:
        lines.append(
            f"wrote {r.written} inferred memberships into the store "
            f"(graph <{iris.INFERRED_GRAPH}>, and the default graph)"
        )
    inferred = sum(len(m) for m in r.inferred.values())
    lines.append(
        f"consistent: {'yes' if r.consistent else 'NO'} ({r.individuals} individuals reasoned "
        f"over; {inferred} memberships of defined classes inferred"
        + ("" if verbose or not inferred else "; --verbose lists them")
        + ")"
    )
    return "\n".join(lines)
