# breaks: a web address without scheme
# rule: tks:Source-url
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX fabio: <http://purl.org/spar/fabio/>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/publication/fixtureref2019> fabio:hasURL "www.example.org/no scheme"^^xsd:anyURI }
