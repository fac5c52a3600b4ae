"""Commands that make the graph: build it, inspect the ontology, write synthetic studies."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import format_option, store_option, study_option, warn_dropped


@click.group()
def ontology() -> None:
    """Inspect the OWL ontology.

    \b
    Example:
      trustkg ontology info --format json
    """


@ontology.command("info")
@format_option("text", "json", default="text")
def ontology_info_cmd(fmt: str) -> None:
    """Print the ontology IRI, version and counts of classes and properties.

    \b
    Example:
      trustkg ontology info
    """
    from ..load.ontology import ontology_info

    info = ontology_info()
    if fmt == "json":
        click.echo(json.dumps(info.as_dict(), indent=2))
        return
    for key, value in info.as_dict().items():
        click.echo(f"{key.replace('_', ' '):22} {value}")


@click.command()
@study_option(
    "Another study folder written in trustkg's tables, or a folder of such folders "
    "(repeatable). The store then holds the bundled studies and these, and no other.",
    multiple=True,
)
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled seed studies.")
@click.option(
    "--out",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the whole graph to FILE; the extension names the format "
    "(.ttl .nt .nq .trig .jsonld .owl .rdf). Repeatable.",
)
@store_option
def build(studies: tuple[Path, ...], no_bundled: bool, outputs: tuple[Path, ...], store) -> None:
    """Build the graph from the study tables into the store.

    Reads and checks every table first; a mistake is reported with its file, line and column,
    and the previous store is left as it was. The new store holds the bundled studies and the
    --study folders named, and no other: a study the store held before and not named here is
    left out (the build says which).

    \b
    Examples:
      trustkg build
      trustkg build --study my-study/ --out graph.ttl
    """
    from rich.console import Console

    from ..sparql.render import terminal_table
    from ..store.build import build as do_build

    summary = do_build(studies, include_bundled=not no_bundled, store=store, outputs=outputs)
    console = Console()
    rows = [[name, str(count)] for name, count in summary.class_counts.items()]
    title = f"trustkg graph: {summary.triples} triples"
    console.print(terminal_table(["class", "instances"], rows, console.width, title))
    # plain echo, not rich: a store path or study id holding [ ] is not markup
    click.echo(f"studies: {', '.join(summary.studies)}")
    click.echo(f"store:   {summary.store}")
    if summary.description:
        click.echo(f"described (DCAT/VoID): {summary.description}")
    for path in summary.outputs:
        click.echo(f"wrote:   {path}")
    warn_dropped(summary)


@click.command()
@click.option(
    "--studies",
    "n_studies",
    type=click.IntRange(min=1),
    required=True,
    help="How many studies to write.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the study folders into (synth0001, synth0002, ...).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same seed writes the same files."
)
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def synth(n_studies: int, out: Path, seed: int, force: bool) -> None:
    """Write synthetic studies in trustkg's tables, to test trustkg at scale.

    The studies are made up (titles and rationales say so) but shaped like the seed study:
    three care networks, organisations of every sector, participants, quotations, themes,
    factors, strategies and curated links. Each builds to about 4,000 triples, so 250 studies
    make about a million.

    \b
    Example:
      trustkg synth --studies 250 --out synth/ --seed 1
      trustkg build --no-bundled $(printf -- '--study %s ' synth/synth*)
    """
    import shlex

    from ..sources.synth import synthesize

    if out.is_dir() and any(out.iterdir()) and not force:
        raise click.UsageError(f"{out} is not empty: choose another --out, or add --force")
    paths = synthesize(n_studies, out, seed)
    noun = "study" if len(paths) == 1 else "studies"
    click.echo(f"wrote {len(paths)} synthetic {noun} ({paths[0].name}-{paths[-1].name}) to {out}")
    click.echo("build them with:")
    click.echo(
        f"  trustkg build --no-bundled $(printf -- '--study %s ' {shlex.quote(str(out))}/synth*)"
    )
