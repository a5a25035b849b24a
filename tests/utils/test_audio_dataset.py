"""audio_dataset_from_directory: WAV decoding, lengths, labels, splits and errors."""
import os

import numpy as np
import pytest

import kfront as keras
from dataset_folders import audio_folder, write_wav
from kfront.utils.audio_dataset import read_wav


def _batches(ds):
    return [tuple(np.asarray(v) for v in b) if isinstance(b, tuple) else np.asarray(b)
            for b in ds]


@pytest.mark.parametrize("width", [1, 2, 4])
def test_read_wav_decodes_pcm_to_floats(tmp_path, width):
    t = np.arange(50) / 50
    clip = np.stack([0.5 * np.sin(2 * np.pi * 3 * t), -0.25 * t], axis=1)
    write_wav(tmp_path / "a.wav", clip, 8000, width)
    samples, rate = read_wav(tmp_path / "a.wav")
    assert rate == 8000 and samples.shape == (50, 2) and samples.dtype == np.float32
    np.testing.assert_allclose(samples, clip, atol={1: 1 / 128, 2: 1 / 32768, 4: 1e-7}[width])
    (tmp_path / "bad.wav").write_bytes(b"RIFF....not a wav")
    with pytest.raises(ValueError, match="Could not read the WAV file .*bad.wav"):
        read_wav(tmp_path / "bad.wav")


def test_lengths_labels_and_splits(tmp_path):
    root = audio_folder(tmp_path / "clips", per_class=5)
    ds = keras.utils.audio_dataset_from_directory(root, batch_size=4, shuffle=False,
                                                  verbose=False)
    assert ds.class_names == ["noise", "tone"]
    batches = _batches(ds)
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), [0] * 5 + [1] * 5)
    # Without output_sequence_length a batch is zero-padded to its longest clip.
    first, _ = read_wav(ds.file_paths[0])
    x = batches[0][0]
    lengths = [len(read_wav(p)[0]) for p in ds.file_paths[:4]]
    assert x.shape == (4, max(lengths), 1)
    np.testing.assert_allclose(x[0, :len(first)], first)
    assert not x[0, len(first):].any()
    cut = keras.utils.audio_dataset_from_directory(
        root, batch_size=None, output_sequence_length=320, label_mode="categorical",
        shuffle=False, verbose=False)
    clip, label = _batches(cut)[0]
    assert clip.shape == (320, 1) and label.tolist() == [1.0, 0.0]
    np.testing.assert_allclose(clip[:min(320, len(first))], first[:320])
    resampled = keras.utils.audio_dataset_from_directory(
        root, batch_size=2, sampling_rate=400, output_sequence_length=100, labels=None,
        shuffle=False, verbose=False)
    halves = _batches(resampled)[0]
    assert halves.shape == (2, 100, 1)  # 800 Hz to 400 Hz: every other sample
    np.testing.assert_allclose(halves[0, :, 0], first[:200:2, 0], atol=1e-6)
    train, val = keras.utils.audio_dataset_from_directory(
        root, validation_split=0.2, subset="both", seed=4, label_mode="binary",
        verbose=False)
    assert len(train.file_paths) == 8 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    explicit = keras.utils.audio_dataset_from_directory(
        root, labels=[1, 0] * 5, shuffle=False, verbose=False, batch_size=10)
    np.testing.assert_array_equal(_batches(explicit)[0][1], [1, 0] * 5)


def test_errors(tmp_path):
    root = audio_folder(tmp_path / "clips", per_class=2)
    fn = keras.utils.audio_dataset_from_directory
    with pytest.raises(ValueError, match="Cannot set both `ragged` and "
                                         "`output_sequence_length`"):
        fn(root, ragged=True, output_sequence_length=10)
    with pytest.raises(ValueError, match="`sampling_rate` should have an integer value"):
        fn(root, sampling_rate=8000.0)
    with pytest.raises(ValueError, match="`sampling_rate` should be higher than 0"):
        fn(root, sampling_rate=0)
    with pytest.raises(ValueError, match="`output_sequence_length` must be a positive"):
        fn(root, output_sequence_length=-3)
    with pytest.raises(ValueError, match='`label_mode` argument must be one of "int"'):
        fn(root, label_mode="sparse")
    with pytest.raises(ValueError, match="The `labels` argument should be a list/tuple"):
        fn(root, labels="folders")
    with pytest.raises(ValueError, match="You can only pass `class_names` if"):
        fn(root, labels=[0, 1, 0, 1], class_names=["a"])
    with pytest.raises(ValueError, match="lengths of `labels` to match"):
        fn(root, labels=[0, 1], verbose=False)
    with pytest.raises(ValueError, match="must provide a `seed`"):
        fn(root, validation_split=0.5, subset="training")
    os.makedirs(tmp_path / "empty" / "a")
    with pytest.raises(ValueError, match=r"No audio files found in directory .*\('.wav',\)"):
        fn(str(tmp_path / "empty"), verbose=False)


def _clips(paths):
    return [read_wav(p)[0] for p in paths]


def test_ragged_on_tf_data_is_a_ragged_tensor_as_in_keras(tmp_path):
    tf = pytest.importorskip("tensorflow")
    root = audio_folder(tmp_path / "clips", per_class=3)
    ds = keras.utils.audio_dataset_from_directory(root, ragged=True, batch_size=4,
                                                  shuffle=False, verbose=False)
    # Keras 3.15's element_spec: RaggedTensorSpec([None, None, None], float32, 2, int64);
    # kfront knows the channel count from the files (as its padded batches do).
    spec = ds.element_spec[0]
    assert isinstance(spec, tf.RaggedTensorSpec) and spec.ragged_rank == 2
    assert spec.shape.as_list()[:2] == [None, None] and spec.dtype == tf.float32
    assert ds.class_names == ["noise", "tone"] and len(ds.file_paths) == 6
    want = _clips(ds.file_paths)
    got = [clip for x, _ in ds for clip in x]
    assert [int(c.nrows()) for c in got] == [len(c) for c in want]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.to_tensor().numpy(), w)
    assert [len(y) for _, y in ds] == [4, 2]
    single = keras.utils.audio_dataset_from_directory(root, ragged=True, batch_size=None,
                                                      labels=None, shuffle=False,
                                                      verbose=False)
    assert single.element_spec.ragged_rank == 1 and single.element_spec.shape.rank == 2


def test_ragged_on_kfront_dataset_gives_lists_of_clips(tmp_path, monkeypatch):
    from kfront.utils import dataset_formats
    from kfront.utils.dataset_pipeline import Dataset
    monkeypatch.setattr(dataset_formats, "_tensorflow", lambda: None)  # as without TF
    root = audio_folder(tmp_path / "clips", per_class=3)
    ds = keras.utils.audio_dataset_from_directory(root, ragged=True, batch_size=4,
                                                  shuffle=False, verbose=False)
    assert isinstance(ds, Dataset) and ds.class_names == ["noise", "tone"]
    batches = list(ds)
    assert [len(x) for x, _ in batches] == [4, 2] and isinstance(batches[0][0], list)
    for g, w in zip([c for x, _ in batches for c in x], _clips(ds.file_paths)):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, w)
    single = keras.utils.audio_dataset_from_directory(root, ragged=True, batch_size=None,
                                                      shuffle=False, verbose=False)
    clip, label = next(iter(single))
    np.testing.assert_allclose(clip, _clips(single.file_paths)[0])


def test_no_output_sequence_length_keeps_single_clips_whole(tmp_path):
    root = audio_folder(tmp_path / "clips", per_class=2)
    ds = keras.utils.audio_dataset_from_directory(root, batch_size=None, shuffle=False,
                                                  verbose=False)
    for (clip, _), want in zip(_batches(ds), _clips(ds.file_paths)):
        np.testing.assert_array_equal(clip, want)  # no padding, no cut, as Keras


def test_ragged_refuses_the_grain_format(tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError, match='`ragged=True` is not supported with format="grain"'):
        keras.utils.audio_dataset_from_directory(tmp_path, ragged=True, format="grain")
