"""Printing the results: every section's tables, then the targets table.

Reads only the results dict (the JSON file), so ``--show`` prints an earlier run exactly as the
run itself did, with the targets judged again by the current code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from benchmarks.section import Section
from benchmarks.sections import SECTIONS
from benchmarks.targets import evaluate, targets_table

console = Console(width=None if sys.stdout.isatty() else 150)


def judge(results: dict[str, Any], sections: Sequence[Section] = SECTIONS) -> None:
    """Judge every target again and keep the verdicts in ``results["targets"]``."""
    results["targets"] = evaluate(results, sections)


def print_tables(results: dict[str, Any], sections: Sequence[Section] = SECTIONS) -> None:
    """Each section's tables in the sections' order, then the targets (already judged)."""
    for section in sections:
        for table in section.tables(results):
            console.print(table)
    console.print(targets_table(results["targets"]))
