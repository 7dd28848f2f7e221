"""SPARQL text in, readable results out (table, JSON, CSV) for the `query` command."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import PREFIXES

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV}
# Oxigraph's parse errors: "error at LINE:COLUMN: expected …" (columns count characters).
# the engine's "error at 3:22: …" and the request guard's parser's "line 3, column 22: …"
ENGINE_POSITION = re.compile(r"(?:error at (\d+):(\d+)|line (\d+), column (\d+)): (.*)", re.S)
SHOWN_CHOICES = 3
MIN_COLUMN = 6


@dataclass(frozen=True)
class SyntaxPosition:
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def read_query(argument: str) -> str:
    """`@file.rq` reads the file; anything else is the query itself."""
    if not argument.startswith("@"):
        return argument
    try:
        return Path(argument[1:]).read_text(encoding="utf-8")
    except OSError as error:
        raise DutygraphError("DG-G002", argument[1:], str(error)) from error


def with_prefixes(sparql: str) -> str:
    """The project prefixes (dg:, eli:, skos:…) are always available; a query's own win.

    They go in front of the query's first line, not on lines of their own, so an error's line
    number is the line in the user's text (see `syntax_position`).
    """
    return hidden_prologue(sparql) + sparql


def hidden_prologue(sparql: str) -> str:
    declared = sparql.upper()
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items()
                   if f"PREFIX {name.upper()}:" not in declared)


def syntax_position(detail: str, hidden_columns: int = 0) -> SyntaxPosition | None:
    """Line, column and a short message from the engine's parse error, in the user's own text.

    `hidden_columns` is what was put in front of the user's first line (with_prefixes).
    """
    found = ENGINE_POSITION.search(detail)
    if found is None:
        return None
    line, column = (int(found.group(1) or found.group(3)), int(found.group(2) or found.group(4)))
    if line == 1:
        column = max(1, column - hidden_columns)
    return SyntaxPosition(line, column, short_message(found.group(5)))


def short_message(text: str) -> str:
    """`expected one of ABS, AVG, DAY, … (18 names)` → `expected ABS, AVG, DAY or 15 more`."""
    text = text.strip()
    if not text.startswith("expected one of "):
        return text
    choices = [choice for choice in text.removeprefix("expected one of ").split(", ") if choice != "[_]"]
    more = len(choices) - SHOWN_CHOICES
    return "expected " + ", ".join(choices[:SHOWN_CHOICES]) + (f" or {more} more" if more > 0 else "")


def pointer(sparql: str, position: SyntaxPosition) -> str:
    """The user's line with a caret under the column, for a terminal."""
    lines = sparql.splitlines() or [""]
    number = min(position.line, len(lines))
    text = lines[number - 1]
    # The engine reports the end of the text as a line after a final newline.
    column = position.column if number == position.line else len(text) + 1
    gutter = f"{number} | "
    return f"{gutter}{text}\n{' ' * (len(gutter) - 2)}| {' ' * display_width(text[:column - 1])}^"


def format_results(results, fmt: str, width: int | None = None, *, compact: bool = False) -> bytes:
    """JSON and CSV are the W3C result formats (full IRIs, for programs); the table is for people
    (compact names, one line per row, at most `width` columns). `compact` CSV names IRIs as the table
    does (dg:Duty), for a spreadsheet that shows what the table showed."""
    if isinstance(results, ox.QueryTriples):
        return results.serialize(format=ox.RdfFormat.N_TRIPLES)
    if fmt == "csv" and compact and isinstance(results, ox.QuerySolutions):
        return compact_csv(results)
    if fmt in RESULT_FORMATS:
        return results.serialize(format=RESULT_FORMATS[fmt])
    if isinstance(results, ox.QueryBoolean):
        return (b"true" if bool(results) else b"false") + b"\n"
    return render_table(results, width).encode("utf-8")


def render_table(solutions: ox.QuerySolutions, width: int | None = None) -> str:
    names = [variable.value for variable in solutions.variables]
    rows = [[plain(solution[name]) for name in names] for solution in solutions]
    widths = [max([display_width(name), *(display_width(row[i]) for row in rows)]) for i, name in enumerate(names)]
    if width is not None:
        widths = fitted(widths, width)
    lines = [pad_row(names, widths), "  ".join("-" * width for width in widths)]
    lines.extend(pad_row(row, widths) for row in rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def fitted(widths: list[int], total: int) -> list[int]:
    """Column widths that fit `total` columns with two spaces between them: the widest shrink first,
    none below MIN_COLUMN (a terminal too narrow for that still gets readable stubs)."""
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > total:
        widest = max(range(len(widths)), key=lambda index: widths[index])
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
    return widths


def compact_csv(solutions: ox.QuerySolutions) -> bytes:
    """The W3C CSV results (a header of variable names, CRLF rows, values whole), IRIs as compact_name writes them."""
    names = [variable.value for variable in solutions.variables]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([compact_name(solution[name]) for name in names] for solution in solutions)
    return out.getvalue().encode("utf-8")


def compact_name(term) -> str:
    """An IRI under a project prefix shortened (dg:Duty); other terms as the CSV results write them."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, iri in PREFIXES.items():
            if term.value.startswith(iri) and len(term.value) > len(iri):
                return f"{name}:{term.value[len(iri):]}"
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def plain(term) -> str:
    """Table cells for people: compact names, line breaks become spaces so one row stays one line."""
    return " ".join(compact_name(term).split())


def display_width(text: str) -> int:
    """CJK characters take two columns in a terminal."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def pad_row(cells: list[str], widths: list[int]) -> str:
    cells = [clipped(cell, width) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True)).rstrip()


def clipped(cell: str, width: int) -> str:
    """The cell cut to `width` display columns, ending in … when cut."""
    if display_width(cell) <= width:
        return cell
    kept, used = [], 0
    for char in cell:
        if used + display_width(char) > width - 1:
            break
        kept.append(char)
        used += display_width(char)
    return "".join(kept) + "…"
