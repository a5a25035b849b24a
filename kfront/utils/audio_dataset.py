"""``audio_dataset_from_directory``: labelled batches of WAV clips from a folder per class,
read with Python's ``wave`` module."""
import wave

import numpy as np

from kfront.utils.dataset_formats import check_format, wrap
from kfront.utils.directory_listing import (
    FileBatches, check_validation_split_arg, encode_labels, labelled_files,
)

ALLOWED_FORMATS = (".wav",)
_PCM = {1: ("u1", 128.0, 128.0), 2: ("<i2", 0.0, 32768.0), 4: ("<i4", 0.0, 2147483648.0)}


def read_wav(path):
    """``(samples, sampling_rate)``: float32 samples in [-1, 1] of shape
    ``(frames, channels)`` from an 8, 16 or 32-bit PCM WAV file."""
    try:
        with wave.open(str(path), "rb") as f:
            width, channels, rate = f.getsampwidth(), f.getnchannels(), f.getframerate()
            raw = f.readframes(f.getnframes())
    except (wave.Error, EOFError) as e:
        raise ValueError(f"Could not read the WAV file {path}: {e}") from None
    if width not in _PCM:
        raise ValueError(f"Could not read the WAV file {path}: {8 * width}-bit samples are "
                         "not supported (8, 16 or 32-bit PCM are).")
    dtype, offset, scale = _PCM[width]
    samples = (np.frombuffer(raw, dtype=dtype).astype("float32") - offset) / scale
    return samples.reshape(-1, channels), rate


def _resample(samples, rate, target):
    # Linear interpolation: Keras resamples with tensorflow-io, which kfront does not need.
    if rate == target:
        return samples
    frames = int(round(len(samples) * target / rate))
    old_t = np.arange(len(samples)) / rate
    new_t = np.arange(frames) / target
    return np.stack([np.interp(new_t, old_t, samples[:, c]) for c in
                     range(samples.shape[1])], axis=1).astype("float32")


def _fit_length(samples, length):
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, ((0, length - len(samples)), (0, 0)))


class AudioDataset(FileBatches):
    """Batches of ``(audio, labels)`` (or audio alone) read from WAV files on demand.

    ``audio`` is float32 ``(batch, frames, channels)``: cut or zero-padded to
    ``output_sequence_length``, else zero-padded to the longest clip of the batch. With
    ``ragged`` a batch's audio is a list of ``(frames, channels)`` arrays, one per clip.
    """

    def __init__(self, paths, labels, label_mode, class_names, batch_size, sampling_rate,
                 output_sequence_length, shuffle, seed, ragged=False):
        super().__init__(paths, batch_size, shuffle, np.random.RandomState(seed))
        self.ragged = ragged
        self.labels = labels
        self.label_mode = label_mode
        self.class_names = class_names
        self.sampling_rate = sampling_rate
        self.output_sequence_length = output_sequence_length

    def _load(self, index):
        samples, rate = read_wav(self.file_paths[index])
        if self.sampling_rate is not None:
            samples = _resample(samples, rate, self.sampling_rate)
        if self.output_sequence_length is not None:
            samples = _fit_length(samples, self.output_sequence_length)
        return samples

    def __getitem__(self, index):
        picks = self._picks(index)
        clips = [self._load(i) for i in picks]
        longest = max(len(c) for c in clips)
        channels = {c.shape[1] for c in clips}
        if len(channels) > 1:
            raise ValueError(f"The WAV files of a batch have different numbers of channels "
                             f"{sorted(channels)}: {[self.file_paths[i] for i in picks]}.")
        x = clips if self.ragged and self.batch_size is not None else \
            np.stack([_fit_length(c, longest) for c in clips])
        y = None if self.label_mode is None else \
            encode_labels(self.labels[picks], self.label_mode, len(self.class_names))
        if self.batch_size is None:
            x = x[0]
            y = None if y is None else y[0]
        return x if y is None else (x, y)


def _check_args(labels, label_mode, class_names, batch_size, sampling_rate,
                output_sequence_length, ragged, format):
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("The `labels` argument should be a list/tuple of integer labels, "
                             "of the same size as the number of audio files in the target "
                             'directory. If you wish to infer the labels from the subdirectory '
                             'names in the target directory, pass `labels="inferred"`. If you '
                             "wish to get a dataset that only contains audio samples (no "
                             f"labels), pass `labels=None`. Received: labels={labels!r}")
        if class_names:
            raise ValueError('You can only pass `class_names` if `labels="inferred"`. '
                             f"Received: labels={labels!r}, and class_names={class_names!r}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode!r}')
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if ragged and format == "grain":
        raise ValueError('`ragged=True` is not supported with format="grain": Grain batches '
                         "stack equal shapes. Use format=\"tf\" or format=\"kfront\".")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int) or isinstance(sampling_rate, bool):
            raise ValueError("`sampling_rate` should have an integer value. Received: "
                             f"sampling_rate={sampling_rate!r}")
        if sampling_rate <= 0:
            raise ValueError("`sampling_rate` should be higher than 0. Received: "
                             f"sampling_rate={sampling_rate}")
    if output_sequence_length is not None and (
            not isinstance(output_sequence_length, (int, np.integer))
            or output_sequence_length < 1):
        raise ValueError("`output_sequence_length` must be a positive integer or None. "
                         f"Received: output_sequence_length={output_sequence_length!r}")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or batch_size < 1):
        raise ValueError("`batch_size` must be a positive integer or None. Received: "
                         f"batch_size={batch_size!r}")


def _ragged_dataset(args, batch_size, attributes, format):
    """The ``ragged=True`` dataset: tf.data's single clips made ragged and batched (as
    Keras builds it), or kfront's Dataset of clip lists."""
    clips = AudioDataset(*args[:4], None, *args[5:], ragged=True)
    dataset = wrap(clips, format, batched=False, varying_length=(0,))
    if type(dataset).__module__.startswith("tensorflow"):
        import sys
        tf = sys.modules["tensorflow"]  # loaded by ``wrap`` for the tf.data result

        def to_ragged(x, *y):
            return (tf.RaggedTensor.from_tensor(x), *y) if y else \
                tf.RaggedTensor.from_tensor(x)
        dataset = dataset.map(to_ragged)
        if batch_size is not None:
            dataset = dataset.batch(batch_size)
        for key, value in attributes.items():
            setattr(dataset, key, value)
        return dataset
    if batch_size is not None:
        dataset = wrap(AudioDataset(*args, ragged=True), format)
    for key, value in attributes.items():
        setattr(dataset, key, value)
    return dataset


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True, format="tf"):
    """Batches of (audio, labels) from ``directory/<class name>/<file>.wav``.

    Audio is float32 in [-1, 1] of shape ``(batch, frames, channels)``. Returns a
    ``tf.data.Dataset`` where TensorFlow is installed, as Keras 3 does, else (or with
    ``format="kfront"``) kfront's own ``Dataset`` (the ``tf.data`` methods tutorials chain),
    or a ``grain.IterDataset`` with ``format="grain"``; ``fit``/``evaluate``/``predict``
    accept each on every backend. Both carry ``class_names`` and ``file_paths``.

    Args:
        directory: the folder of class subfolders.
        labels: "inferred" (from the subfolders), None, or a list of ints, one per file in
            alphanumeric order.
        label_mode: "int", "categorical" (one-hot float32), "binary" (float32 (batch, 1),
            two classes) or None (audio only).
        class_names: the subfolders to use, in label order (``labels="inferred"`` only).
        batch_size: clips per batch; None yields single clips.
        sampling_rate: resample every clip to this rate (linear interpolation); None keeps
            the files' rates.
        output_sequence_length: cut or zero-pad every clip to this many frames. None
            zero-pads each batch to its longest clip (``padded_batch``, as Keras); with
            ``batch_size=None`` each clip keeps its own length.
        ragged: keep every clip's own length. On ``tf.data`` the audio is a
            ``tf.RaggedTensor`` as in Keras: ``(batch, None, None)`` batches (ragged rank
            2), or ``(None, None)`` clips with ``batch_size=None``. kfront's own
            ``Dataset`` gives a batch's audio as a list of float32 ``(frames, channels)``
            arrays (single clips are arrays, as without ``ragged``).
        shuffle, seed, validation_split, subset ("training", "validation" or "both"),
        follow_links, verbose: as in ``image_dataset_from_directory``.
        format: "tf" (default), "kfront" or "grain" (needs ``kfront[grain]``), as the other
            dataset utilities take it (Keras 3's audio utility has no such argument and
            returns tf.data).

    >>> train, val = kfront.utils.audio_dataset_from_directory(
    ...     "clips", output_sequence_length=16000, validation_split=0.2, subset="both",
    ...     seed=0)
    """
    check_format(format)
    _check_args(labels, label_mode, class_names, batch_size, sampling_rate,
                output_sequence_length, ragged, format)
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    paths, indices, names = labelled_files(directory, ALLOWED_FORMATS, labels, class_names,
                                           follow_links, "audio files")
    if verbose:
        classes = f" belonging to {len(names)} classes" if labels == "inferred" else ""
        print(f"Found {len(paths)} files{classes}.")
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")
    if shuffle:
        # One seeded permutation before the split, so both subsets get disjoint files.
        order = np.random.RandomState(seed).permutation(len(paths))
        paths, indices = [paths[i] for i in order], indices[order]
    n_val = int(validation_split * len(paths)) if validation_split else 0
    spans = {"training": (0, len(paths) - n_val), "validation": (len(paths) - n_val,
                                                                 len(paths)),
             None: (0, len(paths))}
    datasets = []
    for part in (("training", "validation") if subset == "both" else (subset,)):
        lo, hi = spans[part]
        if hi <= lo:
            raise ValueError(f"No {part} audio files found in directory {directory}. "
                             f"Allowed format(s): {ALLOWED_FORMATS}")
        if verbose and validation_split:
            print(f"Using {hi - lo} files for {part}.")
        args = (paths[lo:hi], indices[lo:hi], label_mode, names, batch_size, sampling_rate,
                output_sequence_length, shuffle and format != "grain", seed)
        attributes = {"class_names": names, "file_paths": paths[lo:hi]}
        if ragged:
            datasets.append(_ragged_dataset(args, batch_size, attributes, format))
            continue
        batches = AudioDataset(*args)
        varying = () if output_sequence_length is not None else (0,)
        # Grain shuffles once (MapDataset.shuffle), not the validation half of "both", as
        # the image and text utilities do.
        datasets.append(wrap(batches, format, batched=batch_size is not None,
                             attributes=attributes, varying_length=varying,
                             shuffle=shuffle and not (subset == "both" and part == "validation"),
                             seed=seed))
    return tuple(datasets) if subset == "both" else datasets[0]
