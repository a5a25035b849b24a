"""Data-parallel training of the digits MLP over several processes, each engine through its
own distributed runtime. The script is the same on every engine; only the launch differs.

torch (torch.distributed, gloo on CPU / NCCL on GPU; torchrun sets rank and world size):

    KFRONT_BACKEND=torch torchrun --nproc_per_node=2 examples/distributed_digits.py

JAX (jax.distributed; start one process per host or device group):

    KFRONT_BACKEND=jax python examples/distributed_digits.py \\
        --job-addresses 127.0.0.1:12355 --num-processes 2 --process-id 0 &
    KFRONT_BACKEND=jax python examples/distributed_digits.py \\
        --job-addresses 127.0.0.1:12355 --num-processes 2 --process-id 1

TensorFlow (MultiWorkerMirroredStrategy; one address per worker):

    KFRONT_BACKEND=tensorflow python examples/distributed_digits.py \\
        --job-addresses 127.0.0.1:12356,127.0.0.1:12357 --num-processes 2 --process-id 0 &
    KFRONT_BACKEND=tensorflow python examples/distributed_digits.py \\
        --job-addresses 127.0.0.1:12356,127.0.0.1:12357 --num-processes 2 --process-id 1

With --backup-dir, a killed job started again with the same command resumes from its last
finished epoch (BackupAndRestore); only process 0 writes files and prints progress.
"""
import argparse
import os
import time

import numpy as np

import kfront as keras
from kfront import distribution

parser = argparse.ArgumentParser()
parser.add_argument("--job-addresses")
parser.add_argument("--num-processes", type=int)
parser.add_argument("--process-id", type=int)
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--batch-size", type=int, default=64, help="the global batch size")
parser.add_argument("--backup-dir", help="resume a killed job from here")
parser.add_argument("--stop-after-epoch", type=int,
                    help="exit abruptly after this epoch (to try resuming)")
parser.add_argument("--save", help="where process 0 writes the final weights (.npz)")
args = parser.parse_args()

if args.num_processes or "RANK" in os.environ:
    distribution.initialize(args.job_addresses, args.num_processes, args.process_id)
chief = distribution.api.process_id() == 0

keras.utils.set_random_seed(0)
distribution.set_distribution(distribution.DataParallel())
(x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
x_test = x_test.reshape(-1, 64).astype("float32") / 16.0
usable = len(x_train) // args.batch_size * args.batch_size  # whole global batches only
x_train, y_train = x_train[:usable], y_train[:usable]

model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
              metrics=["accuracy"])

callbacks = []
if args.backup_dir:
    callbacks.append(keras.callbacks.BackupAndRestore(args.backup_dir))
if args.stop_after_epoch is not None:
    def stop(epoch, logs):
        if epoch + 1 != args.stop_after_epoch:
            return
        if not chief and args.backup_dir:
            # Process 0 writes the backup; the others must not end the job before it has.
            marker = os.path.join(args.backup_dir, "training_metadata.json")
            deadline = time.time() + 120
            while not os.path.exists(marker) and time.time() < deadline:
                time.sleep(0.05)
        os._exit(3)  # a crash: no clean-up, no deletion of the backup
    callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=stop))
model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, shuffle=False,
          callbacks=callbacks, verbose=2 if chief else 0)
usable_test = len(x_test) // args.batch_size * args.batch_size
loss, accuracy = model.evaluate(x_test[:usable_test], y_test[:usable_test],
                                batch_size=args.batch_size, verbose=0)
if chief:
    print(f"backend={keras.backend.backend()} processes={distribution.api.num_processes()} "
          f"test_accuracy={accuracy:.4f}")
    if args.save:
        np.savez(args.save, *model.get_weights())
