"""Sentences of a document, in order (guidelines §1).

A paragraph (款) is one line; it splits at 。 but never at ；; an enumerated item is a sentence
of its own; a lead-in ending in ： is a sentence of its own. Every sentence carries where it
lives (authority, article, section path), the paragraph it belongs to (carry-over never
crosses paragraphs) and whether it sits in a 法律责任 chapter.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from dutygraph.extract.markers import load_markers
from dutygraph.model import Document, Provision

ITEM_LABEL = re.compile(
    r"[ \t\u3000]*(?:[（(][一二三四五六七八九十百零〇\d]+[）)]|[一二三四五六七八九十百]+、|\d+[.、．](?!\d)|[①-⑳])[ \t\u3000]*"
)
SENTENCE_END = re.compile(r"[。！？!?]|[：:](?=[ \t\u3000]*$)")
TITLE_ONLY = re.compile(r"[^，。；：,;:]{0,40}")
JOINED_KINDS = ("paragraph", "item", "subitem")  # provisions that are one paragraph (款/项/目) each


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # span in Document.text / Document.simplified, item label included
    end: int
    body: int  # where the text after an item label begins
    authority: str
    article: int | None
    section_path: str
    paragraph: str  # carry-over key
    is_item: bool
    in_sanctions: bool = False


@dataclass(frozen=True)
class _Context:
    article: int | None = None
    section_path: str = ""
    in_sanctions: bool = False
    skip: bool = False


def split_sentences(document: Document, provisions: Iterable[Provision] | None = None) -> Iterator[Sentence]:
    """The document's sentences in order, one at a time; `provisions`: its top-level provisions when
    they come one at a time (structure.parse_lazily) instead of in Document.provisions."""
    return _walk(document, document.provisions if provisions is None else provisions, _Context())


def with_following_items(sentences: Iterable[Sentence]) -> Iterator[tuple[Sentence, tuple[Sentence, ...]]]:
    """Each sentence with the items right after it (the list a lead-in opens; () for an item):
    sentences are read ahead no further than one such list."""
    group: list[Sentence] = []
    for sentence in sentences:
        if group and not sentence.is_item:
            yield from _grouped(group)
            group = []
        group.append(sentence)
    if group:
        yield from _grouped(group)


def _grouped(group: list[Sentence]) -> Iterator[tuple[Sentence, tuple[Sentence, ...]]]:
    head, items = group[0], tuple(group[1:])
    yield head, () if head.is_item else items
    for item in items:
        yield item, ()


def _walk(document: Document, provisions: Iterable[Provision], context: _Context) -> Iterator[Sentence]:
    marks = load_markers()
    text = document.simplified
    siblings = context  # a chapter heading governs the articles after it, nested or not
    for provision in provisions:
        heading = _simplified_heading(document, provision)
        if provision.kind in ("part", "chapter", "section") and heading:
            siblings = replace(siblings, in_sanctions=bool(marks.sanction_chapters.search(heading)),
                               skip=context.skip or bool(marks.non_norm_sections.match(heading)))
        inner = siblings
        if provision.kind == "article":
            inner = replace(inner, article=provision.number,
                            skip=bool(heading and marks.non_norm_headings.search(heading)))
        if provision.kind in ("heading", "box"):
            title = heading or _first_line(text, provision)
            inner = replace(inner, section_path=siblings.section_path + provision.label.strip(),
                            skip=siblings.skip or bool(marks.non_norm_sections.match(title)))
        if inner.skip:
            continue
        yield from _own_sentences(text, provision, inner)
        yield from _walk(document, provision.children, inner)


def _simplified_heading(document: Document, provision: Provision) -> str:
    """The heading in the simplified view (headings are stored as written, maybe traditional)."""
    if not provision.heading:
        return ""
    at = document.text.find(provision.heading, provision.span.start, provision.span.end)
    return document.simplified[at:at + len(provision.heading)] if at >= 0 else provision.heading


def _first_line(text: str, provision: Provision) -> str:
    own = text[provision.body.start:provision.body.end].strip()
    return own.split("\n", 1)[0]


def _own_sentences(text: str, provision: Provision, context: _Context) -> Iterator[Sentence]:
    """Sentences of the provision's own text (its span minus its children's spans)."""
    start = provision.body.start if provision.kind in ("part", "chapter", "section") else provision.span.start
    if provision.kind in ("part", "chapter", "section"):
        return  # their own text is the title
    end = provision.span.end
    label_end = start
    if provision.label and text.startswith(provision.label, start):
        label_end = start + len(provision.label)
    pieces = []
    cursor = label_end
    for child in provision.children:
        if child.span.start > cursor:
            pieces.append((cursor, min(child.span.start, end)))
        cursor = max(cursor, child.span.end)
    if cursor < end:
        pieces.append((cursor, end))
    is_item = provision.kind in ("item", "subitem")
    lines = _joined_lines(text, pieces) if provision.kind in JOINED_KINDS else _lines(text, pieces)
    for line_no, (line_start, line_end) in enumerate(lines):
        paragraph = f"{provision.path}#{line_no}"
        first = line_start == label_end and provision.kind in ("item", "subitem", "heading", "box")
        yield from _split_line(text, line_start, line_end, provision, context, paragraph,
                               item_label_start=start if first else None, is_item=is_item)


def _joined_lines(text: str, pieces: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """A paragraph's own text is one line: a line break inside it is where the reader joined a line
    broken mid-sentence ("3·\n\n15国际…"), whitespace, not a boundary."""
    for piece_start, piece_end in pieces:
        piece = text[piece_start:piece_end]
        line_start = piece_start + len(piece) - len(piece.lstrip())
        line_end = piece_start + len(piece.rstrip())
        if line_end > line_start:
            yield line_start, line_end


def _lines(text: str, pieces: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for piece_start, piece_end in pieces:
        cursor = piece_start
        for line in text[piece_start:piece_end].split("\n"):
            line_start = cursor + len(line) - len(line.lstrip())
            line_end = cursor + len(line.rstrip())
            cursor += len(line) + 1
            if line_end > line_start:
                yield line_start, line_end


def _split_line(text: str, start: int, end: int, provision: Provision, context: _Context, paragraph: str,
                item_label_start: int | None, is_item: bool) -> Iterator[Sentence]:
    line = text[start:end]
    titled = item_label_start is None or provision.kind in ("heading", "box")
    if titled and not SENTENCE_END.search(line) and TITLE_ONLY.fullmatch(line):
        return  # a bare title line ("一、指导思想"), not a sentence
    authority = provision.path
    cursor = start
    first = True
    for match in SENTENCE_END.finditer(line):
        stop = start + match.end()
        yield _sentence(text, cursor, stop, provision, context, paragraph, authority,
                        item_label_start if first else None, is_item and first)
        cursor = stop
        first = False
    if text[cursor:end].strip():
        yield _sentence(text, cursor, end, provision, context, paragraph, authority,
                        item_label_start if first else None, is_item and first)


def _sentence(text: str, start: int, end: int, provision: Provision, context: _Context, paragraph: str,
              authority: str, item_label_start: int | None, is_item: bool) -> Sentence:
    while start < end and text[start] in " \t\u3000\n":
        start += 1
    label = ITEM_LABEL.match(text, start)
    body = label.end() if label and label.end() < end else start
    if item_label_start is not None:
        start = item_label_start
        label = ITEM_LABEL.match(text, body)
        body = label.end() if label and label.end() < end else body
    return Sentence(start, end, body, authority, context.article, context.section_path, paragraph,
                    is_item or body > start, context.in_sanctions)
