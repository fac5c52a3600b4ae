# breaks: a mapping confidence over 1
# rule: tks:Mapping-confidence
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus tk:confidence ?c }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT { ?a tk:mappingJustification "semapv:ManualMappingCuration" ; tk:confidence 1.5 } WHERE { SELECT ?a WHERE { ?a a tk:CuratedLink ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> } ORDER BY ?a LIMIT 1 }
