"""Sentences with the items right after them (extract/sentences.py with_following_items): what
extraction reads ahead of a lead-in ("下列人员…：") is its list, and nothing further."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dutygraph.extract.sentences import Sentence, with_following_items


def sentences(kinds: list[bool]) -> list[Sentence]:
    return [Sentence(i, i + 1, i, f"art/{i}", None, "", f"p{i}", is_item) for i, is_item in enumerate(kinds)]


@given(st.lists(st.booleans(), max_size=40))
def test_each_sentence_once_in_order_with_the_run_of_items_after_it(kinds):
    given_sentences = sentences(kinds)
    consumed = 0

    def reading():
        nonlocal consumed
        for sentence in given_sentences:
            consumed += 1
            yield sentence

    seen = []
    for sentence, items in with_following_items(reading()):
        index = sentence.start
        seen.append(sentence)
        run = []
        if not sentence.is_item:
            for following in given_sentences[index + 1:]:
                if not following.is_item:
                    break
                run.append(following)
        assert list(items) == run
        # read ahead at most to the sentence after the run its group ends with
        group_end = index + 1
        while group_end < len(kinds) and kinds[group_end]:
            group_end += 1
        assert consumed <= group_end + 1
    assert seen == given_sentences
