# breaks: a coded segment that names no document source
# rule: tks:Segment-source
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/segment/G0001
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/segment/G0001> a tk:CodedSegment ; rdfs:label "Segment fixture2 G0001"@en ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> ; dcterms:identifier "G0001" . }
