"""Hand-written PyTorch training loops: nn.Module, torch.optim.Adam(foreach), F.cross_entropy."""
import os

import torch
import torch.nn.functional as F
from torch import nn

import workloads as W
from measure import time_inference, time_native


class Convnet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3)
        self.c2 = nn.Conv2d(32, 64, 3)
        self.d1 = nn.Linear(5 * 5 * 64, 128)
        self.d2 = nn.Linear(128, 10)

    def forward(self, x):
        # Inputs arrive NHWC like the Keras models get them; torch convolves NCHW.
        x = x.permute(0, 3, 1, 2)
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.d2(F.relu(self.d1(x.flatten(1))))


class LSTMClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(W.VOCAB, W.EMBED)
        self.lstm = nn.LSTM(W.EMBED, W.LSTM_UNITS, batch_first=True)
        self.out = nn.Linear(W.LSTM_UNITS, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.out(h[-1])


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(W.D_MODEL, W.HEADS, W.FFN, dropout=0.0,
                                           batch_first=True)
        self.enc = nn.TransformerEncoder(layer, W.BLOCKS, enable_nested_tensor=False)
        self.out = nn.Linear(W.D_MODEL, 10)

    def forward(self, x):
        return self.out(self.enc(x).mean(dim=1))


def build(name):
    if name in W.MLP_LIKE:
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    return {"convnet": Convnet, "lstm": LSTMClassifier, "transformer": Transformer}[name]()


def predict(name, steps):
    """``net(x)`` in inference mode, from a NumPy sample to a NumPy output."""
    def make_predict():
        net = build(name).eval()

        def call(xb):
            with torch.inference_mode():
                return net(torch.from_numpy(xb)).numpy()
        return call

    return time_inference(make_predict, W.samples(name, steps))


def _device():
    """The GPU under ``run.py --device gpu`` (a hand-written loop moves everything there)."""
    gpu = os.environ.get("BENCH_DEVICE") == "gpu" and torch.cuda.is_available()
    return torch.device("cuda" if gpu else "cpu")


def run(name, steps, engine=None):
    if name == "predict":
        return predict(name, steps)
    torch.manual_seed(W.SEED)
    device = _device()
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y).long()
    if x.dtype.kind == "i":
        xt = xt.long()
    batches = [(a.to(device), b.to(device)) for a, b in zip(xt.split(bs), yt.split(bs))]
    if name == "dataloader":
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xt, yt),
                                             batch_size=bs, shuffle=False)
        epoch = lambda: iter(loader)  # noqa: E731
    else:
        epoch = lambda: iter(batches)  # noqa: E731

    def make_step():
        model = build(name).to(device)
        opt = torch.optim.Adam(model.parameters(), lr=W.LEARNING_RATE, foreach=True)

        def step(batch):
            xb, yb = (t.to(device, non_blocking=True) for t in batch)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            return loss.detach()

        return step

    return time_native(make_step, batches, epoch, lambda loss: loss.item())
