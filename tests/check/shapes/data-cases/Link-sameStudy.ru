# breaks: a subtheme nested under a concept of another study
# rule: tks:Link-sameStudy
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/subtheme/T1-S1> skos:broader <https://w3id.org/trustkg/data/williams2013/concept/C01> }
