"""`trustkg report`: figures computed by catalogued queries, checked against the seed tables, a
page that opens offline in a real browser, text from the data escaped, and output written only
when everything succeeded."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.core.errors import TrustkgError
from trustkg.core.resources import bundled_studies
from trustkg.pages import figures
from trustkg.pages.report import FIGURES, build_report, write_report
from trustkg.sparql.catalogue import catalogue
from trustkg.sparql.run import run_query

from ..browser import chromium_page, screenshot
from ..conftest import FIXTURES

LI2018 = next(p for p in bundled_studies() if p.name == "li2018")


def table(name: str) -> list[dict[str, str]]:
    with open(LI2018 / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def records(name: str, store: Path) -> list[dict]:
    return run_query(name, {"study": "li2018"}, store=store).records()


@pytest.fixture(scope="module")
def report_dir(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(out, store=seed_store)
    return out


# -- every figure comes from the catalogue ------------------------------------------------------


def test_every_figure_names_only_catalogued_queries():
    names = {q.name for q in catalogue()}
    assert len(FIGURES) == 5
    for spec in FIGURES:
        assert spec.queries and set(spec.queries) <= names, spec.slug


def test_evidence_matrix_counts_quotations_and_pointers_apart(seed_store):
    m = figures.evidence_matrix(records("cq15", seed_store))
    theme_of = {s["id"]: s["theme"] for s in table("subthemes")}
    # (theme, evidence) pairs: a quotation counts once under each theme it evidences (Q14
    # evidences a subtheme of T1 besides its own section's theme)
    pairs = {(theme_of[e["subtheme"]], e["evidence"]) for e in table("links_evidence_subtheme")}
    by_theme = Counter((theme, evidence[0]) for theme, evidence in pairs)
    assert sum(map(sum, m.quotations)) == sum(1 for _, e in pairs if e.startswith("Q")) == 15
    assert sum(m.pointers) == len(table("pointers")) == 13  # the 13 Appendix 2 pointers
    assert {e for _, e in pairs if e.startswith("Q")} == {q["id"] for q in table("quotations")}
    assert [t for t, _ in m.themes] == ["T1", "T2", "T3"]
    for i, (t, _) in enumerate(m.themes):
        assert sum(m.quotations[i]) == by_theme[(t, "Q")]
        assert m.pointers[i] == by_theme[(t, "A")]
    assert "unattributed" not in m.sectors  # pointers are counted apart, not as a sector
    assert m.sectors[:2] == ["health", "local-government"]


def test_evidence_matrix_quotations_by_sector_follow_the_tables(seed_store):
    m = figures.evidence_matrix(records("cq15", seed_store))
    theme_of = {s["id"]: s["theme"] for s in table("subthemes")}
    org_sector = {o["id"]: o["sector"] for o in table("organisations")}
    works_for = {p["id"]: p["organisation"] for p in table("participants")}
    speaker = {
        r["quotation"]: org_sector[works_for[r["participant"]]]
        for r in table("links_quotation_participant")
        if r["match"] != "none-nearest"
    }
    pairs = {(theme_of[e["subtheme"]], e["evidence"]) for e in table("links_evidence_subtheme")}
    expected = Counter(
        (theme, speaker.get(evidence, "unmatched speaker"))
        for theme, evidence in pairs
        if evidence.startswith("Q")
    )
    got = Counter(
        {
            (t, s): m.quotations[i][j]
            for i, (t, _) in enumerate(m.themes)
            for j, s in enumerate(m.sectors)
            if m.quotations[i][j]
        }
    )
    assert got == expected


def test_factor_coverage_shows_all_14_factors_with_their_sources(seed_store):
    f = figures.factor_coverage(records("cq01", seed_store), records("cq02", seed_store))
    assert [x.factor for x in f] == [r["id"] for r in table("factors")]
    assert {x.factor: x.source for x in f} == {
        r["id"]: r["source_citation"] for r in table("factors")
    }
    assert {x.factor for x in f if not x.supported} == {"F06", "F08", "F12"}
    f01 = f[0]
    assert (f01.quotations, f01.pointers) == (5, 5)


def test_care_networks_have_their_organisations_and_participants(seed_store):
    nets = figures.care_networks(
        records("report-care-networks", seed_store), records("cq04", seed_store)
    )
    assert [n.network for n in nets] == ["N1", "N2", "N3"]
    participants = Counter(p["network"] for p in table("participants"))
    per_org = Counter(p["organisation"] for p in table("participants"))
    orgs = defaultdict(dict)
    for o in table("organisations"):
        orgs[o["network"]][o["id"]] = (o["sector"], per_org[o["id"]])
    for n in nets:
        assert n.participants == participants[n.network]  # 15, 14, 12
        assert sum(o.participants for o in n.organisations) == n.participants
        assert {o.organisation: (o.sector, o.participants) for o in n.organisations} == orgs[
            n.network
        ]
        assert (n.population_min, n.population_max) == (120000, 170000)


def test_theory_map_links_are_the_curated_links(seed_store):
    m = figures.theory_map(
        records("cq10", seed_store),
        records("report-theme-asymmetries", seed_store),
        records("cq07", seed_store),
    )
    assert set(m.concept_theme) == {
        (r["concept"].split("/")[1], r["subject"])
        for r in table("links_concept")
        if r["subject"].startswith("T")
    }
    assert set(m.theme_asymmetry) == {
        (r["theme"], r["asymmetry_type"]) for r in table("links_theme_asymmetry")
    }
    assert set(m.strategy_target) == {
        (r["strategy"], r["target"]) for r in table("links_strategy_target")
    }
    assert [s for s, _ in m.strategies] == [f"S{i}" for i in range(1, 8)]


def test_a_figure_without_data_says_so():
    svg = figures.to_svg(figures.draw_evidence_matrix(figures.evidence_matrix([])))
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert figures.to_svg(figures.draw_theory_map(figures.theory_map([], [], []))) != ""


def test_svg_output_is_reproducible(seed_store):
    f = figures.factor_coverage(records("cq01", seed_store), records("cq02", seed_store))
    assert figures.to_svg(figures.draw_factor_coverage(f)) == figures.to_svg(
        figures.draw_factor_coverage(f)
    )


# -- the page -----------------------------------------------------------------------------------


def test_report_page_has_five_captioned_figures(report_dir):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert html.count("<figure") == 5 and html.count("<figcaption>") == 5
    for spec in FIGURES:
        assert (report_dir / f"figure-{spec.slug}.svg").stat().st_size > 10_000
        for name in spec.queries:
            assert f"queries/{name}.rq" in html
    assert "http://" not in html.split("<body>")[1].replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in html


def test_report_escapes_text_from_the_data(seed_store, tmp_path):
    """A study whose labels hold markup: the page shows it as text."""
    study = tmp_path / "evil"
    shutil.copytree(FIXTURES / "second-study", study)
    themes = study / "themes.csv"
    themes.write_text(
        'id,label,findings_section\nT1,"<script>alert(\'x\')</script> & ""quoted"" <b>",findings\n',
        encoding="utf-8",
    )
    orgs = study / "organisations.csv"
    orgs.write_text(
        orgs.read_text(encoding="utf-8").replace("Fixture council", "Council <i>&amp; Co</i>"),
        encoding="utf-8",
    )
    from trustkg.store.build import build

    store = tmp_path / "store"
    build([study], store=store)
    report = build_report(store, study="fixture2")
    assert "<script" not in report.html and "<i>" not in report.html and "<b>" not in report.html
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in report.html
    )
    assert "Council &lt;i&gt;&amp;amp; Co&lt;/i&gt;" in report.html
    # the seed study in the same store is unchanged by the second one
    seed = build_report(store, study="li2018")
    assert "fixture" not in seed.html.lower()


def test_report_in_a_real_browser(report_dir):
    """Every figure is there, decoded and not blank; the page asks nothing of the network."""
    with chromium_page(1280, 900) as page:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((report_dir / "index.html").as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate(
            """() => [...document.querySelectorAll('figure')].map(f => {
                const img = f.querySelector('img');
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const g = c.getContext('2d');
                g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
                g.drawImage(img, 0, 0);
                const px = g.getImageData(0, 0, c.width, c.height).data;
                let ink = 0;
                for (let i = 0; i < px.length; i += 4) {
                    if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) ink++;
                }
                return {complete: img.complete, width: img.naturalWidth,
                        shown: img.getBoundingClientRect().width,
                        ink: ink / (c.width * c.height),
                        caption: f.querySelector('figcaption').innerText,
                        queries: f.dataset.queries};
            })"""
        )
        shot = screenshot(page, "report.png")
    assert len(found) == 5
    for fig, spec in zip(found, FIGURES, strict=True):
        assert fig["complete"] and fig["width"] > 300 and fig["shown"] > 300, fig
        assert fig["ink"] > 0.01, f"{spec.slug} looks blank: {fig['ink']:.4f} of pixels inked"
        assert fig["queries"] == " ".join(spec.queries)
        for name in spec.queries:
            assert f"queries/{name}.rq" in fig["caption"]
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    assert shot.stat().st_size > 50_000


# -- the command --------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_report_without_a_store_is_one_line(tmp_path):
    res = _run("report", "--out", str(tmp_path / "r"), "--store", str(tmp_path / "none"))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and lines[0].startswith("trustkg: error:") and "trustkg build" in lines[0]
    )
    assert not (tmp_path / "r").exists()


def test_report_out_on_a_file_is_one_line(tmp_path, seed_store):
    target = tmp_path / "report.html"
    target.write_text("mine")
    res = _run("report", "--out", str(target), "--store", str(seed_store))
    assert res.returncode == 2 and res.stderr.count("\n") == 1
    assert res.stderr.startswith("trustkg: error:") and "Traceback" not in res.stderr
    assert target.read_text() == "mine"


def test_unknown_study_is_one_line(tmp_path, seed_store):
    with pytest.raises(
        TrustkgError, match=r"holds no study 'nope' \(it holds li2018, williams2013\)"
    ):
        write_report(tmp_path / "r", store=seed_store, study="nope")
    assert not (tmp_path / "r").exists()


def test_report_replaces_its_pages_and_leaves_other_files(tmp_path, seed_store):
    out = tmp_path / "r"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    (out / "index.html").write_text("old")
    res = CliRunner().invoke(cli, ["report", "--out", str(out), "--store", str(seed_store)])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output
    assert (out / "notes.txt").read_text() == "my notes"
    assert "trustkg evidence report" in (out / "index.html").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # no staging folder left behind


def test_a_failing_figure_leaves_the_previous_report(tmp_path, seed_store, monkeypatch):
    out = tmp_path / "r"
    out.mkdir()
    (out / "index.html").write_text("previous")

    def broken(*_):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(figures, "draw_evidence_matrix", broken)
    with pytest.raises(RuntimeError):
        write_report(out, store=seed_store)
    assert (out / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
