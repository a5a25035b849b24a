"""ResNet50 and MobileNetV2 as hand-written torch ``nn.Module``s: the native reference of
benchmarks/applications.py.

The same architectures as ``keras.applications.ResNet50`` and ``MobileNetV2`` (alpha 1.0),
layer for layer and with the same parameter counts (25,636,712 and 3,538,984 with the
1000-class top): ResNet50 v1 keeps the bias of every convolution and strides in the first
1x1 convolution of a stage, as Keras's does (torchvision's does neither). NCHW, as a
torch user feeds them.
"""
import torch
from torch import nn

RESNET50_STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))
# MobileNetV2 inverted residual blocks: (output channels, stride, expansion).
MOBILENET_V2_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
                       (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6),
                       (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))


def _conv_bn(cin, cout, kernel, stride=1, eps=1.001e-5, bias=True, groups=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2, bias=bias, groups=groups),
        nn.BatchNorm2d(cout, eps=eps))


class Bottleneck(nn.Module):
    """ResNet50 v1 block: 1x1 (strided), 3x3, 1x1 x4, plus the (projected) shortcut."""

    def __init__(self, cin, filters, stride, project):
        super().__init__()
        self.shortcut = _conv_bn(cin, 4 * filters, 1, stride) if project else None
        self.body = nn.Sequential(
            _conv_bn(cin, filters, 1, stride), nn.ReLU(inplace=True),
            _conv_bn(filters, filters, 3), nn.ReLU(inplace=True),
            _conv_bn(filters, 4 * filters, 1))

    def forward(self, x):
        skip = x if self.shortcut is None else self.shortcut(x)
        return torch.relu(self.body(x) + skip)


class ResNet50(nn.Module):
    """``include_top=False`` ends at the global average pool (``pooling="avg"``)."""

    def __init__(self, classes=1000, include_top=True):
        super().__init__()
        blocks, cin = [], 64
        for filters, count, stride in RESNET50_STAGES:
            for i in range(count):
                blocks.append(Bottleneck(cin, filters, stride if i == 0 else 1, i == 0))
                cin = 4 * filters
        self.features = nn.Sequential(
            _conv_bn(3, 64, 7, 2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, padding=1),
            *blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.top = nn.Linear(cin, classes) if include_top else None
        self.out_features = cin

    def forward(self, x):
        x = self.features(x)
        return x if self.top is None else torch.softmax(self.top(x), dim=-1)


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expansion (not in the first block), 3x3 depthwise, 1x1
    projection, the residual add where shapes allow."""

    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        layers = []
        if expansion != 1:
            layers += [_conv_bn(cin, hidden, 1, eps=1e-3, bias=False), nn.ReLU6(inplace=True)]
        layers += [_conv_bn(hidden, hidden, 3, stride, eps=1e-3, bias=False, groups=hidden),
                   nn.ReLU6(inplace=True), _conv_bn(hidden, cout, 1, eps=1e-3, bias=False)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MobileNetV2(nn.Module):
    """``include_top=False`` ends at the global average pool (``pooling="avg"``)."""

    def __init__(self, classes=1000, include_top=True):
        super().__init__()
        blocks, cin = [], 32
        for cout, stride, expansion in MOBILENET_V2_BLOCKS:
            blocks.append(InvertedResidual(cin, cout, stride, expansion))
            cin = cout
        self.features = nn.Sequential(
            _conv_bn(3, 32, 3, 2, eps=1e-3, bias=False), nn.ReLU6(inplace=True), *blocks,
            _conv_bn(cin, 1280, 1, eps=1e-3, bias=False), nn.ReLU6(inplace=True),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.top = nn.Linear(1280, classes) if include_top else None
        self.out_features = 1280

    def forward(self, x):
        x = self.features(x)
        return x if self.top is None else torch.softmax(self.top(x), dim=-1)


MODELS = {"resnet50": ResNet50, "mobilenetv2": MobileNetV2}


def param_count(module):
    return sum(p.numel() for p in module.parameters()) + sum(
        b.numel() for name, b in module.named_buffers() if not name.endswith("num_batches_tracked"))
