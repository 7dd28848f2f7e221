"""dutygraph: Chinese quality-governance regulations → a knowledge graph of obligations."""

__version__ = "0.1.0"
