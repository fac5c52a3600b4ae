"""What the evidence report's figures share: sector names and colours, text helpers, SVG output.

The figures, one module each, are drawn with matplotlib from the rows of catalogued queries.

Each figure has two steps: a function that shapes query rows into what the figure shows (plain
data, which the tests compare with the queries' answers) and a ``draw_*`` function that draws
it. Figures are matplotlib ``Figure`` objects made without pyplot, so no window system or global
state is involved, and are saved as SVG with the text drawn as paths: the picture looks the same
on every machine, needs no font, and the same data gives the same file.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...core.codelists import code_list

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Row = Mapping[str, Any]

#: sectors in the order figures show them, the ontology's (tk:SectorScheme): the dominant side
#: first, as the 2018 study frames it; named by their skos:prefLabel (a quotation whose speaker
#: matches no participant is named by :class:`Words`)
SECTORS = tuple(c.notation for c in code_list("SectorScheme"))
SECTOR_NAMES = {c.notation: c.label for c in code_list("SectorScheme")}
# Okabe-Ito colours, one for each sector code (a test checks every sector has one): told apart
# by readers with colour-vision deficiencies
SECTOR_COLOURS = {
    "health": "#0072B2",
    "local-government": "#E69F00",
    "social-care": "#009E73",
    "voluntary-community": "#CC79A7",
    "independent-provider": "#D55E00",
}
OTHER_COLOUR = "#8C8C8C"
THEME_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
QUOTATION_COLOUR = "#0072B2"
POINTER_COLOUR = "#E69F00"


@dataclass(frozen=True)
class Words:
    """What the figures call things. A study's report speaks of "Table 2 factors" and
    "Appendix 2 pointers" only when the study is the 2018 paper that has those tables; any
    other study's report uses the general words."""

    factors: str = "literature factors"
    pointers: str = "pointers (evidence without words)"
    pointers_short: str = "pointers\n(no words)"
    unmatched: str = "attribution matches no participant"
    concepts: str = "theoretical concepts"
    concepts_from: str = ""  # where the concepts come from, for a caption
    themes: str = "themes"
    strategies: str = "trust-building strategies"


GENERAL = Words()
#: the bundled 2018 study (Li et al., Health Policy 2018), whose tables the words name
LI2018 = Words(
    factors="Table 2 factors",
    pointers="Appendix 2 pointers",
    pointers_short="Appendix 2\npointers",
    unmatched="attribution matches no Table 1 row",
    concepts="2013 commentary: concepts",
    concepts_from=" of the 2013 commentary",
    themes="2018 study: themes",
    strategies="Table 4: trust-building strategies",
)


def words_for(study: str) -> Words:
    return LI2018 if study == "li2018" else GENERAL


def sector_name(sector: str, words: Words = GENERAL) -> str:
    if sector == "unmatched speaker":
        return words.unmatched
    return SECTOR_NAMES.get(sector, sector)


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, OTHER_COLOUR)


def sector_key(sector: str) -> tuple[int, str]:
    return (SECTORS.index(sector) if sector in SECTORS else len(SECTORS), sector)


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


#: matplotlib settings while a figure is drawn and saved: SVG that is the same for the same
#: data, text drawn as paths (no font needed), and text from the data taken as text, never as
#: mathtext (a label "costs $5 and $10" would otherwise lose its dollars to italics)
RC = {"svg.hashsalt": "trustkg", "svg.fonttype": "path", "text.parse_math": False}


@contextmanager
def drawing() -> Iterator[None]:
    """Draw figures inside this: matplotlib reads its settings as each text is made."""
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def to_svg(fig: Figure) -> str:
    """The figure as an SVG document; the same figure always gives the same text."""
    buf = io.StringIO()
    with drawing():
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def draw_message(message: str) -> Figure:
    """A small figure that says why there is nothing to draw (a study without that data)."""
    fig = new_figure(8, 1.2)
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555")
    return fig
