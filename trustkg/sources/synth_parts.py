"""The sizes and vocabulary of a synthetic study, and its parts that come from the literature:
its paper and references, coding frame, factors and curated links (see :mod:`.synth`; the
people and their words are in :mod:`.synth_voices`).

Every builder draws from the study's own ``random.Random`` in the order :func:`.synth.synthesize`
calls it; the vocabulary is data, in ``trustkg/data/synth-vocabulary.json``.
"""

from __future__ import annotations

import json
import random

from ..core.resources import data_dir
from .tables import allowed_values

#: A row of a table, by column name; keys starting with "_" are working data, not written.
Row = dict[str, object]

#: The bundled commentary's concepts C01…C31 (used only with ``link_commentary=True``).
COMMENTARY_STUDY = "williams2013"
COMMENTARY_CONCEPTS = 31

# Per-study sizes. One study builds to ~4,000 triples with these (see the module docstring).
N_NETWORKS = 3
ORGS_PER_NETWORK = (8, 10)
EXTRA_PARTICIPANTS_PER_NETWORK = (1, 3)  # participants = organisations + this
N_REFERENCES = (23, 27)
N_FACTORS = 14
N_FACTORS_UNLISTED = (1, 2)  # factors whose cited source is not in the reference list
N_THEMES = 3
N_SUBTHEMES = 14
N_STRATEGIES = 7
N_QUOTATIONS = 14
N_PROBABLE = (2, 4)  # quotation attributions that fit a participant only loosely
N_POINTERS = 13
QUOTE_MIN, QUOTE_MAX = 150, 700


#: Where the (imagined) paper states each table, as the seed's places.csv records it.
PLACES = (
    ("publications", "References"),
    ("organisations", "Table 1"),
    ("participants", "Table 1"),
    ("factors", "Table 2"),
    ("themes", "Table 3"),
    ("subthemes", "Table 3"),
    ("strategies", "Table 4"),
)

SECTORS = allowed_values("organisations", "sector")

# Vocabulary: made-up organisations, roles, themes, factors, strategies and sentence parts,
# kept as data (trustkg/data/synth-vocabulary.json) so this module holds only the generator.
# Organisations are (name, short form used in loosely matching attributions, roles of its
# interviewees); "{k}" is replaced by the network's number.
_WORDS = json.loads((data_dir() / "synth-vocabulary.json").read_text(encoding="utf-8"))
ORGS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    sector: [(name, short, tuple(roles)) for name, short, roles in orgs]
    for sector, orgs in _WORDS["orgs"].items()
}
SECTOR_WHY: dict[str, str] = _WORDS["sector_why"]
SECTOR_WEIGHTS: dict[str, int] = _WORDS["sector_weights"]
#: Roles that no participant has: the attribution of a quotation with no matching participant.
UNLISTED_ROLES: list[str] = _WORDS["unlisted_roles"]
INVOLVE_VERBS: list[str] = _WORDS["involve_verbs"]
INVOLVE_PARTNERS: list[str] = _WORDS["involve_partners"]
INVOLVE_PURPOSES: list[str] = _WORDS["involve_purposes"]
THEMES: list[dict] = _WORDS["themes"]
ASYMMETRIES: list[tuple[str, str, str]] = [tuple(a) for a in _WORDS["asymmetries"]]
FACTORS: list = _WORDS["factors"]
STRATEGIES: list[tuple[str, str, list[str]]] = [tuple(s) for s in _WORDS["strategies"]]
OPENERS: list[str] = _WORDS["openers"]
SPEAKERS: list[str] = _WORDS["speakers"]
CONSEQUENCES: list[str] = _WORDS["consequences"]
ASIDES: list[str] = _WORDS["asides"]
CLAIMS: list[str] = _WORDS["claims"]
SYLLABLES: list[str] = _WORDS["syllables"]
INITIALS: str = _WORDS["initials"]
TITLE_HEADS: list[str] = _WORDS["title_heads"]
TITLE_TAILS: list[str] = _WORDS["title_tails"]
CONTAINERS: list[str] = _WORDS["containers"]


def shorten(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def month(year: int, month: int) -> str:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def _authors(names: list[tuple[str, str]]) -> str:
    """``Surname, X., Other, Y. and Last, Z.``: the reference-list style of the seed."""
    parts = [f"{s}, {i}." for s, i in names]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _citation(names: list[tuple[str, str]], year: int) -> str:
    """In-text citation as a factors table prints it: ``Surname et al. (1998)``."""
    if len(names) == 1:
        who = names[0][0]
    elif len(names) == 2:
        who = f"{names[0][0]} and {names[1][0]}"
    else:
        who = f"{names[0][0]} et al."
    return f"{who} ({year})"


def publications(
    rng: random.Random, sid: str, title: str, seed: int
) -> tuple[list[Row], list[tuple[str, list[tuple[str, str]], int]]]:
    """The study's own paper (first row) and its reference list, whose works the factors cite.

    Returns the rows and, for each reference, its id, authors and year."""
    pubs: list[Row] = []
    used: set[str] = set()

    def pub_id(surname: str, year: int) -> str:  # bachmann2001, then bachmann2001a …
        base = ident = f"{surname.lower()}{year}"
        suffixes = iter("abcdefghijklmnopqrstuvwxyz")
        while ident in used:
            ident = base + next(suffixes)
        used.add(ident)
        return ident

    number = sid.removeprefix("synth")
    own_year = rng.randint(2012, 2023)
    own_names = [(_surname(rng), rng.choice(INITIALS)) for _ in range(rng.randint(3, 6))]
    own_id = pub_id(own_names[0][0], own_year)
    own_container = rng.choice(CONTAINERS)
    volume, issue = str(rng.randint(5, 40)), str(rng.randint(1, 12))
    first_page = rng.randint(100, 1500)
    pages = f"{first_page}-{first_page + rng.randint(6, 14)}"
    doi = f"10.5555/synth.{seed}.{number}"  # 10.5555: the prefix reserved for examples
    pubs.append(
        {
            "id": own_id,
            "authors": _authors(own_names),
            "year": own_year,
            "title": title,
            "container": own_container,
            "volume": volume,
            "issue": issue,
            "pages": pages,
            "doi": doi,
            "url": f"https://example.org/trustkg/synth/{sid}",
            "verbatim": f"{_authors(own_names)} ({own_year}) {title}. {own_container}, {volume} "
            f"({issue}). pp. {pages}. doi: {doi}",
            "cited_by_study": "false",
            "note": "Synthetic: generated by trustkg synth as test data; not a real publication.",
        }
    )
    refs = []
    for r in range(rng.randint(*N_REFERENCES)):
        year = rng.randint(1990, 2020)
        names = [
            (_surname(rng), rng.choice(INITIALS)) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))
        ]
        ident = pub_id(names[0][0], year)
        ref_title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TAILS)}"
        container = rng.choice(CONTAINERS)
        vol = str(rng.randint(1, 60))
        start = rng.randint(1, 900)
        ref_pages = f"{start}–{start + rng.randint(8, 30)}"
        ref_doi = f"10.5555/synth.{seed}.{number}.{r + 1}" if rng.random() < 0.3 else ""
        verbatim = f"{_authors(names)} ({year}). {ref_title}. {container}, {vol}, {ref_pages}."
        if ref_doi:
            verbatim += f" doi:{ref_doi}"
        pubs.append(
            {
                "id": ident,
                "authors": _authors(names),
                "year": year,
                "title": ref_title,
                "container": container,
                "volume": vol,
                "pages": ref_pages,
                "doi": ref_doi,
                "verbatim": verbatim,
                "cited_by_study": "true",
            }
        )
        refs.append((ident, names, year))
    return pubs, refs


def split_total(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` groups as evenly as possible (14 over 3: 5, 5, 4)."""
    counts = [total // parts] * parts
    for i in rng.sample(range(parts), total % parts):
        counts[i] += 1
    return counts


def coding_frame(rng: random.Random) -> tuple[list[Row], list[Row], list[Row]]:
    """Sections, three themes (each with its findings section) and their subthemes."""
    sections: list[Row] = [
        {"id": "abstract", "title": "Abstract"},
        {"id": "findings", "title": "Findings"},
    ]
    themes: list[Row] = []
    subthemes: list[Row] = []
    chosen = rng.sample(THEMES, N_THEMES)
    for t, (src, n_sub) in enumerate(
        zip(chosen, split_total(rng, N_SUBTHEMES, N_THEMES), strict=True), start=1
    ):
        sec = f"findings-{src['slug']}"
        sections.append({"id": sec, "title": src["section"], "parent": "findings"})
        themes.append(
            {
                "id": f"T{t}",
                "label": src["label"],
                "findings_section": sec,
                "_asymmetries": src["asymmetries"],
            }
        )
        picked = rng.sample(src["subthemes"], min(n_sub, len(src["subthemes"])))
        for s, (label, phrase) in enumerate(picked, start=1):
            subthemes.append(
                {"id": f"T{t}-S{s}", "theme": f"T{t}", "label": label, "_phrase": phrase}
            )
    sections += [
        {"id": "discussion", "title": "Discussion"},
        {"id": "conclusions", "title": "Conclusions"},
    ]
    return sections, themes, subthemes


def factor_rows(
    rng: random.Random, refs: list[tuple[str, list[tuple[str, str]], int]]
) -> list[Row]:
    """14 factors citing works of the reference list, one or two citing a work it lacks (as in
    the seed, where two Table 2 sources are not in the references)."""
    factors: list[Row] = []
    unlisted = set(rng.sample(range(N_FACTORS), rng.randint(*N_FACTORS_UNLISTED)))
    cited = rng.sample(refs, N_FACTORS)
    for f, label in enumerate(rng.sample(FACTORS, N_FACTORS)):
        ident, names, year = cited[f]
        row: Row = {"id": f"F{f + 1:02d}", "label": label}
        if f in unlisted:
            other = [(_surname(rng), "X") for _ in range(rng.randint(1, 3))]
            row["source_citation"] = _citation(other, rng.randint(1990, 2020))
            row["source_note"] = (
                "Synthetic: not in the reference list; the cited work is made up for test data."
            )
        else:
            row["source_citation"] = _citation(names, year)
            row["source"] = ident
        factors.append(row)
    return factors


def coding_links(
    rng: random.Random,
    themes: list[Row],
    subthemes: list[Row],
    factors: list[Row],
    strategies: list[Row],
) -> tuple[list[Row], list[Row], list[Row]]:
    """Curated links: subtheme → factor, theme → asymmetry type, strategy → asymmetry or theme."""
    asym_label = {aid: label for aid, label, _ in ASYMMETRIES}
    sub_factor: list[Row] = []
    for sub in subthemes:
        for fac in rng.sample(factors, 2 if rng.random() < 0.4 else 1):
            sub_factor.append(
                {
                    "subtheme": sub["id"],
                    "factor": fac["id"],
                    "rationale": f"Synthetic link: the subtheme '{shorten(sub['label'])}' bears "
                    f"on the factor '{shorten(fac['label'])}'.",
                }
            )
    theme_asym: list[Row] = [
        {
            "theme": theme["id"],
            "asymmetry_type": aid,
            "rationale": f"Synthetic link: the theme '{theme['label']}' is read as expressing "
            f"{asym_label[aid]}.",
        }
        for theme in themes
        for aid in theme["_asymmetries"]
    ]
    strategy_links: list[Row] = []
    for strategy in strategies:
        label, targets = strategy["label"], strategy["_targets"]
        for aid in rng.sample(targets, min(2, len(targets))):
            strategy_links.append(
                {
                    "strategy": strategy["id"],
                    "target": aid,
                    "rationale": f"Synthetic link: '{label}' is meant to reduce "
                    f"{asym_label[aid]} in the network.",
                }
            )
        if rng.random() < 0.3:
            theme = rng.choice(themes)
            strategy_links.append(
                {
                    "strategy": strategy["id"],
                    "target": theme["id"],
                    "rationale": f"Synthetic link: '{label}' answers the problems of the theme "
                    f"'{theme['label']}'.",
                }
            )
    return sub_factor, theme_asym, strategy_links
