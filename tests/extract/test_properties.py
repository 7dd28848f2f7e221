"""Properties: reading and parsing never raise anything but coded errors, and every provision is a span."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutygraph.errors import DutygraphError
from dutygraph.extract.read import read_bytes
from dutygraph.extract.structure import parse

MARKERS = ["第一章 总则", "第二条", "第三条之一", "【标题】", "[标题]", "（一）", "(二)", "1.", "2、", "一、", "专栏1", "表1 ",
           "\t", "目录", "第一编", "第一节", "# ", "## ", "<!-- INFO END -->", "\ufffd。", "[bookmark: _Toc1]", "區(qū)",
           "\u3000", "\r\n", "\n", "\n\n", "<p>", "</td>", "<tr>", "<![", "<!--", "<a href='#'>", "应当", "條", "《法》", "根据", "2024年1月1日", "Copyright ©"]
legal_text = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(max_size=8)), max_size=40).map("".join)
FORMATS = st.sampled_from(["a.txt", "a.md", "a.html", "a.docx", "a.htm", "a"])
CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def walk(provisions):
    for provision in provisions:
        yield provision
        yield from walk(provision.children)


def read_and_parse(data: bytes, name: str):
    try:
        source = read_bytes(data, name)
    except DutygraphError:
        return None, None
    try:
        return source, parse(source)
    except DutygraphError:
        return source, None


@CHECKS
@given(data=st.binary(max_size=400), name=FORMATS)
def test_arbitrary_bytes_raise_only_coded_errors(data, name):
    read_and_parse(data, name)


@CHECKS
@given(text=legal_text, encoding=st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"]),
       name=st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_legal_looking_text_raises_only_coded_errors_and_spans_are_spans(text, encoding, name):
    source, document = read_and_parse(text.encode(encoding), name)
    if source is None:
        return
    assert len(source.simplified) == len(source.text)
    if document is None:
        return
    paths = [provision.path for provision in walk(document.provisions)]
    assert len(set(paths)) == len(paths)
    for provision in walk(document.provisions):
        assert 0 <= provision.span.start <= provision.body.start <= provision.body.end <= len(source.text)
        assert provision.span.end == provision.body.end
        written = source.text[provision.span.start:provision.span.end]
        assert written == written.strip() or not written.strip()
        assert source.text.startswith(provision.label, provision.span.start)
        for child in provision.children:
            assert provision.span.start <= child.span.start <= child.span.end <= provision.span.end
    for table in document.tables:
        assert 0 <= table.span.start <= table.span.end <= len(source.text)


@CHECKS
@given(text=legal_text)
def test_offset_map_points_back_into_the_decoded_text(text):
    try:
        source = read_bytes(text.encode("utf-8"), "a.txt")
    except DutygraphError:
        return
    pairs = source.offset_map
    assert list(pairs) == sorted(pairs)
    assert all(0 <= raw <= len(text) for _, raw in pairs)
    assert all(0 <= normalised <= len(source.text) for normalised, _ in pairs)
