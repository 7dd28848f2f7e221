"""RDF, stores, validation, projections and exports."""
