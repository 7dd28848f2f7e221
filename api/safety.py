"""Look at a SPARQL request before anything runs it.

What the endpoint must decide up front (the form of a query, whether it names a dataset, whether
it asks the engine to reach another address with SERVICE or LOAD) is read from the request as a
SPARQL parser reads it (rdflib's), never from a pattern over the text: the engine runs what the
grammar says, so comments, escapes, case and spacing cannot make the guard and the engine disagree.

The parser recurses once per nesting level, so the nesting depth is measured first by a lexical
scan (strings, IRIs and comments skipped as whole tokens) and deep texts are refused before the
parser, or the engine, sees them.
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException, ParseResults
from rdflib import BNode
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.parserutils import CompValue

from dutygraph.errors import DutygraphError

# SPARQL allows \uXXXX / \UXXXXXXXX escapes anywhere in the text (unescaped before parsing), so a
# bracket may arrive spelt with them; measure the text the parser will see.
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# (kind, pattern) in matching order; "other" holds the brackets, "word" the keywords.
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
QUERY_FORMS = {"SelectQuery": "solutions", "AskQuery": "boolean", "ConstructQuery": "graph",
               "DescribeQuery": "graph"}
# Parse-tree nodes that reach another address: SERVICE in a pattern (query or update), LOAD.
OUTBOUND_NODES = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
# Parse-tree nodes whose value differs from one run to the next over the same data.
FRESH_EACH_RUN = {"Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE"}
# Deeper than this is refused before parsing. Measured: rdflib's parser, under Python's default
# recursion limit and from the guard's own thread, handles at least 19 levels of its most
# expensive construct (nested !(…) in a FILTER); real queries stay well under 10.
MAX_NESTING = 16
OPENING, CLOSING = set("({["), set(")}]")
# Verdicts on admitted query texts, oldest first (refusals are not kept: they raise every time).
VERDICTS: dict[str, QueryShape] = {}
MAX_VERDICTS, MAX_VERDICT_TEXT = 256, 64 << 10  # at most 16 MB of kept texts
VERDICTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryShape:
    kind: str  # "solutions" | "boolean" | "graph" | "update"
    has_dataset_clause: bool  # FROM / FROM NAMED in a query, USING / WITH in an update
    repeatable: bool  # the same data always gets the same answer (so it may be kept)


def unescape_codepoints(text: str) -> str:
    return CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokenize(text: str) -> list[Token]:
    """Significant tokens (no spaces, no comments) of a SPARQL text."""
    return [
        Token(m.lastgroup, m.group(), m.start())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def nesting_depth(text: str) -> int:
    """The deepest nesting of (), {} and [] outside strings, IRIs and comments."""
    depth = deepest = 0
    for match in TOKEN.finditer(unescape_codepoints(text)):
        if match.lastgroup != "other":
            continue
        if match.group() in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif match.group() in CLOSING:
            depth -= 1
    return deepest


def refuse_deep(text: str) -> None:
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise DutygraphError("DG-A016", "sparql", f"nesting depth {depth}; at most {MAX_NESTING}")


# One thread of its own: the parser's recursion starts from the same shallow stack whoever calls.
PARSER_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparql-parse")


@lru_cache(maxsize=256)
def parse(text: str, update: bool) -> ParseResults | CompValue:
    """The parse tree of a query (`update` False) or an update; DG-A001 / DG-A016 when it has none."""
    refuse_deep(text)
    parse_text = sparql_parser.parseUpdate if update else sparql_parser.parseQuery
    try:
        return PARSER_THREAD.submit(parse_text, text).result()
    except ParseBaseException as error:
        raise DutygraphError("DG-A001", "sparql", f"line {error.lineno}, column {error.col}: {error.msg}") from None
    except RecursionError:
        raise DutygraphError("DG-A016", "sparql", "nested too deeply for the parser") from None


def items(tree) -> list:
    """Every CompValue and every term in a parse tree, depth first (iteratively: trees can be deep)."""
    found, pending = [], [tree]
    while pending:
        item = pending.pop()
        if isinstance(item, CompValue):
            found.append(item)
            # dict's own accessors: CompValue's resolve values against a context (and answer a
            # missing key with the key itself).
            pending.extend(dict.values(item))
        elif isinstance(item, ParseResults | list | tuple):
            pending.extend(item)
        else:
            found.append(item)
    return found


def nodes(tree) -> list[CompValue]:
    """Every CompValue in a parse tree."""
    return [item for item in items(tree) if isinstance(item, CompValue)]


def repeatable(tree, query: CompValue) -> bool:
    """Whether two runs over the same data answer alike: no RAND, NOW, UUID, STRUUID or BNODE, and
    no blank node in a CONSTRUCT template (each run makes new ones)."""
    if any(node.name in FRESH_EACH_RUN for node in nodes(tree)):
        return False
    return not any(isinstance(term, BNode) for term in items(dict.get(query, "template") or []))


def refuse_outbound(tree) -> None:
    """Raise DG-A005 when the parse tree holds SERVICE or LOAD."""
    found = {OUTBOUND_NODES[node.name] for node in nodes(tree) if node.name in OUTBOUND_NODES}
    if found:
        raise DutygraphError("DG-A005", "sparql", ", ".join(sorted(found)))


def known_verdict(text: str) -> QueryShape | None:
    """The shape `inspect_query` already gave this exact text, if it did: a cached verdict costs no
    thread hop, and the same text always gets the same verdict (it comes from the parse)."""
    return VERDICTS.get(text)


def inspect_query(text: str) -> QueryShape:
    """The form of a query (or "update" when the text is an update), after refusing anything that
    would reach out."""
    shape = known_verdict(text)
    if shape is None:
        shape = parsed_verdict(text)
        if len(text) > MAX_VERDICT_TEXT:
            return shape
        with VERDICTS_LOCK:
            VERDICTS[text] = shape
            while len(VERDICTS) > MAX_VERDICTS:
                del VERDICTS[next(iter(VERDICTS))]
    return shape


def parsed_verdict(text: str) -> QueryShape:
    try:
        tree = parse(text, False)
    except DutygraphError as error:
        if error.code != "DG-A001":
            raise
        try:
            return inspect_update(text)
        except DutygraphError as update_error:
            if update_error.code != "DG-A001":
                raise
        raise error from None
    refuse_outbound(tree)
    query = next(node for node in nodes(tree) if node.name in QUERY_FORMS)
    return QueryShape(QUERY_FORMS[query.name], bool(dict.get(query, "datasetClause")), repeatable(tree, query))


def inspect_update(text: str) -> QueryShape:
    tree = parse(text, True)
    refuse_outbound(tree)
    dataset = any(dict.get(node, "withClause") is not None or dict.get(node, "using") for node in nodes(tree)
                  if node.name == "Modify")
    return QueryShape("update", dataset, False)


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
