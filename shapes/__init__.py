"""SHACL shapes that every graph dutygraph builds must satisfy (Turtle, package data)."""
from pathlib import Path

SHAPES_DIR = Path(__file__).parent
