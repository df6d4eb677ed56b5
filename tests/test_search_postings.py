"""The vectorised postings against a plain Python count of the same texts, decoded by the reference reader: every
bigram's occurrences, every character's documents, a big key's pieces, and the same answer however many
partitions the keys are sorted in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.search import postings
from pipeline.search.codec import encode_numbers
from pipeline.search.postings import Corpus, encode_all
from pipeline.search.query import STRIDE, _document_list, _positional

# an astral character (four bytes in UTF-8, one code point), the two unsearchable ones, look-alikes
ALPHABET = "ab芯片石 \n𠀀·"
documents = st.lists(st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=4), max_size=6)


def bigram_truth(docs: list[list[str]]) -> dict[str, dict[int, list[int]]]:
    """key → document → positions (field * STRIDE + offset), by looking at every pair of every field."""
    found: dict[str, dict[int, list[int]]] = {}
    for doc, fields in enumerate(docs):
        for number, field in enumerate(fields):
            for offset in range(len(field) - 1):
                pair = field[offset:offset + 2]
                if " " not in pair and "\n" not in pair:
                    found.setdefault(pair, {}).setdefault(doc, []).append(number * STRIDE + offset)
    return found


def character_truth(docs: list[list[str]]) -> dict[str, dict[int, bool]]:
    """character → document → whether it is in the title."""
    found: dict[str, dict[int, bool]] = {}
    for doc, fields in enumerate(docs):
        for char in set("".join(fields)) - {" ", "\n"}:
            found.setdefault(char, {})[doc] = char in fields[0]
    return found


@pytest.mark.parametrize("numbers", [[], [0], [45, 46, 2115, 2116, 97335, 97336, 2 ** 31 - 1, 2 ** 40]])
def test_encode_all_matches_the_codec(numbers):
    text, starts = encode_all(postings.np.array(numbers, dtype=postings.np.int64))
    assert text == encode_numbers(numbers)
    assert [text[starts[i]:starts[i + 1]] for i in range(len(numbers))] == [encode_numbers([n]) for n in numbers]


@settings(max_examples=150, deadline=None)
@given(numbers=st.lists(st.integers(0, 2 ** 45), max_size=40))
def test_encode_all_matches_the_codec_on_any_numbers(numbers):
    assert encode_all(postings.np.array(numbers, dtype=postings.np.int64))[0] == encode_numbers(numbers)


def _fields(docs):
    """As normalised_fields gives them: no field holds a separator, and only the title may be empty."""
    return [[f.replace("\n", " ") for f in fields[:1]] + [f.replace("\n", " ") for f in fields[1:] if f]
            for fields in docs]


@settings(max_examples=120, deadline=None)
@given(docs=documents, partition=st.sampled_from([1, 3, 1 << 21]))
def test_postings_decode_to_every_occurrence(docs, partition):
    docs = _fields(docs)
    original = postings.PARTITION
    postings.PARTITION = partition
    try:
        corpus = Corpus(docs)
        bigrams = {key.key: (key.code, key.documents()) for key in corpus.bigrams()}
        characters = dict(corpus.characters())
    finally:
        postings.PARTITION = original
    truth = bigram_truth(docs)
    assert {key: _positional(code) for key, (code, _) in bigrams.items()} == truth
    # a bigram's document list: in the title when its first occurrence in the document is (field 0)
    assert {key: _document_list(listed) for key, (_, listed) in bigrams.items()} == {
        key: {doc: positions[0] < STRIDE for doc, positions in found.items()} for key, found in truth.items()}
    assert {key: _document_list(listed) for key, listed in characters.items()} == character_truth(docs)


def test_pieces_decode_to_the_whole_key():
    docs = [["芯片"], ["x", "芯片芯片", "y 芯片"], ["z"], ["芯片"], *([["w"]] * 5), ["a", "b", "芯片"]]
    (key,) = [k for k in Corpus(docs).bigrams() if k.key == "芯片"]
    for step in (1, 2, 4, 8, 16):
        pieces = dict(key.pieces(step))
        assert sorted(pieces) == sorted({doc // step for doc in (0, 1, 3, 9)})
        joined = {}
        for i, code in pieces.items():
            decoded = _positional(code, before=i * step - 1)
            assert all(i * step <= doc < (i + 1) * step for doc in decoded)
            joined.update(decoded)
        assert joined == _positional(key.code) == bigram_truth(docs)["芯片"]


def test_an_empty_library_has_no_keys():
    corpus = Corpus([])
    assert list(corpus.bigrams()) == [] and list(corpus.characters()) == []
