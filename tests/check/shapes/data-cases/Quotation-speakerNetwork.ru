# breaks: a speaker of N1 quoted as N9
# rule: tks:Quotation-speakerNetwork
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/quotation/Q01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT DATA { <http://example.org/fixture/net2> a tk:CareNetwork ; rdfs:label "Fixture network 2"@en ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> ; dcterms:identifier "N9" . } ;
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/quotation/Q01> tk:attributedNetwork ?n } ;
DELETE WHERE { ?a a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/quotation/Q01> ; rdf:predicate tk:attributedNetwork ; ?p ?o } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/quotation/Q01> tk:attributedNetwork <http://example.org/fixture/net2> }
