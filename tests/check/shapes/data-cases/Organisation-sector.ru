# breaks: two sectors
# rule: tks:Organisation-sector
# severity: Violation
# focus: https://w3id.org/trustkg/data/fixture2/organisation/N1-O01
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> tk:inSector tk:HealthSector }
