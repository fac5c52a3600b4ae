# breaks: a year out of range
# rule: tks:Source-year
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019> dcterms:issued ?y } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019> dcterms:issued "1019"^^xsd:gYear }
