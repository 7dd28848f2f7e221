"""Parse a SourceText into a Document: instrument metadata, the provision tree and tables.

Lines are classified on the simplified view (same length as the text, so every offset is valid
in both) by the level patterns of extract/data/layout.json; a stack of open provisions builds
the tree. Article documents nest 编/章/节 (or 一、 groups) → 条 → 款 → 项 → 目; the others nest
编/部分 → 章 → 一、 → （一） → 1. with 专栏 boxes and paragraphs under the innermost heading.
Paths are unique within a document (a repeated number gets ~2, ~3…).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from dutygraph.errors import DutygraphError
from dutygraph.extract.layout import layout
from dutygraph.extract.metadata import read_instrument
from dutygraph.extract.numbers import parse_number
from dutygraph.extract.tables import read_table
from dutygraph.model import Document, Problem, Provision, SourceText, Span

CONTAINERS = ("part", "chapter", "section")
ARTICLE_RANKS = {"part": 0, "chapter": 1, "section": 2, "group": 3, "article": 4, "paragraph": 5, "item": 6, "subitem": 7}
HEADING_RANKS = {"part": 0, "chapter": 1, "heading1": 2, "item": 3, "box": 4, "subitem": 5, "paragraph": 6}
PATH_SEGMENTS = {"part": "part", "chapter": "chap", "section": "sec", "article": "art", "paragraph": "para",
                 "item": "item", "subitem": "sub", "heading1": "sec", "box": "box", "group": "sec"}
HEADING_SEGMENTS = {**PATH_SEGMENTS, "item": "sec", "subitem": "sec"}  # 一、/（一）/1. all address as sec
DOUBLE_SPACED_SHARE = 0.6
GAPS_SHOWN = 5  # gaps in article numbering named in DG-S101, repeated paths in DG-S103
FRONT_LINE_MAX = 1_000  # characters: a header field or a promulgation line is far shorter
HEADING_KINDS = {"heading1": "heading", "item": "heading", "subitem": "heading"}
ARTICLE_KINDS = {"group": "heading"}  # 一、 over a run of articles (judicial interpretations)


@dataclass(slots=True)
class Line:
    start: int  # where the content starts (after indentation and markdown '#')
    end: int  # end of the line without trailing whitespace
    kind: str = "text"  # a key of the layout levels, "group" (一、 over articles), "toc", "text" or "blank"
    number: int | None = None
    suffix: int | None = None
    label_end: int = 0  # where the level marker (第五条, （一）…) ends


@dataclass(slots=True)
class Node:
    kind: str
    path: str
    label: str
    rank: int
    start: int
    end: int
    number: int | None = None
    suffix: int | None = None
    heading: str = ""
    body_start: int = 0
    children: list[Node] = field(default_factory=list)
    paragraphs: int = 0

    def freeze(self) -> Provision:
        return Provision(kind=self.kind, path=self.path, label=self.label, number=self.number, suffix=self.suffix,
                         heading=self.heading, span=Span(self.start, self.end), body=Span(self.body_start, self.end),
                         children=tuple(child.freeze() for child in self.children))


def parse(source: SourceText) -> Document:
    """The document tree of one text; DG-S001 when nothing in it looks like structure."""
    document, stream = parse_lazily(source)
    provisions = tuple(stream)
    return replace(document, provisions=provisions, problems=document.problems + stream.problems())


def parse_lazily(source: SourceText) -> tuple[Document, ProvisionStream]:
    """The document without its tree (provisions ()), and its top-level provisions as the lines are
    read: a consumer that takes them one at a time (ingest) never holds a large document's tree whole."""
    lines = scan_lines(source.simplified)
    body_from = info_end(source, lines)
    toc = table_of_contents(lines, body_from)
    tables, table_lines, problems = find_tables(source, lines)
    skipped = toc | table_lines
    article_mode = any(line.kind == "article" for i, line in enumerate(lines) if i >= body_from and i not in skipped)
    if article_mode:
        mark_groups(lines, body_from)
    front_end = first_structural(lines, body_from, skipped, article_mode)
    instrument = read_instrument(source, lines, body_from, front_end)
    document = Document(source=source, instrument=instrument, provisions=(), tables=tables, problems=tuple(problems))
    return document, ProvisionStream(source, instrument.title, lines, body_from, skipped, front_end, article_mode)


class ProvisionStream:
    """A document's top-level provisions, read once: each is frozen when the next one opens and
    handed on, and each line is let go once added. `problems()` (gaps in article numbers, repeated
    paths) is whole once every provision has been read; DG-S001 when the text held none."""

    def __init__(self, source: SourceText, title: str, lines: list[Line], body_from: int, skipped: set[int],
                 front_end: int, article_mode: bool):
        self.source, self.title = source, title
        body = lines[body_from:]
        self.builder = TreeBuilder(source, article_mode, line_gap(body))
        self.lines = deque(body)  # the caller's list goes with parse_lazily's frame
        self.first = body_from  # the index of the first of self.lines
        self.skipped = skipped  # table of contents and table lines
        self.front_end = front_end
        self.article_mode = article_mode
        self.started = False

    def __iter__(self) -> Iterator[Provision]:
        if self.started:
            raise RuntimeError("a ProvisionStream is read once: its lines are let go as they are added")
        self.started = True
        empty = True
        for provision in self._provisions():
            empty = False
            yield provision
        if empty:
            raise DutygraphError("DG-S001", self.source.source_file, "no articles, headings or paragraphs found")

    def _provisions(self) -> Iterator[Provision]:
        index = self.first
        while self.lines:
            line = self.lines.popleft()
            if index not in self.skipped and line.kind != "blank" and not (
                    index < self.front_end and (self.article_mode or is_front_matter(self.source, line, self.title))):
                self.builder.add(line)
                yield from self.builder.take_frozen()
            index += 1
        self.builder.finish()
        yield from self.builder.take_frozen()

    def problems(self) -> tuple[Problem, ...]:
        return self.builder.problems()


def scan_lines(simplified: str) -> list[Line]:
    lines, start, prefix_chars = [], 0, layout().line_prefix
    for content in simplified.split("\n"):
        stripped = content.rstrip()
        prefix = len(content) - len(content.lstrip().lstrip(prefix_chars).lstrip()) if stripped else len(content)
        line = Line(start + prefix, start + max(prefix, len(stripped)))
        classify(line, stripped[prefix:])
        lines.append(line)
        start += len(content) + 1
    return lines


def classify(line: Line, content: str) -> None:
    if not content:
        line.kind = "blank"
        return
    if layout().toc_line.match(content):
        line.kind = "toc"
        return
    match = layout().levels.match(content)
    if match:
        kind = match.lastgroup
        line.kind, line.number, line.label_end = kind, parse_number(match.group(kind + "_num")), line.start + match.end()
        suffix = match.groupdict().get(kind + "_suffix")
        line.suffix = parse_number(suffix) if suffix else None


def info_end(source: SourceText, lines: list[Line]) -> int:
    """Index of the first body line: after LawRefBook's <!-- INFO END --> marker, else 0."""
    marker = layout().md_info_end
    for index, line in enumerate(lines):
        if source.text.startswith(marker, line.start):
            return index + 1
    return 0


def table_of_contents(lines: list[Line], body_from: int) -> set[int]:
    """Indices of a table of contents: a run of 目录 and chapter-like lines that ends where the
    text restarts at its first entry (or, after a 目录 line, where the run ends)."""
    start = next((i for i in range(body_from, len(lines)) if lines[i].kind in ("toc", "article", *CONTAINERS)), None)
    if start is None or lines[start].kind == "article":
        return set()
    run = [start]
    while run[-1] + 1 < len(lines) and lines[run[-1] + 1].kind in ("blank", *CONTAINERS):
        run.append(run[-1] + 1)
    entries = [i for i in run if lines[i].kind in CONTAINERS]
    if not entries:
        return set(run)
    first = lines[entries[0]]
    restart = next((i for i in entries[1:] if (lines[i].kind, lines[i].number) == (first.kind, first.number)), None)
    if restart is not None:
        return {i for i in run if i < restart}
    return set(run) if lines[start].kind == "toc" else set()


def line_gap(lines: list[Line]) -> int:
    """2 when the text is double-spaced (most lines followed by a blank line), else 1."""
    filled = [i for i, line in enumerate(lines[:-1]) if line.kind != "blank"]
    spaced = sum(lines[i + 1].kind == "blank" for i in filled)
    return 2 if filled and spaced > DOUBLE_SPACED_SHARE * len(filled) else 1


def find_tables(source: SourceText, lines: list[Line]):
    tables, consumed, problems = [], set(), []
    captions = [index for index, line in enumerate(lines) if line.kind == "table"]
    bounds = [(line.start, line.end) for line in raw_line_bounds(source.text)] if captions else []
    for index in captions:
        if index not in consumed:
            table, covered, table_problems = read_table(source.text, bounds, index, source.source_file)
            if table is not None:
                tables.append(table)
                consumed |= set(covered)
                problems += table_problems
    return tuple(tables), consumed, problems


def raw_line_bounds(text: str) -> list[Line]:
    """Whole lines (indentation kept, newline dropped): tables need their tabs."""
    bounds, start = [], 0
    for line in text.split("\n"):
        bounds.append(Line(start, start + len(line)))
        start += len(line) + 1
    return bounds


def mark_groups(lines: list[Line], body_from: int) -> None:
    """In an article document, 一、 lines right before an article head a group of articles."""
    following = None
    for index in range(len(lines) - 1, body_from - 1, -1):
        line = lines[index]
        if line.kind == "heading1" and following == "article":
            line.kind = "group"
        if line.kind != "blank":
            following = line.kind


def first_structural(lines: list[Line], body_from: int, skipped: set[int], article_mode: bool) -> int:
    kinds = (*CONTAINERS, "group", "article") if article_mode else ("part", "chapter", "heading1", "item", "box")
    return next((i for i in range(body_from, len(lines)) if i not in skipped and lines[i].kind in kinds), len(lines))


def is_front_matter(source: SourceText, line: Line, title: str) -> bool:
    """Title, status line, header fields, document number and promulgation lines: not provisions."""
    content = source.simplified[line.start:line.end]
    written = source.text[line.start:line.end].strip()
    if written == title or content.startswith(("（", "(")) and content.endswith(("）", ")")):
        return True
    if len(content) > FRONT_LINE_MAX:
        return False  # a page pasted onto one line: its 现予公布 or date does not make its text front matter
    return bool(layout().header_field.match(content)) or any(p.search(content) for p in layout().promulgation)


class TreeBuilder:
    """Adds classified lines to a stack of open nodes; closed top-level provisions are `take_frozen()`.

    A top-level node is frozen as soon as the next one opens (nothing written after it can reach
    it): the open nodes and the frozen tree never both hold a whole large document."""

    def __init__(self, source: SourceText, article_mode: bool, gap: int):
        self.source = source
        self.article_mode = article_mode
        self.ranks = ARTICLE_RANKS if article_mode else HEADING_RANKS
        self.frozen: list[Provision] = []  # top-level provisions frozen and not yet taken
        self.open_root: Node | None = None
        self.stack: list[Node] = []
        self.last_article: int | None = None  # the number of the last plain article (not 之一)
        self.gaps: list[str] = []  # 第五条 → 第七条, up to GAPS_SHOWN of them
        self.copies: dict[str, int] = {}  # by path as numbered: how many nodes took it (~2, ~3… after the first)
        # paths under the open top-level provision that are only ever repeated inside it (not articles'):
        # their counts go when it is frozen, so the counts never hold a large document's every path
        self.scoped: list[str] = []
        self.root_paragraphs = 0
        self.repeated: list[str] = []  # the first paths that needed a ~N to stay unique
        self.last_leaf: Node | None = None  # the provision whose text the previous line ended
        self.previous: tuple[int, int] | None = None  # (start, end) of the previous line
        self.wrapped_lines = source.format != "md"  # Markdown paragraphs are already whole
        self.gap = gap  # newlines between two lines of one paragraph: 1, or 2 in double-spaced text

    def add(self, line: Line) -> None:
        kind = self.effective_kind(line)
        continues = self.continues(line)
        self.previous, leaf, self.last_leaf = (line.start, line.end), self.last_leaf, None
        if kind == "paragraph" and line.kind == "text" and continues and leaf is not None:
            leaf.end = line.end  # a line broken inside a sentence goes on the paragraph above
            self.extend(line.end)
            self.last_leaf = leaf
            return
        if kind == "paragraph":
            self.add_paragraph(line.start, line.end)
            return
        rank = self.ranks[kind]
        self.close(rank)
        node = self.open_node(kind, rank, line)
        self.attach(node)
        if kind == "article":
            self.count_article(line.number, line.suffix)
            self.read_article_heading(node, line)
        elif kind in (*CONTAINERS, "group") or not self.article_mode:
            self.read_run_in_heading(node, line)
        else:
            node.body_start = self.skip_separator(line.label_end, line.end)
            self.last_leaf = node

    def continues(self, line: Line) -> bool:
        """Whether the line continues the previous one: no blank line between, and the previous
        line stopped without closing punctuation."""
        if not self.wrapped_lines or self.previous is None:
            return False
        between = self.source.text[self.previous[1]:line.start]
        return between.count("\n") == self.gap and not between.strip() \
            and not layout().paragraph_end.search(self.source.simplified, *self.previous)

    def effective_kind(self, line: Line) -> str:
        """The line's level in this document: markers that do not fit where they stand are paragraphs."""
        kind = line.kind
        if self.article_mode:
            in_article = any(node.kind == "article" for node in self.stack)
            if kind in (*CONTAINERS, "group", "article"):
                return kind
            if kind == "item" and in_article:
                return kind
            if kind == "subitem" and self.stack and self.stack[-1].kind in ("item", "subitem"):
                return kind
            return "paragraph"
        return kind if kind in self.ranks else "paragraph"  # 节, 编 and stray captions read as text here

    def close(self, rank: int) -> None:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()

    def open_node(self, kind: str, rank: int, line: Line) -> Node:
        segments = PATH_SEGMENTS if self.article_mode else HEADING_SEGMENTS
        segment = segments[kind] + "/" + str(line.number)
        if kind == "article":
            path = segment + (f"-{line.suffix}" if line.suffix else "")
        else:
            parent = self.stack[-1].path + "/" if self.stack else ""
            path = parent + segment
        path = self.unique(path, scoped=bool(self.stack) and kind != "article")
        label = self.source.text[line.start:line.label_end]
        provision_kind = (ARTICLE_KINDS if self.article_mode else HEADING_KINDS).get(kind, kind)
        return Node(provision_kind, path, label, rank, line.start, line.end, line.number, line.suffix,
                    body_start=line.label_end)

    def count_article(self, number: int | None, suffix: int | None) -> None:
        if suffix is not None or number is None:
            return
        if self.last_article is not None and number != self.last_article + 1 and len(self.gaps) < GAPS_SHOWN:
            self.gaps.append(f"{self.last_article}→{number}")
        self.last_article = number

    def unique(self, path: str, *, scoped: bool = False) -> str:
        """The path, or path~2, path~3… when the number was used before (a repeated 第七章, two item lists).
        The count per path is kept, not found again by trying ~2, ~3…: a plan that restarts its 一、
        under no parent would make that search quadratic."""
        copy = self.copies[path] = self.copies.get(path, 0) + 1
        if copy == 1:
            if scoped:
                self.scoped.append(path)
            return path
        # no path as numbered ends in ~N (its segments are kinds and numbers), so path~N is free
        numbered = f"{path}~{copy}"
        if len(self.repeated) < GAPS_SHOWN:
            self.repeated.append(numbered)
        return numbered

    def attach(self, node: Node) -> None:
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            if self.open_root is not None:
                self.frozen.append(self.open_root.freeze())
                for path in self.scoped:  # a path below a closed provision can never be taken again
                    del self.copies[path]
                self.scoped.clear()
            self.open_root = node
        self.stack.append(node)
        self.extend(node.end)

    def extend(self, end: int) -> None:
        for node in self.stack:
            node.end = max(node.end, end)

    def add_paragraph(self, start: int, end: int) -> None:
        if self.article_mode and not any(node.kind == "article" for node in self.stack):
            self.read_title_line(start, end)
            return  # other text between a chapter heading and its first article is not a provision
        self.close(self.ranks["paragraph"])
        owner = self.stack[-1] if self.stack else None
        if owner:
            owner.paragraphs = count = owner.paragraphs + 1
        else:  # counted, not found among the roots again: a text of bare paragraphs made parse quadratic
            self.root_paragraphs = count = self.root_paragraphs + 1
        path = (owner.path + "/" if owner else "") + f"para/{count}"
        self.last_leaf = Node("paragraph", path, "", self.ranks["paragraph"], start, end, count, body_start=start)
        self.attach(self.last_leaf)

    def read_title_line(self, start: int, end: int) -> None:
        """第一章 on one line and 总则 on the next: the short line is the container's title."""
        container = self.stack[-1] if self.stack else None
        title = self.source.text[start:end]
        if container and container.kind in CONTAINERS and not container.heading and not container.children \
                and len(title) <= layout().run_in_heading_max \
                and not layout().sentence_end.search(self.source.simplified, start, end):
            container.heading = title
            self.extend(end)

    def skip_separator(self, position: int, end: int) -> int:
        match = layout().title_separator.match(self.source.text, position, end)
        return match.end() if match else position

    def read_article_heading(self, node: Node, line: Line) -> None:
        position = self.skip_separator(line.label_end, line.end)
        match = layout().article_heading.match(self.source.text, position, line.end)
        if match:
            node.heading = match.group("square") or match.group("lenticular")
            position = self.skip_separator(match.end(), line.end)
        node.body_start = position
        if position < line.end:
            self.add_paragraph(position, line.end)

    def read_run_in_heading(self, node: Node, line: Line) -> None:
        """A short title is the heading; a run-in sentence is the heading and the line its paragraph."""
        position = self.skip_separator(line.label_end, line.end)
        node.body_start = position
        content = self.source.simplified[position:line.end]
        sentence_end = layout().sentence_end.search(content)
        limit = layout().run_in_heading_max
        if not content:
            return
        if (sentence_end is None or sentence_end.end() == len(content)) and len(content) <= limit:
            node.heading = self.source.text[position:line.end]
            return
        if sentence_end and sentence_end.end() <= limit:
            node.heading = self.source.text[position:position + sentence_end.end()]
        if node.kind in CONTAINERS or self.article_mode:
            return  # containers of articles hold articles, not paragraphs
        self.add_paragraph(position, line.end)
        self.stack.pop()  # the heading stays open for the lines that follow

    def take_frozen(self) -> list[Provision]:
        """The top-level provisions frozen since the last call."""
        frozen, self.frozen = self.frozen, []
        return frozen

    def finish(self) -> None:
        if self.open_root is not None:
            self.frozen.append(self.open_root.freeze())
            self.open_root = None

    def problems(self) -> tuple[Problem, ...]:
        problems = [Problem("DG-S101", self.source.source_file, ", ".join(self.gaps))] if self.gaps else []
        if self.repeated:
            problems.append(Problem("DG-S103", self.source.source_file, ", ".join(self.repeated)))
        return tuple(problems)
