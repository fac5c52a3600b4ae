# breaks: a stated fact without its paper
# rule: tks:Stated-in
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus a tk:StatedFact ; tk:linkSubject <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> ; tk:linkPredicate tk:subthemeOf }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { ?a tk:statedIn ?p } WHERE { ?a a tk:StatedFact ; tk:linkSubject <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> ; tk:linkPredicate tk:subthemeOf ; tk:statedIn ?p }
