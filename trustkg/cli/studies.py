"""Commands that bring other studies in and link them: REFI-QDA import, SSSOM mappings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import store_option


@click.group("import")
def import_group() -> None:
    """Bring another study in: a project coded in a QDA tool (REFI-QDA).

    \b
    Example:
      trustkg import refi-qda interviews.qdpx --study carestudy --build
    """


@import_group.command("refi-qda")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--study", "study_id", required=True, help="Id of the new study (e.g. carestudy).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the study's tables into. Default: ./STUDY",
)
@click.option("--force", is_flag=True, help="Replace the tables of a folder that is not empty.")
@click.option(
    "--build",
    "do_build",
    is_flag=True,
    help="Also build it into the store beside the bundled studies.",
)
@store_option
def import_refi_qda(file: Path, study_id: str, out, force: bool, do_build: bool, store) -> None:
    """Import a REFI-QDA codebook (.qdc) or project (.qdpx, .qde) as a study.

    Writes the study in trustkg's source tables (codes, sources, segments, codings, cases,
    notes, sets; every row keeps its REFI-QDA GUID and file) so you can edit it; --build then
    builds it into the store with the bundled studies. Map its codes with `trustkg link`.

    \b
    Examples:
      trustkg import refi-qda codebook.qdc --study mycodes
      trustkg import refi-qda interviews.qdpx --study carestudy --out studies/carestudy --build
    """
    from ..sources.refiqda import read
    from ..sources.refiqda_tables import write_study

    project = read(file)
    folder = write_study(project, study_id, out or Path(study_id), force=force)
    click.echo(
        f"imported {file.name}: {len(project.codes)} codes, {len(project.sources)} sources, "
        f"{len(project.selections)} coded segments, {len(project.users)} users, "
        f"{len(project.cases)} cases, {len(project.notes)} notes, {len(project.sets)} sets"
    )
    click.echo(f"wrote study {study_id!r} to {folder}")
    if do_build:
        from ..store.build import build as do_build_store

        summary = do_build_store([folder], store=store)
        click.echo(f"built {summary.triples} triples into {summary.store}")


@click.command()
@click.argument("mapping", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--study",
    "study_folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The study folder whose codes the mappings start from (e.g. from trustkg import).",
)
@click.option(
    "--build", "do_build", is_flag=True, help="Also rebuild the store with the bundled studies."
)
@store_option
def link(mapping: Path, study_folder: Path, do_build: bool, store) -> None:
    """Load SSSOM mappings from a study's codes to trust concepts.

    Maps codes (skos:exactMatch, closeMatch, broadMatch, narrowMatch, relatedMatch) to
    asymmetry types, factors, themes or subthemes of any loaded study, keeping each mapping's
    justification, confidence, author and comment. The mappings are kept in the study's
    mappings.csv, so every rebuild loads them again; CQ13 then counts the coded segments of
    mapped codes per asymmetry type.

    \b
    Example:
      trustkg link codes-to-li2018.sssom.tsv --study carestudy --build
      trustkg query run cq13
    """
    from ..sources.sssom import link as do_link

    n, table = do_link(mapping, study_folder)
    click.echo(f"linked {n} mappings from {mapping.name} into {table}")
    if do_build:
        from ..store.build import build as do_build_store

        summary = do_build_store([study_folder], store=store)
        click.echo(f"built {summary.triples} triples into {summary.store}")


@click.command("export-mappings")
@click.option(
    "--study",
    "studies",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Also export this study folder's curated alignments and mappings (repeatable).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("-"),
    show_default=True,
    help="SSSOM TSV file to write; - for standard output.",
)
def export_mappings(studies: tuple[Path, ...], out: Path) -> None:
    """Write trustkg's curated alignments as an SSSOM mapping set.

    Exports each subtheme's trust factors and each theme's asymmetry types (skos:relatedMatch,
    semapv:ManualMappingCuration, with the curator's rationale as comment) of the bundled
    studies, plus the SSSOM mappings of any --study.

    \b
    Example:
      trustkg export-mappings --out trustkg.sssom.tsv
    """
    from ..core.resources import bundled_studies
    from ..sources.sssom import export
    from ..store.build import expand_study_folders, read_studies

    tables = read_studies(list(bundled_studies()) + expand_study_folders(studies))
    if str(out) == "-":
        export(tables, sys.stdout)
        return
    with open(out, "w", encoding="utf-8", newline="") as fh:
        n = export(tables, fh)
    click.echo(f"wrote {n} mappings to {out}")
