# breaks: an organisation in no network
# rule: tks:Organisation-network
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/organisation/N1-O01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX org: <http://www.w3.org/ns/org#>
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> org:memberOf ?n } ;
DELETE WHERE { ?a a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> ; rdf:predicate org:memberOf ; ?p ?o } ;
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/participant/N1-P01> tk:worksFor ?o } ;
DELETE WHERE { ?a a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/participant/N1-P01> ; rdf:predicate tk:worksFor ; ?p ?o } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/participant/N1-P01> tk:worksFor <https://w3id.org/trustkg/data/fixture2/organisation/N1-O02> }
