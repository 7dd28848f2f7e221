"""The layout data of extract/data/layout.json (markers for reading and structure), loaded once."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Layout:
    line_prefix: str  # characters stripped from a line's start before matching
    levels: re.Pattern[str]  # all level patterns as alternatives: group <kind>, <kind>_num, <kind>_suffix
    article_heading: re.Pattern[str]
    title_separator: re.Pattern[str]
    toc_line: re.Pattern[str]
    toc_page_number: re.Pattern[str]
    md_info_end: str
    run_in_heading_max: int
    sentence_end: re.Pattern[str]
    paragraph_end: re.Pattern[str]
    promulgation: tuple[re.Pattern[str], ...]
    header_field: re.Pattern[str]
    footer: tuple[re.Pattern[str], ...]
    footer_tail_lines: int
    bookmark: re.Pattern[str]
    pinyin: re.Pattern[str]
    debris_opening: re.Pattern[str]
    debris_symbols: re.Pattern[str]
    flattened_break: re.Pattern[str]  # where a text that lost its line breaks gets one back before a provision
    flattened_item_break: re.Pattern[str]  # … and before an item, once the provisions said it lost them
    flattened_paragraph_break: re.Pattern[str]  # … and for the spaces after a sentence, where a paragraph ended
    flattened_line_chars: int  # lines longer than this on average: the text lost its breaks, whatever its markers
    flattened_heading_breaks: tuple[re.Pattern[str], ...]  # … and before and after the headings of a plan
    line_start_provision: re.Pattern[str]
    spaced_provision: re.Pattern[str]


@cache
def load_json(name: str) -> dict:
    return json.loads(resources.files("dutygraph.extract").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def layout() -> Layout:
    data = load_json("layout.json")
    numeral = data["numeral"]
    return Layout(
        line_prefix=data["line_prefix"],
        levels=combine_levels(data["levels"], numeral),
        article_heading=re.compile(data["article_heading"]),
        title_separator=re.compile(data["title_separator"]),
        toc_line=re.compile(data["toc_line"]),
        toc_page_number=re.compile(data["toc_page_number"]),
        md_info_end=data["md_info_end"],
        run_in_heading_max=data["run_in_heading_max"],
        sentence_end=re.compile(data["sentence_end"]),
        paragraph_end=re.compile(data["paragraph_end"]),
        promulgation=tuple(map(re.compile, data["promulgation"])),
        header_field=re.compile(data["header_field"]),
        footer=tuple(map(re.compile, data["footer"])),
        footer_tail_lines=data["footer_tail_lines"],
        bookmark=re.compile(data["bookmark"]),
        pinyin=re.compile(data["pinyin"]),
        debris_opening=re.compile(data["debris_opening"]),
        debris_symbols=re.compile(data["debris_symbols"]),
        flattened_break=re.compile(data["flattened_break"].replace("NUM", numeral)),
        flattened_item_break=re.compile(data["flattened_item_break"]),
        flattened_paragraph_break=re.compile(data["flattened_paragraph_break"]),
        flattened_line_chars=data["flattened_line_chars"],
        flattened_heading_breaks=tuple(re.compile(pattern.replace("NUM", numeral))
                                       for pattern in data["flattened_heading_breaks"]),
        line_start_provision=re.compile(data["line_start_provision"].replace("NUM", numeral)),
        spaced_provision=re.compile(data["spaced_provision"].replace("NUM", numeral)),
    )


def combine_levels(levels: dict[str, str], numeral: str) -> re.Pattern[str]:
    """One regex for every level, so each line is matched once; tried in the data file's order."""
    alternatives = []
    for kind, pattern in levels.items():
        named = pattern.removeprefix("^").replace("NUM", numeral)
        named = named.replace("(?P<num>", f"(?P<{kind}_num>").replace("(?P<suffix>", f"(?P<{kind}_suffix>")
        alternatives.append(f"(?P<{kind}>{named})")
    return re.compile("|".join(alternatives))
