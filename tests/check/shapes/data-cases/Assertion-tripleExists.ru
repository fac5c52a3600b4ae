# breaks: a stated link whose triple is gone
# rule: tks:Assertion-tripleExists
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/publication/fixturepaper2020> ; rdf:predicate cito:cites }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cito: <http://purl.org/spar/cito/>
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/publication/fixturepaper2020> cito:cites ?r }
