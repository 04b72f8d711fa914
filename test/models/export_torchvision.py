#!/usr/bin/env python3
"""Export torchvision's MobileNetV2 and ResNet18 to ONNX (opset 13).

    export_torchvision.py OUT_DIR

writes OUT_DIR/mobilenet_v2.onnx and OUT_DIR/resnet18.onnx. No pretrained
weights exist offline, so each model is built with weights=None from a fixed
seed; then every BatchNorm gets random affine parameters and running
statistics, so that the inference-mode batch-norm formula is exercised with
non-trivial values (a fresh model has mean 0, var 1, gamma 1, beta 0, which
would hide mistakes). Eval mode, batch 1, input 1x3x224x224.
"""

import os
import sys

import torch
import torchvision

OPSET = 13
SEED = 20240613


def randomize_batchnorm(model, gen):
    """Random gamma/beta and running statistics that keep the signal alive.

    Independent random statistics make a deep random net collapse (its
    output stops depending on the input, so a test could not see errors in
    early layers). Instead the statistics are first measured on seeded noise
    images, as training would, then perturbed: each channel's mean moves by
    up to a fraction of its deviation and its variance is scaled."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in bns:
        c = m.num_features
        m.weight.data = torch.empty(c).uniform_(0.5, 1.5, generator=gen)
        m.bias.data = torch.empty(c).normal_(0.0, 0.2, generator=gen)
        m.reset_running_stats()
        m.momentum = None  # cumulative average: exactly this batch's stats
    model.train()
    noise = torch.empty(8, 3, 224, 224).normal_(0.0, 1.0, generator=gen)
    with torch.no_grad():
        model(noise)
    for m in bns:
        c = m.num_features
        std = m.running_var.sqrt()
        m.running_mean += torch.empty(c).normal_(0.0, 0.2, generator=gen) * std
        m.running_var *= torch.empty(c).uniform_(0.7, 1.4, generator=gen)
        m.momentum = 0.1
    model.eval()


def export(name, out_dir):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, name)(weights=None)
    gen = torch.Generator().manual_seed(SEED + 1)
    randomize_batchnorm(model, gen)
    model.eval()
    x = torch.zeros(1, 3, 224, 224)
    path = os.path.join(out_dir, name + ".onnx")
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, x, tmp, opset_version=OPSET,
                          input_names=["input"], output_names=["logits"],
                          do_constant_folding=False,
                          # Keep BatchNormalization nodes (EVAL would fold
                          # them into the convs before our importer sees
                          # them); the model itself is in eval mode.
                          training=torch.onnx.TrainingMode.PRESERVE)
    os.replace(tmp, path)
    print("%s -> %s" % (name, path))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: export_torchvision.py OUT_DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for name in ("mobilenet_v2", "resnet18"):
        export(name, sys.argv[1])


if __name__ == "__main__":
    main()
