"""Stable identifiers (CONTRIBUTING.md § Identifiers): the same input always yields the same IRIs."""
from __future__ import annotations

import hashlib
from pathlib import PurePath
from urllib.parse import quote

NS = "https://w3id.org/dutygraph/ns#"
ID = "https://w3id.org/dutygraph/id/"
ONTOLOGY_GRAPH = ID + "graph/ontology"
ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {"dg": NS, "eli": ELI, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "rdf": RDF,
            "rdfs": RDFS, "xsd": XSD}


def iri_safe(text: str) -> str:
    """ASCII unreserved characters kept, everything else percent-encoded (UTF-8)."""
    return quote(text, safe="-._~")


def short_hash(text: str, digits: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:digits]


def stem_of(source_file: str) -> str:
    return iri_safe(PurePath(source_file).stem)


def instrument_iri(stem: str) -> str:
    """Also the IRI of the instrument's named graph."""
    return f"{ID}doc/{stem}"


def disambiguated_stem(source_file: str, folder: str) -> str:
    """For two different files with one base name: the folder's name decides, so reruns agree."""
    return f"{stem_of(source_file)}-{short_hash(PurePath(folder).name, 8)}"


def provision_iri(instrument: str, path: str) -> str:
    return f"{instrument}/{path}" if path else instrument


def obligation_iri(authority: str, n: int) -> str:
    return f"{authority}/ob/{n}"


def extraction_iri(instrument: str) -> str:
    return f"{instrument}/extraction"


def concept_iri(kind: str, label: str) -> str:
    """Minted concepts for ELI slots that want resources: type/条例, jurisdiction/四川省, agent/…"""
    return f"{ID}{kind}/{iri_safe(label)}"
