"""jieba at the edge: loaded lazily, once, with the actor lexicon as its user dictionary.

Only the short window after a marker is segmented (longest match over jieba's dictionary and
part-of-speech table), to find where the action's verb phrase ends.
"""
from __future__ import annotations

import logging
from functools import cache, lru_cache

from dutygraph.extract.actors import load_actor_scheme
from dutygraph.extract.markers import load_markers

WINDOW = 12
MAX_WORDS = 4
LONGEST_WORD = 4
LEADING_FLAGS = ("d", "ad", "p", "c", "u")  # adverbs and prepositions lead into the verb
CLAUSE_ENDS = "，；。：,;:！？!?"
ADJUNCT_MAX = 40  # characters a preposition phrase may run before its head verb


@cache
def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies (with the actor lexicon added) and its part-of-speech table."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for label in load_actor_scheme().labels:
        jieba.add_word(label, freq=20000, tag="nt")
    # the table jieba.posseg read from the dictionary on import: its initialize() would only read
    # the same file again (a second or more of every worker's start)
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def _words(text: str) -> list[tuple[str, str]]:
    """Forward longest match over jieba's dictionary: enough for a 12-character window, and cheap."""
    frequencies, tags = _dictionary()
    words = []
    cursor = 0
    while cursor < len(text) and len(words) < MAX_WORDS:
        size = _longest_word(frequencies, text, cursor, len(text))
        word = text[cursor:cursor + size]
        words.append((word, tags.get(word, "x")))
        cursor += size
    return words


@lru_cache(maxsize=65536)
def verb_phrase_length(text: str) -> int:
    """Characters of `text` that make its leading verb phrase: adverbs and a preposition phrase
    before the head verb stay with it ("依法建立", "将质量促进工作纳入", "在标准制定、品牌建设等方面
    发挥", "按照职责分工，建立"), coordinated verbs are one action ("制定、实施", "建立并执行")."""
    marks = load_markers()
    cursor = _skip_adverbs(text, 0, marks)
    preposition = marks.action_prepositions.match(text, cursor)
    if preposition:
        head = _adjunct_head(text, preposition.group(), preposition.end(), marks)
        if head is not None:
            cursor = _skip_adverbs(text, head, marks)
    length = _verb_run(text, cursor, marks)
    return length if length > 0 else _legacy_length(text)


def _skip_adverbs(text: str, cursor: int, marks) -> int:
    while True:
        adverb = marks.action_adverbs.match(text, cursor)
        if adverb is None or adverb.end() >= len(text) or text[adverb.end()] in CLAUSE_ENDS:
            return cursor
        cursor = adverb.end()


def _clause_end(text: str, start: int) -> int:
    return next((i for i in range(start, len(text)) if text[i] in CLAUSE_ENDS), len(text))


def _adjunct_head(text: str, preposition: str, start: int, marks, depth: int = 0) -> int | None:
    """Where the head verb after a preposition phrase begins, or None when it cannot be told."""
    stop = min(_clause_end(text, start), start + ADJUNCT_MAX)
    words = _segment(text, start, stop)
    if preposition in ("将", "把"):  # "将质量促进工作纳入…"
        disposal = marks.action_disposal_verbs.search(text, start + 1, stop)
        if disposal:
            return disposal.start()
    if preposition in ("在", "从", "经"):
        for at in range(start + 1, stop):
            closer = marks.action_closers.match(text, at)
            if closer and closer.end() < stop and _verb_at(text, closer.end(), stop):
                return closer.end()
    for index, (at, word, tag) in enumerate(words):
        last = index == len(words) - 1 and at + len(word) == _clause_end(text, start)
        verbal = _head_like(word, tag, marks) or (last and tag == "vn" and preposition == "由")  # "由专人管理，…"
        if index == 0 or not verbal or text[at - 1] in "、的":
            continue
        if last and preposition != "由" and text.startswith("，", at + len(word)):
            continue  # "根据本行业实际需要，向…提出": the phrase ends at the comma
        following = words[index + 1:]
        owner = next((i for i, (_, w, t) in enumerate(following) if w == "的" or _head_like(w, t, marks)), None)
        # "对其售出产品的质量实行…": a verb inside a modifier, when a head verb follows the 的
        modifier = owner is not None and following[owner][1] == "的" and any(
            _head_like(w, t, marks) and text[a - 1] != "的" for a, w, t in following[owner + 1:])
        if not modifier and not text.startswith("的", at + len(word)):
            return at
    end = _clause_end(text, start)
    if end < len(text) and text[end] == "，" and end - start <= ADJUNCT_MAX:
        after = _skip_adverbs(text, end + 1, marks)
        if _verb_at(text, after, _clause_end(text, after)):
            return end + 1
        again = marks.action_prepositions.match(text, after)
        if again and depth == 0:  # "对…的行为，向…部门检举"
            return _adjunct_head(text, again.group(), again.end(), marks, depth + 1)
    return None


def _verb_at(text: str, at: int, stop: int) -> bool:
    words = _segment(text, at, stop, limit=1)
    return bool(words) and _head_like(words[0][1], words[0][2], load_markers())


def _head_like(word: str, tag: str, marks) -> bool:
    """A word that can head the action: a verb of two characters or more (单字 verbs are mostly
    segmentation debris), or one of the activity verbs of the marker data."""
    return len(word) >= 2 and (_is_verb(tag) or marks.activity_verbs.fullmatch(word) is not None)


def _verb_run(text: str, cursor: int, marks) -> int:
    """End of the head verb at `cursor` and the verbs coordinated with it."""
    stop = _clause_end(text, cursor)
    words = _segment(text, cursor, stop, limit=8)
    if not words:
        return cursor
    end = words[0][0] + len(words[0][1])
    index = 1
    while index < len(words):
        at, word, tag = words[index]
        if _is_verb(tag) and index == 1:  # "建立健全", "制定完善": back to back after the head only
            end, index = at + len(word), index + 1
            continue
        joiner = marks.action_joiners.fullmatch(word)
        if joiner and index + 1 < len(words) and _is_verb(words[index + 1][2]) and words[index + 1][1] != "的":
            at, word, _ = words[index + 1]
            end, index = at + len(word), index + 2
            continue
        break
    return end


def _segment(text: str, start: int, stop: int, limit: int = 24) -> list[tuple[int, str, str]]:
    """Forward longest match over jieba's dictionary: (offset, word, tag)."""
    frequencies, tags = _dictionary()
    words = []
    cursor = start
    while cursor < stop and len(words) < limit:
        size = _longest_word(frequencies, text, cursor, stop)
        word = text[cursor:cursor + size]
        words.append((cursor, word, tags.get(word, "x")))
        cursor += size
    return words


def _longest_word(frequencies: dict[str, int], text: str, cursor: int, stop: int) -> int:
    """Characters of the longest dictionary word at `cursor` that ends by `stop` (1 when none).

    jieba keeps every prefix of every word in its table (frequency 0 when the prefix is no word
    itself), so once a prefix is missing no longer word can follow: most lookups stop at two."""
    longest = 1
    for size in range(2, min(LONGEST_WORD, stop - cursor) + 1):
        frequency = frequencies.get(text[cursor:cursor + size])
        if frequency is None:
            break
        if frequency:
            longest = size
    return longest


def _legacy_length(text: str) -> int:
    words = _words(text[:WINDOW])
    length = 0
    index = 0
    while index < len(words) - 1 and words[index][1].startswith(LEADING_FLAGS):
        length += len(words[index][0])
        index += 1
    if index < len(words):  # the head verb
        length += len(words[index][0])
        index += 1
    while index < len(words) and (_is_verb(words[index][1]) or (
            words[index][0] in "、和" and index + 1 < len(words) and _is_verb(words[index + 1][1]))):
        length += len(words[index][0])
        index += 1
    return length


def token_words(text: str) -> list[tuple[str, str]]:
    """The first words of `text` with their parts of speech (forward longest match)."""
    return _words(text[:WINDOW])


def first_word_tag(text: str) -> str:
    """Part of speech of the first word of `text` in jieba's dictionary ("x" when unknown)."""
    words = _words(text[:WINDOW])
    return words[0][1] if words else "x"


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"
