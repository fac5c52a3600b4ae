# breaks: a concept without the commentary's words
# rule: tks:Concept-keyPhrase
# severity: Violation
# focus: https://w3id.org/trustkg/data/williams2013/concept/C01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE WHERE { <https://w3id.org/trustkg/data/williams2013/concept/C01> tk:keyPhrase ?k }
