"""Check: SHACL validation (the fast engine on the store, or pySHACL) and OWL reasoning."""
