"""`trustkg synth`: synthetic studies are reproducible, pass the schema and the shapes, have the
seed study's shape and size, and the command refuses to write into a folder that is not empty."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from trustkg.load.ontology import ontology_quads
from trustkg.sources.synth import QUOTE_MAX, QUOTE_MIN, SECTORS, synthesize
from trustkg.sources.tables import read_study
from trustkg.store.build import build

N = 3


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


@pytest.fixture(scope="module")
def synth_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return synthesize(N, tmp_path_factory.mktemp("synth") / "out", seed=11)


@pytest.fixture(scope="module")
def synth_store(synth_dirs: list[Path], tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("synthstore") / "store"
    summary = build(synth_dirs, include_bundled=False, store=store)
    return store, summary


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = synthesize(N, tmp_path / "a", seed=3)
    synthesize(N, tmp_path / "b", seed=3)
    synthesize(N, tmp_path / "c", seed=4)
    assert [p.name for p in a] == ["synth0001", "synth0002", "synth0003"]
    first = _digests(tmp_path / "a")
    assert len(first) == N * 19
    assert first == _digests(tmp_path / "b")
    assert first != _digests(tmp_path / "c")
    # study k does not depend on how many studies are asked for
    synthesize(1, tmp_path / "d", seed=3)
    assert _digests(tmp_path / "d") == {k: v for k, v in first.items() if k.startswith("synth0001")}


def test_every_study_passes_the_schema(synth_dirs):
    for folder in synth_dirs:
        study = read_study(folder)
        assert study.study_id == folder.name
        title = study.rows("study")[0]["title"]
        assert "Synthetic" in title and "not real" in title


def test_studies_build_together_at_about_4000_triples_each(synth_store):
    _, summary = synth_store
    assert summary.studies == [f"synth{k:04d}" for k in range(1, N + 1)]
    per_study = (summary.triples - len(ontology_quads())) / N
    assert 3600 <= per_study <= 4400, per_study  # 250 studies ≈ one million triples
    assert summary.class_counts["tk:Quotation"] == 14 * N


def test_built_graph_validates(synth_store):
    from trustkg.check.validate import validate

    store, _ = synth_store
    report = validate(store=store)
    assert report.conforms, [r.line() for r in report.results if r.severity == "Violation"]


def test_shape_matches_the_seed(synth_dirs):
    for folder in synth_dirs:
        study = read_study(folder)
        assert len(study.rows("networks")) == 3
        assert len(study.rows("factors")) == 14
        assert len(study.rows("themes")) == 3
        assert len(study.rows("subthemes")) == 14
        assert len(study.rows("strategies")) == 7
        quotations = study.rows("quotations")
        assert len(quotations) == 14
        assert all(QUOTE_MIN <= len(q["text"]) <= QUOTE_MAX for q in quotations)
        for net in ("N1", "N2", "N3"):
            sectors = {r["sector"] for r in study.rows("organisations") if r["network"] == net}
            assert sectors == set(SECTORS)
        rows = [int(r["table_row"]) for r in study.rows("participants")]
        assert rows == list(range(1, len(rows) + 1))
        linked = {r["evidence"] for r in study.rows("links_evidence_subtheme")}
        assert linked == study.ids("quotations") | study.ids("pointers")
        matches = Counter(r["match"] for r in study.rows("links_quotation_participant"))
        assert matches["none-nearest"] == 1 and matches["probable"] >= 1
        assert matches["exact"] > matches["probable"]


def test_exact_attributions_name_the_participant(synth_dirs):
    study = read_study(synth_dirs[0])
    orgs = {r["id"]: r["name"] for r in study.rows("organisations")}
    people = {r["id"]: r for r in study.rows("participants")}
    said = {r["quotation"]: r for r in study.rows("links_quotation_participant")}
    for q in study.rows("quotations"):
        link = said[q["id"]]
        p = people[link["participant"]]
        assert q["attributed_network"] == p["network"]
        if link["match"] == "exact":
            assert q["attribution"] == f"{p['role']}, {orgs[p['organisation']]}, {p['network']}"


def test_links_to_the_bundled_commentary_are_optional(tmp_path):
    (folder,) = synthesize(1, tmp_path / "out", link_commentary=True)
    assert (folder / "links_concept.csv").is_file()
    summary = build([folder], store=tmp_path / "store")  # with the bundled williams2013
    assert "williams2013" in summary.studies
    # writing again without the option leaves no dangling links behind
    synthesize(1, tmp_path / "out")
    assert not (folder / "links_concept.csv").exists()


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_refuses_a_non_empty_out_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("not ours", encoding="utf-8")
    res = _run("synth", "--studies", "1", "--out", str(out))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustkg: error:"), res.stderr
    assert "--force" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]

    res = _run("synth", "--studies", "2", "--out", str(out), "--force", "--seed", "5")
    assert res.returncode == 0, res.stderr
    assert "wrote 2 synthetic studies" in res.stdout and "trustkg build" in res.stdout
    assert (out / "synth0002" / "study.csv").is_file() and (out / "keep.txt").is_file()
