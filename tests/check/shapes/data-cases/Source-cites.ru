# breaks: citing a network
# rule: tks:Source-cites
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/publication/fixturepaper2020
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cito: <http://purl.org/spar/cito/>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/publication/fixturepaper2020> cito:cites <https://w3id.org/trustkg/data/fixture2/network/N1> }
