"""Nothing lost: a build killed at any moment, a failing import or link, two builds at once.

A researcher's store and study folders hold work that took days; a crash, a Ctrl-C or a second
terminal must never leave them half-written.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import FIXTURES
from .test_bad_input import assert_one_line, digest, run

REFI_FIXTURE = FIXTURES / "refi-qda" / "trust-in-care.qde"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """25 synthetic studies (~100k triples): a build long enough to be caught half-way."""
    from trustkg.sources.synth import synthesize

    out = tmp_path_factory.mktemp("corpus") / "corpus"
    synthesize(25, out, seed=3)
    return out


def _count(store: Path) -> int:
    """Triples in the default graph: the graph itself, without the dataset description."""
    from trustkg.store import open_store

    rows = open_store(store).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(rows))["n"].value)


def _start_build(corpus: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trustkg.cli",
            "build",
            "--study",
            str(corpus),
            "--store",
            str(store),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_staging(store: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    """True once the build has started writing its staging folder (False if it ended first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list(store.parent.glob(f".{store.name}.new-*")):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    raise AssertionError("the build never started writing")


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.7, 1.2, 2.0])
def test_a_build_killed_at_any_moment_leaves_the_old_store_or_the_whole_new_one(
    delay, corpus, tmp_path
):
    from trustkg.store.build import build

    store = tmp_path / "store"
    old_triples = build(store=store).triples  # the bundled studies
    before = digest(store)
    proc = _start_build(corpus, store)
    started = _wait_for_staging(store, proc)
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert started or not killed
    if killed and digest(store) == before:
        assert _count(store) == old_triples  # still opens, still the old graph
    else:
        # the kill came after the swap: then the store must be the complete new graph
        assert proc.returncode in (0, -signal.SIGKILL)
        assert _count(store) > old_triples
    # the next build tidies what the killed one left and succeeds
    res = run("build", "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert _count(store) == old_triples
    assert not list(tmp_path.glob(".store.*")), list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "point, lands",
    [
        ("build:snapshot-block", "old"),  # half the N-Triples written
        ("build:snapshot-written", "old"),
        ("build:loaded", "old"),  # indexed, not yet compacted
        ("build:before-swap", "old"),
        ("swap:exchanged", "new"),  # swapped; the old version not yet deleted
    ],
)
def test_a_build_killed_at_each_step_leaves_a_whole_store(point, lands, corpus, tmp_path):
    """The same, at named points (the process SIGKILLs itself there), so every step is hit."""
    from trustkg.store.build import build

    store = tmp_path / "store"
    old_triples = build(store=store).triples
    before = digest(store)
    res = run("build", "--study", str(corpus), "--store", str(store), env={"TRUSTKG_FAULT": point})
    assert res.returncode == -signal.SIGKILL, (res.returncode, res.stderr)
    if lands == "old":
        assert digest(store) == before
        assert _count(store) == old_triples
    else:
        assert _count(store) > old_triples
    assert list(tmp_path.glob(".store.*")), "the killed build should have left its staging"
    res = run("build", "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert _count(store) == old_triples
    assert not list(tmp_path.glob(".store.*")), "the next build should tidy it"


@pytest.mark.parametrize(
    "args, point",
    [
        (
            ["import", "refi-qda", str(REFI_FIXTURE), "--force"],
            "import:table-written",
        ),
        (["link", str(FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv")], "link:written"),
    ],
)
def test_an_import_or_link_killed_half_way_leaves_the_folder(args, point, tmp_path):
    from trustkg.sources import refiqda, refiqda_tables

    out = tmp_path / "study"
    refiqda_tables.write_study(refiqda.read(REFI_FIXTURE), "carestudy", out)
    before = digest(out)
    where = ["--study", str(out)]  # the folder, in import as in link
    res = run(*args, *where, env={"TRUSTKG_FAULT": point})
    assert res.returncode == -signal.SIGKILL, (res.returncode, res.stderr)
    assert digest(out) == before


def test_a_second_build_is_refused_while_one_runs_and_readers_see_the_old_graph(corpus, tmp_path):
    from trustkg.store.build import build

    store = tmp_path / "store"
    old_triples = build(store=store).triples
    first = _start_build(corpus, store)
    try:
        assert _wait_for_staging(store, first)
        second = run("build", "--store", str(store))
        if first.poll() is None:  # still building when the second one asked
            assert_one_line(second, r"another trustkg build is writing this store")
        reader = run("query", "run", "cq04", "--store", str(store), "--format", "csv")
        assert reader.returncode == 0, reader.stderr
        assert "N1" in reader.stdout  # the seed's networks: the old graph, whole
    finally:
        first.wait(timeout=120)
    assert first.returncode == 0, first.stderr
    assert _count(store) > old_triples


def test_an_import_failing_half_way_leaves_the_earlier_import_intact(tmp_path, monkeypatch):
    from trustkg.sources import refiqda, refiqda_tables

    out = tmp_path / "study"
    project = refiqda.read(REFI_FIXTURE)
    refiqda_tables.write_study(project, "carestudy", out)
    (out / "mappings.csv").write_text("researcher's own file\n", encoding="utf-8")
    before = digest(out)

    written = []
    real = csv.DictWriter.writerow

    def failing_writerow(self, row):
        written.append(row)
        if len(written) == 15:  # part-way through the tables
            raise OSError(28, "No space left on device")
        return real(self, row)

    monkeypatch.setattr(csv.DictWriter, "writerow", failing_writerow)
    with pytest.raises(OSError):
        refiqda_tables.write_study(project, "carestudy", out, force=True)
    assert len(written) == 15
    assert digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["study"]  # no staging copy left


def test_a_link_that_fails_leaves_the_study_folder_intact(tmp_path):
    from trustkg.sources import refiqda, refiqda_tables

    out = tmp_path / "study"
    refiqda_tables.write_study(refiqda.read(REFI_FIXTURE), "carestudy", out)
    before = digest(out)
    bad = tmp_path / "bad.sssom.tsv"
    text = (FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    head = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    cells = body[1].split("\t")
    cells[0] = cells[0].rsplit("/", 1)[0] + "/no-such-code"
    bad.write_text("\n".join([*head, body[0], "\t".join(cells)]) + "\n", encoding="utf-8")
    res = run("link", str(bad), "--study", str(out))
    line = assert_one_line(res, r"no-such-code")
    assert ".new-" not in line, "the error must name the researcher's folder, not the staging copy"
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sssom.tsv", "study"]


def test_recover_puts_back_a_store_set_aside_by_a_kill_between_renames(tmp_path):
    """Where the one-step swap is unavailable, a kill between the two renames must be undone."""
    from trustkg.core.atomic import recover

    store = tmp_path / "store"
    aside = tmp_path / ".store.old-999999"  # no such process
    aside.mkdir()
    (aside / "CURRENT").write_text("x", encoding="utf-8")
    stale = tmp_path / ".store.new-999999"
    stale.mkdir()
    recover(store)
    assert (store / "CURRENT").read_text(encoding="utf-8") == "x"
    assert not aside.exists() and not stale.exists()


def test_recover_leaves_a_running_builds_staging_alone(tmp_path):
    from trustkg.core.atomic import recover

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = tmp_path / f".store.new-{other.pid}"
        live.mkdir()
        recover(tmp_path / "store")
        assert live.exists()
    finally:
        other.kill()
        other.wait()


def test_the_swap_is_one_step_on_linux(tmp_path):
    from trustkg.core.atomic import exchange

    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a", encoding="utf-8")
    (b / "f").write_text("b", encoding="utf-8")
    assert exchange(a, b)
    assert (a / "f").read_text(encoding="utf-8") == "b"
    assert (b / "f").read_text(encoding="utf-8") == "a"
    shutil.rmtree(a)
    assert os.listdir(tmp_path) == ["b"]


def test_reason_write_killed_before_its_swap_leaves_the_store(tmp_path):
    """`reason --write` changes the store as a build does (a copy, then one swap): killed before
    the swap, the store is as it was; the next run tidies the copy and writes."""
    from trustkg.store.build import build

    store = tmp_path / "store"
    old_triples = build(store=store).triples
    before = digest(store)
    args = ["reason", "--write", "--no-ontology-check", "--store", str(store)]
    res = run(*args, env={"TRUSTKG_FAULT": "build:before-swap"})
    assert res.returncode == -signal.SIGKILL, (res.returncode, res.stderr)
    assert digest(store) == before and _count(store) == old_triples
    res = run(*args)
    assert res.returncode == 0, res.stderr
    assert _count(store) > old_triples  # the inferred memberships, in the default graph
    assert not list(tmp_path.glob(".store.*")), list(tmp_path.iterdir())
