"""RDF terms as plain Python values (an IRI is its str), and N-Triples written straight from them.

Ingest builds each document's statements in this form: the SHACL checker (graph/shacl.py) indexes
them as they are, and N-Triples are written from them as text. Making a pyoxigraph object of every
term, serialising it, and parsing it back for the checker cost more than extracting the document.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import pyoxigraph as ox

from dutygraph.graph.ids import RDF, XSD

STRING = XSD + "string"
LANG_STRING = RDF + "langString"
# What N-Quads' STRING_LITERAL_QUOTE cannot hold as it is, escaped as pyoxigraph's serialiser does.
ESCAPES = {**{code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
           **{ord("\b"): "\\b", ord("\t"): "\\t", ord("\n"): "\\n", ord("\f"): "\\f", ord("\r"): "\\r",
              ord('"'): '\\"', ord("\\"): "\\\\"}}
NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


class Blank(NamedTuple):
    id: str


class Lit(NamedTuple):
    value: str
    datatype: str
    language: str  # lower case, as RDF engines hand language tags back


Term = str | Blank | Lit


class Part(list):
    """Statements of one part of a document's graph (graph/rdf.py graph_parts), and `settled`: the
    nodes of this part or an earlier one that no later part names, which a reader of the parts in
    order (the SHACL checker) may forget once it has read this part."""

    __slots__ = ("settled",)

    def __init__(self, statements: Iterable[tuple] = (), settled: Iterable[str] = ()):
        super().__init__(statements)
        self.settled = tuple(settled)


def literal(value: str, language: str | None = None, datatype: str = STRING) -> Lit:
    return Lit(value, LANG_STRING, language.lower()) if language else Lit(value, datatype, "")


def plain(term, named=ox.NamedNode, literal=ox.Literal) -> Term:
    """A pyoxigraph term as a plain value: hashing and comparing pyoxigraph terms crosses into Rust
    on every dict lookup."""
    kind = type(term)
    if kind is named:
        return term.value
    if kind is literal:
        return Lit(term.value, term.datatype.value, term.language or "")
    return Blank(term.value)


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, str):
        return ox.NamedNode(term)
    if isinstance(term, Lit):
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.BlankNode(term.id)


def ntriples(statements: Iterable[tuple[str, str, Term]]) -> bytes:
    """(subject IRI, predicate IRI, object) as N-Triples. IRIs are written as given: the builder
    only makes them from checked parts (graph/rdf.py)."""
    tail = " .\n"
    lines = []
    for subject, predicate, value in statements:
        if isinstance(value, str):
            lines.append(f"<{subject}> <{predicate}> <{value}>{tail}")
        elif isinstance(value, Lit):
            lexical = value.value
            # isprintable() is a fast first look (few texts hold a non-printing character at all)
            if not lexical.isprintable() and NEEDS_ESCAPE.search(lexical) or '"' in lexical or "\\" in lexical:
                lexical = lexical.translate(ESCAPES)
            if value.language:
                lines.append(f'<{subject}> <{predicate}> "{lexical}"@{value.language}{tail}')
            elif value.datatype == STRING:
                lines.append(f'<{subject}> <{predicate}> "{lexical}"{tail}')
            else:
                lines.append(f'<{subject}> <{predicate}> "{lexical}"^^<{value.datatype}>{tail}')
        else:
            lines.append(f"<{subject}> <{predicate}> _:{value.id}{tail}")
    return "".join(lines).encode("utf-8")
