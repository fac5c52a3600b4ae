"""The evidence report's figures, one module each, drawn with matplotlib from catalogue rows.

Each figure has two steps: a function that shapes query rows into what the figure shows (plain
data, which the tests compare with the queries' answers) and a ``draw_*`` function that draws
it. Figures are matplotlib ``Figure`` objects made without pyplot, so no window system or global
state is involved, and are saved as SVG with the text drawn as paths: the picture looks the same
on every machine, needs no font, and the same data gives the same file.
"""

from .asymmetry import AsymmetryEvidence, asymmetry_evidence, draw_asymmetry_evidence
from .common import (
    GENERAL,
    LI2018,
    SECTORS,
    Words,
    draw_message,
    drawing,
    sector_colour,
    sector_name,
    to_svg,
    words_for,
)
from .coverage import FactorCoverage, draw_factor_coverage, factor_coverage
from .matrix import UNATTRIBUTED, EvidenceMatrix, draw_evidence_matrix, evidence_matrix
from .networks import CareNetwork, Organisation, care_networks, draw_care_networks
from .theory import TheoryMap, draw_theory_map, theory_map

__all__ = [
    "GENERAL",
    "LI2018",
    "SECTORS",
    "UNATTRIBUTED",
    "AsymmetryEvidence",
    "CareNetwork",
    "EvidenceMatrix",
    "FactorCoverage",
    "Organisation",
    "TheoryMap",
    "Words",
    "asymmetry_evidence",
    "care_networks",
    "draw_asymmetry_evidence",
    "draw_care_networks",
    "draw_evidence_matrix",
    "draw_factor_coverage",
    "draw_message",
    "drawing",
    "draw_theory_map",
    "evidence_matrix",
    "factor_coverage",
    "sector_colour",
    "sector_name",
    "theory_map",
    "to_svg",
    "words_for",
]
