"""Sources: read what researchers and other tools give trustkg (study tables, REFI-QDA projects,
SSSOM mapping sets, register extracts) and write synthetic studies. Checked rows out; no RDF,
no store."""
