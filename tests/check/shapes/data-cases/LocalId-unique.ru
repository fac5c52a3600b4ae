# breaks: two participants with one identifier
# rule: tks:LocalId-unique
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/participant/N1-P02
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/participant/N1-P02> dcterms:identifier ?i } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/participant/N1-P02> dcterms:identifier "N1-P01" }
