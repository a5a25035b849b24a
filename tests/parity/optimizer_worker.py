"""Run in one process per backend by test_optimizer_parity.py: applies every optimizer for
a few steps from the same weights and gradients and writes the results to an npz.

    KFRONT_BACKEND=jax python tests/parity/optimizer_worker.py OUT.npz
"""
import sys

import numpy as np

import kfront
from kfront import optimizers
from kfront.optimizers import schedules

SHAPES = [(4, 3), (3,), (2, 2, 2)]
STEPS = 5

CONFIGS = {
    "sgd_nesterov": lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    "adam": lambda: optimizers.Adam(0.01),
    "adam_amsgrad_clipnorm": lambda: optimizers.Adam(0.01, amsgrad=True, clipnorm=1.0),
    "adamw": lambda: optimizers.AdamW(0.01, weight_decay=0.1),
    "rmsprop_centered": lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    "adagrad": lambda: optimizers.Adagrad(0.1),
    "adadelta": lambda: optimizers.Adadelta(1.0, clipvalue=0.5),
    "adamax": lambda: optimizers.Adamax(0.01, weight_decay=0.05),
    "nadam": lambda: optimizers.Nadam(0.01),
    "ftrl": lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.01,
                                    l2_regularization_strength=0.01,
                                    l2_shrinkage_regularization_strength=0.01, beta=0.1),
    "lion": lambda: optimizers.Lion(0.01, global_clipnorm=2.0),
    "lamb": lambda: optimizers.Lamb(0.01),
    "adam_ema_accumulation": lambda: optimizers.Adam(
        schedules.CosineDecay(0.01, 10, warmup_target=0.02, warmup_steps=2), use_ema=True,
        ema_overwrite_frequency=2, gradient_accumulation_steps=2),
    "loss_scale_sgd": lambda: optimizers.LossScaleOptimizer(
        optimizers.SGD(0.05, momentum=0.5), initial_scale=16.0, dynamic_growth_steps=2),
}


def main(path):
    rng = np.random.default_rng(21)
    initial = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(STEPS)]
    out = {}
    for name, make in CONFIGS.items():
        opt = make()
        variables = [kfront.Variable(w.copy()) for w in initial]
        for step in grads:
            opt.apply(step, variables)
        for i, v in enumerate(variables):
            out[f"{name}/weight/{i}"] = v.numpy()
        for i, v in enumerate(opt.variables):
            out[f"{name}/state/{i}"] = v.numpy()
    for i, w in enumerate(initial):
        out[f"initial/{i}"] = w
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
