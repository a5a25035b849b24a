"""The Keras 2 Tokenizer and text helpers against tf_keras's implementation (in a subprocess)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kfront import config

from kfront.preprocessing import text

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; a bird?",
         "Dogs and cats\tand birds\nliving together", "the the the end"]
NEW = ["the bird ate the cat", "unknown words here", "cat dog"]
_CONFIGS = [{}, {"num_words": 5}, {"oov_token": "<OOV>"}, {"num_words": 6, "oov_token": "<OOV>"},
            {"char_level": True}, {"lower": False, "filters": ""}]

_REFERENCE = """
import json, sys
from tf_keras.preprocessing import text
texts, new, configs = json.load(sys.stdin)
out = []
for cfg in configs:
    t = text.Tokenizer(**cfg)
    t.fit_on_texts(texts)
    seqs = t.texts_to_sequences(new)
    out.append({"word_index": t.word_index, "word_counts": list(t.word_counts.items()),
                "word_docs": dict(t.word_docs), "seqs": seqs,
                "back": t.sequences_to_texts(seqs),
                "matrices": {m: t.texts_to_matrix(new, mode=m).tolist()
                             for m in ("binary", "count", "tfidf", "freq")}})
words = [text.text_to_word_sequence(s) for s in texts]
md5 = [text.hashing_trick(s, 17, hash_function="md5") for s in texts]
print(json.dumps({"tokenizers": out, "words": words, "md5": md5}))
"""


@pytest.fixture(scope="module")
def reference():
    # Host-side NumPy code, the same under every engine: compared once, in the first session.
    if config.backend() != config.installed_backends()[0]:
        pytest.skip("reference comparison runs in the first installed backend's session")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _REFERENCE],
                          input=json.dumps([TEXTS, NEW, _CONFIGS]), capture_output=True,
                          text=True, env=env, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"tf_keras reference unavailable: {done.stderr[-300:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fitted(cfg):
    with pytest.warns(DeprecationWarning, match="Tokenizer"):
        t = text.Tokenizer(**cfg)
    t.fit_on_texts(TEXTS)
    return t


@pytest.mark.parametrize("index", range(len(_CONFIGS)))
def test_tokenizer_matches_tf_keras(reference, index):
    expected = reference["tokenizers"][index]
    t = _fitted(_CONFIGS[index])
    assert t.word_index == expected["word_index"]
    assert [list(kv) for kv in t.word_counts.items()] == expected["word_counts"]
    assert dict(t.word_docs) == expected["word_docs"]
    seqs = t.texts_to_sequences(NEW)
    assert seqs == expected["seqs"]
    assert list(t.texts_to_sequences_generator(NEW)) == seqs
    assert t.sequences_to_texts(seqs) == expected["back"]
    for mode, matrix in expected["matrices"].items():
        np.testing.assert_allclose(t.texts_to_matrix(NEW, mode=mode), matrix, rtol=1e-12)


def test_helpers_match_tf_keras(reference):
    with pytest.warns(DeprecationWarning):
        assert [text.text_to_word_sequence(s) for s in TEXTS] == reference["words"]
    with pytest.warns(DeprecationWarning):
        assert [text.hashing_trick(s, 17, hash_function="md5") for s in TEXTS] == \
            reference["md5"]
    with pytest.warns(DeprecationWarning, match="one_hot"):
        ids = text.one_hot("a b a", 5)
    assert ids[0] == ids[2] and all(1 <= i < 5 for i in ids)


def test_json_round_trip_and_sequences():
    t = _fitted({"num_words": 6, "oov_token": "<OOV>"})
    with pytest.warns(DeprecationWarning):
        back = text.tokenizer_from_json(t.to_json())
    assert back.word_index == t.word_index and back.index_word == t.index_word
    assert back.texts_to_sequences(NEW) == t.texts_to_sequences(NEW)
    np.testing.assert_allclose(back.texts_to_matrix(NEW, "tfidf"), t.texts_to_matrix(NEW, "tfidf"))
    assert back.get_config()["document_count"] == len(TEXTS)
    with pytest.warns(DeprecationWarning):
        s = text.Tokenizer(num_words=4)
    s.fit_on_sequences([[1, 2], [2, 3, 3]])
    assert s.document_count == 2 and dict(s.index_docs) == {1: 1, 2: 2, 3: 1}
    np.testing.assert_allclose(s.sequences_to_matrix([[2, 3, 3]], mode="count"), [[0, 0, 1, 2]])


def test_errors():
    with pytest.warns(DeprecationWarning):
        t = text.Tokenizer()
    with pytest.raises(ValueError, match="Specify a dimension"):
        t.sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="Fit the Tokenizer on some data before using tfidf"):
        with pytest.warns(DeprecationWarning):
            text.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    t.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="Unknown vectorization mode: 'onehot'"):
        t.texts_to_matrix(["a"], mode="onehot")
    with pytest.raises(ValueError, match="received one string"):
        t.fit_on_texts("a b")
    with pytest.raises(ValueError, match="expects strings"):
        t.texts_to_sequences([3])
    with pytest.raises(TypeError, match="unrecognized keyword"):
        with pytest.warns(DeprecationWarning):
            text.Tokenizer(bogus=1)
    with pytest.raises(ValueError, match="not a Tokenizer JSON"):
        text.tokenizer_from_json('{"config": {}}')
    with pytest.raises(ValueError, match="hash space size"):
        with pytest.warns(DeprecationWarning):
            text.hashing_trick("a", 1)
