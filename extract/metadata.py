"""Instrument metadata from a document's front matter (title, status, issuer, number, dates, basis)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from dutygraph.extract.clean import to_simplified as t2s_text
from dutygraph.extract.layout import layout, load_json
from dutygraph.extract.numbers import parse_number
from dutygraph.model import Instrument, SourceText

STATUS_LINE_MAX = 20  # a status note is short; longer front lines are notices or history
TITLE_MAX = 200  # the corpus's longest title has 74 characters: a longer first line is text (a page on one line)
FRONT_TAIL_LINES = 3  # lines after the front matter that may still state the legal basis (第一条)


@dataclass(frozen=True)
class Cues:
    types: tuple[str, ...]  # longest first
    draft_words: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    national: str
    national_prefixes: tuple[str, ...]
    local_place: re.Pattern[str]
    issuer_suffixes: tuple[str, ...]
    issuer_max_length: int
    issuer_noise: re.Pattern[str]
    issuer_from_meeting: re.Pattern[str]
    header_keys: dict[str, str]
    date: re.Pattern[str]
    passed: re.Pattern[str]
    promulgated: re.Pattern[str]
    effective: re.Pattern[str]
    date_line: re.Pattern[str]
    file_name_date: re.Pattern[str]
    doc_number: re.Pattern[str]
    based_on: re.Pattern[str]
    title_trailer: re.Pattern[str]


@cache
def cues() -> Cues:
    data = load_json("instrument.json")
    dated = {key: re.compile(data[key].replace("DATE", f"(?:{data['date']})"))
             for key in ("passed", "promulgated", "effective", "date_line")}
    return Cues(
        types=tuple(sorted(data["types"], key=len, reverse=True)), draft_words=tuple(data["draft_words"]),
        jurisdictions=tuple(data["jurisdictions"]), national=data["national_default"],
        national_prefixes=tuple(data["national_prefixes"]), local_place=re.compile(data["local_place"]),
        issuer_noise=re.compile(data["issuer_noise"]),
        issuer_suffixes=tuple(data["issuer_suffixes"]), issuer_max_length=data["issuer_max_length"],
        issuer_from_meeting=re.compile(data["issuer_from_meeting"]), header_keys=data["header_keys"],
        date=re.compile(data["date"]), **dated, file_name_date=re.compile(data["file_name_date"]),
        doc_number=re.compile(data["doc_number"]), based_on=re.compile(data["based_on"]),
        title_trailer=re.compile(data["title_trailer"]),
    )


def read_instrument(source: SourceText, lines, body_from: int, front_end: int) -> Instrument:
    """Metadata from the lines before the first provision (and the header of a LawRefBook file)."""
    front = [line for line in lines[:max(front_end, body_from)] if line.kind != "blank"]
    header = header_fields(source, front)
    title_line = find_title(source, front)
    title = source.text[title_line.start:title_line.end].strip() if title_line else Path(source.source_file).stem
    title_simplified = source.simplified[title_line.start:title_line.end].strip() if title_line else title
    front_text = "\n".join(source.simplified[line.start:line.end] for line in front)
    basis_lines = [line for line in lines[front_end:] if line.kind != "blank"][:FRONT_TAIL_LINES]
    basis_text = front_text + "\n" + "\n".join(source.simplified[line.start:line.end] for line in basis_lines)
    issuer = cues().issuer_noise.sub("", header.get("issuer") or find_issuer(source, front, title_line))
    return Instrument(
        source_file=source.source_file, checksum=source.checksum, title=title, title_simplified=title_simplified,
        type=instrument_type(title_simplified),
        status=find_status(source, front, title_simplified),
        jurisdiction=find_jurisdiction(title_simplified, issuer, front_text),
        issuer=issuer,
        doc_number=header.get("doc_number") or first_match(cues().doc_number, front_text),
        passed=first_date(cues().passed, front_text),
        promulgated=parse_date(header.get("promulgated", "")) or date_line(source, front)
        or first_date(cues().promulgated, front_text) or first_date(cues().file_name_date, source.source_file),
        effective=parse_date(header.get("effective", "")) or first_date(cues().effective, front_text)
        or last_date(cues().effective, source.simplified),
        based_on=tuple(dict.fromkeys(title for match in cues().based_on.finditer(basis_text)
                                     for title in re.findall("《([^》]+)》", match.group("titles")))),
    )


def header_fields(source: SourceText, front) -> dict[str, str]:
    """【发布单位】…-style header fields, keyed by the names of instrument.json's header_keys."""
    written = {}
    for line in front:
        match = layout().header_field.match(source.simplified, line.start, line.end)
        if match:
            written[match.group("key")] = source.text[match.start("value"):line.end].strip()
    return {name: written[key] for name, key in cues().header_keys.items() if written.get(key, "").strip("-— ")}


def find_title(source: SourceText, front):
    """A markdown '# ' line, else the first line that is not a header field, a bracketed note or a date,
    unless that line ends a sentence or is longer than any title."""
    for line in front:
        if source.text[line.start - 2:line.start] == "# " and source.text[line.start - 3:line.start - 2] != "#":
            return line
    for line in front:
        content = source.simplified[line.start:line.end].strip()
        if line.kind != "text" or layout().header_field.match(content) or content.startswith(("（", "(", "<!--")) \
                or cues().date_line.match(content):
            continue
        # a title never closes a sentence: a text that opens with one has no title line (a provision
        # quoted alone, a pasted paragraph), and its first line is text, not front matter
        return None if layout().sentence_end.search(content[-1:]) or len(content) > TITLE_MAX else line
    return None


def find_status(source: SourceText, front, title: str) -> str:
    """draft when the title or a short status line of the front matter (（草案征求意见稿）) says so."""
    notes = [source.simplified[line.start:line.end] for line in front if line.end - line.start <= STATUS_LINE_MAX]
    return "draft" if any(word in text for word in cues().draft_words for text in (title, *notes)) else "enacted"


def instrument_type(title: str) -> str:
    bare = cues().title_trailer.sub("", title)
    return next((kind for kind in cues().types if bare.endswith(kind)), "")


def find_jurisdiction(title: str, issuer: str, front_text: str) -> str:
    """The province a title or issuer opens with, else the city of the issuer; national organs and
    anything else are national."""
    issuer = simplified_issuer(issuer)
    for text in (title, issuer):
        found = next((name for name in cues().jurisdictions if text.startswith(name)), None)
        if found:
            return found
        if text.startswith(cues().national_prefixes):
            return cues().national
    place = cues().local_place.match(issuer)  # a city only from an organ's name: titles are too varied
    return place.group("place") if place else cues().national


def simplified_issuer(issuer: str) -> str:
    return t2s_text(issuer)


def find_issuer(source: SourceText, front, title_line) -> str:
    for line in front:
        content = source.text[line.start:line.end].strip()
        simplified = source.simplified[line.start:line.end].strip()
        if line is not title_line and len(simplified) <= cues().issuer_max_length \
                and simplified.endswith(cues().issuer_suffixes) and "《" not in simplified:
            return content
    for line in front:
        match = cues().issuer_from_meeting.search(source.simplified, line.start, line.end)
        if match:
            return source.text[match.start("issuer"):match.end("issuer")]
    return ""


def first_match(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group() if match else ""


def first_date(pattern: re.Pattern[str], text: str) -> date | None:
    match = pattern.search(text)
    return date_of(match) if match else None


def last_date(pattern: re.Pattern[str], text: str) -> date | None:
    """The last match: the commencement clause closes a regulation (本条例自…起施行)."""
    matches = list(pattern.finditer(text))
    return date_of(matches[-1]) if matches else None


def date_line(source: SourceText, front) -> date | None:
    """A line holding only a date (the signature of a promulgation notice)."""
    for line in front:
        match = cues().date_line.match(source.simplified, line.start, line.end)
        if match:
            return date_of(match)
    return None


def parse_date(written: str) -> date | None:
    match = cues().date.search(written)
    return date_of(match) if match else None


def date_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    parts = [groups.get(name) or groups.get("iso_" + name) for name in ("year", "month", "day")]
    numbers = [parse_number(part) if part else None for part in parts]
    try:
        return date(*numbers) if None not in numbers else None
    except ValueError:
        return None
