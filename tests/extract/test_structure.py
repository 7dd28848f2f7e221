"""Structure: the provision tree, tables and instrument metadata of the seeds and of LawRefBook files."""
from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest

from dutygraph.errors import DutygraphError
from dutygraph.extract.read import read_bytes, read_file
from dutygraph.extract.structure import parse
from tests.shared import DATA, SEEDS

ARTICLE_PARAGRAPH = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条", re.MULTILINE)


def seed(prefix: str):
    return parse(read_file(next(SEEDS.glob(prefix + "_*.txt"))))


def walk(provisions):
    for provision in provisions:
        yield provision
        yield from walk(provision.children)


def of_kind(document, kind):
    return [provision for provision in walk(document.provisions) if provision.kind == kind]


def find(document, path):
    return next(provision for provision in walk(document.provisions) if provision.path == path)


def body(document, provision):
    return document.text[provision.body.start:provision.body.end]


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_regulation_seeds_have_their_articles_in_seven_chapters(prefix):
    document = seed(prefix)
    expected = {"000": 42, "001": 42, "002": 34}[prefix]
    chapters = document.provisions
    assert [chapter.kind for chapter in chapters] == ["chapter"] * 7
    assert [chapter.path for chapter in chapters] == [f"chap/{n}" for n in range(1, 8)]
    articles = [child for chapter in chapters for child in chapter.children]
    assert [article.path for article in articles] == [f"art/{n}" for n in range(1, expected + 1)]
    assert all(article.kind == "article" for article in articles)


def test_article_headings_and_paragraphs_of_seed_000():
    document = seed("000")
    article = find(document, "art/4")
    assert (article.label, article.heading) == ("第四条", "工作机制")
    paragraphs = [child.path for child in article.children]
    assert paragraphs == [f"art/4/para/{n}" for n in range(1, 5)]
    assert body(document, article.children[0]).startswith("县级以上人民政府应当加强质量促进工作的领导")
    assert body(document, article.children[3]) == "质量促进所需工作经费列入本级财政预算。"
    assert find(document, "chap/2").heading == "基础支撑"


def test_article_5_of_seed_001_has_five_items_under_its_lead_in():
    document = seed("001")
    article = find(document, "art/5")
    assert article.heading == "主体责任"
    lead_in = article.children[0]
    assert body(document, lead_in).startswith("企业应当落实质量主体责任，推动开展以下质量促进活动：")
    assert [item.path for item in lead_in.children] == [f"art/5/para/1/item/{n}" for n in range(1, 6)]
    assert [item.label for item in lead_in.children] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert body(document, lead_in.children[4]) == "依法开展其他质量促进活动。"


def test_traditional_seed_002_metadata_and_recovered_items():
    document = seed("002")
    instrument = document.instrument
    assert instrument.title == "新疆維吾爾自治區質量促進條例"
    assert instrument.title_simplified == "新疆维吾尔自治区质量促进条例"
    assert (instrument.type, instrument.status, instrument.jurisdiction) == ("条例", "enacted", "新疆维吾尔自治区")
    assert instrument.effective == date(2024, 11, 1)
    assert instrument.passed == date(2024, 9, 27)
    assert instrument.promulgated == date(2024, 10, 3)
    items = find(document, "art/6").children[0].children
    assert [item.number for item in items] == [1, 2, 3, 4, 5, 6]
    assert body(document, items[1]).startswith("量技術創")


def test_table_of_contents_and_promulgation_notice_are_not_provisions():
    document = seed("002")
    first = document.provisions[0]
    assert first.path == "chap/1"
    assert document.text[first.span.start:].startswith("第一章 總則\n第一條")
    assert all("公告" not in body(document, p) for p in walk(document.provisions))


def test_draft_seeds_are_drafts():
    for prefix in ("000", "001", "004"):
        assert seed(prefix).instrument.status == "draft"
    assert seed("001").instrument.jurisdiction == "湖北省"


def test_opinion_seed_003_has_four_sections_with_subsections_and_no_articles():
    document = seed("003")
    assert not of_kind(document, "article")
    sections = [p for p in document.provisions if p.kind == "heading"]
    assert [(p.path, p.heading) for p in sections] == [("sec/1", "指导思想"), ("sec/2", "发展目标"), ("sec/3", "主要任务"),
                                                     ("sec/4", "保障措施")]
    assert [len([c for c in p.children if c.kind == "heading"]) for p in sections] == [0, 0, 8, 5]
    run_in = find(document, "sec/3/sec/1")
    assert run_in.heading == "提高全民质量安全意识。"
    assert body(document, run_in.children[0]).startswith("提高全民质量安全意识。充分发挥")
    instrument = document.instrument
    assert (instrument.doc_number, instrument.issuer, instrument.type) == ("川府发〔2009〕32号", "四川省人民政府", "意见")
    assert instrument.title == "四川省人民政府关于全面推进质量兴川战略的若干意见"
    everything = "".join(document.text[p.span.start:p.span.end] for p in document.provisions)
    for footer in ("Copyright", "ICP", "关于我们", "发布单位"):
        assert footer not in everything


def test_plan_seed_004_chapters_boxes_and_indicator_table():
    document = seed("004")
    chapters = [p for p in document.provisions if p.kind == "chapter"]
    assert [p.number for p in chapters] == list(range(1, 13))
    boxes = of_kind(document, "box")
    assert [box.number for box in boxes] == list(range(1, 23))
    assert boxes[0].path == "chap/3/sec/1/box/1"
    assert [child.path for child in boxes[0].children] == [f"chap/3/sec/1/box/1/sec/{n}" for n in (1, 2, 3)]
    (table,) = document.tables
    assert table.caption.startswith("表1")
    assert table.header == ("类别", "序号", "指标名称", "单 位", "2020年", "2025年")
    assert len(table.rows) == 32
    assert all(len(row) == 6 for row in table.rows)
    assert [row[1] for row in table.rows] == [str(n) for n in range(1, 33)]
    assert table.rows[0] == ("创新驱动", "1", "全社会研发经费投入强度", "%", "2.17", "2.4")
    assert table.rows[1][0] == "创新驱动"  # carried down
    assert table.rows[3][2] == "高技术制造业营业收入占规上工业营业总收入比重"  # wrapped cell joined
    assert table.rows[25] == ("质量治理", "26", "食品评价性抽检合格率", "%", "98", ">98")
    assert table.rows[31][0] == "质量治理"
    paragraphs = of_kind(document, "paragraph")
    assert not [p for p in paragraphs if table.span.start <= p.span.start < table.span.end]
    assert document.instrument.based_on[0] == "质量强国建设纲要（2021—2035年）"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_span_lies_in_the_text_and_paths_are_unique(prefix):
    document = seed(prefix)
    provisions = list(walk(document.provisions))
    assert len({p.path for p in provisions}) == len(provisions)
    for provision in provisions:
        assert 0 <= provision.span.start <= provision.body.start <= provision.body.end == provision.span.end <= len(
            document.text)
        assert document.text[provision.span.start:provision.span.end].strip()
        for child in provision.children:
            assert provision.span.start <= child.span.start and child.span.end <= provision.span.end


def same_text_saved_as(text: str, how: str) -> bytes:
    if how == "docx":
        document = docx.Document()
        for line in text.split("\n"):
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    return text.encode(how)


def shape(document):
    def tree(provisions):
        return tuple((p.kind, p.path, p.label, p.heading, body(document, p).strip(), tree(p.children))
                     for p in provisions)
    return tree(document.provisions), document.tables and document.tables[0].rows, document.instrument.title


@pytest.mark.parametrize("how", ["gbk", "utf-16", "utf-16-le", "docx"])
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_gbk_utf16_and_docx_copies_have_the_structure_of_the_utf8_original(prefix, how):
    text = next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")
    if how == "gbk":  # the few characters GBK lacks (no-break space, ©, U+FFFD) become plain ones
        text = "".join(char if char.encode("gbk", errors="ignore") else " " for char in text)
    original = parse(read_bytes(text.encode("utf-8"), "seed.txt"))
    copy = parse(read_bytes(same_text_saved_as(text, how), "seed." + ("docx" if how == "docx" else "txt")))
    assert shape(copy) == shape(original)
    assert of_kind(copy, "article") or of_kind(copy, "heading")


LAWREFBOOK = sorted(path for path in (DATA / "structure").glob("*.md"))


@pytest.mark.parametrize("path", LAWREFBOOK, ids=[path.stem for path in LAWREFBOOK])
def test_lawrefbook_article_count_equals_the_regex_count(path):
    expected = len(ARTICLE_PARAGRAPH.findall(path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]))
    assert len(of_kind(parse(read_file(path)), "article")) == expected


def test_lawrefbook_parts_chapters_and_items():
    document = parse(read_file(DATA / "structure" / "criminal-procedure-law.md"))
    parts = document.provisions
    assert [p.kind for p in parts] == ["part"] * 5
    assert parts[0].heading == "总则" and parts[0].children[0].path == "part/1/chap/1"
    assert find(document, "art/16").children[0].children[0].path == "art/16/para/1/item/1"
    instrument = document.instrument
    assert instrument.title == "中华人民共和国刑事诉讼法"
    assert (instrument.type, instrument.jurisdiction, instrument.passed) == ("法", "全国", date(1979, 7, 1))
    assert instrument.issuer == "全国人民代表大会"


def test_lawrefbook_sections_inside_chapters():
    document = parse(read_file(DATA / "structure" / "zhejiang-construction-quality.md"))
    sections = of_kind(document, "section")
    assert sections and all(re.fullmatch(r"chap/\d+/sec/\d+", s.path) for s in sections)
    assert all(child.kind == "article" for s in sections for child in s.children)
    assert document.instrument.jurisdiction == "浙江省"


def test_lawrefbook_file_name_date_and_blank_line_paragraphs():
    document = parse(read_file(DATA / "structure" / "公益事业捐赠法(1999-06-28).md"))
    assert document.instrument.promulgated == date(1999, 6, 28)
    assert document.instrument.title == "中华人民共和国公益事业捐赠法"
    article = find(document, "art/3")
    assert [item.number for item in article.children[0].children] == [1, 2, 3, 4]


def test_amendment_without_articles_is_a_list_of_headings():
    document = parse(read_file(DATA / "structure" / "criminal-law-amendment-7.md"))
    assert not of_kind(document, "article")
    assert document.provisions[0].path == "sec/1"
    assert document.instrument.type == "修正案"


SYNTHETIC = """某某省质量条例（征求意见稿）
目  录
第一编 总则
第一章 一般规定
第一编 总则
第一章 一般规定
第一条【目的】 为了……，根据《中华人民共和国产品质量法》和《中华人民共和国标准化法》，制定本条例。
第二条 下列单位应当：
（一）建立制度；
（二）落实以下措施：
1. 培训；
2、检查；
第二条之一 新增的条文。
第二节 不是节的正文
第二章 附则
第三条
本条例自2025年1月1日起施行。
"""


def test_synthetic_regulation_with_toc_parts_subitems_and_article_suffixes():
    document = parse(read_bytes(SYNTHETIC.encode(), "某某省质量条例.txt"))
    assert [p.path for p in document.provisions] == ["part/1"]
    assert [c.path for c in document.provisions[0].children] == ["part/1/chap/1", "part/1/chap/2"]
    assert [a.path for a in of_kind(document, "article")] == ["art/1", "art/2", "art/2-1", "art/3"]
    suffixed = find(document, "art/2-1")
    assert (suffixed.number, suffixed.suffix, suffixed.label) == (2, 1, "第二条之一")
    assert [s.path for s in of_kind(document, "subitem")] == ["art/2/para/1/item/2/sub/1", "art/2/para/1/item/2/sub/2"]
    assert [p.path for p in find(document, "art/3").children] == ["art/3/para/1"]
    instrument = document.instrument
    assert instrument.based_on == ("中华人民共和国产品质量法", "中华人民共和国标准化法")
    assert (instrument.status, instrument.jurisdiction, instrument.effective) == ("draft", "全国", date(2025, 1, 1))


def test_text_without_structure_is_refused():
    with pytest.raises(DutygraphError) as raised:
        parse(read_bytes("# 标题\n\n<!-- INFO END -->\n\n".encode(), "empty.md"))
    assert raised.value.code == "DG-S001"


def test_article_gaps_are_warned():
    document = parse(read_bytes("第一条 甲。\n第三条 乙。\n".encode(), "gap.txt"))
    assert [problem.code for problem in document.problems] == ["DG-S101"]


def test_lines_broken_inside_a_sentence_join_the_paragraph_above():
    document = seed("003")
    energy = find(document, "sec/3/sec/7")
    assert [child.path for child in energy.children] == ["sec/3/sec/7/para/1"]
    assert "\n\n动。通过实施锅炉" in body(document, energy.children[0])
    wrapped = parse(read_bytes("第一条 县级以上人民政府应当\n加强质量工作。\n县级以上有关部门应当配合。\n".encode(), "w.txt"))
    assert [body(wrapped, p) for p in find(wrapped, "art/1").children] == [
        "县级以上人民政府应当\n加强质量工作。", "县级以上有关部门应当配合。"]


def test_table_of_contents_of_a_plan_is_skipped():
    plan = "某市质量规划\n目录\n第一章 基础\n第二章 任务\n第一章 基础\n一、成效\n正文。\n第二章 任务\n一、目标\n正文。\n"
    document = parse(read_bytes(plan.encode(), "plan.txt"))
    assert [p.path for p in document.provisions] == ["chap/1", "chap/2"]
    assert [p.path for p in walk(document.provisions) if p.kind == "paragraph"] == ["chap/1/sec/1/para/1",
                                                                                   "chap/2/sec/1/para/1"]


def test_html_page_with_a_table_parses_into_headings_and_rows():
    page = ("<html><body><nav><a href='/'>首页</a></nav><p>某市质量规划</p><p>一、目标</p><p>表1 目标</p>"
            "<table><tr><th>类别</th><th>指标</th></tr><tr><td>创新</td><td>研发<br>投入</td></tr>"
            "<tr><td></td><td>专利</td></tr></table><p>二、任务</p><p>加强质量工作。</p></body></html>")
    document = parse(read_bytes(page.encode(), "plan.html"))
    assert [p.path for p in document.provisions] == ["sec/1", "sec/2"]
    (table,) = document.tables
    assert (table.header, table.rows) == (("类别", "指标"), (("创新", "研发投入"), ("创新", "专利")))


@pytest.mark.parametrize("title, meeting, jurisdiction, issuer", [
    ("洛阳市古树名木保护条例", "洛阳市第十四届人民代表大会常务委员会第二十二次会议通过", "洛阳市", "洛阳市人民代表大会常务委员会"),
    ("浙江省建设工程质量管理条例", "浙江省第八届人民代表大会常务委员会第二十一次会议通过", "浙江省", "浙江省人民代表大会常务委员会"),
    ("最高人民法院关于内地与香港特别行政区法院相互认可和执行民商事案件判决的安排", "最高人民法院审判委员会第1769次会议通过",
     "全国", ""),
])
def test_lawrefbook_jurisdiction_and_issuer(title, meeting, jurisdiction, issuer):
    text = f"# {title}\n\n2015年6月12日 {meeting}\n\n<!-- INFO END -->\n\n第一条 为了保护，制定本条例。\n"
    instrument = parse(read_bytes(text.encode(), f"{title}(2015-08-12).md")).instrument
    assert (instrument.jurisdiction, instrument.issuer) == (jurisdiction, issuer)
    assert (instrument.passed, instrument.promulgated) == (date(2015, 6, 12), date(2015, 8, 12))


def test_chapter_title_on_its_own_line_and_numbered_parts_of_a_plan():
    regulation = parse(read_bytes("第一章\n总则\n第一条 甲应当乙。\n".encode(), "r.txt"))
    chapter = regulation.provisions[0]
    assert (chapter.heading, chapter.children[0].path) == ("总则", "art/1")
    plan = "某省规划\n第一部分 总体要求\n一、目标\n（1）提高质量。\n（2）加强标准。\n第二部分 任务\n一、行动\n做事。\n"
    document = parse(read_bytes(plan.encode(), "plan.txt"))
    assert [(p.kind, p.path, p.heading) for p in document.provisions] == [("part", "part/1", "总体要求"),
                                                                         ("part", "part/2", "任务")]
    assert [p.path for p in find(document, "part/1/sec/1").children] == ["part/1/sec/1/sec/1", "part/1/sec/1/sec/2"]


def test_draft_word_in_a_long_front_line_does_not_make_a_draft():
    enacted = "某省质量条例\n2020年1月1日某省人民代表大会常务委员会审议《某省质量条例（草案）》后通过\n第一条 甲。\n"
    draft = "某省质量条例\n（送审稿）\n第一条 甲。\n"
    assert parse(read_bytes(enacted.encode(), "a.txt")).instrument.status == "enacted"
    assert parse(read_bytes(draft.encode(), "b.txt")).instrument.status == "draft"


def test_effective_date_is_the_closing_commencement_clause():
    text = "某省条例\n第一条 自2001年1月1日起施行的旧办法同时修订。\n第二条 本条例自2020年5月1日起施行。\n"
    assert parse(read_bytes(text.encode(), "a.txt")).instrument.effective == date(2020, 5, 1)


def test_a_document_opening_with_its_contents_takes_its_title_from_the_file_name():
    document = parse(read_bytes("目录\n第一章 总则\n第一章 总则\n第一条 甲。\n".encode(), "某条例.txt"))
    assert (document.instrument.title, [p.path for p in document.provisions]) == ("某条例", ["chap/1"])


def test_a_text_that_opens_with_a_sentence_has_no_title_line():
    """A provision quoted alone or a pasted paragraph: its line is text, not the title (it was taken
    for the title and the file failed with DG-S001)."""
    document = parse(read_bytes("企业应当建立质量管理制度。生产者不得掺杂掺假。\n".encode(), "摘录.txt"))
    assert (document.instrument.title, [p.path for p in document.provisions]) == ("摘录", ["para/1"])
    titled = parse(read_bytes("质量条例\n企业应当建立质量管理制度。\n".encode(), "摘录.txt"))
    assert (titled.instrument.title, [p.path for p in titled.provisions]) == ("质量条例", ["para/1"])


def test_repeated_numbers_get_unique_paths_and_a_warning():
    text = "第一章 总则\n第一条 甲。\n第一章 附则\n第二条 乙：\n（一）丙；\n（一）丁。\n"
    document = parse(read_bytes(text.encode(), "r.txt"))
    paths = [p.path for p in walk(document.provisions)]
    assert "chap/1~2" in paths and "art/2/para/1/item/1~2" in paths
    assert len(set(paths)) == len(paths)
    assert "DG-S103" in [problem.code for problem in document.problems]


def test_numbered_groups_of_articles_in_an_interpretation():
    text = ("# 某解释\n\n<!-- INFO END -->\n\n## 一、一般规定\n\n第一条 甲。\n\n第二条 乙：\n\n一、丙；\n\n"
            "## 二、技术开发合同，包括委托开发和合作开发，依照本解释处理。\n\n第三条 丁。\n")
    document = parse(read_bytes(text.encode(), "interpretation.md"))
    assert [(p.kind, p.path, [c.path for c in p.children]) for p in document.provisions] == [
        ("heading", "sec/1", ["art/1", "art/2"]), ("heading", "sec/2", ["art/3"])]
    assert [p.path for p in find(document, "art/2").children] == ["art/2/para/1", "art/2/para/2"]
