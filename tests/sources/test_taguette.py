"""Code new interviews against the trust framework in a real Taguette, and bring them back linked.

One scenario, run once for the module against Taguette 1.5.2 on a loopback port, through
Taguette's own interface (its codebook import form, its document and highlight API, its export
menu), as a researcher would: export trustkg's CSV codebook, import it into Taguette, add an
interview, highlight passages with framework codes and with codes of one's own, export the
project, and `trustkg import taguette` it. The interview is synthetic: written for this test,
no real participant. The tests below check what arrives, what is linked, and what is refused.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.sources.framework import framework_codes, read_framework_studies
from trustkg.sparql.run import run_query

from ..browser import ARTEFACTS, chromium_page
from ..conftest import REPO
from ..robustness.test_bad_input import assert_one_line, run
from ..taguette import TaguetteClient, TaguetteServer, byte_span, taguette_python

#: the README's screenshot; refreshed by TRUSTKG_UPDATE_SCREENSHOTS=1 (docs/qda-tools.md)
SCREENSHOT = REPO / "docs" / "images" / "taguette-framework-codebook.png"

INTERVIEW = [  # synthetic, written for this test: no real participant or organisation
    "Interviewer: How do you find working with the hospital trust?",
    "Manager, voluntary sector provider (synthetic): Honestly — they hold the contracts &amp; "
    "the money, so when they decide, we follow.",
    "They don't really know what our <em>befrienders</em> can do; referrals reach us late.",
    "Since the café meetings began we share our rota data with the district nurses every week.",
    "Still, capacity is the problem: we lost two coordinators in the cuts.",
]
#: passage (as Taguette's page sees the text) → tag paths
POWER = "li2018 asymmetry types/asymmetric power"
NESTED = POWER + "/Contract decisions"
HIGHLIGHTS = {
    "they hold the contracts & the money": [POWER, "li2018 asymmetry types/financial imbalances"],
    "They don't really know what our befrienders can do": [
        "li2018 asymmetry types/knowledge asymmetry"
    ],
    "so when they decide, we follow.They don't": [
        "li2018 trust factors/F13 Controlling power differences among organizations"
    ],
    "we share our rota data with the district nurses every week": ["Information sharing"],
    "when they decide, we follow": [NESTED],
}
NEW_TAGS = {
    "Information sharing": "Emergent: data shared between organisations (synthetic test code).",
    NESTED: "Emergent: who decides on contracts (synthetic test code).",
}


@dataclass
class Run:
    tmp: Path
    codebook_csv: Path
    project_file: Path
    taguette_qdc: Path
    server_db: Path
    document_text: str
    imported: int
    study: Path
    store: Path
    import_output: str
    seconds: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Run:
    python = taguette_python()
    tmp = tmp_path_factory.mktemp("taguette")
    runner = CliRunner()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    codebook = tmp / "trust-framework.csv"
    out = runner.invoke(cli, ["export", "codebook", "--out", str(codebook)])
    assert out.exit_code == 0, out.output
    (tmp / "home").mkdir()
    server = TaguetteServer(python, tmp / "home").start()
    seconds["start"] = time.perf_counter() - t0
    try:
        tg = TaguetteClient(server)
        tg.login()
        project = tg.new_project("Synthetic interviews (trustkg test)", "Invented for a test.")
        tg.new_project("A second project", "")  # Taguette's own database then holds two
        imported = tg.import_codebook(project, codebook.read_bytes(), codebook.name)
        html = "".join(f"<p>{line}</p>" for line in INTERVIEW).encode("utf-8")
        doc = tg.add_document(
            project,
            "Synthetic interview 1",
            "Illustrative text written for trustkg's tests; not real data.",
            "interview-1.html",
            html,
        )
        from trustkg.sources.taguette_html import html_text

        text = html_text(tg.document_html(project, doc))
        for path, description in NEW_TAGS.items():
            tg.new_tag(project, path, description)
        tags = tg.tags(project)
        for passage, paths in HIGHLIGHTS.items():
            tg.highlight(project, doc, *byte_span(text, passage), [tags[p]["id"] for p in paths])
        project_file = tmp / "2026-01-01_synthetic-interviews.sqlite3"
        project_file.write_bytes(tg.export(project, "project.sqlite3"))
        qdc = tmp / "taguette-codebook.qdc"
        qdc.write_bytes(tg.export(project, "codebook.qdc"))
        seconds["scenario"] = time.perf_counter() - t0
        _screenshot(server, project, doc)
        seconds["screenshot"] = time.perf_counter() - t0
    finally:
        server.stop()
    assert server.proc is not None and server.proc.poll() is not None  # nothing left running
    study, store = tmp / "interviews", tmp / "store"
    out = runner.invoke(
        cli,
        [
            "import",
            "taguette",
            str(project_file),
            "--study",
            str(study),
            "--id",
            "interviews",
            "--build",
            "--store",
            str(store),
        ],
    )
    assert out.exit_code == 0, out.output
    seconds["import and build"] = time.perf_counter() - t0
    print(f"Taguette scenario, cumulative seconds: {seconds}")
    return Run(
        tmp,
        codebook,
        project_file,
        qdc,
        tmp / "home" / "taguette.sqlite3",
        text,
        imported,
        study,
        store,
        out.output,
        seconds,
    )


def _screenshot(server: TaguetteServer, project: int, doc: int) -> None:
    """Taguette's project page with the framework codebook in its tag list, highlights drawn."""
    import os

    with chromium_page(1400, 900) as page:
        page.goto(server.join_url)  # the token logs the browser in
        page.wait_for_selector("text=Welcome")
        page.goto(f"{server.base}/project/{project}/document/{doc}")
        page.wait_for_selector("#document-contents .highlight")  # never networkidle: long-poll
        page.click("#tags-tab")
        page.wait_for_selector('#tags-list a[id^="tag-link-"]', state="visible")
        shown = page.eval_on_selector_all(
            '#tags-list a[id^="tag-link-"]', "els => els.map(e => e.textContent)"
        )
        assert POWER in shown and "Information sharing" in shown
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / SCREENSHOT.name))
    if os.environ.get("TRUSTKG_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTEFACTS / SCREENSHOT.name, SCREENSHOT)


def _table(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv(data: bytes) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return {r["path"]: r["description"] for r in rows}


def test_taguette_imports_the_whole_codebook_through_its_own_form(scenario):
    codable = [c for c in framework_codes(read_framework_studies([])) if c.codable]
    assert scenario.imported == len(codable) == 76


def test_documents_highlights_tags_and_descriptions_all_arrive(scenario):
    sources = _table(scenario.study, "sources")
    assert [(s["name"], s["path"]) for s in sources] == [
        ("Synthetic interview 1", "interview-1.html")
    ]
    text = sources[0]["text"]
    assert text.split("\n") == [  # one line per paragraph, entities decoded
        line.replace("&amp;", "&").replace("<em>", "").replace("</em>", "") for line in INTERVIEW
    ]
    notes = _table(scenario.study, "notes")
    assert [(n["text"], n["about"]) for n in notes] == [
        ("Illustrative text written for trustkg's tests; not real data.", sources[0]["id"])
    ]
    codes = {c["id"]: c for c in _table(scenario.study, "codes")}
    paths = {}
    for ident, c in codes.items():  # the path Taguette had, rebuilt from the nesting
        paths[ident] = c["label"] if not c["parent"] else None
    while None in paths.values():
        for ident, c in codes.items():
            if paths[ident] is None and paths.get(c["parent"]):
                paths[ident] = paths[c["parent"]] + "/" + c["label"]
    descriptions = {paths[i]: c["description"] for i, c in codes.items()}
    sent = _csv(scenario.codebook_csv.read_bytes())
    assert {p: descriptions[p] for p in sent} == sent  # every framework tag, as imported
    assert {p: descriptions[p] for p in NEW_TAGS} == NEW_TAGS
    assert descriptions["interesting"] == "Further review required"  # Taguette's own tag
    assert codes[next(i for i, p in paths.items() if p == NESTED)]["label"] == "Contract decisions"

    segments = _table(scenario.study, "segments")
    codings = _table(scenario.study, "links_segment_code")
    by_segment: dict[str, set[str]] = {}
    for c in codings:
        by_segment.setdefault(c["segment"], set()).add(paths[c["code"]])
        assert c["date"].endswith("Z") and "T" in c["date"]  # Taguette's dates, in UTC
    assert len(segments) == len(HIGHLIGHTS)
    moved = 0
    for seg in segments:
        start, end = int(seg["start"]), int(seg["end"])
        assert text[start:end] == seg["text"]  # found verbatim in its document
        passage = seg["text"].replace("\n", "")  # the line break trustkg puts between <p>s
        assert passage in HIGHLIGHTS
        assert by_segment[seg["id"]] == set(HIGHLIGHTS[passage])
        # the byte offsets Taguette had are kept beside the code point positions
        tg_start, tg_end = byte_span(scenario.document_text, passage)
        assert seg["locator"] == f"Taguette bytes {tg_start}-{tg_end}"
        assert tg_start == len(text[:start].replace("\n", "").encode("utf-8"))
        moved += tg_start != start  # "—" and "é" are one character but several bytes
    assert moved >= 3


def test_framework_tags_come_back_linked_and_the_researchers_own_are_emergent(scenario):
    links = _table(scenario.study, "framework_links")
    assert len(links) == 76 and {r["rule"] for r in links} == {"iri"}  # Taguette keeps no GUID
    assert {r["predicate"] for r in links} == {"exactMatch"}
    assert all(r["justification"] == "semapv:BackgroundKnowledgeBasedMatching" for r in links)
    assert not (scenario.study / "mappings.csv").exists()  # the researcher's file: never written
    assert "linked 76 codes to the framework (76 by iri); 3 new (emergent) codes" in (
        scenario.import_output
    )
    rows = run_query("cq16", {"study": "interviews"}, store=scenario.store).records()
    assert {(r["label"], r["segments"], r["under"] or "") for r in rows} == {
        ("Information sharing", 1, ""),
        ("interesting", 0, ""),
        ("Contract decisions", 1, "li2018/AT-power"),
    }


def test_cq13_compares_the_new_study_with_the_2018_study_at_once(scenario):
    rows = run_query("cq13", store=scenario.store).records()
    counts = {(r["asymmetry"], r["study"]): (r["quotations"], r["pointers"]) for r in rows}
    new = {a: v for (a, s), v in counts.items() if s == "interviews"}
    # AT-power: the "contracts" highlight and the one coded with the code nested under it
    assert new == {"AT-power": (2, 0), "AT-financial": (1, 0), "AT-knowledge": (1, 0)}
    assert counts[("AT-power", "li2018")] == (10, 8)  # the seed's own row is unchanged


def test_the_imported_study_conforms_to_the_shapes(scenario):
    from trustkg.check.validate import validate

    report = validate(store=scenario.store)
    assert report.conforms, [r.line() for r in report.results if r.severity == "Violation"]
    assert not [r for r in report.results if "interviews/" in r.focus]  # no warning either


def test_the_codebook_comes_back_the_same_through_taguette(scenario, tmp_path):
    back = tmp_path / "back.csv"
    out = CliRunner().invoke(
        cli, ["export", "codebook", "--study", str(scenario.study), "--out", str(back)]
    )
    assert out.exit_code == 0, out.output
    sent, got = _csv(scenario.codebook_csv.read_bytes()), _csv(back.read_bytes())
    assert {p: got[p] for p in sent} == sent
    assert set(got) - set(sent) == {"interesting", *NEW_TAGS}


def test_taguettes_own_codebook_export_is_recognised_by_path(scenario, tmp_path):
    """Taguette's .qdc has no descriptions and GUIDs of its own: the paths still match."""
    folder = tmp_path / "tgcodes"
    out = CliRunner().invoke(
        cli,
        [
            "import",
            "refi-qda",
            str(scenario.taguette_qdc),
            "--study",
            str(folder),
            "--id",
            "tgcodes",
        ],
    )
    assert out.exit_code == 0, out.output
    links = _table(folder, "framework_links")
    assert len(links) == 76 and {r["rule"] for r in links} == {"path"}
    assert {r["justification"] for r in links} == {"semapv:LexicalMatching"}


def test_a_file_of_taguettes_own_database_asks_which_project(scenario, tmp_path):
    res = run(
        "import", "taguette", str(scenario.server_db), "--study", str(tmp_path / "x"), "--id", "x"
    )
    assert_one_line(res, r"holds 2 projects .*choose one with --project ID")
    assert not (tmp_path / "x").exists()
    res = run(
        "import",
        "taguette",
        str(scenario.server_db),
        "--project",
        "1",
        "--study",
        str(tmp_path / "x"),
        "--id",
        "x",
    )
    assert res.returncode == 0, res.stderr


def _copy_with(scenario: Run, tmp_path: Path, sql: str) -> Path:
    copy = tmp_path / "changed.sqlite3"
    shutil.copyfile(scenario.project_file, copy)
    with sqlite3.connect(copy) as db:
        db.execute(sql)
    return copy


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE alembic_version SET version_num = 'ffffffffffff'", r"unknown Taguette .* newer"),
        (
            "UPDATE highlights SET snippet = '<p>other words</p>' WHERE id = 1",
            r"highlight 1 .*snippet .* not the document's text",
        ),
        ("UPDATE highlights SET end_offset = 99999 WHERE id = 1", r"outside the text"),
        ("DROP TABLE highlight_tags", r"not a Taguette project file.*highlight_tags"),
    ],
)
def test_a_changed_project_file_is_refused_in_one_line(scenario, tmp_path, sql, message):
    bad = _copy_with(scenario, tmp_path, sql)
    res = run("import", "taguette", str(bad), "--study", str(tmp_path / "x"), "--id", "x")
    assert_one_line(res, message)
    assert bad.name in res.stderr and not (tmp_path / "x").exists()
