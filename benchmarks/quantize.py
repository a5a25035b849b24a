"""int8, int4 and float8 against float32: inference time and model-file size of a
transformer-like MLP stack (Embedding -> blocks of EinsumDense up-projection + Dense
down-projection), on the engine KFRONT_BACKEND names. Each mode quantizes a fresh copy of
the float model (float8 leaves the Embedding float, as Keras does).

    KFRONT_BACKEND=torch python benchmarks/quantize.py [--dim 256] [--blocks 4]
        [--modes int8,int4,float8]
"""
import warnings
import argparse
import os
import tempfile
import time

import numpy as np

import kfront as keras


def build(vocab, dim, blocks, seq):
    inp = keras.Input((seq,), dtype="int32")
    x = keras.layers.Embedding(vocab, dim)(inp)
    for _ in range(blocks):
        h = keras.layers.EinsumDense("abc,cd->abd", (seq, 4 * dim), bias_axes="d",
                                     activation="gelu")(x)
        x = keras.layers.Add()([x, keras.layers.Dense(dim)(h)])
    return keras.Model(inp, keras.layers.Dense(vocab)(x))


def timed_predict(model, ids, repeats):
    model.predict(ids, batch_size=len(ids), verbose=0)  # warm-up (tracing/compilation)
    start = time.perf_counter()
    for _ in range(repeats):
        model.predict(ids, batch_size=len(ids), verbose=0)
    return (time.perf_counter() - start) / repeats * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab", type=int, default=2000)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--seq", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--modes", default="int8,int4,float8",
                        help="comma-separated quantization modes to compare with float32")
    args = parser.parse_args()
    model = build(args.vocab, args.dim, args.blocks, args.seq)
    weights = model.get_weights()
    ids = np.random.RandomState(0).randint(0, args.vocab, (args.batch, args.seq))
    reference = model.predict(ids, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for label in ["float32"] + args.modes.split(","):
            if label != "float32":
                model = build(args.vocab, args.dim, args.blocks, args.seq)
                model.set_weights(weights)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # float8 skips the Embedding
                    model.quantize(label)
            error = np.abs(model.predict(ids, verbose=0) - reference).max()
            path = os.path.join(tmp, f"{label}.kfront")
            model.save(path)
            rows.append((label, timed_predict(model, ids, args.repeats),
                         os.path.getsize(path) / 2 ** 20, error))
    print(f"backend={keras.backend.backend()} batch={args.batch}x{args.seq} dim={args.dim} "
          f"blocks={args.blocks}")
    base_ms, base_mib = rows[0][1], rows[0][2]
    for label, ms, mib, error in rows:
        print(f"{label:8s} predict {ms:8.1f} ms/batch (x{ms / base_ms:.2f})   file {mib:6.2f} "
              f"MiB (x{mib / base_mib:.3f})   max |{label} - float32| = {error:.4f}")


if __name__ == "__main__":
    main()
