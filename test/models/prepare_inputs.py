#!/usr/bin/env python3
"""Make the model tests' inputs from real photographs.

    prepare_inputs.py HUMAN_PACKAGE_DIR OUT_DIR

The photos come from the @vladmandic/human npm package (fetched with the
models by scripts/fetch-models.sh), so nothing else is downloaded:
`assets/samples.jpg` opens with a strip of eight photo thumbnails; three are
natural photographs (a portrait, a man at a dinner table, a group of
people), cropped here by their pixel boxes. Each photo becomes one .npy per
model family, normalized as that model's own runtime does:

  torchvision-<photo>.npy  1x3x224x224 NCHW, (x/255 - mean) / std with the
                           ImageNet mean and std (torchvision's transforms)
  nsfwjs224-<photo>.npy    1x224x224x3 NHWC, x/255 (nsfwjs core.js)
  nsfwjs299-<photo>.npy    1x299x299x3 NHWC, x/255 (InceptionV3)
  blazeface-<photo>.npy    1xSxSx3 NHWC, x/127.5 - 1 (human's blazeface.ts),
                           S from blazeface.json's input signature
"""

import json
import os
import sys

import numpy as np
from PIL import Image

# (left, upper, right, lower) of each photo in samples.jpg (1280x1158): the
# thumbnails are 157 rows high, separated by black columns.
PHOTOS = {
    "portrait": (166, 0, 317, 157),
    "dinner": (326, 0, 537, 157),
    "group": (911, 0, 1123, 157),
}

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)


def rgb(img, size):
    """HxWx3 float32 in [0, 255], bilinear-resized to size x size."""
    return np.asarray(img.resize((size, size), Image.BILINEAR),
                      np.float32)


def blazeface_size(human_dir):
    with open(os.path.join(human_dir, "models", "blazeface.json")) as f:
        sig = json.load(f)["userDefinedMetadata"]["signature"]["inputs"]
    dims = next(iter(sig.values()))["tensorShape"]["dim"]
    return int(dims[1]["size"])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: prepare_inputs.py HUMAN_PACKAGE_DIR OUT_DIR")
    human_dir, out_dir = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    sheet = Image.open(os.path.join(human_dir, "assets", "samples.jpg"))
    sheet = sheet.convert("RGB")
    if sheet.size != (1280, 1158):
        sys.exit("prepare_inputs.py: unexpected samples.jpg size %s" %
                 (sheet.size,))
    face = blazeface_size(human_dir)

    def save(name, array):
        np.save(os.path.join(out_dir, name + ".npy"),
                np.ascontiguousarray(array, np.float32))

    for photo, box in PHOTOS.items():
        img = sheet.crop(box)
        x = (rgb(img, 224) / 255.0 - IMAGENET_MEAN) / IMAGENET_STD
        save("torchvision-" + photo, x.transpose(2, 0, 1)[None])
        save("nsfwjs224-" + photo, (rgb(img, 224) / 255.0)[None])
        save("nsfwjs299-" + photo, (rgb(img, 299) / 255.0)[None])
        save("blazeface-" + photo, (rgb(img, face) / 127.5 - 1.0)[None])
    print("inputs for %s -> %s" % (", ".join(PHOTOS), out_dir))


if __name__ == "__main__":
    main()
