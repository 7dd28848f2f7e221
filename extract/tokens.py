"""jieba at the edge: loaded lazily, once, with the actor lexicon as its user dictionary.

Only the short window after a marker is segmented (longest match over jieba's dictionary and
part-of-speech table), to find where the action's verb phrase ends.
"""
from __future__ import annotations

import logging
from functools import cache, lru_cache

from dutygraph.extract.actors import load_actor_scheme

WINDOW = 12
MAX_WORDS = 4
LONGEST_WORD = 4
LEADING_FLAGS = ("d", "ad", "p", "c", "u")  # adverbs and prepositions lead into the verb


@cache
def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies (with the actor lexicon added) and its part-of-speech table."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for label in load_actor_scheme().labels:
        jieba.add_word(label, freq=20000, tag="nt")
    jieba.posseg.dt.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def _words(text: str) -> list[tuple[str, str]]:
    """Forward longest match over jieba's dictionary: enough for a 12-character window, and cheap."""
    frequencies, tags = _dictionary()
    words = []
    cursor = 0
    while cursor < len(text) and len(words) < MAX_WORDS:
        size = next((n for n in range(min(LONGEST_WORD, len(text) - cursor), 1, -1)
                     if frequencies.get(text[cursor:cursor + n])), 1)
        word = text[cursor:cursor + size]
        words.append((word, tags.get(word, "x")))
        cursor += size
    return words


@lru_cache(maxsize=65536)
def verb_phrase_length(text: str) -> int:
    """Characters of `text` that make its leading verb phrase ("依法建立", "制定、实施", "加强")."""
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


def first_word_tag(text: str) -> str:
    """Part of speech of the first word of `text` in jieba's dictionary ("x" when unknown)."""
    words = _words(text[:WINDOW])
    return words[0][1] if words else "x"


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"
