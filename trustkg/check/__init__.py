"""Check: SHACL validation (the fast engine on the store, or pySHACL) and OWL reasoning (the
ontology's axioms as rules on the store, or HermiT)."""
