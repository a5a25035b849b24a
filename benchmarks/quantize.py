"""int8 against float32: inference time and model-file size of a transformer-like MLP stack
(Embedding -> blocks of EinsumDense up-projection + Dense down-projection), on the engine
KFRONT_BACKEND names.

    KFRONT_BACKEND=torch python benchmarks/quantize.py [--dim 256] [--blocks 4]
"""
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
    args = parser.parse_args()
    model = build(args.vocab, args.dim, args.blocks, args.seq)
    ids = np.random.RandomState(0).randint(0, args.vocab, (args.batch, args.seq))
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for label in ("float32", "int8"):
            if label == "int8":
                reference = model.predict(ids, verbose=0)
                model.quantize("int8")
                error = np.abs(model.predict(ids, verbose=0) - reference).max()
            path = os.path.join(tmp, f"{label}.kfront")
            model.save(path)
            rows.append((label, timed_predict(model, ids, args.repeats),
                         os.path.getsize(path) / 2 ** 20))
    print(f"backend={keras.backend.backend()} params={model.count_params()} "
          f"batch={args.batch}x{args.seq} dim={args.dim} blocks={args.blocks}")
    for label, ms, mib in rows:
        print(f"{label:8s} predict {ms:8.1f} ms/batch   file {mib:6.2f} MiB")
    print(f"int8/float32: time x{rows[1][1] / rows[0][1]:.2f}, file x{rows[1][2] / rows[0][2]:.3f},"
          f" max |int8 - float| = {error:.4f}")


if __name__ == "__main__":
    main()
