"""The data model every stage shares: plain frozen dataclasses, no behaviour.

bytes → SourceText (read) → Document (parse) → Unit (extract_units) → RDF (build_graph).
Only these objects travel between stages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Problem:
    """A coded error or warning about one input; codes live in dutygraph.errors.CATALOGUE."""

    code: str
    source: str  # file name (or "-" when not tied to a file)
    detail: str = ""
    location: str = ""  # e.g. "line 12", "art/5/para/2"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) into Document.text (the normalised text)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SourceText:
    """What `read` makes of one file's bytes: decoded, cleaned text plus where it came from."""

    path: str  # as given by the user
    source_file: str  # base name, e.g. "001_18aaf2e0bf01b38b.txt"
    checksum: str  # sha256 hex of the raw bytes
    format: str  # "txt" | "md" | "docx" | "html"
    encoding: str  # detected encoding of the raw bytes ("docx" for Word files)
    text: str  # normalised text in its original script (for display)
    simplified: str  # same length as `text`, simplified Chinese (for matching)
    # (normalised_offset, raw_offset) pairs, sorted: a normalised offset maps to the raw offset of
    # the nearest pair at or before it plus the distance past that pair.
    offset_map: tuple[tuple[int, int], ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Instrument:
    """Metadata of one legal or policy instrument."""

    source_file: str
    checksum: str
    title: str  # as written
    title_simplified: str
    type: str  # 法, 条例, 办法, 规定, 决定, 意见, 规划, 解释, … ("" if unknown)
    status: str  # "draft" | "enacted"
    jurisdiction: str  # 四川省, 湖北省, …, or 全国 (ontology/jurisdictions.ttl)
    issuer: str = ""
    doc_number: str = ""  # e.g. 川府发〔2009〕32号
    passed: date | None = None
    promulgated: date | None = None
    effective: date | None = None
    based_on: tuple[str, ...] = ()  # titles cited as legal basis: 根据《…》


@dataclass(frozen=True, slots=True)
class Provision:
    """One node of the document tree.

    kind: "part" (编), "chapter" (章), "section" (节), "article" (条), "paragraph" (款),
    "item" (项), "subitem" (目), "heading" (一、 / （一） / 1. sections of non-article
    instruments), "box" (专栏).
    path: stable id inside the document, built from kinds and numbers, e.g. "art/5/para/1/item/3",
    "chap/2", "sec/3/sec/2". Articles are addressed without their chapter ("art/5", "art/5-1" for
    第五条之一) so that moving an article between chapters keeps its id.
    """

    kind: str
    path: str
    label: str  # as written: "第五条", "（一）", "一、", "专栏1"
    number: int | None = None  # 第四十二条 → 42; （三） → 3
    suffix: int | None = None  # 第五条之一 → 1
    heading: str = ""  # [工作机制] / 【主体责任】 / chapter title
    span: Span = Span(0, 0)  # the provision's whole text in Document.text (label included)
    body: Span = Span(0, 0)  # the text after label and heading
    children: tuple[Provision, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    span: Span = Span(0, 0)


@dataclass(frozen=True, slots=True)
class Document:
    source: SourceText
    instrument: Instrument
    provisions: tuple[Provision, ...]  # top level, in document order
    tables: tuple[Table, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def simplified(self) -> str:
        return self.source.simplified


UNSPECIFIED = "(unspecified)"
MODALITIES = ("Duty", "Prohibition", "Permission", "Encouragement", "Support", "Commitment")


@dataclass(frozen=True, slots=True)
class Unit:
    """One obligation unit: one sentence × one actor (see spec/annotation-guidelines.md)."""

    authority: str  # Provision.path of the item, paragraph or article it comes from
    article: int | None  # article number, None for instruments without articles
    sentence: str  # as written (original script)
    sentence_span: Span
    modality: str  # one of MODALITIES
    actor: str | None  # canonical simplified actor name; None = unspecified
    actor_surface: str = ""  # as written in the sentence
    level: str | None = None  # 县级以上, 省, 省、市（州）…
    inferred: bool = False
    action: str = ""
    object: str = ""
    co_actors: tuple[str, ...] = ()  # canonical names of 会同 partners
    enforces: tuple[int, ...] = ()  # for sanctions: article numbers the unit enforces
    section_path: str = ""  # for instruments without articles, e.g. "三、（二）"
    in_sanctions: bool = False  # its sentence stands in a sanctions chapter (法律责任, 罚则: extract/data/markers.json)


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    document: Document
    units: tuple[Unit, ...] = field(default_factory=tuple)
