# breaks: no property
# rule: tks:Assertion-predicate
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus a tk:CuratedLink ; tk:hasAttributionMatch ?m }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
DELETE { ?a rdf:predicate ?p } WHERE { ?a a tk:CuratedLink ; rdf:subject <https://w3id.org/trustkg/data/fixture2/quotation/Q01> ; rdf:predicate tk:saidBy ; rdf:predicate ?p }
