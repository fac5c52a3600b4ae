# breaks: a participant in no network
# rule: tks:Participant-network
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/participant/N1-P01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/participant/N1-P01> tk:inNetwork ?n } ;
DELETE WHERE { ?a a tk:StatedFact ; tk:linkSubject <https://w3id.org/trustkg/data/fixture2/participant/N1-P01> ; tk:linkPredicate tk:inNetwork ; ?p ?o }
