"""`trustkg build`: the seed studies become the graph; rebuilding is deterministic; a failed build
leaves the previous store as it was; a second study sits beside the seed without clashes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core.errors import TableError, TrustkgError
from trustkg.core.resources import bundled_studies
from trustkg.store.build import build

from ..conftest import FIXTURES, select


def test_seed_counts_in_the_graph(seed_oxstore):
    rows = select(
        seed_oxstore,
        """SELECT ?net (COUNT(?p) AS ?n) WHERE {
             ?p a tk:Participant ; tk:inNetwork ?n_ . ?n_ dcterms:identifier ?net }
           GROUP BY ?net ORDER BY ?net""",
    )
    assert [(r["net"], int(r["n"])) for r in rows] == [("N1", 15), ("N2", 14), ("N3", 12)]
    counts = {
        r["c"]: int(r["n"])
        for r in select(
            seed_oxstore,
            "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c ; tk:inStudy <{LI}study> } GROUP BY ?c",
        )
    }
    tk = "https://w3id.org/trustkg/ontology#"
    assert counts[tk + "CareNetwork"] == 3
    assert counts[tk + "TrustFactor"] == 14
    assert counts[tk + "Theme"] == 3
    assert counts[tk + "Subtheme"] == 14
    assert counts[tk + "TrustBuildingStrategy"] == 7
    assert counts[tk + "Quotation"] == 14
    assert counts[tk + "QuotationPointer"] == 13


def test_stated_links_say_where_and_curated_links_say_why(seed_oxstore):
    rows = select(
        seed_oxstore,
        """SELECT ?loc ?paper WHERE {
             ?a a tk:StatedFact ; rdf:subject <{LI}subtheme/T1-S1> ;
                rdf:predicate tk:subthemeOf ; tk:location ?loc ; prov:wasDerivedFrom ?paper }""",
    )
    assert rows == [
        {"loc": "Table 3", "paper": "https://w3id.org/trustkg/data/li2018/publication/li2018"}
    ]
    no_reason = select(
        seed_oxstore,
        "SELECT ?a WHERE { ?a a tk:CuratedLink FILTER NOT EXISTS { ?a tk:rationale ?r } }",
    )
    assert no_reason == []
    sector = select(
        seed_oxstore,
        """SELECT ?why WHERE { ?a a tk:CuratedLink ; rdf:predicate tk:inSector ;
             rdf:subject <{LI}organisation/N1-O01> ; tk:rationale ?why }""",
    )
    assert len(sector) == 1 and sector[0]["why"]


def union_graph(path: Path, fmt: str) -> rdflib.Graph:
    """All triples of a file, whichever graphs they are in."""
    ds = rdflib.Dataset()
    ds.parse(path, format=fmt)
    graph = rdflib.Graph()
    for s, p, o, _ in ds.quads():
        graph.add((s, p, o))
    return graph


def test_building_twice_gives_the_same_graph(tmp_path: Path):
    build(store=tmp_path / "a", outputs=[tmp_path / "a.nq"])
    build(store=tmp_path / "b", outputs=[tmp_path / "b.nq"])
    g1 = union_graph(tmp_path / "a.nq", "nquads")
    g2 = union_graph(tmp_path / "b.nq", "nquads")
    assert len(g1) > 4000
    assert isomorphic(g1, g2)


@pytest.mark.parametrize("ext", [".ttl", ".nt", ".jsonld", ".owl", ".trig"])
def test_out_writes_the_whole_graph_in_the_named_format(tmp_path: Path, ext: str):
    out = tmp_path / f"graph{ext}"
    build(store=tmp_path / "s", outputs=[out, tmp_path / "ref.nt"])
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".owl": "xml", ".trig": "trig"}
    got = union_graph(out, fmt[ext])
    ref = rdflib.Graph().parse(tmp_path / "ref.nt", format="nt")
    assert isomorphic(got, ref)
    # the ontology is in the export too
    assert (
        rdflib.URIRef("https://w3id.org/trustkg/ontology"),
        rdflib.RDF.type,
        rdflib.OWL.Ontology,
    ) in got


def test_unknown_export_extension_is_refused_before_anything_is_written(tmp_path: Path):
    with pytest.raises(TrustkgError, match="extension '.xyz'"):
        build(store=tmp_path / "s", outputs=[tmp_path / "g.xyz"])
    assert not (tmp_path / "s").exists()


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _seed_copy(tmp_path: Path, study_id: str) -> Path:
    """The 2018 study's tables under another study id, in a folder named after it."""
    folder = tmp_path / study_id
    shutil.copytree(next(p for p in bundled_studies() if p.name == "li2018"), folder)
    study = folder / "study.csv"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("li2018,", f"{study_id},", 1), encoding="utf-8")
    return folder


def test_failed_build_leaves_the_previous_store_untouched(tmp_path: Path):
    store = tmp_path / "store"
    build(store=store)
    before = _tree_digest(store)
    bad = _seed_copy(tmp_path, "badstudy")
    text = (bad / "subthemes.csv").read_text(encoding="utf-8")
    (bad / "subthemes.csv").write_text(text.replace("T2-S1,T2,", "T2-S1,T7,"), encoding="utf-8")
    with pytest.raises(TableError):
        build([bad], store=store)
    assert _tree_digest(store) == before


def test_second_study_builds_beside_the_seed_without_clashes(tmp_path: Path):
    from trustkg.store import open_store

    store = tmp_path / "store"
    summary = build([FIXTURES / "second-study"], store=store)
    assert summary.studies == ["li2018", "williams2013", "fixture2"]
    st = open_store(store)
    rows = select(
        st,
        """SELECT ?study (COUNT(?q) AS ?n) WHERE {
             ?q a tk:Quotation ; tk:inStudy ?s . ?s dcterms:identifier ?study }
           GROUP BY ?study ORDER BY ?study""",
    )
    assert [(r["study"], int(r["n"])) for r in rows] == [("fixture2", 1), ("li2018", 14)]
    # the same local id in two studies is two nodes
    same = select(st, "SELECT ?p WHERE { ?p a tk:Participant ; dcterms:identifier 'N1-P01' }")
    assert len(same) == 2
    # a reference across studies resolves
    cross = select(
        st,
        "SELECT ?c WHERE { <https://w3id.org/trustkg/data/fixture2/theme/T1> "
        "tk:relatesToConcept ?c }",
    )
    assert cross == [{"c": "https://w3id.org/trustkg/data/williams2013/concept/C01"}]


def test_duplicate_study_id_is_refused(tmp_path: Path):
    copy = tmp_path / "again"
    shutil.copytree(next(p for p in bundled_studies() if p.name == "li2018"), copy)
    with pytest.raises(TrustkgError, match="already used"):
        build([copy], store=tmp_path / "s")


def test_a_folder_of_study_folders_builds_every_study(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copytree(FIXTURES / "second-study", corpus / "a")
    summary = build([corpus], include_bundled=True, store=tmp_path / "s")
    assert summary.studies == ["li2018", "williams2013", "fixture2"]


# -- RDF/XML and the characters XML treats differently (found by tests/robustness) -----------


def _one_literal(value: str) -> list:
    import pyoxigraph

    s = pyoxigraph.NamedNode("https://w3id.org/trustkg/data/x/quotation/Q01")
    p = pyoxigraph.NamedNode("https://w3id.org/trustkg/ontology#text")
    return [pyoxigraph.Quad(s, p, pyoxigraph.Literal(value))]


def test_rdf_xml_export_keeps_carriage_returns_for_every_xml_reader(tmp_path: Path):
    # pyoxigraph wrote the CR as is; an XML parser reads a raw CR as LF, so rdflib (like any
    # other tool) read a different quotation than the one exported.
    from trustkg.store.rdfio import export

    out = export(_one_literal("a\r\nb\rc"), tmp_path / "graph.rdf")
    assert b"\r" not in out.read_bytes()
    assert [str(o) for o in rdflib.Graph().parse(out, format="xml").objects()] == ["a\r\nb\rc"]


def test_rdf_xml_export_refuses_a_character_xml_cannot_hold(tmp_path: Path):
    # A label '0\x1f0' was written as is: a file no XML parser reads. Other formats keep it.
    from trustkg.store.rdfio import export

    with pytest.raises(TrustkgError, match="U\\+001F .* export as .ttl") as err:
        export(_one_literal("0\x1f0"), tmp_path / "graph.rdf")
    assert "graph.rdf" in str(err.value) and len(str(err.value).splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    export(_one_literal("0\x1f0"), tmp_path / "graph.ttl")


def test_a_graph_written_in_many_parts_is_the_same_graph(tmp_path: Path, monkeypatch):
    """Build writes and loads the snapshot in parts, each loaded while the next is written; cut
    into many small parts the store, the snapshot and the description are as with one part."""
    import trustkg.store.build as b

    single = build(store=tmp_path / "one", outputs=[tmp_path / "one.nt"])
    monkeypatch.setattr(b, "_BLOCK", 300)
    monkeypatch.setattr(b, "FIRST_PART", 300)
    monkeypatch.setattr(b, "LAST_PART", 1200)
    summary = build(store=tmp_path / "many", outputs=[tmp_path / "many.nt"])
    parts = sorted((tmp_path / "many").glob("trustkg-graph-*.nt"))
    assert len(parts) > 5, parts
    sizes = [sum(1 for _ in p.open(encoding="utf-8")) for p in parts]
    # 300 items first (the ontology is one item of many lines), then doubling up to the last
    assert sizes[1] == 600 and max(sizes[1:]) == 1200
    assert all("_:" not in line for p in parts[1:] for line in p.open(encoding="utf-8"))
    one = rdflib.Graph().parse(tmp_path / "one.nt", format="nt")
    many = rdflib.Graph().parse(tmp_path / "many.nt", format="nt")
    assert isomorphic(one, many) and summary.triples == single.triples
    # each snapshot file is a document of its own (no blank node spans two), and together
    # they are the one-part snapshot
    snapshot = rdflib.Graph()
    for p in parts:
        snapshot += rdflib.Graph().parse(p, format="nt")
    whole = rdflib.Graph().parse(tmp_path / "one" / "trustkg-graph-0.nt", format="nt")
    assert len(snapshot) == single.triples and isomorphic(snapshot, whole)
    described = [rdflib.Graph().parse(tmp_path / f / "dataset.ttl") for f in ("one", "many")]
    assert isomorphic(*described)  # the same triple counts per named graph


def test_the_snapshot_writes_each_triple_once(tmp_path: Path):
    """Shared nodes (the curator of every curated link) are described once per build, so the
    loader is not handed the same line thousands of times in a big corpus."""
    summary = build([_seed_copy(tmp_path, "copy")], store=tmp_path / "store")
    lines = [
        line
        for p in (tmp_path / "store").glob("trustkg-graph-*.nt")
        for line in p.open(encoding="utf-8")
    ]
    assert len(lines) == len(set(lines)) == summary.triples
    curator = "<https://w3id.org/trustkg/data/curator/trustkg> "
    assert [line.split(" ", 2)[1] for line in lines if line.startswith(curator)] == [
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
    ]


def test_a_table_error_after_some_parts_were_loaded_leaves_no_trace(tmp_path: Path, monkeypatch):
    """The error in a later study comes while earlier parts are being indexed: the build
    waits for them, removes its staging folder and leaves the store as it was."""
    import trustkg.store.build as b

    store = tmp_path / "store"
    build(store=store)
    before = _tree_digest(store)
    monkeypatch.setattr(b, "_BLOCK", 200)
    monkeypatch.setattr(b, "FIRST_PART", 200)
    bad = _seed_copy(tmp_path, "zzbad")
    # a reference to another study that is not loaded: found only while making the triples
    text = (bad / "links_concept.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first = lines[1].split(",")
    first[1] = "nostudy/C01"
    lines[1] = ",".join(first)
    (bad / "links_concept.csv").write_text("".join(lines), encoding="utf-8")
    loads = []
    real = b.write_and_load

    def counting(st, lines, folder, on_block=None):
        def seen(block):
            loads.append(len(block))
            if on_block:
                on_block(block)

        return real(st, lines, folder, on_block=seen)

    monkeypatch.setattr(b, "write_and_load", counting)
    with pytest.raises(TrustkgError, match="nostudy"):
        build([bad], store=store)
    assert sum(loads) > 1000  # the error came after several parts were handed to the loader
    assert _tree_digest(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "zzbad"]  # no STORE.lock left
