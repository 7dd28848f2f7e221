"""Clean decoded text while keeping every offset traceable to the decoded input.

Clean-up is a list of edits (start, end, replacement) on the decoded text; applying them yields
the normalised text and the offset map of model.SourceText (offsets into the decoded text).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import opencc

from dutygraph.extract.layout import layout
from dutygraph.extract.numbers import parse_number
from dutygraph.model import Problem

WIDE_SPACES = ("\u3000", "\u00a0", "\u2002", "\u2003")  # become plain spaces, one for one
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]|\r(?=\n)")
OLD_MAC_LINE_END = re.compile("\r")
ITEM_MARKER = re.compile(r"^\s*([（(])([一二三四五六七八九十]+)([）)])")
CHINESE_DIGITS = "零一二三四五六七八九"
TAIL_CHARS_PER_LINE = 400  # how far back the footer search looks, per footer line; no footer line is longer
DEBRIS_WINDOW = 8  # mangled item markers span at most this many characters at a line start
MAX_RECOVERED_ITEM = 99  # chinese_numeral writes up to 九十九


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str = ""


def normalise(raw: str, source: str) -> tuple[str, tuple[tuple[int, int], ...], tuple[Problem, ...]]:
    """Normalised text, its offset map and the warnings about what was removed."""
    # lines a text lost come back first: its footer and its debris are found line by line
    restored = restored_line_breaks(raw)
    footer_from = find_footer(raw, restored)
    kept = raw[:footer_from]
    restored = [edit for edit in restored if edit.end <= footer_from]
    counts: Counter[str] = Counter({"DG-R105": len(restored)})
    edits = [Edit(m.start(), m.end()) for m in INVISIBLE.finditer(kept)]
    edits += [Edit(m.start(), m.end(), "\n") for m in OLD_MAC_LINE_END.finditer(kept) if kept[m.end():m.end() + 1] != "\n"]
    for code, pattern in (("DG-R103", layout().bookmark), ("DG-R102", layout().pinyin)):
        found = [Edit(m.start(), m.end()) for m in pattern.finditer(kept)]
        counts[code] += len(found)
        edits += found
    edits += restored
    recovered: list[str] = []
    if "\ufffd" in kept:
        debris = all_debris_edits(kept, restored)
        counts["DG-R101"] += len({edit.start for edit in debris})
        recovered = [edit.replacement for edit in debris if edit.replacement]
        edits += debris
    edits = drop_overlaps(sorted(edits, key=lambda edit: edit.start))
    if footer_from < len(raw):
        edits.append(Edit(footer_from, len(raw)))
        counts["DG-R104"] += 1
    text, offset_map = apply_edits(raw, edits)
    details = {code: f"{count} place(s)" for code, count in sorted(counts.items()) if count}
    if recovered:
        details["DG-R101"] += "; recovered item markers " + " ".join(recovered)
    problems = [Problem(code, source, detail) for code, detail in details.items()]
    for space in WIDE_SPACES:
        text = text.replace(space, " ")
    return text, offset_map, tuple(problems)


def restored_line_breaks(text: str) -> list[Edit]:
    """Line breaks for a text that lost them: its lines are very long on average (a plan pasted onto
    one line), or its provision markers stand inside lines more than at their starts. A break goes
    before each provision, item and heading, after a short heading, and for the spaces that end a
    paragraph's sentences; none in any other text."""
    marks = layout()
    long_lines = len(text) > marks.flattened_line_chars * (text.count("\n") + text.count("\r") + 1)
    starts = 0
    if not long_lines:  # cheap counts first (the search for break places tries every offset of a text)
        spaced = sum(1 for _ in marks.spaced_provision.finditer(text))
        starts = len(marks.line_start_provision.findall(text)) if spaced else 0
        if spaced <= 2 * starts:
            return []
    restored = _breaks(marks.flattened_break, text)
    if not long_lines and len(restored) <= starts:
        return []
    for pattern in (marks.flattened_item_break, marks.flattened_paragraph_break, *marks.flattened_heading_breaks):
        restored += _breaks(pattern, text)
    by_place = {edit.start: edit for edit in sorted(restored, key=lambda edit: edit.end - edit.start)}
    return sorted(by_place.values(), key=lambda edit: edit.start)


def _breaks(pattern: re.Pattern[str], text: str) -> list[Edit]:
    """A line break for each match of `pattern` (for its group "gap" when it has one)."""
    gap = "gap" if "gap" in pattern.groupindex else 0
    return [Edit(m.start(gap), m.end(gap), "\n") for m in pattern.finditer(text)]


def all_debris_edits(text: str, restored: list[Edit]) -> list[Edit]:
    edits, last_item = [], None
    for start, end in split_lines(text, restored):
        line_edits, last_item = debris_edits(text[start:end], start, last_item)
        edits += line_edits
    return edits


def split_lines(text: str, restored: list[Edit] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every line, the end including its newline; a restored line break (sorted
    edits) ends its line as a newline would."""
    cuts = [match.end() for match in re.finditer("\n", text)]
    if restored:
        cuts = sorted([*cuts, *(edit.end for edit in restored if edit.start < len(text))])
    bounds, start = [], 0
    for cut in cuts:
        if cut > start:
            bounds.append((start, cut))
            start = cut
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def find_footer(raw: str, restored: list[Edit] | None = None) -> int:
    """Offset where a web-page footer starts (a footer line among the last lines, counting the line
    breaks restored in a text that lost them), else len(raw). A line longer than a footer's is text."""
    tail_lines = layout().footer_tail_lines
    window = TAIL_CHARS_PER_LINE * tail_lines
    offset = raw.find("\n", len(raw) - window) + 1 if len(raw) > window else 0
    lines = split_lines(raw[offset:], [Edit(edit.start - offset, edit.end - offset)
                                       for edit in restored or () if edit.start >= offset])
    filled = [(start + offset, end + offset) for start, end in lines if raw[start + offset:end + offset].strip()]
    for start, end in filled[-tail_lines:]:
        if end - start <= TAIL_CHARS_PER_LINE and any(pattern.search(raw[start:end]) for pattern in layout().footer):
            return start
    return len(raw)


def debris_edits(line: str, start: int, last_item: tuple[str, int, str] | None):
    """Edits removing U+FFFD debris from one line, and the item marker sequence seen so far.

    A line that opens with debris right after an item (一)… lost its own item marker in a bad
    conversion: the debris is replaced by the next marker of the sequence.
    """
    marker = ITEM_MARKER.match(line)
    if marker:
        number = parse_number(marker.group(2))
        return [], (marker.group(1), number or 0, marker.group(3))
    if "\ufffd" not in line:
        return [], last_item if not line.strip() else None
    stripped = len(line) - len(line.lstrip())
    edits, rest_from = [], 0
    opening = layout().debris_opening.match(line, stripped)
    if opening:
        window = line[stripped:stripped + DEBRIS_WINDOW]
        rest_from = stripped + max(opening.end() - stripped,
                                   *(m.end() for m in layout().debris_symbols.finditer(window)))
        replacement = ""
        if last_item is not None and last_item[1] < MAX_RECOVERED_ITEM:
            opening, number, closing = last_item
            last_item = (opening, number + 1, closing)
            replacement = f"{opening}{chinese_numeral(number + 1)}{closing}"
        edits.append(Edit(start + stripped, start + rest_from, replacement))
    else:
        last_item = None
    edits += [Edit(start + rest_from + m.start(), start + rest_from + m.end())
              for m in re.finditer("\ufffd+", line[rest_from:])]
    return edits, last_item


def chinese_numeral(number: int) -> str:
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def drop_overlaps(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in edits:
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


def apply_edits(raw: str, edits: list[Edit]) -> tuple[str, tuple[tuple[int, int], ...]]:
    pieces, offset_map, position, length = [], [(0, 0)], 0, 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        pieces.append(raw[position:edit.start])
        length += edit.start - position
        if edit.replacement:
            offset_map.append((length, edit.start))
            pieces.append(edit.replacement)
            length += len(edit.replacement)
        offset_map.append((length, edit.end))
        position = edit.end
    pieces.append(raw[position:])
    return "".join(pieces), tuple(dict(offset_map).items())


def to_simplified(text: str) -> str:
    """OpenCC t2s, char for char: lines whose phrase conversion changes length go per character."""
    converted = t2s().convert(text)
    if converted == text:
        return text  # one string for both views: most texts are simplified already, and each view is held whole
    if len(converted) == len(text) and converted.count("\n") == text.count("\n"):
        lines = list(zip(text.split("\n"), converted.split("\n"), strict=True))
        if all(len(line) == len(simplified) for line, simplified in lines):
            return converted
    else:
        lines = [(line, t2s().convert(line)) for line in text.split("\n")]
    return "\n".join(simplified if len(simplified) == len(line) else "".join(map(simplify_char, line))
                     for line, simplified in lines)


@cache
def t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def simplify_char(char: str) -> str:
    simplified = t2s().convert(char)
    return simplified if len(simplified) == 1 else char
