"""Hand-written JAX training loops: pure functions, jax.jit with donated buffers, and optax
Adam if installed (else the same update written out)."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

import workloads as W
from measure import time_inference, time_native

try:
    import optax
except ImportError:
    optax = None


def _dense(key, n_in, n_out):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return {"w": jax.random.uniform(key, (n_in, n_out), jnp.float32, -limit, limit),
            "b": jnp.zeros((n_out,), jnp.float32)}


def _apply_dense(p, x):
    return x @ p["w"] + p["b"]


def _conv(key, k, c_in, c_out):
    limit = np.sqrt(6.0 / (k * k * (c_in + c_out)))
    return {"w": jax.random.uniform(key, (k, k, c_in, c_out), jnp.float32, -limit, limit),
            "b": jnp.zeros((c_out,), jnp.float32)}


def _apply_conv(p, x):
    y = lax.conv_general_dilated(x, p["w"], (1, 1), "VALID",
                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + p["b"]


def _pool(x):
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def _layer_norm(p, x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) * lax.rsqrt(var + 1e-3) * p["g"] + p["b"]


def _ln_params(d):
    return {"g": jnp.ones((d,), jnp.float32), "b": jnp.zeros((d,), jnp.float32)}


def init(name, key):
    k = iter(jax.random.split(key, 16))
    if name in W.MLP_LIKE:
        return [_dense(next(k), 784, 512), _dense(next(k), 512, 256), _dense(next(k), 256, 10)]
    if name == "convnet":
        return [_conv(next(k), 3, 1, 32), _conv(next(k), 3, 32, 64),
                _dense(next(k), 1600, 128), _dense(next(k), 128, 10)]
    if name == "lstm":
        u = W.LSTM_UNITS
        return {"emb": jax.random.uniform(next(k), (W.VOCAB, W.EMBED), jnp.float32, -.05, .05),
                "x": _dense(next(k), W.EMBED, 4 * u), "h": _dense(next(k), u, 4 * u),
                "out": _dense(next(k), u, 2)}
    d = W.D_MODEL
    blocks = [{"qkv": _dense(next(k), d, 3 * d), "o": _dense(next(k), d, d),
               "ln1": _ln_params(d), "f1": _dense(next(k), d, W.FFN),
               "f2": _dense(next(k), W.FFN, d), "ln2": _ln_params(d)} for _ in range(W.BLOCKS)]
    return {"blocks": blocks, "out": _dense(next(k), d, 10)}


def _block(p, x):
    b, t, d = x.shape
    h = W.HEADS
    q, k, v = jnp.split(_apply_dense(p["qkv"], x), 3, axis=-1)
    q, k, v = (a.reshape(b, t, h, d // h).transpose(0, 2, 1, 3) for a in (q, k, v))
    att = jax.nn.softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(d // h), axis=-1)
    a = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
    x = _layer_norm(p["ln1"], x + _apply_dense(p["o"], a))
    f = _apply_dense(p["f2"], jax.nn.relu(_apply_dense(p["f1"], x)))
    return _layer_norm(p["ln2"], x + f)


def forward(name, params, x):
    if name in W.MLP_LIKE:
        h = jax.nn.relu(_apply_dense(params[0], x))
        h = jax.nn.relu(_apply_dense(params[1], h))
        return _apply_dense(params[2], h)
    if name == "convnet":
        h = _pool(jax.nn.relu(_apply_conv(params[0], x)))
        h = _pool(jax.nn.relu(_apply_conv(params[1], h)))
        h = jax.nn.relu(_apply_dense(params[2], h.reshape(h.shape[0], -1)))
        return _apply_dense(params[3], h)
    if name == "lstm":
        e = params["emb"][x]
        xg = _apply_dense(params["x"], e)  # all input projections in one matmul

        def cell(carry, g_t):
            h, c = carry
            g = g_t + h @ params["h"]["w"]
            i, f, gg, o = jnp.split(g, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(gg)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((x.shape[0], W.LSTM_UNITS), jnp.float32)
        (h, _), _ = lax.scan(cell, (zeros, zeros), xg.transpose(1, 0, 2))
        return _apply_dense(params["out"], h)
    h = x
    for p in params["blocks"]:
        h = _block(p, h)
    return _apply_dense(params["out"], h.mean(axis=1))


def _loss(name, params, x, y):
    logits = forward(name, params, x)
    logp = jax.nn.log_softmax(logits)
    return -jnp.take_along_axis(logp, y[:, None], axis=1).mean()


def _adam_init(params):
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    return (jnp.zeros((), jnp.int32), zeros, jax.tree_util.tree_map(jnp.zeros_like, params))


def _adam_update(grads, state, params, b1=0.9, b2=0.999, eps=1e-7):
    t, m, v = state
    t = t + 1
    m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
    v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
    tf_ = t.astype(jnp.float32)
    lr = W.LEARNING_RATE * jnp.sqrt(1 - b2 ** tf_) / (1 - b1 ** tf_)
    params = jax.tree_util.tree_map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + eps),
                                    params, m, v)
    return params, (t, m, v)


def predict(name, steps):
    """The jitted forward function, from a NumPy sample to a NumPy output."""
    def make_predict():
        params = init(name, jax.random.PRNGKey(W.SEED))
        fn = jax.jit(lambda p, x: forward(name, p, x))
        return lambda xb: np.asarray(fn(params, xb))

    return time_inference(make_predict, W.samples(name, steps))


def run(name, steps, engine=None):
    if name == "predict":
        return predict(name, steps)
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    batches = [(jnp.asarray(a), jnp.asarray(b)) for a, b in W.numpy_batches(x, y, bs)]
    if name == "dataloader":
        # No data-loading library in JAX itself: NumPy batches, copied in by the jitted call.
        epoch = lambda: iter(W.numpy_batches(x, y, bs))  # noqa: E731
    else:
        epoch = lambda: iter(batches)  # noqa: E731

    def make_step():
        params = init(name, jax.random.PRNGKey(W.SEED))
        if optax is not None:
            tx = optax.adam(W.LEARNING_RATE, eps=1e-7)
            opt_state = tx.init(params)
        else:
            opt_state = _adam_init(params)

        def train(params, opt_state, xb, yb):
            loss, grads = jax.value_and_grad(lambda p: _loss(name, p, xb, yb))(params)
            if optax is not None:
                updates, opt_state = tx.update(grads, opt_state, params)
                params = optax.apply_updates(params, updates)
            else:
                params, opt_state = _adam_update(grads, opt_state, params)
            return params, opt_state, loss

        jitted = jax.jit(train, donate_argnums=(0, 1))
        state = [params, opt_state]

        def step(batch):
            state[0], state[1], loss = jitted(state[0], state[1], *batch)
            return loss

        return step

    return time_native(make_step, batches, epoch,
                       lambda loss: float(loss.block_until_ready()))
