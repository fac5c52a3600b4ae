# breaks: a subtheme under a theme of another coding scheme
# rule: tks:Subtheme-sameScheme
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT DATA { <http://example.org/fixture/scheme2> a tk:CodingScheme . <http://example.org/fixture/t2> a tk:Theme ; rdfs:label "Other theme"@en ; skos:prefLabel "Other theme"@en ; skos:inScheme <http://example.org/fixture/scheme2> ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> ; dcterms:identifier "T9" } ;
DELETE WHERE { <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> tk:subthemeOf ?t } ;
DELETE WHERE { ?a a tk:StatedFact ; rdf:subject <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> ; rdf:predicate tk:subthemeOf ; ?p ?o } ;
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> tk:subthemeOf <http://example.org/fixture/t2> }
