"""Reading: formats, encodings, clean-up with traceable offsets, the simplified view, coded errors."""
from __future__ import annotations

import codecs
import io
from collections import Counter

import docx
import pytest

from dutygraph.errors import DutygraphError
from dutygraph.extract import clean
from dutygraph.extract.discover import discover
from dutygraph.extract.read import read_bytes, read_file
from tests.shared import SEEDS

ARTICLE = "第一条 县级以上人民政府应当加强质量工作。\n第二条 本条例自2024年11月1日起施行。\n"


def codes(source) -> set[str]:
    return {problem.code for problem in source.problems}


def raw_offset(source, normalised: int) -> int:
    """The offset map as model.SourceText documents it."""
    start, raw = max(pair for pair in source.offset_map if pair[0] <= normalised)
    return raw + normalised - start


@pytest.mark.parametrize("encoding, reported", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("big5", "big5"),
])
def test_encodings_are_detected_and_reported(encoding, reported):
    text = "第一條 縣級以上人民政府應當加強質量工作。\n" if encoding == "big5" else ARTICLE
    if encoding == "gb18030":
        text += "欧元符号€与私用区\ue5e5\n"  # bytes that GBK lacks
    source = read_bytes(text.encode(encoding), "law.txt")
    assert source.encoding == reported
    assert source.text == text


def test_gbk_file_is_not_mistaken_for_big5_or_utf8():
    text = (SEEDS / "004_14d38c5d599a43e8.txt").read_text(encoding="utf-8")
    source = read_bytes(text.encode("gbk"), "plan.txt")
    assert source.encoding == "gbk"
    assert "四川省“十四五”质量发展规划" in source.text


@pytest.mark.parametrize("data, name, code", [
    (b"", "empty.txt", "DG-R001"),
    (b"  \n\r\n\t ", "blank.txt", "DG-R001"),
    (b"\x00\x01\x02\x03\xff\xfe\x00\x00binary", "blob.txt", "DG-R002"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.txt", "DG-R002"),
    (bytes(range(0x80, 0x100)) * 4, "mojibake.txt", "DG-R003"),
    (ARTICLE.encode(), "law.pdf", "DG-R004"),
    (b"not a zip", "draft.docx", "DG-R006"),
    ("<p>第一条 甲</p><![ x".encode(), "page.html", "DG-R007"),
])
def test_bad_input_raises_a_coded_error_naming_the_file(data, name, code):
    with pytest.raises(DutygraphError) as raised:
        read_bytes(data, name)
    assert raised.value.code == code
    assert name in str(raised.value)


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(DutygraphError) as raised:
        read_file(tmp_path / "gone.txt")
    assert raised.value.code == "DG-R005"


def test_bookmark_debris_is_removed_and_offsets_stay_traceable():
    raw = "[bookmark: _Toc79999494]第一章  规划基础\n[bookmark: _Hlk1][bookmark: _Hlk2]一、发展成效\n"
    source = read_bytes(raw.encode(), "plan.txt")
    assert source.text == "第一章  规划基础\n一、发展成效\n"
    assert "DG-R103" in codes(source)
    heading = source.text.index("一、")
    assert raw[raw_offset(source, heading):].startswith("一、")


def test_pinyin_debris_is_removed_but_real_parentheses_stay():
    raw = "新疆維吾爾自治區(qū)質量促進條例(第35號)，經(jīng)濟(试行)(a)\n"
    source = read_bytes(raw.encode(), "law.txt")
    assert source.text == "新疆維吾爾自治區質量促進條例(第35號)，經濟(试行)(a)\n"
    assert "DG-R102" in codes(source)
    assert raw[raw_offset(source, source.text.index("質量")):].startswith("質量")


def test_replacement_debris_inside_an_item_list_becomes_the_missing_markers():
    raw = ("第六條 企業應當開展以下活動:\n(一)推廣先進技術;\n\ufffd。ǘ┘訌娰|量技術創新;\n(三)制定標準;\n"
           "\ufffd。ㄋ模┘訌娰|量安全管理;\n\ufffd。ㄎ澹⿵娀\\信自律;\n(六)開展其他活動。\n")
    source = read_bytes(raw.encode(), "law.txt")
    lines = source.text.splitlines()
    assert [line[:3] for line in lines[1:]] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]
    assert lines[2] == "(二)量技術創新;"
    assert "\ufffd" not in source.text
    assert "DG-R101" in codes(source)


def test_replacement_debris_after_item_99_is_dropped_not_numbered():
    source = read_bytes("（九十九）甲；\n\ufffd。ǘ┘乙。\n".encode(), "law.txt")
    assert source.text == "（九十九）甲；\n乙。\n"


def test_replacement_debris_outside_a_list_is_dropped():
    source = read_bytes("說明\n\ufffd。\ufffd2024年9月27日通過)\n正文\ufffd完\n".encode(), "law.txt")
    assert source.text == "說明\n2024年9月27日通過)\n正文完\n"
    assert "DG-R101" in codes(source)


def test_web_footer_is_removed():
    source = read_bytes((SEEDS / "003_f9d3a63319543e59.txt").read_bytes(), "003.txt")
    for footer in ("Copyright", "ICP", "关于我们", "本库所有资料", "版权所有", "Reproduction"):
        assert footer not in source.text
    assert source.text.rstrip().endswith("。")
    assert "DG-R104" in codes(source)


def on_one_line(text: str) -> str:
    """The text as a web page's copy gives it: its lines joined by spaces."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def unit_rows(text: str, name: str, fields: tuple[str, ...]) -> list[tuple]:
    """The text's units as rows of `fields` (a sentence without its whitespace)."""
    from dutygraph.extract.structure import parse
    from dutygraph.extract.units import extract_units

    units = extract_units(parse(read_bytes(text.encode(), name)))
    return [tuple("".join(unit.sentence.split()) if field == "sentence" else getattr(unit, field) for field in fields)
            for unit in units]


FLATTENED = ("某省产品质量条例 第一章 总则 第一条 为了加强产品质量管理，制定本条例。 第二条 生产者应当依照本条例第十条 "
             "规定建立制度。第三条 部门应当履行下列职责：（一）组织抽查；（二）查处违法行为。")


def test_a_text_that_lost_its_line_breaks_gets_them_back_before_its_provisions():
    """Pasted from a web page or a PDF: one break before each provision marker that opens a clause
    and before an item after its lead-in; a citation (本条例第十条 规定) keeps its place."""
    source = read_bytes(FLATTENED.encode(), "flattened.txt")
    assert source.text.split("\n") == [
        "某省产品质量条例", "第一章 总则", "第一条 为了加强产品质量管理，制定本条例。",
        "第二条 生产者应当依照本条例第十条 规定建立制度。", "第三条 部门应当履行下列职责：", "（一）组织抽查；",
        "（二）查处违法行为。"]
    assert [problem.detail for problem in source.problems if problem.code == "DG-R105"] == ["6 place(s)"]
    for line in source.text.split("\n"):  # every line still reads, through the offset map, what the file wrote
        start = source.text.index(line)
        assert FLATTENED[raw_offset(source, start):raw_offset(source, start) + len(line)] == line


def test_a_text_with_its_line_breaks_is_not_touched_where_a_citation_follows_a_sentence():
    text = "第一条 甲应当遵守本条例。第十条 规定的事项除外。\n" * 3
    source = read_bytes(text.encode(), "law.txt")
    assert source.text == text and "DG-R105" not in codes(source)


@pytest.mark.parametrize("seed", ["000_1c62b5ba5ae13ae9.txt", "001_18aaf2e0bf01b38b.txt"])
def test_a_regulation_with_its_line_breaks_lost_yields_the_same_units(seed):
    """A seed regulation joined into one line, its lines into spaces (as a web page's copy gives it):
    the same units, articles, actors and sentences as the file itself. Seed 001's articles have
    several paragraphs, whose breaks are read back from the spaces after their sentences."""
    written = (SEEDS / seed).read_text(encoding="utf-8")
    fields = ("article", "actor", "modality", "level", "inferred", "sentence")
    assert unit_rows(on_one_line(written), seed, fields) == unit_rows(written, seed, fields)


def test_a_page_pasted_onto_one_line_gets_its_lines_back_and_loses_only_its_footer():
    """Seed 003 (an opinion, with a web page's footer) on one line. Its lines average over 1,000
    characters, so it lost its line breaks whatever its markers: its paragraphs, 一、 and （一） headings
    come back first, and the footer is then found on a line of its own and removed, as in the seed.
    The one line was cut whole as a footer (DG-R001), then taken for the title or a promulgation line
    (DG-S001); it gives the seed's own units now, no more and no fewer."""
    written = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    source = read_bytes(on_one_line(written).encode(), "003.txt")
    assert {"DG-R104", "DG-R105"} <= codes(source)
    assert "".join(source.text.split()) == "".join(read_bytes(written.encode(), "003.txt").text.split())
    fields = ("actor", "modality", "sentence")
    assert Counter(unit_rows(on_one_line(written), "003.txt", fields)) == Counter(unit_rows(written, "003.txt", fields))


def test_a_long_line_is_never_a_footer():
    """A page on one line that no break can be restored in keeps its words, footer and all."""
    text = "甲" * 500 + "。版权所有，转载请注明出处。"
    assert read_bytes(text.encode(), "page.txt").text == text


def test_full_width_spaces_become_spaces_in_place():
    source = read_bytes("第一条\u3000总则\u3000内容\n".encode(), "law.txt")
    assert source.text == "第一条 总则 内容\n"


def test_crlf_and_cr_line_ends_are_normalised():
    assert read_bytes(b"one\rtwo\r", "law.txt").text == "one\ntwo\n"
    source = read_bytes(b"line one\r\nline two\r\n", "law.txt")
    assert source.text == "line one\nline two\n"
    assert raw_offset(source, source.text.index("two")) == b"line one\r\nline ".__len__()


def test_traditional_text_keeps_its_script_with_a_simplified_view_of_equal_length():
    source = read_bytes((SEEDS / "002_5fcfdeced73421af.txt").read_bytes(), "002.txt")
    assert len(source.simplified) == len(source.text)
    assert "質量促進條例" in source.text
    assert "质量促进条例" in source.simplified
    assert source.simplified[source.text.index("質量促進條例"):][:6] == "质量促进条例"


def test_a_simplified_text_is_held_once_for_both_views():
    """A document's two views stand in memory for its whole build: one string when nothing converts."""
    source = read_bytes((SEEDS / "000_1c62b5ba5ae13ae9.txt").read_bytes(), "000.txt")
    assert source.simplified is source.text
    traditional = read_bytes((SEEDS / "002_5fcfdeced73421af.txt").read_bytes(), "002.txt")
    assert traditional.simplified is not traditional.text


def test_simplified_view_falls_back_to_characters_where_a_phrase_conversion_changes_length(monkeypatch):
    class PhraseConverter:
        """t2s with one phrase rule that changes length (as regional phrase tables can)."""

        def convert(self, text: str) -> str:
            return text.replace("滑鼠", "鼠标器").replace("網", "网").replace("數", "数")

    monkeypatch.setattr(clean, "t2s", PhraseConverter)
    clean.simplify_char.cache_clear()
    try:
        simplified = clean.to_simplified("用滑鼠上網\n數據\n")
    finally:
        clean.simplify_char.cache_clear()
    assert simplified == "用滑鼠上网\n数據\n"  # the phrase line per character, the other line as converted


def test_docx_paragraphs_and_tables_come_in_body_order():
    document = docx.Document()
    document.add_paragraph("四川省质量规划")
    document.add_paragraph("表1  目标")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("类别", "指标"), ("创新", "研发投入")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("一、总体要求")
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_bytes(buffer.getvalue(), "plan.docx")
    assert source.encoding == "docx"
    assert source.text.splitlines() == ["四川省质量规划", "表1  目标", "\t类别", "\t指标", "", "\t创新", "\t研发投入", "",
                                        "一、总体要求"]


def test_html_keeps_text_and_drops_scripts_navigation_footers_and_link_lists():
    page = """<html><head><title>t</title><script>var x = "第九条";</script><style>p{}</style></head>
    <body><nav><a href="/">首页</a></nav><header>网站标题</header>
    <h1>某某条例</h1><p>第一条&nbsp;为了规范质量工作，制定本条例。</p><div>第二条 本条例自公布之日起施行。</div>
    <p><a href="/a">关于我们</a> | <a href="/b">联系我们</a> | <a href="/c">网站地图</a></p>
    <footer>Copyright © 2024</footer></body></html>"""
    source = read_bytes(codecs.BOM_UTF8 + page.encode(), "page.html")
    assert source.format == "html"
    assert source.text.splitlines() == ["某某条例", "第一条 为了规范质量工作，制定本条例。", "第二条 本条例自公布之日起施行。"]


def test_read_file_reports_path_name_and_checksum(tmp_path):
    path = tmp_path / "law.md"
    path.write_bytes(ARTICLE.encode())
    source = read_file(path)
    assert (source.path, source.source_file, source.format) == (str(path), "law.md", "md")
    assert len(source.checksum) == 64


def test_discover_expands_folders_recursively_to_supported_files_sorted(tmp_path):
    for name in ("b/law.md", "a/plan.docx", "a/notes.pdf", "c.htm", "a/.hidden.txt", "z.TXT"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    explicit = tmp_path / "a" / "notes.pdf"
    found = discover([tmp_path, explicit])
    assert [path.relative_to(tmp_path).as_posix() for path in found] == ["a/plan.docx", "b/law.md", "c.htm", "z.TXT",
                                                                          "a/notes.pdf"]


def test_html_tables_are_laid_out_like_word_tables():
    page = ("<p>表1 目标</p><table><tr><th>类别</th><th>指标</th></tr><tr><td>创新</td><td>研发<br>投入</td></tr>"
            "<tr><td></td><td>专利</td></tr></table><p>一、总体要求</p>")
    source = read_bytes(page.encode("gbk"), "plan.htm")
    assert source.encoding == "gbk"
    assert source.text.splitlines() == ["表1 目标", "\t类别", "\t指标", "", "\t创新", "\t研发投入", "", "\t", "\t专利", "",
                                        "一、总体要求"]


SHORT_TEXTS = ["质量促进条例县级以上人民政府应当加强质量工作。", "第一条县级以上人民政府应当加强质量工作，企业",
               "第一條 縣級以上人民政府應當加強質量工作。", "abc def\n第一条"]
SHORT_CASES = [(text, encoding) for text in SHORT_TEXTS for encoding in ("utf-16-le", "utf-16-be", "gbk", "big5")
               if text.encode(encoding, errors="replace").decode(encoding) == text]


@pytest.mark.parametrize("text, encoding", SHORT_CASES)
def test_short_texts_without_bom_decode_to_what_was_written(text, encoding):
    source = read_bytes(text.encode(encoding), "short.txt")
    assert (source.text, source.encoding) == (text, encoding)


def test_legal_text_that_mentions_copyright_is_not_a_footer():
    text = "九、对于版权所有，一方转让或准许另一方使用的出版发行权和其他权利，应当在合同中写明。\n十、本规定自发布之日起施行。\n"
    source = read_bytes(text.encode(), "rule.txt")
    assert source.text == text
    assert not source.problems


def test_html_regions_named_as_page_furniture_are_dropped():
    page = ("<div id='header'><div>某省人民政府网</div></div><div class='breadcrumb'>首页 &gt; 政策</div>"
            "<div class='article-header'><h1>某省质量条例</h1></div><div class='content'><p>第一条 为了质量，制定本条例。"
            "<br>第二条 本条例自公布之日起施行。<img src='x.png'></p></div>"
            "<div class='foot bottom'><p>主办：某省人民政府办公厅</p><div><p>网站标识码</p></div></div><p>附：无</p>")
    source = read_bytes(page.encode(), "page.html")
    assert source.text.splitlines() == ["某省质量条例", "第一条 为了质量，制定本条例。", "第二条 本条例自公布之日起施行。", "附：无"]


def test_html_declared_charset_is_used_when_it_decodes():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>质量</p></body>'
    source = read_bytes(page.encode("gb2312"), "page.htm")
    assert (source.text, source.encoding) == ("质量", "gb2312")
    wrong = page.replace("gb2312", "utf-8").encode("gbk")  # a wrong declaration is ignored, not trusted
    assert read_bytes(wrong, "page.htm").text == "质量"
