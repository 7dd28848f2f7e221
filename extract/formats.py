"""Text out of Word and HTML files, laid out like the plain-text seeds (one paragraph per line;
table cells one per tab-indented line, rows separated by a blank line)."""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from dutygraph.errors import DutygraphError
from dutygraph.extract.layout import load_json

DROPPED_ELEMENTS = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "head", "select"})
BLOCK_ELEMENTS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                            "article", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "title"})
CELL_ELEMENTS = frozenset({"td", "th"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                           "track", "wbr"})
LINK_SHARE = 0.8  # a line whose text is mostly link text is navigation
LINK_LIST_MIN = 2


def docx_text(data: bytes, source: str) -> str:
    import docx  # python-docx is heavy; only Word files need it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DutygraphError("DG-R006", source, type(error).__name__) from None
    except Exception as error:  # noqa: BLE001 - lxml and zipfile raise many kinds on corrupt files
        raise DutygraphError("DG-R006", source, type(error).__name__) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines += table_lines([[cell.text for cell in row.cells] for row in block.rows])
        else:
            lines.append(block.text)
    return "\n".join(lines)


def table_lines(rows: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for row in rows:
        lines += ["\t" + cell.replace("\n", "") for cell in row] + [""]
    return lines


def html_text(markup: str, source: str) -> str:
    parser = TextCollector()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError as error:  # html.parser asserts on some broken declarations (<![ x)
        raise DutygraphError("DG-R007", source, str(error)) from None
    return "\n".join(parser.kept_lines())


class TextCollector(HTMLParser):
    """Visible text by block, remembering how much of each line was link text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, int, int]] = []  # (text, link characters, links)
        self.current, self.link_chars, self.links = [], 0, 0
        self.dropped: list[str] = []  # open elements of a navigation, header or footer region
        self.in_link, self.in_cell = 0, False
        self.boilerplate = frozenset(load_json("layout.json")["html_boilerplate_classes"])

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS and tag != "br":
            return
        if self.dropped or tag in DROPPED_ELEMENTS or self.is_boilerplate(attrs):
            if tag not in VOID_ELEMENTS:
                self.dropped.append(tag)
        elif tag == "a":
            self.in_link += 1
            self.links += 1
        elif tag in BLOCK_ELEMENTS and not self.in_cell:  # a cell stays one line
            self.break_line()
        elif tag in CELL_ELEMENTS:
            self.break_line()
            self.in_cell = True

    def is_boilerplate(self, attrs) -> bool:
        """An element whose id or class names page furniture (footer, nav, breadcrumb…)."""
        return any(token.lower() in self.boilerplate
                   for name, value in attrs if name in ("id", "class") and value for token in value.split())

    def handle_endtag(self, tag):
        if self.dropped:
            if tag in self.dropped:  # close it and whatever was left open inside it
                del self.dropped[len(self.dropped) - 1 - self.dropped[::-1].index(tag):]
        elif tag == "a":
            self.in_link = max(0, self.in_link - 1)
        elif tag in BLOCK_ELEMENTS and not self.in_cell:
            self.break_line()
        elif tag in CELL_ELEMENTS:
            self.break_line()
        elif tag == "tr":
            self.break_line()
            self.lines.append(("", 0, 0))  # rows are separated by an empty line, as in table_lines

    def handle_data(self, data):
        if self.dropped:
            return
        text = re.sub(r"\s+", " ", data)
        self.current.append(text)
        if self.in_link:
            self.link_chars += len(text.strip())

    def break_line(self):
        text = "".join(self.current).strip()
        if self.in_cell:
            self.lines.append(("\t" + text, 0, 0))
        elif text:
            self.lines.append((text, self.link_chars, self.links))
        self.current, self.link_chars, self.links, self.in_cell = [], 0, 0, False

    def close(self):
        super().close()
        self.break_line()

    def kept_lines(self) -> list[str]:
        kept = [text for text, link_chars, links in self.lines
                if not (links >= LINK_LIST_MIN and link_chars >= LINK_SHARE * len(text.replace(" ", "").replace("|", "")))]
        return [text for i, text in enumerate(kept) if text or (i and kept[i - 1])]  # one empty line at most
