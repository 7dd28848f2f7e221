"""Bytes to text without guessing silently: BOMs, then strict decoding attempts; when several
encodings decode cleanly, the one whose text uses the most common characters (charset-normalizer
breaks ties)."""
from __future__ import annotations

import codecs
import re
from functools import cache

import charset_normalizer

from dutygraph.errors import DutygraphError

LEGACY_ENCODINGS = ("gb18030", "big5")  # strict decode attempts after UTF-8, in this order
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x7fELF")
CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27}))
CONTROL_CHARS = CONTROL_BYTES.decode("ascii") + "\x00"
MAX_CONTROL_SHARE = 0.01
HTML_SNIFF_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_-]{2,20})", re.IGNORECASE)
UTF16_CJK_SHARE = 0.95
SCORE_TIE = 0.02
FIRST_LEVEL_LEAD_BYTES = {"gb2312": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}  # the most frequent hanzi of each
COMMON_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》【】〔〕—…·　")
CJK_TEXT = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")  # ideographs and their punctuation


def decode(data: bytes, source: str, declared: str = "") -> tuple[str, str]:
    """Text and encoding name: BOMs first, then the declared charset (HTML) if it decodes strictly,
    then strict attempts; never a lossy guess."""
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = ""
        if name and decodes(data, name):
            return data.decode(name), name
    for bom, encoding, reported in ((codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
                                    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16")):
        if data.startswith(bom):
            return strict(data[len(bom):], encoding, source), reported
    if data.startswith(BINARY_MAGIC):
        raise DutygraphError("DG-R002", source, "starts like a PDF, archive, image or program")
    if b"\x00" in data:
        return decode_utf16(data, source)
    control_heavy = len(data) - len(data.translate(None, CONTROL_BYTES)) > MAX_CONTROL_SHARE * len(data)
    if not control_heavy and decodes(data, "utf-8"):
        return data.decode("utf-8"), "utf-8"
    utf16 = [encoding for encoding in ("utf-16-le", "utf-16-be") if looks_like_utf16_chinese(data, encoding)]
    if control_heavy and not utf16:  # UTF-16 of CJK text has control bytes; anything else with them is binary
        raise DutygraphError("DG-R002", source, "control bytes")
    candidates = [encoding for encoding in LEGACY_ENCODINGS if decodes(data, encoding)] + utf16
    if not candidates:
        raise DutygraphError("DG-R003", source, "tried utf-8, utf-16, " + ", ".join(LEGACY_ENCODINGS))
    encoding = candidates[0] if len(candidates) == 1 else most_plausible(data, candidates)
    if encoding == "gb18030" and decodes(data, "gbk"):
        encoding = "gbk"
    return data.decode(encoding), encoding


def decode_utf16(data: bytes, source: str) -> tuple[str, str]:
    """Text with NUL bytes is UTF-16 without BOM when it decodes cleanly, else binary."""
    candidates = [encoding for encoding in ("utf-16-le", "utf-16-be")
                  if len(data) % 2 == 0 and decodes(data, encoding) and not mostly_control(data.decode(encoding))]
    if not candidates:
        raise DutygraphError("DG-R002", source, "NUL bytes and not UTF-16 text")
    encoding = candidates[0] if len(candidates) == 1 else most_plausible(data, candidates)
    return data.decode(encoding), encoding


def mostly_control(text: str) -> bool:
    return sum(text.count(char) for char in CONTROL_CHARS) > MAX_CONTROL_SHARE * len(text)


def looks_like_utf16_chinese(data: bytes, encoding: str) -> bool:
    """UTF-16 without BOM or ASCII (so without NUL bytes): plausible only as nearly all CJK text."""
    if len(data) % 2 or not decodes(data, encoding):
        return False
    text = data.decode(encoding)
    return len(CJK_TEXT.findall(text)) >= UTF16_CJK_SHARE * len(text)


def strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DutygraphError("DG-R003", source, f"byte {error.start} is not {encoding}") from None


def decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def most_plausible(data: bytes, candidates: list[str]) -> str:
    """The encoding whose text uses the most common characters; charset-normalizer breaks ties."""
    scores = {encoding: commonness(data.decode(encoding)) for encoding in candidates}
    best = max(scores.values())
    leaders = [encoding for encoding in candidates if scores[encoding] >= best - SCORE_TIE]
    return leaders[0] if len(leaders) == 1 else tie_break(data, leaders)


def commonness(text: str) -> float:
    """Share of common characters among the non-ASCII ones (ASCII reads the same in every candidate)."""
    wide = [char for char in text if not char.isascii()]
    return sum(map(is_common, wide)) / len(wide) if wide else 1.0


@cache
def is_common(char: str) -> bool:
    """A first-level character of GB2312 (simplified) or Big5 (traditional), or common punctuation."""
    for encoding, (low, high) in FIRST_LEVEL_LEAD_BYTES.items():
        try:
            encoded = char.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= encoded[0] <= high:
            return True
    return char in COMMON_PUNCTUATION


def tie_break(data: bytes, candidates: list[str]) -> str:
    """charset-normalizer's pick among encodings that all decode strictly; the first when it abstains."""
    best = charset_normalizer.from_bytes(data, cp_isolation=candidates).best()
    picked = codecs.lookup(best.encoding).name if best else ""
    return next((encoding for encoding in candidates if codecs.lookup(encoding).name == picked), candidates[0])


def declared_charset(data: bytes) -> str:
    """The charset an HTML page declares in its first bytes (<meta charset=…>), or ""."""
    match = DECLARED_CHARSET.search(data[:HTML_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else ""
