"""The web app: SPARQL endpoint, REST, exports and pages."""
