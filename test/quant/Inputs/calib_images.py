"""Makes tiny calibration image folders and checks quant-calibrate's image
preprocessing against an independent NumPy implementation.

  make DIR                 PNG (or --jpeg) images of several sizes, seeded
  reference DIR OUT.npy    NumPy preprocessing of DIR's images (options
                           below), decoded by PIL
  compare OURS REF TOL     max |ours - ref| <= TOL, shapes equal

The preprocessing follows include/vai/Support/ImageLoader.h: bilinear
resize with half-pixel centres (no antialiasing, float result), centre
crop with floor offsets, channel order, (pixel - mean) * scale.
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm", ".pnm")


def make(args):
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(5)
    # Smooth gradients plus noise: resize errors show, JPEG stays accurate.
    def picture(h, w, channels):
        y, x = np.mgrid[0:h, 0:w]
        base = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)),
                         ((x + y) * 127 // max(h + w - 2, 1))], -1)[..., :channels]
        noise = rng.integers(-20, 21, size=base.shape)
        return np.clip(base + noise, 0, 255).astype(np.uint8)
    # Names chosen so that file-name order (a10 < a2 < b) differs from the
    # numeric and the creation order.
    sizes = {"b.png": (9, 13), "a2.png": (12, 8), "a10.png": (7, 9),
             "c.png": (8, 8)}
    for i, (name, (h, w)) in enumerate(sizes.items()):
        channels = 1 if args.gray else 3
        pixels = picture(h, w, channels)
        image = Image.fromarray(pixels[..., 0] if args.gray else pixels)
        if args.jpeg:
            # Both chroma layouts cameras write: 4:4:4 and 4:2:0.
            options = {} if args.gray else {"subsampling": 2 * (i % 2)}
            image.save(os.path.join(args.dir, name[:-4] + ".jpg"),
                       quality=90, **options)
        else:
            image.save(os.path.join(args.dir, name))
    # Not an image: must be skipped.
    with open(os.path.join(args.dir, "notes.txt"), "w") as f:
        f.write("not an image\n")


def taps(n_in, n_out):
    src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return i0, i1, src - i0


def resize(img, h, w):
    y0, y1, fy = taps(img.shape[0], h)
    x0, x1, fx = taps(img.shape[1], w)
    fy = fy[:, None, None]
    fx = fx[None, :, None]
    top = (1 - fx) * img[y0][:, x0] + fx * img[y0][:, x1]
    bottom = (1 - fx) * img[y1][:, x0] + fx * img[y1][:, x1]
    return (1 - fy) * top + fy * bottom


def preprocess(path, args):
    mode = "L" if args.channels == 1 else "RGB"
    img = np.asarray(Image.open(path).convert(mode), np.float64)
    img = img.reshape(img.shape[0], img.shape[1], args.channels)
    if args.resize:
        if len(args.resize) == 2:
            h, w = args.resize
        elif img.shape[0] <= img.shape[1]:
            h, w = args.resize[0], args.resize[0] * img.shape[1] // img.shape[0]
        else:
            h, w = args.resize[0] * img.shape[0] // img.shape[1], args.resize[0]
        img = resize(img, h, w)
    if args.crop:
        ch, cw = args.crop[0], args.crop[-1]
        top, left = (img.shape[0] - ch) // 2, (img.shape[1] - cw) // 2
        img = img[top:top + ch, left:left + cw]
    if args.bgr:
        img = img[..., ::-1]
    mean = np.array(args.mean or [0.0])
    scale = np.array(args.scale or [1.0])
    return (img - mean) * scale


def reference(args):
    names = sorted(n for n in os.listdir(args.dir)
                   if os.path.splitext(n)[1].lower() in EXTENSIONS)
    if args.count:
        names = names[:args.count]
    out = np.stack([preprocess(os.path.join(args.dir, n), args) for n in names])
    np.save(args.out, out.astype(np.float32))


def compare(args):
    ours, ref = np.load(args.ours), np.load(args.ref)
    if ours.shape != ref.shape:
        sys.exit(f"shape mismatch: ours {ours.shape}, reference {ref.shape}")
    diff = float(np.max(np.abs(ours.astype(np.float64) - ref)))
    print(f"shape {'x'.join(map(str, ours.shape))} max-diff {diff:.6f}")
    if not diff <= args.tol:
        sys.exit(f"max difference {diff} exceeds {args.tol}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("make")
    p.add_argument("dir")
    p.add_argument("--gray", action="store_true")
    p.add_argument("--jpeg", action="store_true")
    p = sub.add_parser("reference")
    p.add_argument("dir")
    p.add_argument("out")
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--resize", type=int, nargs="+")
    p.add_argument("--crop", type=int, nargs="+")
    p.add_argument("--mean", type=float, nargs="+")
    p.add_argument("--scale", type=float, nargs="+")
    p.add_argument("--bgr", action="store_true")
    p = sub.add_parser("compare")
    p.add_argument("ours")
    p.add_argument("ref")
    p.add_argument("tol", type=float)
    args = parser.parse_args()
    {"make": make, "reference": reference, "compare": compare}[args.cmd](args)


if __name__ == "__main__":
    main()
