"""Commands that bring other studies in and link them: REFI-QDA and Taguette imports, SSSOM
mappings, and the framework's codebook for a QDA tool."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import folder_study_id, store_option, study_option, warn_dropped


@click.group("import")
def import_group() -> None:
    """Bring another study in: a project coded in a QDA tool (REFI-QDA, or Taguette's file).

    \b
    Examples:
      trustkg import refi-qda interviews.qdpx --study carestudy --build
      trustkg import taguette project.sqlite3 --study interviews2025 --build
    """


def _import_options(func):
    """The options every ``trustkg import`` command shares, so they read the same."""
    options = [
        study_option(
            "The study folder to write the tables into, e.g. carestudy (made if missing)."
        ),
        click.option(
            "--id",
            "study_id",
            metavar="ID",
            help="The study's id. Default: the id of an earlier import in DIR, else DIR's name.",
        ),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            hidden=True,  # deprecated: --study ID --out DIR is now --study DIR --id ID
        ),
        click.option(
            "--force", is_flag=True, help="Replace the tables of a folder that is not empty."
        ),
        click.option(
            "--framework",
            "frameworks",
            multiple=True,
            help="Also recognise codes from the codebook of this study (a study folder, or a "
            "bundled study's id), as exported with `trustkg export codebook --study`; the "
            "bundled studies' framework is always recognised. Repeatable.",
        ),
        click.option(
            "--build",
            "do_build",
            is_flag=True,
            help="Also build the store from the bundled studies and this one (no other).",
        ),
        store_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _write_import(project, study_folder, study_id, out, force, frameworks, do_build, store) -> None:
    from ..sources.refiqda_tables import import_project

    folder, study_id = _import_target(study_folder, study_id, out)
    done = import_project(project, study_id, folder, force=force, frameworks=frameworks)
    click.echo(
        f"imported {project.file}: {len(project.codes)} codes, {len(project.sources)} sources, "
        f"{len(project.selections)} coded segments, {len(project.users)} users, "
        f"{len(project.cases)} cases, {len(project.notes)} notes, {len(project.sets)} sets"
    )
    click.echo(done.summary())
    click.echo(f"wrote study {study_id!r} to {done.folder}")
    if do_build:
        _build_with(done.folder, store)


def _import_target(folder: Path | None, study_id: str | None, out: Path | None):
    """(folder, study id) from ``--study DIR [--id ID]``, or from the old ``--study ID --out
    DIR``, which still works and says so."""
    from ..core.iris import RESERVED_IDS, valid_study_id

    if out is not None:
        click.echo(
            "trustkg: warning: --out is deprecated: write --study DIR (and --id ID if the id "
            "is not the folder's name)",
            err=True,
        )
        if folder is not None and study_id is None:
            study_id = folder.name
        folder = out
    if folder is None:
        raise click.UsageError("Missing option '--study': the folder to write the study into")
    if study_id is None:
        study_id = folder_study_id(folder) or folder.name
        if not valid_study_id(study_id):
            rule = (
                "is reserved"
                if study_id in RESERVED_IDS
                else "is not lower-case letters, digits, '-' or '_'"
            )
            raise click.UsageError(
                f"the study id is the folder's name, and {study_id!r} {rule}: give --id ID"
            )
    return folder, study_id


def _build_with(folder: Path, store) -> None:
    from ..store.build import build as do_build_store

    summary = do_build_store([folder], store=store)
    click.echo(f"built {summary.triples} triples into {summary.store}")
    warn_dropped(summary)


@import_group.command("refi-qda")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_import_options
def import_refi_qda(
    file: Path, study_folder, study_id, out, force, frameworks, do_build, store
) -> None:
    """Import a REFI-QDA codebook (.qdc) or project (.qdpx, .qde) as a study.

    Writes the study into the folder --study DIR in trustkg's source tables (codes, sources,
    segments, codings, cases, notes, sets; every row keeps its REFI-QDA GUID and file) so you
    can edit it; its id is DIR's name unless --id says otherwise. --build then builds it into
    the store with the bundled studies. Codes that came from trustkg's codebook
    (`trustkg export codebook`) are linked to their framework concepts at once (by GUID, IRI in
    the description, path or name; framework_links.csv); the others are new, emergent codes
    (`trustkg query run cq16`): map them with `trustkg link`.

    \b
    Examples:
      trustkg import refi-qda codebook.qdc --study mycodes
      trustkg import refi-qda interviews.qdpx --study studies/carestudy --build
    """
    from ..sources.refiqda import read

    _write_import(read(file), study_folder, study_id, out, force, frameworks, do_build, store)


@import_group.command("taguette")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--project",
    "project_id",
    type=int,
    default=None,
    help="Which project, when the file holds several (Taguette's own database does).",
)
@_import_options
def import_taguette(
    file: Path, project_id, study_folder, study_id, out, force, frameworks, do_build, store
) -> None:
    """Import a Taguette project file (Taguette's "Export project", .sqlite3) as a study.

    Tags become codes (nested where one tag's path starts with another's and "/"), documents
    sources (their text kept plain), highlights coded segments with their exact words and
    positions. Tags that came from trustkg's CSV codebook are linked to their framework
    concepts at once; the others are new, emergent codes (`trustkg query run cq16`). A file of
    an older Taguette, or one that is not a Taguette project, is refused.

    \b
    Example:
      trustkg import taguette 2025-06-01_interviews.sqlite3 --study interviews2025 --build
      trustkg query run cq13
    """
    from ..sources.taguette import read

    project = read(file, project_id)
    _write_import(project, study_folder, study_id, out, force, frameworks, do_build, store)


@click.command()
@click.argument("mapping", type=click.Path(dir_okay=False, path_type=Path))
@study_option(
    "The study folder whose codes the mappings start from (e.g. from trustkg import).",
    required=True,
)
@click.option(
    "--build",
    "do_build",
    is_flag=True,
    help="Also build the store from the bundled studies and this one (no other).",
)
@store_option
def link(mapping: Path, study_folder: Path, do_build: bool, store) -> None:
    """Load SSSOM mappings from a study's codes to trust concepts.

    Maps codes (skos:exactMatch, closeMatch, broadMatch, narrowMatch, relatedMatch) to
    asymmetry types, factors, themes or subthemes of any loaded study, keeping each mapping's
    justification, confidence, author and comment. Every subject and object is checked first
    (against the study, the bundled studies and the store); a mapping that names nothing
    refuses the whole file and leaves mappings.csv as it was. The mappings are kept in the
    study's mappings.csv, so every rebuild loads them again; CQ13 then counts the coded
    segments of mapped codes per asymmetry type.

    \b
    Example:
      trustkg link codes-to-li2018.sssom.tsv --study carestudy --build
      trustkg query run cq13
    """
    from ..sources.sssom import link as do_link

    n, table = do_link(mapping, study_folder, exists=_in_store(store))
    click.echo(f"linked {n} mappings from {mapping.name} into {table}")
    if do_build:
        _build_with(study_folder, store)


def _in_store(store):
    """A test of whether the built store (if any) holds a resource, for link's checks."""
    from ..store.embedded import open_store, resolve_store_path

    if not (resolve_store_path(store) / "CURRENT").is_file():
        return None
    st = open_store(store)

    def exists(iri: str) -> bool:
        import pyoxigraph

        return (
            next(iter(st.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None)), None)
            is not None
        )

    return exists


@click.command("export-mappings")
@study_option(
    "Also export this study folder's curated alignments and mappings (repeatable).",
    multiple=True,
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


@click.group("export")
def export_group() -> None:
    """Write trustkg's content for other tools: the framework as a QDA codebook.

    \b
    Example:
      trustkg export codebook --out trust-framework.qdc
    """


@export_group.command("codebook")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .qdc (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder) or .csv "
    "(Taguette, spreadsheets).",
)
@click.option(
    "--study",
    "studies",
    multiple=True,
    help="Whose framework: a bundled study's id (li2018, williams2013) or a study folder "
    "(an imported study gives its own codebook back). Repeatable. Default: the bundled studies.",
)
@click.option(
    "--include",
    default=None,
    help="Comma-separated parts: themes, asymmetries, factors, strategies, concepts, codes. "
    "Default: all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["qdc", "csv"]),
    default=None,
    help="Codebook format. Default: from the --out file's extension.",
)
def export_codebook(out: Path, studies: tuple[str, ...], include, fmt) -> None:
    """Write the trust framework as a codebook to code new interviews with.

    The framework: the trust factors (Table 2), themes and subthemes (Table 3), asymmetry
    types and trust-building strategies (Table 4) of li2018, and the theoretical concepts of
    williams2013. Each code's GUID is derived from its concept's IRI (the same at every
    export), its description is the source's words with the IRI in brackets. Codes brought
    back with `trustkg import refi-qda` or `trustkg import taguette` are recognised and linked
    to the framework without any mapping file.

    \b
    Examples:
      trustkg export codebook --out trust-framework.qdc
      trustkg export codebook --out trust-framework.csv --include asymmetries,factors
      trustkg export codebook --out li2018-themes.qdc --study li2018 --include themes
    """
    from ..sources.codebook import export_codebook as write

    parts = [p.strip() for p in include.split(",") if p.strip()] if include else None
    n, path = write(out, studies, parts, fmt)
    click.echo(f"wrote {n} codes to {path}")
