"""What a benchmark section is, and what it is given to measure with.

A section measures one thing, returns its figures as a dict (which the harness stores under the
section's ``key`` in the results file), prints its tables from the results file alone, and judges
its targets. ``benchmarks.sections.SECTIONS`` lists them; ``run.py`` measures them, ``report.py``
prints them, ``targets.evaluate`` judges them. A section has one of three scopes:

* ``size``: measured at every size, on that size's store, into ``results["sizes"][label][key]``.
  The harness takes a CPU probe before it (``cpu_probe_s[key]``) unless ``probe`` is off, and
  saves the results file after it. ``measure`` gets a ``SizeRun``.
* ``run``: measured once per run, before the sizes, into ``results[key]``; gets the ``Bench``.
* ``summary``: computed from the results after the sizes, into ``results[key]``; gets the
  results dict.

A section measured once is not measured again when a stopped run is resumed (``needed``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.targets import Checks, Target


@dataclass
class Bench:
    """The run every section belongs to: its options, work folder and results."""

    args: argparse.Namespace
    work: Path
    temp: bool
    results: dict[str, Any]
    save: Callable[[], None]
    build_repeat: int
    query_repeat: int
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class SizeRun:
    """One size being measured: its corpus, store and N-Triples export, and its results."""

    bench: Bench
    label: str
    nominal: int
    studies: int
    res: dict[str, Any]

    @property
    def corpus(self) -> Path:
        return self.bench.work / f"corpus-{self.studies}"

    @property
    def store(self) -> Path:
        return self.bench.work / f"store-{self.studies}"

    @property
    def plain(self) -> bool:
        """Whether plain rdflib (load, queries) runs at this size (``--plain-max``)."""
        return self.nominal <= self.bench.args.plain_max

    @property
    def plain_validation(self) -> bool:
        """Whether plain pySHACL runs at this size (``--skip-plain-validation-above``)."""
        return self.nominal <= self.bench.args.skip_plain_validation_above

    @property
    def nt(self) -> Path | None:
        """The store exported to N-Triples, for the plain way; None where nothing plain runs."""
        if self.plain or self.plain_validation:
            return self.bench.work / f"graph-{self.studies}.nt"
        return None


def _no_tables(results: dict[str, Any]) -> list[Any]:
    return []


@dataclass(frozen=True)
class Section:
    """One benchmark section (see the module's docstring).

    ``measure`` returns the figures to store under ``key``. ``tables(results)`` returns the
    rich tables to print, from the results file alone (``--show`` calls it too).
    ``judge(checks, band, label, data)`` adds a verdict for each of ``targets`` that applies in
    ``band`` ("1m", "10m": ``data`` is that size's results; "any": ``data`` is the whole
    results, ``label`` is "—"). The rest are for sections that need them: ``needed`` (default:
    ``key`` not measured yet), ``skip`` (a reason not to measure at this size, stored as
    ``{key}_skipped``), ``prepare`` (untimed work before the CPU probe, such as writing the
    corpus) and ``replaces`` (results measured on what this section remakes, dropped after it).
    """

    key: str
    scope: str
    measure: Callable[[Any], Any]
    tables: Callable[[dict[str, Any]], list[Any]] = _no_tables
    targets: tuple[Target, ...] = ()
    judge: Callable[[Checks, str, str, dict[str, Any]], None] | None = None
    needed: Callable[[Any], bool] | None = None
    skip: Callable[[SizeRun], str | None] | None = None
    prepare: Callable[[SizeRun], None] | None = None
    probe: bool = True
    replaces: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scope not in ("size", "run", "summary"):
            raise ValueError(f"section {self.key}: scope must be size, run or summary")
