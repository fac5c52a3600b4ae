"""Robustness tests: how many generated examples each property ran, and how they ended.

A property test is only as good as the inputs it tried, and a property over "load or refuse"
says little if every input was refused at the first check. So each property records the outcome
of every example it runs, and the counts are printed at the end of the run, where a CI log shows
them without ``--hypothesis-show-statistics``.
"""

from __future__ import annotations

from collections import Counter

import pytest

_OUTCOMES: dict[str, Counter[str]] = {}


class Outcomes:
    """Counts of example outcomes, per property (session-wide, so hypothesis allows it)."""

    def record(self, prop: str, outcome: str) -> None:
        from hypothesis import event

        event(outcome)  # also shown by --hypothesis-show-statistics
        _OUTCOMES.setdefault(prop, Counter())[outcome] += 1


@pytest.fixture(scope="session")
def outcomes() -> Outcomes:
    return Outcomes()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _OUTCOMES:
        return
    terminalreporter.section("property-based tests")
    total = 0
    for prop, counts in sorted(_OUTCOMES.items()):
        n = sum(counts.values())
        total += n
        detail = ", ".join(f"{k}: {v}" for k, v in counts.most_common())
        terminalreporter.write_line(f"{prop}: {n} examples ({detail})")
    terminalreporter.write_line(f"hypothesis examples run: {total}")
