# breaks: working for an organisation of another network
# rule: tks:Participant-organisationInNetwork
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/participant/N1-P01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA { <http://example.org/fixture/net2> a tk:CareNetwork ; rdfs:label "Fixture network 2"@en ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> ; dcterms:identifier "N9" . } ;
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> org:memberOf ?n } ;
DELETE WHERE { ?a a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> ; rdf:predicate org:memberOf ; ?p ?o } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> org:memberOf <http://example.org/fixture/net2> }
