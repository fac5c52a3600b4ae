"""`trustkg report --study ID` for any study the store holds: the bundled 2018 study, a study
imported from a REFI-QDA project, a synthetic study and one written in the tables by hand. A
figure without data says so in its place; only the 2018 study's report speaks of its tables;
every value from the graph is shown as the graph holds it, in the page and in the figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.pages import figures
from trustkg.pages.figures import common
from trustkg.pages.report import FIGURES, build_report
from trustkg.store.build import build

from ..conftest import FIXTURES
from ..sources.test_refiqda import care_qdpx
from ..sparql.test_render import _Cells

#: words of the 2018 paper a report of another study must not use (its data may hold years)
PAPER_WORDS = (
    "Table 1",
    "Table 2",
    "Table 3",
    "Table 4",
    "Appendix",
    "2018 study",
    "2018 themes",
    "2013 commentary",
    "2013 concepts",
)


@pytest.fixture(scope="module")
def many_studies(tmp_path_factory) -> Path:
    """One store: the bundled studies, an imported and linked REFI-QDA project, a synthetic
    study, and the hostile hand-written study, each through the commands a researcher runs."""
    from trustkg.sources.synth import synthesize

    from ..conftest import write_hostile_study

    tmp = tmp_path_factory.mktemp("many")
    care, store = tmp / "carestudy", tmp / "store"
    runner = CliRunner()
    res = runner.invoke(cli, ["import", "refi-qda", str(care_qdpx(tmp)), "--study", str(care)])
    assert res.exit_code == 0, res.output
    mapping = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"
    res = runner.invoke(cli, ["link", str(mapping), "--study", str(care)])
    assert res.exit_code == 0, res.output
    (synth,) = synthesize(1, tmp / "synth")
    hostile = write_hostile_study(tmp / "hostile")
    build([care, synth, hostile], store=store)
    return store


def report_of(store: Path, study: str, monkeypatch) -> figures.Words:
    # figures with their text as <text> elements, so the test can read what they say
    monkeypatch.setitem(common.RC, "svg.fonttype", "none")
    return build_report(store, study)


def svg_text(svg: str) -> str:
    import html

    return html.unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)))


@pytest.mark.parametrize("study", ["li2018", "carestudy", "synth0001", "fixture2"])
def test_every_study_has_a_report(many_studies, study, monkeypatch):
    report = report_of(many_studies, study, monkeypatch)
    assert [f.slug for f in report.figures] == [s.slug for s in FIGURES]
    nothing = report.html.count('class="nothing"')
    empty = [f for f in report.figures if not any(r.rows for r in f.results.values())]
    assert nothing == len(empty)  # a figure without data says so in its place
    if study == "li2018":
        assert not empty
        assert "Table 2 factors" in report.html and "Appendix 2 pointers" in report.html
        return
    # no caption, title or axis of another study's report names the 2018 paper's tables
    page_text = re.sub(r"<details>.*?</details>", "", report.html, flags=re.S)  # rows: data
    for f in report.figures:
        drawn = svg_text(f.svg)
        for words in PAPER_WORDS:
            assert words not in f.title and words not in f.reading, (f.slug, words)
            assert words not in drawn, (f.slug, words)
    for words in PAPER_WORDS:
        assert words not in re.sub(r"<[^>]+>", " ", page_text), words


def test_the_imported_study_shows_its_mapped_evidence(many_studies, monkeypatch):
    report = report_of(many_studies, "carestudy", monkeypatch)
    asym = next(f for f in report.figures if f.slug == "asymmetry-evidence")
    rows = asym.results["cq13-evidence-across-studies"].records()
    assert {r["study"] for r in rows} == {"carestudy"}
    assert {r["asymmetry"]: r["quotations"] for r in rows} == {
        "AT-knowledge": 2,
        "AT-power": 3,
        "AT-financial": 2,
    }
    # the other four figures have nothing for a coded project, and say so
    assert report.html.count('class="nothing"') == 4


def test_the_report_shows_every_value_as_the_graph_holds_it(many_studies, monkeypatch):
    report = report_of(many_studies, "fixture2", monkeypatch)
    cells = _Cells()
    cells.feed(report.html)
    assert not cells.tags, cells.tags  # no value became markup
    shown = {c for row in cells.rows for c in row}
    expected = set()
    for f in report.figures:
        for result in f.results.values():
            for record in result.records():
                expected |= {str(v) for v in record.values() if v is not None}
    assert expected and expected <= shown
    assert "[bold]theme[/] <b>|</b> $x$" in shown
    # the figures draw the labels as text: no markup read, no mathtext, dollars kept
    drawn = svg_text(next(f for f in report.figures if f.slug == "evidence-matrix").svg)
    assert "[bold]theme[/] <b>|</b> $x$" in drawn
    networks = svg_text(next(f for f in report.figures if f.slug == "care-networks").svg)
    assert "<i>&amp;</i> [red]Co[/red]" in networks


def test_a_study_the_store_does_not_hold_is_named_with_those_it_does(many_studies, tmp_path):
    res = CliRunner().invoke(
        cli,
        ["report", "--out", str(tmp_path / "r"), "--study", "nope", "--store", str(many_studies)],
    )
    assert res.exit_code != 0
    assert "holds no study 'nope' (it holds carestudy, fixture2, li2018, synth0001" in str(
        res.exception
    )
    assert not (tmp_path / "r").exists()
