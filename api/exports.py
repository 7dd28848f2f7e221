"""Downloads of the graph for Gephi, Cytoscape, yEd and RDF tools."""

import fastapi

router = fastapi.APIRouter()
