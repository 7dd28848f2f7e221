"""jieba at the edge: loaded lazily, once, with the actor lexicon as its user dictionary.

Only short windows that regex and lexicon matching cannot decide are tokenised.
"""
from __future__ import annotations

from functools import cache, lru_cache

from dutygraph.extract.actors import load_actor_scheme
from dutygraph.extract.markers import load_markers


@cache
def _posseg():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for label in load_actor_scheme().labels:
        jieba.add_word(label, freq=20000, tag="nt")
    return jieba.posseg


@lru_cache(maxsize=65536)
def first_word_flag(text: str) -> str:
    """Part-of-speech flag of the first word of `text` ("" for empty text)."""
    for pair in _posseg().cut(text[:12]):
        return pair.flag
    return ""


def starts_with_verb(text: str) -> bool:
    flag = first_word_flag(text)
    return bool(flag) and flag not in load_markers().thing_subject_flags


def starts_with_thing(text: str) -> bool:
    return first_word_flag(text) in load_markers().thing_subject_flags
