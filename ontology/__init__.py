"""The dutygraph ontology and actor scheme (Turtle files shipped as package data)."""
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).parent
