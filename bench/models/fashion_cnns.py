"""The two Fashion-MNIST CNNs of bench/quant_accuracy.py, in PyTorch.

Both take NCHW float images in [0, 1] (pixel / 255) and return 10 logits.
They are small enough to train a few epochs on two CPU cores in minutes.

- ResNetStyle: a 3x3 stem, max pool, two basic residual blocks (the second
  one strided with a 1x1 projection shortcut), global average pooling and a
  dense layer. Conv, batch norm, ReLU, add, max/avg pool, dense only. The
  residual sum is not followed by a ReLU (the block's output is the sum, as
  in the identity-mapping variants): a ReLU fused into an add has no
  fixed-point form in our quantizer yet.
- MobileNetV2Style: a 3x3 stem and inverted-residual blocks (1x1 expansion,
  3x3 depthwise, 1x1 linear projection, ReLU6, residual adds when shapes
  match), a 1x1 head, global average pooling and a dense layer.

Residual adds go through `torch.nn.quantized.FloatFunctional` so that
PyTorch's eager post-training quantization can quantize them; in float mode
it is a plain add and exports as an ONNX Add.
"""

import torch
import torch.nn as nn

BN_EPS = 1e-5


def conv_bn(cin, cout, k, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout, eps=BN_EPS)]


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(cin, cout, 3, stride), nn.ReLU(),
                                  *conv_bn(cout, cout, 3))
        self.shortcut = (nn.Sequential(*conv_bn(cin, cout, 1, stride))
                         if stride != 1 or cin != cout else nn.Identity())
        self.add = nn.quantized.FloatFunctional()

    def forward(self, x):
        return self.add.add(self.body(x), self.shortcut(x))


class ResNetStyle(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3), nn.ReLU(),
                                  nn.MaxPool2d(2))          # 14x14
        self.block1 = BasicBlock(8, 8, 1)
        self.block2 = BasicBlock(8, 16, 2)                   # 7x7
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.body = nn.Sequential(
            *conv_bn(cin, hidden, 1), nn.ReLU6(),
            *conv_bn(hidden, hidden, 3, stride, groups=hidden), nn.ReLU6(),
            *conv_bn(hidden, cout, 1))
        self.residual = stride == 1 and cin == cout
        self.add = nn.quantized.FloatFunctional()

    def forward(self, x):
        y = self.body(x)
        return self.add.add(y, x) if self.residual else y


class MobileNetV2Style(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 8, 3, 2), nn.ReLU6())  # 14x14
        self.blocks = nn.Sequential(
            InvertedResidual(8, 8, 1, 4),
            InvertedResidual(8, 16, 2, 4),                   # 7x7
            InvertedResidual(16, 16, 1, 4))
        self.head = nn.Sequential(*conv_bn(16, 48, 1), nn.ReLU6())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(48, 10)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


MODELS = {"resnet": ResNetStyle, "mobilenetv2": MobileNetV2Style}
