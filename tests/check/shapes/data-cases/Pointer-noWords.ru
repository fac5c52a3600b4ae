# breaks: a new pointer (no words)
# rule: tks:Pointer-noWords
# severity: Warning
# focus: https://w3id.org/trustkg/data/fixture2/pointer/A02
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/pointer/A02> a tk:QuotationPointer ; rdfs:label "Appendix quotation 2"@en ; tk:inStudy <https://w3id.org/trustkg/data/fixture2/study> ; dcterms:identifier "A02" ; tk:inSection <https://w3id.org/trustkg/data/fixture2/section/findings> ; tk:appendixNumber 2 ; tk:claim "A sentence." }
