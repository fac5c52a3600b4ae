"""The graphs measured: synthetic corpora, the stores built from them, their N-Triples exports.

Sizes are nominal (``100k`` = 25 synthetic studies of ~4,000 triples each, written by
``trustkg.sources.synth.synthesize(n, dir, seed=0)``); the growth exponents use the real triple
counts. Each size's corpus, store and export live in the work folder under names that carry the
number of studies, so a resumed run finds them again.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import Measured, run_measured, trustkg_exe
from benchmarks.section import Section, SizeRun

#: Triples one synthetic study builds to (see ``trustkg.sources.synth``): 250 studies ≈ 1,000,000.
TRIPLES_PER_STUDY = 4000


def studies_for(nominal: int) -> int:
    """How many synthetic studies make a graph of about ``nominal`` triples.

    >>> studies_for(100_000), studies_for(1_000_000), studies_for(8_000), studies_for(100)
    (25, 250, 2, 1)
    """
    return max(1, round(nominal / TRIPLES_PER_STUDY))


def synthesize_corpus(n_studies: int, work: Path) -> tuple[Path, float]:
    """Write ``n_studies`` synthetic studies into the work folder; their folder and the time."""
    from trustkg.sources.synth import synthesize

    corpus = work / f"corpus-{n_studies}"
    if corpus.exists():
        shutil.rmtree(corpus)
    start = time.perf_counter()
    synthesize(n_studies, corpus, seed=0)
    return corpus, time.perf_counter() - start


def build_once(corpus: Path, store: Path) -> Measured:
    """One ``trustkg build`` subprocess into an empty place (deleting the previous store is not
    part of what is timed)."""
    if store.exists():
        shutil.rmtree(store)
    cmd = [trustkg_exe(), "build", "--no-bundled", "--study", str(corpus), "--store", str(store)]
    m = run_measured(cmd)
    if m.returncode != 0:
        raise RuntimeError(f"trustkg build failed ({m.returncode}): {m.stderr.strip()}")
    return m


def export_ntriples(store: Path, target: Path) -> dict[str, Any]:
    """The store's default graph (where the build puts everything) as N-Triples, once."""
    import pyoxigraph

    start = time.perf_counter()
    st = pyoxigraph.Store.read_only(str(store))
    st.dump(str(target), pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    del st
    return {
        "path": str(target),
        "bytes": target.stat().st_size,
        "export_s": time.perf_counter() - start,
    }


def _export_needed(size: SizeRun) -> bool:
    """An export is made where the plain way runs, unless the one on disk is the one recorded."""
    nt, done = size.nt, size.res.get("ntriples")
    if nt is None:
        return False
    return not done or not nt.exists() or nt.stat().st_size != done["bytes"]


def _export(size: SizeRun) -> dict[str, Any]:
    assert size.nt is not None
    return export_ntriples(size.store, size.nt)


#: The N-Triples export the plain sections read (no table or target of its own: its size is a
#: row of the build table).
NTRIPLES = Section(
    key="ntriples", scope="size", measure=_export, needed=_export_needed, probe=False
)
