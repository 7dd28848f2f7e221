"""jieba at the edge: loaded lazily, once, with the actor lexicon as its user dictionary.

Only the short window after a marker is tokenised, to find where the action's verb phrase ends.
"""
from __future__ import annotations

import logging
from functools import cache, lru_cache

from dutygraph.extract.actors import load_actor_scheme

WINDOW = 12
MAX_WORDS = 4
LEADING_FLAGS = ("d", "ad", "p", "c", "u")  # adverbs and prepositions lead into the verb


@cache
def _tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for label in load_actor_scheme().labels:
        jieba.add_word(label, freq=20000, tag="nt")
    return jieba.posseg


@lru_cache(maxsize=65536)
def verb_phrase_length(text: str) -> int:
    """Characters of `text` that make its leading verb phrase ("依法建立", "制定、实施", "加强")."""
    words = list(_tagger().cut(text[:WINDOW]))[:MAX_WORDS]
    length = 0
    index = 0
    while index < len(words) - 1 and words[index].flag.startswith(LEADING_FLAGS):
        length += len(words[index].word)
        index += 1
    if index < len(words):  # the head verb
        length += len(words[index].word)
        index += 1
    while index < len(words) and (_is_verb(words[index]) or (
            words[index].word in "、和" and index + 1 < len(words) and _is_verb(words[index + 1]))):
        length += len(words[index].word)
        index += 1
    return length


def _is_verb(pair) -> bool:
    return pair.flag.startswith("v") and pair.flag != "vn"
