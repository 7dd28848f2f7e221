"""Tables laid out as in seed 004 (and as formats.table_lines writes Word tables): a caption 表N,
then one cell per tab-indented line, rows separated by an empty line; a cell wrapped onto an
unindented line continues the cell above; an empty first cell repeats the category above."""
from __future__ import annotations

from dutygraph.model import Problem, Span, Table


def read_table(text: str, lines: list[tuple[int, int]], caption_index: int, source: str):
    """The table whose caption is lines[caption_index], the indices of its lines, and warnings."""
    rows: list[list[str]] = []
    row: list[str] = []
    index = caption_index + 1
    last_line = caption_index
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        following = text[slice(*lines[index + 1])] if index + 1 < len(lines) else ""
        if line.startswith("\t"):
            row.append(line[1:].strip())
        elif not line:
            if row:
                rows.append(row)
                row = []
            elif rows:
                break  # two empty lines: the table is over
        elif row and following.startswith("\t"):
            row[-1] += line.strip()  # a wrapped cell
        else:
            break
        last_line = index
        index += 1
    if row:
        rows.append(row)
    if not rows:
        return None, range(0), ()
    header, body = tuple(rows[0]), carry_categories(rows[1:])
    problems = tuple(Problem("DG-S102", source, f"{len(cells)} cells, header has {len(header)}", f"line {i + 1}")
                     for i, cells in enumerate(body) if len(cells) != len(header))
    caption_start, caption_end = lines[caption_index]
    table = Table(caption=text[caption_start:caption_end].strip(), header=header, rows=tuple(map(tuple, body)),
                  span=Span(caption_start, lines[last_line][1]))
    return table, range(caption_index, last_line + 1), problems


def carry_categories(rows: list[list[str]]) -> list[list[str]]:
    carried, category = [], ""
    for cells in rows:
        category = cells[0] or category if cells else category
        carried.append([category, *cells[1:]] if cells else cells)
    return carried
