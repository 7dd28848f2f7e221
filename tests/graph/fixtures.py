"""Hand-made Document and Unit values: the graph is built and tested without the extractor."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from dutygraph.model import Document, Instrument, Provision, SourceText, Span, Unit

TEXT = (
    "示例省质量促进条例\n"
    "第一章 总则\n"
    "第一条 企业应当落实质量主体责任，推动开展以下活动：\n"
    "（一）建立健全质量管理体系；\n"
    "（二）实施质量品牌战略。\n"
    "鼓励行业协会发挥作用。\n"
    "第二条 生产者不得生产国家明令淘汰的产品。\n"
    "第二章 法律责任\n"
    "第三条 违反本条例第二条规定的，由市场监督管理部门责令改正。\n"
)


def span_of(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment))


def provision(kind, path, label, fragment, number=None, children=()) -> Provision:
    return Provision(kind=kind, path=path, label=label, number=number, span=span_of(fragment),
                     body=span_of(fragment), children=tuple(children))


def make_document(source_file: str = "900_example.txt", text: str = TEXT) -> Document:
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = SourceText(path=source_file, source_file=source_file, checksum=checksum, format="txt",
                        encoding="utf-8", text=text, simplified=text)
    article1 = provision("article", "art/1", "第一条", "第一条 企业应当落实", 1, [
        provision("paragraph", "art/1/para/1", "", "企业应当落实质量主体责任，推动开展以下活动：", children=[
            provision("item", "art/1/para/1/item/1", "（一）", "（一）建立健全质量管理体系；", 1),
            provision("item", "art/1/para/1/item/2", "（二）", "（二）实施质量品牌战略。", 2),
        ]),
        provision("paragraph", "art/1/para/2", "", "鼓励行业协会发挥作用。"),
    ])
    chapter1 = provision("chapter", "chap/1", "第一章", "第一章 总则", 1, [
        article1,
        provision("article", "art/2", "第二条", "第二条 生产者不得生产国家明令淘汰的产品。", 2),
    ])
    chapter2 = provision("chapter", "chap/2", "第二章", "第二章 法律责任", 2, [
        provision("article", "art/3", "第三条", "第三条 违反本条例第二条规定的，由市场监督管理部门责令改正。", 3),
    ])
    instrument = Instrument(source_file=source_file, checksum=checksum, title="示例省质量促进条例",
                            title_simplified="示例省质量促进条例", type="条例", status="enacted",
                            jurisdiction="示例省", issuer="示例省人民代表大会常务委员会",
                            promulgated=date(2024, 1, 1), effective=date(2024, 3, 1),
                            based_on=("中华人民共和国产品质量法",))
    return Document(source=source, instrument=instrument, provisions=(chapter1, chapter2))


def make_units() -> tuple[Unit, ...]:
    def unit(authority, article, sentence, modality, actor, **extra) -> Unit:
        return Unit(authority=authority, article=article, sentence=sentence, sentence_span=span_of(sentence),
                    modality=modality, actor=actor, **extra)

    return (
        unit("art/1/para/1", 1, "企业应当落实质量主体责任，推动开展以下活动：", "Duty", "企业",
             action="落实", object="质量主体责任"),
        unit("art/1/para/1/item/1", 1, "（一）建立健全质量管理体系；", "Duty", "企业", inferred=True,
             action="建立健全", object="质量管理体系"),
        unit("art/1/para/1/item/2", 1, "（二）实施质量品牌战略。", "Duty", "企业", inferred=True,
             action="实施", object="质量品牌战略"),
        unit("art/1/para/2", 1, "鼓励行业协会发挥作用。", "Encouragement", "行业协会",
             action="发挥", object="作用"),
        unit("art/2", 2, "第二条 生产者不得生产国家明令淘汰的产品。", "Prohibition", "生产者",
             action="生产", object="国家明令淘汰的产品"),
        unit("art/3", 3, "违反本条例第二条规定的，由市场监督管理部门责令改正。", "Duty", "市场监督管理部门",
             level="县级以上", action="责令改正", enforces=(2,), co_actors=("示例协调机构",), in_sanctions=True),
    )


def edited_document(source_file: str = "900_example.txt") -> Document:
    """The same instrument after an edit: a different checksum and one more sentence."""
    return make_document(source_file, TEXT + "第四条 本条例自2024年3月1日起施行。\n")


def renamed(document: Document, source_file: str) -> Document:
    return replace(document, source=replace(document.source, source_file=source_file),
                   instrument=replace(document.instrument, source_file=source_file))


def reading(document: Document, units: tuple[Unit, ...]):
    """What ingest's seam (graph/ingest.py extract_lazily) gives for a hand-made document and units."""
    from dutygraph.graph.ingest import Reading

    return Reading(document, document.provisions, lambda _provisions: units)
