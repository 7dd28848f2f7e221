"""SPARQL text in, readable results out (table, JSON, CSV) for the `query` command."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import PREFIXES

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV}


def read_query(argument: str) -> str:
    """`@file.rq` reads the file; anything else is the query itself."""
    if not argument.startswith("@"):
        return argument
    try:
        return Path(argument[1:]).read_text(encoding="utf-8")
    except OSError as error:
        raise DutygraphError("DG-G002", argument[1:], str(error)) from error


def with_prefixes(sparql: str) -> str:
    """The project prefixes (dg:, eli:, skos:…) are always available; a query's own win."""
    declared = sparql.upper()
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()
               if f"PREFIX {name.upper()}:" not in declared]
    return "\n".join([*missing, sparql])


def format_results(results, fmt: str) -> bytes:
    if isinstance(results, ox.QueryTriples):
        return results.serialize(format=ox.RdfFormat.N_TRIPLES)
    if fmt in RESULT_FORMATS:
        return results.serialize(format=RESULT_FORMATS[fmt])
    if isinstance(results, ox.QueryBoolean):
        return (b"true" if bool(results) else b"false") + b"\n"
    return render_table(results).encode("utf-8")


def render_table(solutions: ox.QuerySolutions) -> str:
    names = [variable.value for variable in solutions.variables]
    rows = [[plain(solution[name]) for name in names] for solution in solutions]
    widths = [max([display_width(name), *(display_width(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [pad_row(names, widths), "  ".join("-" * width for width in widths)]
    lines.extend(pad_row(row, widths) for row in rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def plain(term) -> str:
    """Table cells for people: IRIs under a project prefix are shortened (dg:Duty)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, iri in PREFIXES.items():
            if term.value.startswith(iri) and len(term.value) > len(iri):
                return f"{name}:{term.value[len(iri):]}"
    return term.value


def display_width(text: str) -> int:
    """CJK characters take two columns in a terminal."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def pad_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True)).rstrip()
