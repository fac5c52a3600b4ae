# breaks: a mapping justification that is not a SEMAPV term
# rule: tks:Mapping-justification
# severity: Violation
# focus-select: SELECT ?focus WHERE { ?focus sssom:mapping_justification ?j }
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX sssom: <https://w3id.org/sssom/>
INSERT { ?a sssom:mapping_justification <http://example.org/done-by-hand> } WHERE { SELECT ?a WHERE { ?a a tk:CuratedLink ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> } ORDER BY ?a LIMIT 1 }
