"""Generate synthetic studies in trustkg's own source tables, to test trustkg at scale.

The seed corpus is two studies (a few thousand triples); the Scale issue asks how the build, the
store, validation and the question catalogue behave at a million triples and more. Real coded
studies of that size do not exist, so this module writes made-up ones that have the *shape* of
the seed study li2018 (three care networks, organisations of every sector, anonymous
participants, 14 literature factors, three themes with subthemes, quotations of interview length,
appendix pointers, curated links with rationales) and pass every schema and SHACL check.

Everything that could be mistaken for real is marked as synthetic: study titles, the study's own
paper, journal names, sector rationales and link rationales. Participants have no names (as in
the seed); reference authors are built from syllables.

Each study is drawn from its own ``random.Random(seed * 1_000_003 + k)``, so study ``k`` is the
same whatever the number of studies asked for, and a run is byte-for-byte reproducible. Rows are
written straight to CSV with the standard library so that thousands of studies take seconds.
Sizes are tuned so that one study builds to about 4,000 triples (250 studies ≈ one million).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from .synth_parts import (
    ASYMMETRIES,
    COMMENTARY_CONCEPTS,
    COMMENTARY_STUDY,
    N_NETWORKS,
    N_STRATEGIES,
    PLACES,
    QUOTE_MAX,
    QUOTE_MIN,
    SECTORS,
    STRATEGIES,
    Row,
    coding_frame,
    coding_links,
    factor_rows,
    publications,
)
from .synth_voices import people, pointer_rows, quotation_rows
from .tables import load_schema

__all__ = ["QUOTE_MAX", "QUOTE_MIN", "SECTORS", "study_id", "synthesize"]

#: Multiplier that spreads seeds apart so (seed, study) pairs never share a generator state.
SEED_STRIDE = 1_000_003


def study_id(k: int) -> str:
    """The id of study ``k`` (1-based): ``synth0001``; fixed width 4, wider only past 9999."""
    return f"synth{k:04d}"


def synthesize(
    n_studies: int, out: Path, seed: int = 0, *, link_commentary: bool = False
) -> list[Path]:
    """Write ``n_studies`` synthetic study folders ``out/synth0001`` … and return their paths.

    With ``link_commentary`` each theme is also linked to concepts of the bundled commentary
    (``williams2013/Cnn``); off by default because such links dangle when the studies are built
    without the bundled ones (``--no-bundled``). Existing table files in a study folder that this
    run does not write are removed, so a folder always holds exactly one generated study.
    """
    if n_studies < 0:
        raise ValueError("n_studies must be 0 or more")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    columns = {name: schema.column_names for name, schema in load_schema().items()}
    paths = []
    for k in range(1, n_studies + 1):
        rng = random.Random(seed * SEED_STRIDE + k)
        tables = _study(rng, k, seed, link_commentary)
        folder = out / study_id(k)
        folder.mkdir(exist_ok=True)
        for name, rows in tables.items():
            _write(folder / f"{name}.csv", columns[name], rows)
        for stale in folder.glob("*.csv"):
            if stale.stem in columns and stale.stem not in tables:
                stale.unlink()
        paths.append(folder)
    return paths


def _write(path: Path, columns: list[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


def _study(rng: random.Random, k: int, seed: int, link_commentary: bool) -> dict[str, list[Row]]:
    """Every table of study ``k``. The parts draw from ``rng`` in a fixed order: reordering
    them changes every generated study, so keep new draws at the end."""
    sid = study_id(k)
    title = f"Synthetic study {k:04d} (generated test data, not real)"
    pubs, refs = publications(rng, sid, title, seed)
    sections, themes, subthemes = coding_frame(rng)
    asym = [
        {
            "id": aid,
            "label": label,
            "stated_text": f"{phrase} (synthetic wording)",
            "stated_in": rng.choice(("abstract", "discussion", "conclusions")),
        }
        for aid, label, phrase in ASYMMETRIES
    ]
    factors = factor_rows(rng, refs)
    strategies = [
        {"id": f"S{s}", "label": label, "text": text, "_targets": targets}
        for s, (label, text, targets) in enumerate(rng.sample(STRATEGIES, N_STRATEGIES), start=1)
    ]
    networks, orgs, participants = people(rng)
    quotations, said_by, evidence = quotation_rows(rng, themes, subthemes, participants)
    pointers, pointer_evidence = pointer_rows(rng, themes, subthemes)
    sub_factor, theme_asym, strategy_links = coding_links(
        rng, themes, subthemes, factors, strategies
    )
    tables: dict[str, list[Row]] = {
        "study": [
            {
                "id": sid,
                "kind": "empirical-study",
                "title": title,
                "description": f"Synthetic study generated by trustkg synth (seed {seed}, study "
                f"{k}) in the shape of a qualitative study of inter-organisational trust in "
                f"{N_NETWORKS} integrated care networks, with {len(participants)} made-up "
                "interviews. Not real data.",
                "publication": pubs[0]["id"],
                "data_collection_start": min(str(n["collection_start"]) for n in networks),
                "data_collection_end": max(str(n["collection_end"]) for n in networks),
                "setting": "Synthetic integrated care programme (not real)",
                "analysis_method": "thematic analysis (synthetic)",
            }
        ],
        "publications": pubs,
        "networks": networks,
        "organisations": orgs,
        "participants": participants,
        "sections": sections,
        "themes": themes,
        "subthemes": subthemes,
        "asymmetry_types": asym,
        "factors": factors,
        "strategies": strategies,
        "quotations": quotations,
        "pointers": pointers,
        "places": [{"table": table, "location": where} for table, where in PLACES],
        "links_subtheme_factor": sub_factor,
        "links_theme_asymmetry": theme_asym,
        "links_strategy_target": strategy_links,
        "links_evidence_subtheme": evidence + pointer_evidence,
        "links_quotation_participant": said_by,
    }
    if link_commentary:
        tables["links_concept"] = [
            {
                "subject": theme["id"],
                "concept": f"{COMMENTARY_STUDY}/C{c:02d}",
                "rationale": "Synthetic link: made up to exercise links to the bundled "
                "commentary's concepts across studies.",
            }
            for theme in themes
            for c in sorted(rng.sample(range(1, COMMENTARY_CONCEPTS + 1), 2))
        ]
    return tables
