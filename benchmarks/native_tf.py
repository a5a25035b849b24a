"""Hand-written TensorFlow training loops: tf.function + GradientTape + Adam written with
tf.raw_ops.ResourceApplyAdam (the fused kernel), no tf.keras."""
import numpy as np
import tensorflow as tf

import workloads as W
from measure import time_inference, time_native


def _glorot(shape, fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return tf.Variable(rng.uniform(-limit, limit, shape).astype("float32"))


def _dense(rng, n_in, n_out):
    return [_glorot((n_in, n_out), n_in, n_out, rng), tf.Variable(tf.zeros([n_out]))]


def _conv(rng, k, c_in, c_out):
    return [_glorot((k, k, c_in, c_out), k * k * c_in, k * k * c_out, rng),
            tf.Variable(tf.zeros([c_out]))]


def _ln(d):
    return [tf.Variable(tf.ones([d])), tf.Variable(tf.zeros([d]))]


def _layer_norm(p, x):
    mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) * tf.math.rsqrt(var + 1e-3) * p[0] + p[1]


def init(name, rng):
    if name in W.MLP_LIKE:
        return {"d": [_dense(rng, 784, 512), _dense(rng, 512, 256), _dense(rng, 256, 10)]}
    if name == "convnet":
        return {"c": [_conv(rng, 3, 1, 32), _conv(rng, 3, 32, 64)],
                "d": [_dense(rng, 1600, 128), _dense(rng, 128, 10)]}
    if name == "lstm":
        u = W.LSTM_UNITS
        return {"emb": tf.Variable(rng.uniform(-.05, .05, (W.VOCAB, W.EMBED)).astype("float32")),
                "x": _dense(rng, W.EMBED, 4 * u), "h": _dense(rng, u, 4 * u)[:1],
                "out": _dense(rng, u, 2)}
    d = W.D_MODEL
    return {"blocks": [{"qkv": _dense(rng, d, 3 * d), "o": _dense(rng, d, d), "ln1": _ln(d),
                        "f1": _dense(rng, d, W.FFN), "f2": _dense(rng, W.FFN, d),
                        "ln2": _ln(d)} for _ in range(W.BLOCKS)],
            "out": _dense(rng, d, 10)}


def _lin(p, x):
    return tf.matmul(x, p[0]) + p[1]


def _block(p, x):
    b, t, d, h = tf.shape(x)[0], x.shape[1], W.D_MODEL, W.HEADS
    q, k, v = tf.split(_lin(p["qkv"], x), 3, axis=-1)
    q, k, v = (tf.transpose(tf.reshape(a, [b, t, h, d // h]), [0, 2, 1, 3]) for a in (q, k, v))
    att = tf.nn.softmax(tf.matmul(q, k, transpose_b=True) / np.sqrt(d // h).astype("float32"))
    a = tf.reshape(tf.transpose(tf.matmul(att, v), [0, 2, 1, 3]), [b, t, d])
    x = _layer_norm(p["ln1"], x + _lin(p["o"], a))
    return _layer_norm(p["ln2"], x + _lin(p["f2"], tf.nn.relu(_lin(p["f1"], x))))


def forward(name, p, x):
    if name in W.MLP_LIKE:
        h = tf.nn.relu(_lin(p["d"][0], x))
        return _lin(p["d"][2], tf.nn.relu(_lin(p["d"][1], h)))
    if name == "convnet":
        h = x
        for c in p["c"]:
            h = tf.nn.relu(tf.nn.conv2d(h, c[0], 1, "VALID") + c[1])
            h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.nn.relu(_lin(p["d"][0], tf.reshape(h, [tf.shape(h)[0], -1])))
        return _lin(p["d"][1], h)
    if name == "lstm":
        xg = _lin(p["x"], tf.gather(p["emb"], x))  # all input projections in one matmul
        h = c = tf.zeros([tf.shape(x)[0], W.LSTM_UNITS])
        # Unstacked time-major: one slice op per step whose gradient is a single stack
        # (xg[:, t] would build a full-size gradient per step). Unrolled at trace time.
        for xg_t in tf.unstack(tf.transpose(xg, [1, 0, 2])):
            i, f, g, o = tf.split(xg_t + tf.matmul(h, p["h"][0]), 4, axis=-1)
            c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
            h = tf.sigmoid(o) * tf.tanh(c)
        return _lin(p["out"], h)
    h = x
    for blk in p["blocks"]:
        h = _block(blk, h)
    return _lin(p["out"], tf.reduce_mean(h, axis=1))


class Adam:
    """Adam over a list of variables, one fused ResourceApplyAdam kernel per variable."""

    def __init__(self, variables, lr=W.LEARNING_RATE, b1=0.9, b2=0.999, eps=1e-7):
        self.m = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.t = tf.Variable(0.0)
        self.lr, self.b1, self.b2, self.eps = (tf.constant(a, tf.float32)
                                               for a in (lr, b1, b2, eps))

    def apply(self, grads, variables):
        self.t.assign_add(1.0)
        b1p, b2p = tf.pow(self.b1, self.t), tf.pow(self.b2, self.t)
        for g, var, m, v in zip(grads, variables, self.m, self.v):
            tf.raw_ops.ResourceApplyAdam(
                var=var.handle, m=m.handle, v=v.handle, beta1_power=b1p, beta2_power=b2p,
                lr=self.lr, beta1=self.b1, beta2=self.b2, epsilon=self.eps,
                grad=tf.convert_to_tensor(g))  # embedding grads arrive as IndexedSlices


def predict(name, steps):
    """The forward pass as a tf.function, from a NumPy sample to a NumPy output."""
    def make_predict():
        params = init(name, np.random.default_rng(W.SEED))
        fn = tf.function(lambda x: forward(name, params, x))
        return lambda xb: fn(tf.convert_to_tensor(xb)).numpy()

    return time_inference(make_predict, W.samples(name, steps))


def run(name, steps, engine=None):
    if name == "predict":
        return predict(name, steps)
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    batches = [(tf.constant(a), tf.constant(b)) for a, b in W.numpy_batches(x, y, bs)]
    if name == "dataloader":
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(bs)
        epoch = lambda: iter(ds)  # noqa: E731
    else:
        epoch = lambda: iter(batches)  # noqa: E731

    def make_step():
        params = init(name, np.random.default_rng(W.SEED))
        variables = tf.nest.flatten(params)
        opt = Adam(variables)

        @tf.function
        def train(xb, yb):
            with tf.GradientTape() as tape:
                logits = forward(name, params, xb)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yb, logits))
            opt.apply(tape.gradient(loss, variables), variables)
            return loss

        return lambda batch: train(*batch)

    return time_native(make_step, batches, epoch, lambda loss: float(loss.numpy()))
