# breaks: no object
# rule: tks:Assertion-object
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus a tk:CuratedLink ; tk:linkSubject <https://w3id.org/trustkg/data/fixture2/quotation/Q01> ; tk:linkPredicate tk:saidBy }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { ?a tk:linkObject ?o } WHERE { ?a a tk:CuratedLink ; tk:linkSubject <https://w3id.org/trustkg/data/fixture2/quotation/Q01> ; tk:linkPredicate tk:saidBy ; tk:linkObject ?o }
