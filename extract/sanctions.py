"""Sanctions in 法律责任/罚则 chapters (guidelines §4): one Duty unit per sentence and authority
imposing it ("由市场监督管理部门或者公安机关…" → two), linked to the articles it enforces
("违反本条例第十二条规定…")."""
from __future__ import annotations

import re

from dutygraph.extract.clauses import clause_start, every_delegated_actor
from dutygraph.extract.markers import load_markers
from dutygraph.extract.mentions import Mention, parse_actor_list

CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
ARTICLE = re.compile(r"第([〇零一二三四五六七八九十百千\d]+)条")
RANGE = re.compile(r"第([〇零一二三四五六七八九十百千\d]+)条(?:第[^条款项]+款)?(?:第[^条款项]+项)?至第([〇零一二三四五六七八九十百千\d]+)条")


def is_sanction(text: str, in_sanctions_chapter: bool) -> bool:
    """Inside 法律责任/罚则 any sanction verb will do; elsewhere only "…的，(由X)责令/处…罚款"."""
    marks = load_markers()
    if marks.pointer_only.match(text):
        # "法律、行政法规有处罚规定的，依照其规定": no sanction of its own, except in 法律责任, where
        # "…依照其规定处罚/处理" imposes the other law's sanction (guidelines §9)
        return in_sanctions_chapter and marks.pointer_sanction.search(text) is not None \
            and marks.pointer_exception.search(text) is None
    if marks.condition_only.search(text):  # "（三）违法实施监督检查和行政处罚的；": a condition
        return False
    if in_sanctions_chapter:
        # "当事人对行政处罚决定不服的，…": names a sanction, imposes none; nor does "除…予以处罚外，"
        text = marks.sanction_nouns.sub(lambda m: "〇" * len(m.group()), text)
        text = marks.exception_clause.sub(lambda m: "〇" * len(m.group()), text)
        condition = text.find("的，")
        return bool(marks.sanction_verbs.search(text, condition + 1 if condition >= 0 else 0))
    # "…的，应当立即责令其…": a modal verb before the sanction makes it a duty of the sentence's
    # subject, not a sanction clause
    found = marks.sanction_after_condition.search(text)
    return found is not None and not any(pattern.search(found.group()) for pattern, _ in marks.modal)


def sanction_modality(text: str, action_at: int) -> str:
    """"…的，可以从轻或者减轻处罚": a sanction the authority may impose is a Permission, "不得重复处罚"
    one it must not a Prohibition; otherwise Duty."""
    for pattern, modality in load_markers().modal:
        if modality in ("Permission", "Prohibition") and pattern.match(text, action_at):
            return modality
    return "Duty"


def sanction_authorities(text: str) -> tuple[tuple[Mention, ...], int]:
    """The authorities imposing the sanction and where the sanction itself begins: "由X(或者Y)…"
    anywhere, else the subject of the sanction clause ("上级机关对…依法给予处分"); ((), start of
    the sanction clause) when none is named ("…的，依法给予处分")."""
    condition_end = text.find("的，")
    # "法律、法规规定由其他部门处罚的，依照…执行": a 由 inside the condition names no authority here
    delegated = tuple(m for m in every_delegated_actor(text)
                      if not (0 <= m.start < condition_end and "，" not in text[m.start:condition_end]))
    if delegated:
        return _distinct(delegated), max(m.end for m in delegated)
    marks = load_markers()
    masked = marks.sanction_nouns.sub(lambda m: "〇" * len(m.group()), text)
    condition = masked.find("的，")
    verb = marks.sanction_verbs.search(masked, condition + 1 if condition >= 0 else 0) \
        or marks.sanction_verbs.search(masked)
    if verb is None:  # "…的，给予处分" matched as a whole: no clause of its own to read
        return (), 0
    start = clause_start(text, verb.start())
    mentions, end = parse_actor_list(text, start)
    if mentions and not marks.sanction_verbs.match(text, start):  # "责令生产者…" names no authority
        return _distinct(mentions), end
    return (), start


def _distinct(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    seen: set[str | None] = set()
    kept = []
    for mention in mentions:
        if mention.actor not in seen:
            seen.add(mention.actor)
            kept.append(mention)
    return tuple(kept)


def enforced_articles(text: str) -> tuple[int, ...]:
    """Article numbers cited in "违反本条例第X条（、第Y条 / 至第Y条）规定"."""
    numbers: list[int] = []
    for cited in load_markers().sanction_cited.finditer(text):
        span = cited.group(1)
        ranged: set[int] = set()
        for match in RANGE.finditer(span):
            low, high = chinese_number(match.group(1)), chinese_number(match.group(2))
            ranged.update(range(low, high + 1))
        for number in sorted(ranged) + [chinese_number(m.group(1)) for m in ARTICLE.finditer(span)]:
            if number not in numbers:
                numbers.append(number)
    return tuple(sorted(numbers))


def chinese_number(written: str) -> int:
    """第四十二条 → 42 (also plain digits)."""
    if written.isdigit():
        return int(written)
    total, digit = 0, 0
    for char in written:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            total += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + digit
