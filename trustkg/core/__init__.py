"""Used by every other package: errors, input limits, resources, fault points, atomic writes,
IRIs and namespaces, and the version. Imports nothing else of trustkg."""
