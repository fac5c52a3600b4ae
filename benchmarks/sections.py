"""The benchmark's sections, in order: sizes' sections are measured in this order at each size,
run sections once before the sizes, summaries after them; the tables print in this order, and
the targets table lists the targets in it too. A new section is a module with a ``Section``
(see ``benchmarks.section``) added here.
"""

from __future__ import annotations

from benchmarks.build import BUILD, PLAIN_BUILD
from benchmarks.cold import COLD_START
from benchmarks.corpus import NTRIPLES
from benchmarks.growth import GROWTH
from benchmarks.queries import QUERIES
from benchmarks.reasoning import REASONING
from benchmarks.section import Section
from benchmarks.validation import VALIDATION

SECTIONS: tuple[Section, ...] = (
    BUILD,
    NTRIPLES,
    PLAIN_BUILD,
    QUERIES,
    VALIDATION,
    REASONING,
    COLD_START,
    GROWTH,
)
