# breaks: a sector as identifier scheme
# rule: tks:Identifier-scheme
# severity: Violation
# focus: http://example.org/fixture/id1
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX adms: <http://www.w3.org/ns/adms#>
INSERT DATA { <http://example.org/fixture/id1> a adms:Identifier ; skos:notation "RHW" ; skos:inScheme tk:HealthSector . <https://w3id.org/trustkg/data/fixture2/organisation/N1-O01> adms:identifier <http://example.org/fixture/id1> }
