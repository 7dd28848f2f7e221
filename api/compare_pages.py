"""The compare, matrix and versions pages, rendered on the server: every value HTML-escaped, no
script needed (filters are plain GET forms), state recorded on <body> for the browser tests."""
from __future__ import annotations

import difflib
from html import escape
from urllib.parse import quote, urlencode

from dutygraph.graph.compare import STATUSES
from dutygraph.model import MODALITIES

STATUS_LABELS = {
    "same": "相同", "modality_changed": "义务类型改变", "actor_changed": "主体改变", "text_changed": "内容改变",
    "only_in_a": "仅在 A", "only_in_b": "仅在 B",
}
MODALITY_LABELS = {"Duty": "义务", "Prohibition": "禁止", "Permission": "许可", "Encouragement": "鼓励",
                   "Support": "支持", "Commitment": "承诺"}


def shell(title: str, state: dict[str, str], body: str) -> str:
    attributes = " ".join(f'data-{name}="{escape(str(value))}"' for name, value in state.items())
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dutygraph · {escape(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="stylesheet" href="/static/compare.css">
</head>
<body {attributes}>
<header>
  <a class="brand" href="/">dutygraph</a>
  <nav><a href="/">主体义务</a><a href="/matrix?format=html">义务矩阵</a><a href="/graph">图谱</a><a href="/query">SPARQL 查询</a></nav>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def provision_link(provision: str) -> str:
    """Each path segment encoded once, so Chinese ids reach the router as written."""
    return "/provisions/" + "/".join(quote(segment, safe="") for segment in provision.split("/"))


def options(values, selected: str, labels: dict[str, str] | None = None, everything: str = "全部") -> str:
    items = [f'<option value="">{everything}</option>']
    for value in values:
        chosen = " selected" if value == selected else ""
        items.append(f'<option value="{escape(value)}"{chosen}>{escape((labels or {}).get(value, value))}</option>')
    return "".join(items)


# ---------------------------------------------------------------- compare

def compare_page(result: dict, totals: dict[str, int], actors: list[str], actor: str, status: str) -> str:
    a, b = result["a"], result["b"]
    base = {"a": a["id"], "b": b["id"]}
    chips = "".join(
        f'<li class="status-{name}"><a href="/compare?{escape(urlencode({**base, "status": name, "format": "html"}))}">'
        f'{STATUS_LABELS[name]} <b>{totals[name]}</b></a></li>' for name in STATUSES)
    form = f"""<form class="controls" method="get" action="/compare">
  <input type="hidden" name="a" value="{escape(a['id'])}"><input type="hidden" name="b" value="{escape(b['id'])}">
  <input type="hidden" name="format" value="html">
  <label>主体 <select name="actor" id="actor-filter">{options(actors, actor)}</select></label>
  <label>状态 <select name="status" id="status-filter">{options(STATUSES, status, STATUS_LABELS)}</select></label>
  <button type="submit">筛选</button>
  <a href="/compare?{escape(urlencode({**base, **({'actor': actor} if actor else {}), **({'status': status} if status else {}), 'format': 'csv'}))}">CSV</a>
</form>"""
    rows = "\n".join(compare_row(row) for row in result["rows"])
    body = f"""<h1>逐单元比较</h1>
<table class="sides"><tr><th>A</th><td>{instrument_cell(a)}</td></tr><tr><th>B</th><td>{instrument_cell(b)}</td></tr></table>
<ul id="summary" class="statuses">{chips}</ul>
{form}
<table id="rows" class="compare">
<thead><tr><th>状态</th><th>A：{escape(a['title'])}</th><th>B：{escape(b['title'])}</th><th>相似度</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""
    return shell("比较", {"page": "compare", "state": "compared", "rows": str(len(result["rows"]))}, body)


def instrument_cell(item: dict) -> str:
    details = " · ".join(escape(part) for part in (item.get("date") or "", item.get("jurisdiction") or "",
                                                      item.get("status") or "") if part)
    return f'{escape(item["title"])} <span class="muted">{escape(item["id"])} {details}</span>'


def compare_row(row: dict) -> str:
    a, b = row["a"], row["b"]
    marks_a, marks_b = _act_marks(a, b) if row["status"] == "text_changed" else (None, None)
    return (f'<tr class="status-{row["status"]}" data-status="{row["status"]}">'
            f'<td class="status">{STATUS_LABELS[row["status"]]}</td>'
            f'<td class="side-a">{unit_cell(a, b, row["status"], marks_a)}</td>'
            f'<td class="side-b">{unit_cell(b, a, row["status"], marks_b)}</td>'
            f'<td class="similarity">{row["similarity"]:.2f}</td></tr>')


def unit_cell(unit: dict | None, other: dict | None, status: str, act_html: str | None) -> str:
    if unit is None:
        return '<span class="muted">—</span>'
    actor = escape(unit["actor"] or "（未指明）")
    modality = escape(MODALITY_LABELS.get(unit["modality"], unit["modality"]))
    if status == "actor_changed":
        actor = f"<mark>{actor}</mark>"
    if status == "modality_changed":
        modality = f"<mark>{modality}</mark>"
    act = act_html if act_html is not None else escape(unit["action"] + unit["object"])
    enforced = ""
    if unit["modality"] in ("Duty", "Prohibition"):
        enforced = ('<div class="enforced">罚则：' + escape("；".join(unit["enforced_by"])) + "</div>"
                    if unit["enforced_by"] else '<div class="unenforced">无罚则</div>')
    where = escape(unit["section"] or (f"第{unit['article']}条" if unit["article"] else ""))
    return (f'<a class="provision" href="{escape(provision_link(unit["provision"]))}">{where}</a> '
            f'<span class="actor">{actor}</span> <span class="modality modality-{escape(unit["modality"])}">{modality}</span>'
            f'<div class="act">{act}</div><div class="sentence">{escape(unit["sentence"])}</div>{enforced}')


def _act_marks(a: dict, b: dict) -> tuple[str, str]:
    """Both acts with what the other lacks marked: <del> on A's side, <ins> on B's."""
    first, second = a["action"] + a["object"], b["action"] + b["object"]
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(escape(first[i1:i2]))
            right.append(escape(second[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(first[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(second[j1:j2])}</ins>")
    return "".join(left), "".join(right)


# ---------------------------------------------------------------- matrix

def matrix_page(result: dict, actor: str, modality: str, top: int = 0) -> str:
    """The heat map of the `top` busiest actors (all when 0): a corpus names thousands."""
    shown = result["actors"][:top] if top else result["actors"]
    totals: dict[tuple[str, str], int] = {}
    detail: dict[tuple[str, str], list[str]] = {}
    links: dict[tuple[str, str], str] = {}
    for cell in result["cells"]:
        key = (cell["actor"], cell["column"])
        totals[key] = totals.get(key, 0) + cell["count"]
        detail.setdefault(key, []).append(f"{MODALITY_LABELS.get(cell['modality'], cell['modality'])} {cell['count']}")
        links.setdefault(key, _cell_link(cell, modality))
    peak = max(totals.values(), default=1)
    head = "".join(f"<th>{escape(column)}</th>" for column in result["columns"])
    lines = []
    for name in shown:
        cells = []
        for column in result["columns"]:
            count = totals.get((name, column))
            if not count:
                cells.append("<td></td>")
                continue
            heat = 0.12 + 0.78 * count / peak
            cells.append(f'<td style="background: rgba(200, 60, 30, {heat:.2f})" title="{escape("，".join(detail[(name, column)]))}">'
                         f'<a class="cell" href="{escape(links[(name, column)])}">{count}</a></td>')
        lines.append(f"<tr><th>{escape(name)}</th>{''.join(cells)}</tr>")
    query = {"by": result["by"], **({"actor": actor} if actor else {}), **({"modality": modality} if modality else {})}
    form = f"""<form class="controls" method="get" action="/matrix">
  <input type="hidden" name="format" value="html">
  <label>列 <select name="by">{''.join(f'<option value="{v}"{" selected" if v == result["by"] else ""}>{label}</option>'
                                         for v, label in (("jurisdiction", "地区"), ("instrument", "文件")))}</select></label>
  <label>主体 <input name="actor" value="{escape(actor)}" placeholder="全部"></label>
  <label>义务类型 <select name="modality">{options(MODALITIES, modality, MODALITY_LABELS)}</select></label>
  <button type="submit">显示</button>
  <a id="csv" href="/matrix?{escape(urlencode({**query, 'format': 'csv'}))}">下载 CSV</a>
</form>"""
    body = f"""<h1>义务矩阵：主体 × {'地区' if result['by'] == 'jurisdiction' else '文件'}</h1>
<p class="hint">每格为该主体在该{'地区' if result['by'] == 'jurisdiction' else '文件'}的义务单元数（颜色越深越多），点击查看这些单元。
显示单元最多的 {len(shown)} 个主体（共 {len(result['actors'])} 个）。</p>
{form}
<div class="matrix-wrap"><table id="matrix" class="matrix">
<thead><tr><th>主体</th>{head}</tr></thead>
<tbody>
{chr(10).join(lines)}
</tbody>
</table></div>"""
    return shell("义务矩阵", {"page": "matrix", "state": "rendered", "actors": str(len(shown)),
                          "columns": str(len(result["columns"]))}, body)


def _cell_link(cell: dict, modality: str) -> str:
    """The cell's units: all its modalities unless the page shows one."""
    if modality:
        return cell["link"]
    path, _, query = cell["link"].partition("?")
    kept = [part for part in query.split("&") if not part.startswith("modality=")]
    return path + "?" + "&".join(kept)


# ---------------------------------------------------------------- versions

def versions_page(result: dict) -> str:
    items = []
    for version in result["versions"]:
        current = ' aria-current="true"' if version["id"] == result["instrument"]["id"] else ""
        compare = (f' <a class="compare-previous" href="{escape(version["compare"] + "&format=html")}">与上一版本比较</a>'
                   if version["compare"] else ' <span class="muted">（最早版本）</span>')
        items.append(f'<li{current}>{escape(version["title"])} <span class="muted">{escape(version["date"] or "")}'
                     f' {escape(version["id"])}</span>{compare}</li>')
    body = f"""<h1>{escape(result["instrument"]["title"])}：各版本</h1>
<ol id="versions" class="versions">{''.join(items)}</ol>"""
    return shell("版本", {"page": "versions", "state": "listed", "versions": str(len(result["versions"]))}, body)
