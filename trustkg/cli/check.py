"""Commands that check the graph: SHACL validation and OWL reasoning."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import format_option, store_option


@click.command()
@click.option(
    "--engine",
    type=click.Choice(["rules", "hermit"]),
    default="rules",
    show_default=True,
    help="rules: the ontology's axioms as SPARQL rules over the whole store, no Java; "
    "hermit: the HermiT OWL reasoner, exact but for study-sized graphs.",
)
@click.option("--study", help="With --engine hermit: reason over this study's part only.")
@click.option(
    "--write",
    is_flag=True,
    help="Keep the inferred memberships in the store (graph tkd:inferred/graph, and the "
    "default graph, so queries see them); a later run replaces them.",
)
@click.option("--drop", is_flag=True, help="Remove what --write kept, and stop.")
@click.option(
    "--no-ontology-check",
    "skip_tbox",
    is_flag=True,
    help="Skip HermiT's check of the ontology alone (a few seconds) beside the rules.",
)
@click.option(
    "--timeout", default=300, show_default=True, help="Seconds to give HermiT (each run)."
)
@click.option(
    "--ontology-only", is_flag=True, help="Reason over the ontology alone (HermiT), not the store."
)
@click.option("--verbose", "-v", is_flag=True, help="List the members of each defined class.")
@format_option("text", "json", default="text")
@store_option
def reason(
    engine, study, write, drop, skip_tbox, timeout: int, ontology_only, verbose, fmt: str, store
) -> None:
    """Check consistency and count the members of the ontology's defined classes.

    By default the ontology's axioms run as rules inside the store (no Java; a million triples
    in seconds), and HermiT checks the ontology itself. --engine hermit runs HermiT over the
    store, or one study of it (--study). A missing store is an error (--ontology-only reasons
    over the ontology alone). The text ends with the verdict; --verbose lists each class's
    members. Exits 1 when the graph is inconsistent.

    \b
    Examples:
      trustkg reason
      trustkg reason --verbose --write --format json
      trustkg reason --engine hermit --study li2018
    """
    from ..check.reason import drop_inferred
    from ..check.reason import reason as do_reason
    from ..check.result import render_text

    if drop:
        n = drop_inferred(store)
        click.echo(f"removed {n} inferred memberships from the store")
        return
    result = do_reason(
        store=store,
        engine=engine,
        study=study,
        write=write,
        timeout=timeout,
        check_ontology=not skip_tbox,
        with_data=not ontology_only,
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(render_text(result, verbose=verbose))
    if not result.consistent:
        sys.exit(1)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--input-format",
    help="RDF format of FILES when the extension does not tell (turtle, n-triples, n-quads, "
    "trig, json-ld, rdf-xml).",
)
@format_option("text", "json", "turtle", default="text")
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra SHACL shapes file (repeatable); with --replace-shapes, instead of the bundled.",
)
@click.option("--replace-shapes", is_flag=True, help="Use only the --shapes files for the data.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="List every result; by default they are summarised by rule.",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL constraints run on Oxigraph; pyshacl: everything in pySHACL.",
)
@store_option
def validate(files, input_format, fmt, shapes, replace_shapes, verbose, engine, store) -> None:
    """Validate the graph with the SHACL shapes; explain every problem.

    With no FILE, validates the built store; with FILEs (any RDF format), validates them together
    with the ontology. The ontology's own shapes always run too. The text summarises the results
    by rule (--verbose lists each; json and turtle are always complete) and ends with the
    verdict. Exit code: 0 conforms (no violation; warnings and notes allowed), 1 does not
    conform, 2 error.

    \b
    Examples:
      trustkg validate
      trustkg validate my-study.ttl --format json
    """
    from ..check.validate import render_text
    from ..check.validate import validate as do_validate

    report = do_validate(
        files,
        store=store,
        shapes=shapes,
        replace_shapes=replace_shapes,
        input_format=input_format,
        engine=engine,
    )
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        click.echo(report.report_turtle)
    else:
        click.echo(render_text(report, verbose=verbose))
    if not report.conforms:
        sys.exit(1)
