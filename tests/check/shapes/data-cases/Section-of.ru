# breaks: a section of two publications
# rule: tks:Section-of
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/section/findings
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/section/findings> dcterms:isPartOf <https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019> }
