"""Look at a SPARQL request's text before anything runs it.

A lexical pass is enough for what the endpoint must decide up front: the query form (to negotiate
the result format), whether a dataset clause is present, and whether the text asks the engine to
reach another address (SERVICE, LOAD) — stock engines would follow those to any host. Strings,
IRIs and comments are skipped as whole tokens, so a keyword hidden in a literal is not mistaken for
one, and a real keyword cannot hide inside one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dutygraph.errors import DutygraphError

# SPARQL allows \uXXXX / \UXXXXXXXX escapes anywhere in the text (unescaped before parsing), so a
# keyword may arrive spelt with them; inspect the text the parser will see.
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# (kind, pattern) in matching order; "word" is the only kind that can be a keyword.
TOKEN_KINDS = (
    ("comment", r"\#[^\n\r]*"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""'
               r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
               r'|"(?:[^"\\\n\r]|\\.)*"'
               r"|'(?:[^'\\\n\r]|\\.)*'"),
    ("iri", r'<[^<>"{}|^`\\\x00-\x20]*>'),
    ("variable", r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+"),
    ("blank", r"_:[\w.\-]*"),
    ("pname", r"(?:[^\W\d_][\w.\-]*)?:(?:[\w.:%\-]|\\.)*"),
    ("word", r"[^\W\d_]\w*"),
    ("space", r"\s+"),
    ("other", r"."),
)
TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in TOKEN_KINDS), re.DOTALL)
# The same tokens with only words captured: findall (one pass in C) yields "" for all the others.
WORDS = re.compile(
    "|".join(f"({pattern})" if kind == "word" else f"(?:{pattern})" for kind, pattern in TOKEN_KINDS), re.DOTALL
)

QUERY_FORMS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
OUTBOUND_KEYWORDS = {"SERVICE", "LOAD"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryShape:
    kind: str  # "solutions" | "boolean" | "graph" | "update"
    has_dataset_clause: bool  # FROM / FROM NAMED in a query, USING / WITH in an update


def unescape_codepoints(text: str) -> str:
    return CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokenize(text: str) -> list[Token]:
    """Significant tokens (no spaces, no comments) of a SPARQL text."""
    return [
        Token(m.lastgroup, m.group(), m.start())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, in order (one C-level pass of the tokenizer)."""
    return [word.upper() for word in WORDS.findall(unescape_codepoints(text)) if word]


def refuse_outbound(text: str, words: list[str] | None = None) -> None:
    """Raise DG-A005 when the text contains SERVICE or LOAD as a keyword."""
    found = OUTBOUND_KEYWORDS.intersection(keywords(text) if words is None else words)
    if found:
        raise DutygraphError("DG-A005", "sparql", ", ".join(sorted(found)))


def inspect_query(text: str) -> QueryShape:
    """The form of a query (or "update"), after refusing anything that would reach out."""
    words = keywords(text)
    refuse_outbound(text, words)
    for word in words:
        if word in QUERY_FORMS:
            return QueryShape(QUERY_FORMS[word], "FROM" in words)
        if word in UPDATE_KEYWORDS:
            return QueryShape("update", "USING" in words or "WITH" in words)
    raise DutygraphError("DG-A001", "sparql", "no SELECT, ASK, CONSTRUCT or DESCRIBE")


def inspect_update(text: str) -> QueryShape:
    words = keywords(text)
    refuse_outbound(text, words)
    return QueryShape("update", "USING" in words or "WITH" in words)


def add_using_clauses(update: str, using: list[str], using_named: list[str]) -> str:
    """Apply the protocol's using-graph-uri / using-named-graph-uri to every DELETE/INSERT … WHERE.

    Only a Modify operation has a WHERE at brace depth 0 (DELETE WHERE takes no USING), so the
    clauses go right before each such WHERE.
    """
    clauses = "".join(f" USING <{iri}>" for iri in using) + "".join(f" USING NAMED <{iri}>" for iri in using_named)
    tokens = tokenize(update)
    depth, cuts, previous = 0, [], None
    for token in tokens:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            if not (previous and previous.kind == "word" and previous.text.upper() == "DELETE"):
                cuts.append(token.start)
        previous = token
    for cut in reversed(cuts):
        update = update[:cut] + clauses + " " + update[cut:]
    return update


IRI_SAFE = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def require_iri(value: str) -> str:
    """An IRI that can be written as <value> in SPARQL without breaking out of the brackets."""
    if not IRI_SAFE.fullmatch(value):
        raise DutygraphError("DG-A002", "sparql", f"not an IRI: {value!r}")
    return value
