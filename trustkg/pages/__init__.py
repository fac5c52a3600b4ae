"""Pages: HTML documentation of the ontology and catalogue, and the evidence report with its
figures."""
