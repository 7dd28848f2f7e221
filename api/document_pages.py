"""Readable pages for the instruments and provisions the REST routes describe (same URL, by Accept).

Built on the server from the REST answer, so every link a page shows is one the JSON gives too.
Every value is HTML-escaped here; the pages need no script.
"""
from __future__ import annotations

import html
import string
from urllib.parse import quote

from fastapi.responses import HTMLResponse

from dutygraph.api.pages import PAGE_HEADERS, TEMPLATES
from dutygraph.graph.filters import modality_labels

STATUS_LABELS = {"enacted": "已施行", "draft": "草案", "repealed": "已废止", "amended": "已修改"}
DATE_LABELS = {"passed": "通过", "published": "公布", "effective": "施行"}


def tag(name: str, attributes: dict[str, str] | None = None, *children: str) -> str:
    """An element; `children` are already HTML (use `text` for plain strings)."""
    attrs = "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in (attributes or {}).items()
                    if value is not None)
    return f"<{name}{attrs}>{''.join(children)}</{name}>"


def text(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(href: str | None, label: str) -> str:
    return tag("a", {"href": href}, text(label)) if href else text(label)


def modality_name(name: str) -> str:
    found = next((m for m in modality_labels() if m["name"] == name), None)
    return f"{found['zh']}（{found['en']}）" if found else name


def actor_link(name: str) -> str:
    return "/?actor=" + quote(name, safe="")


def place(item: dict) -> str:
    """四川省（Sichuan Province）: the jurisdiction with its English label when the scheme has one."""
    english = item.get("jurisdiction_en", "")
    return f"{item['jurisdiction']}（{english}）" if english else item["jurisdiction"]


def render(kind: str, title: str, content: str) -> HTMLResponse:
    template = string.Template((TEMPLATES / "document.html").read_text(encoding="utf-8"))
    return HTMLResponse(template.safe_substitute(kind=kind, title=text(title), content=content), headers=PAGE_HEADERS)


def instruments_page(instruments: list[dict]) -> HTMLResponse:
    rows = "".join(tag("tr", {},
                       tag("td", {}, link(item["link"], item["title"] or item["id"])),
                       tag("td", {}, text(place(item))),
                       tag("td", {"class": "number"}, text(item["obligations"])))
                   for item in instruments)
    table = tag("table", {"class": "listing"},
                tag("thead", {}, tag("tr", {}, tag("th", {}, "文件"), tag("th", {}, "地域"), tag("th", {}, "义务单元"))),
                tag("tbody", {}, rows))
    return render("instruments", "文件", tag("h1", {}, "文件") + table)


def instrument_page(item: dict) -> HTMLResponse:
    facts = [("地域", place(item)), ("类型", item["type"]),
             ("状态", STATUS_LABELS.get(item["status"], item["status"])), ("制定机关", item["issuer"]),
             ("文号", item["document_number"]), ("源文件", item["source_file"])]
    facts += [(DATE_LABELS[name] + "日期", value) for name, value in item["dates"].items()]
    counts = item["by_modality"]
    facts.append(("义务单元", "、".join(f"{modality_name(m['name'])} {counts[m['name']]}" for m in modality_labels()
                                    if counts.get(m["name"])) or "无"))
    listing = tag("dl", {"class": "facts"}, *(tag("dt", {}, text(name)) + tag("dd", {}, text(value))
                                              for name, value in facts if value))
    versions = ""
    if item["versions"]:
        versions = tag("section", {"class": "versions"}, tag("h2", {}, "其他版本"), tag("ul", {}, *(
            tag("li", {}, link(version["link"], version["id"]),
                text(f" {version['date']} {STATUS_LABELS.get(version['status'], version['status'])}"))
            for version in item["versions"])))
    entries = "".join(
        tag("li", {"class": f"outline-{part['kind'] or 'part'} depth-{min(part['depth'], 4)}"},
            link(part["link"], " ".join(filter(None, (part["label"] or part["id"].rsplit("/", 1)[-1], part["heading"])))),
            tag("span", {"class": "count"}, text(f" {part['units']}")) if part["units"] else "")
        for part in item["outline"])
    contents = tag("section", {"class": "outline"}, tag("h2", {}, "目录"),
                   tag("ol", {"id": "outline"}, entries) if entries else tag("p", {"class": "hint"}, "没有条文结构。"))
    return render("instrument", item["title"] or item["id"],
                  tag("h1", {}, text(item["title"] or item["id"])) + listing + versions + contents)


def by_sentence(units: list[dict]) -> list[tuple[str, list[dict]]]:
    """Units grouped by their sentence, in order: one sentence often binds several actors."""
    groups: dict[str, list[dict]] = {}
    for unit in units:
        groups.setdefault(unit["sentence"], []).append(unit)
    return list(groups.items())


def sentence_entry(sentence: str, units: list[dict]) -> str:
    duties = "".join(
        tag("li", {},
            tag("span", {"class": f"badge modality-{unit['modality']}"}, text(modality_name(unit["modality"]))), " ",
            link(actor_link(unit["actor_name"]), unit["actor_name"]) if unit["actor_name"] else text("（未写明主体）"),
            text(f" {unit['action']}{unit['object']}"))
        for unit in units)
    return tag("li", {}, tag("p", {"class": "sentence"}, text(sentence)), tag("ul", {"class": "duties-of-sentence"}, duties))


def provision_page(item: dict) -> HTMLResponse:
    instrument = item["instrument"]
    trail = [link(instrument["link"], instrument.get("title") or instrument["id"])]
    trail += [link(part["link"], " ".join(filter(None, (part["label"], part["heading"])))) for part in item["ancestors"]]
    heading = " ".join(filter(None, (item["label"] or item["id"], item["heading"])))
    body = "".join(tag("mark", {"class": f"modality-{piece['modality']}", "title": modality_name(piece["modality"])},
                       text(piece["text"])) if piece["modality"] else text(piece["text"])
                   for piece in item["pieces"])
    parts = [tag("nav", {"class": "trail"}, " › ".join(trail)), tag("h1", {}, text(heading)),
             tag("div", {"class": "provision-text", "id": "provision-text"}, body) if body else ""]
    if item["parts"]:
        parts.append(tag("section", {"class": "parts"}, tag("h2", {}, "内容"), tag("ol", {"id": "parts"}, *(
            tag("li", {}, link(part["link"], " ".join(filter(None, (part["label"], part["heading"])))))
            for part in item["parts"]))))
    if item["obligations"]:
        parts.append(tag("section", {"class": "units"}, tag("h2", {}, "义务单元"),
                         tag("ol", {"id": "units"}, *(sentence_entry(sentence, units)
                                                      for sentence, units in by_sentence(item["obligations"])))))
    if item["enforced_by"]:
        # Sanctions that enforce this provision (dg:enforces / dg:enforcedBy); nothing when none are known.
        parts.append(tag("section", {"class": "sanctions", "id": "sanctions"}, tag("h2", {}, "执行本条的罚则"),
                         tag("ul", {}, *(tag("li", {}, link(sanction["link"], sanction["sentence"] or sanction["sanction"]))
                                         for sanction in item["enforced_by"]))))
    steps = [link(item[step]["link"], f"{arrow} {item[step]['label']} {item[step]['heading']}".strip())
             for step, arrow in (("previous", "←"), ("next", "→")) if item.get(step)]
    parts.append(tag("nav", {"class": "steps"}, " · ".join(steps)))
    return render("provision", heading, "".join(parts))
