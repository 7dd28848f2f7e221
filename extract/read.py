"""Read one file's bytes into a SourceText: format, encoding, clean-up, simplified view.

SourceText.offset_map relates the normalised text to the decoded text (for .docx and .html, to
the text extracted from the document), so a span can be traced back to what the file said."""
from __future__ import annotations

import hashlib
from pathlib import Path

from dutygraph.errors import DutygraphError
from dutygraph.extract.clean import normalise, to_simplified
from dutygraph.extract.encodings import declared_charset, decode
from dutygraph.extract.formats import docx_text, html_text
from dutygraph.model import SourceText

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx",
           ".html": "html", ".htm": "html"}


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if not suffix:
        return "txt"
    raise DutygraphError("DG-R004", Path(name).name, f"'{suffix}' (supported: {', '.join(sorted(FORMATS))})")


def read_file(path: str | Path) -> SourceText:
    """The cleaned text of one .txt/.md/.docx/.html file; DutygraphError (DG-R…) names what is wrong."""
    name = Path(path).name
    format_of(name)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DutygraphError("DG-R005", name, error.strerror or type(error).__name__) from None
    return read_bytes(data, name, path=str(path))


def read_bytes(data: bytes, name: str, path: str | None = None) -> SourceText:
    """Like read_file, for bytes already in memory (name gives the format)."""
    source = Path(name).name
    file_format = format_of(source)
    if not data.strip():
        raise DutygraphError("DG-R001", source, "no bytes" if not data else "only whitespace")
    if file_format == "docx":
        raw, encoding = docx_text(data, source), "docx"
    else:
        raw, encoding = decode(data, source, declared_charset(data) if file_format == "html" else "")
        if file_format == "html":
            raw = html_text(raw, source)
    text, offset_map, problems = normalise(raw, source)
    if not text.strip():
        raise DutygraphError("DG-R001", source, "no text after clean-up")
    return SourceText(
        path=path or name, source_file=source, checksum=hashlib.sha256(data).hexdigest(),
        format=file_format, encoding=encoding, text=text, simplified=to_simplified(text),
        offset_map=offset_map, problems=problems,
    )
